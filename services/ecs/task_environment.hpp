#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/service.hpp"
#include "services/ecs/ecs_task.hpp"
#include "services/ecs/task_definition.hpp"

// What a container process sees of ECS: its environment variables, and the documents of the
// task metadata endpoint (v4) and the container credentials endpoint that awsemu serves under
// /_awsemu/ecs/.
namespace awsemu::ecs {

// The containerOverrides entry RunTask gave for `container_name`, or null.
const nlohmann::json* container_override(const nlohmann::json& overrides,
                                         std::string_view container_name);

// The command a container runs: the override's when RunTask gave one, else its definition's.
std::vector<std::string> container_command(const ContainerDefinition& container,
                                           const nlohmann::json* override_entry);

struct ContainerEnvironmentInput {
    const Scope& scope;
    const Task& task;
    const TaskDefinition& definition;
    const ContainerDefinition& container;
    const nlohmann::json* override_entry;
    std::string endpoint;                                      // awsemu's local URL
    std::vector<std::pair<std::string, std::string>> secrets;  // resolved, name -> value
};

// "NAME=value" entries, later ones winning: a minimal host environment (PATH, HOME, LANG),
// what ECS sets (AWS_REGION, AWS_EXECUTION_ENV, ECS_CONTAINER_METADATA_URI_V4, credentials URI
// when the task has a role), AWS_ENDPOINT_URL, AWSEMU_TASK_IP and PORT, the definition's
// environment, the override's, then the secrets.
std::vector<std::string> container_environment(const ContainerEnvironmentInput& input);

// Paths under /_awsemu/ecs/ (the service's public documents).
std::string metadata_path(const Scope& scope, std::string_view task_id,
                          std::string_view container_name);
std::string credentials_path(const Scope& scope, std::string_view task_id);

// A request path under /_awsemu/ecs/ taken apart: kind "v4" (metadata; `container` set,
// `rest` "", "task", "stats" or "task/stats") or "credentials".
struct EcsDocumentPath {
    std::string kind;
    Scope scope;
    std::string task_id;
    std::string container;
    std::string rest;
};
std::optional<EcsDocumentPath> parse_document_path(std::string_view path);

// The metadata endpoint's documents (Docker's names and ISO 8601 times).
nlohmann::json container_metadata_json(const Task& task, const TaskContainer& container,
                                       const nlohmann::json& log_options);
nlohmann::json task_metadata_json(const Task& task,
                                  const std::vector<nlohmann::json>& container_documents);

}  // namespace awsemu::ecs
