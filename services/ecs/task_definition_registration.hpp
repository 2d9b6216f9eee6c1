#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

// RegisterTaskDefinition's rules, apart from any storage: checking a request as AWS checks it
// (ClientException with AWS's messages, SerializationException for wrong types), and the task
// definition AWS then describes: every member as registered, plus the defaults AWS fills in
// (container cpu 0, essential true, empty lists, port protocols and awsvpc host ports,
// health-check timings, vCPU/GB sizes in units and MiB) and the members it computes
// (compatibilities, requiresAttributes). The checks live in task_definition_validation.cpp, the
// description in task_definition_registration.cpp.
namespace awsemu::ecs {

// Throws AwsError for a request AWS refuses. Does not look at storage.
void validate_registration(const nlohmann::json& request);

// What registration adds that the request does not say.
struct RegistrationFacts {
    std::string arn;
    std::int64_t revision = 0;
    std::int64_t registered_ms = 0;
    std::string registered_by;  // the caller's ARN
};

// The `taskDefinition` DescribeTaskDefinition answers for a validated request, status ACTIVE.
nlohmann::json describe_registration(const nlohmann::json& request, const RegistrationFacts& facts);

// Task-level sizes as AWS stores them: "1 vCPU" / "0.25 vcpu" -> "1024" / "256" CPU units,
// "2 GB" / "2GB" -> "2048" MiB; plain numbers stay. nullopt when the text is neither.
std::optional<std::string> normalize_task_cpu(std::string_view text);
std::optional<std::string> normalize_task_memory(std::string_view text);
// Whether Fargate offers this task size (CPU units, MiB).
bool valid_fargate_size(std::int64_t cpu, std::int64_t memory);
// The problem with a secret's valueFrom (not a Secrets Manager or SSM parameter ARN, nor a
// parameter name), or nullopt.
std::optional<std::string> secret_value_from_problem(std::string_view secret_name,
                                                     std::string_view value_from);

}  // namespace awsemu::ecs
