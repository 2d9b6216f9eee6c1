#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

// A registered task definition as the task runtime reads it: typed, with AWS's defaults
// applied, plus the full JSON DescribeTaskDefinition answers (as registered, with the members
// AWS adds). Built from the stored JSON by task_definition_from_json; loaded by
// EcsStore::find_task_definition (family, family:revision or ARN).
namespace awsemu::ecs {

struct EnvironmentVariable {
    std::string name;
    std::string value;
};

struct ContainerSecret {
    std::string name;
    std::string value_from;  // a Secrets Manager secret ARN (optionally :json-key:stage:version)
                             // or an SSM parameter ARN or name
};

struct EnvironmentFile {
    std::string value;
    std::string type;  // s3
};

struct PortMapping {
    std::optional<int> container_port;
    std::optional<int> host_port;  // awsvpc and host mode: always the container port
    std::string protocol = "tcp";  // tcp, udp
    std::optional<std::string> name;
    std::optional<std::string> app_protocol;  // http, http2, grpc
    std::optional<std::string> container_port_range;
};

enum class DependencyCondition { Start, Complete, Success, Healthy };
std::string to_string(DependencyCondition condition);
std::optional<DependencyCondition> parse_dependency_condition(std::string_view text);

struct ContainerDependency {
    std::string container_name;
    DependencyCondition condition = DependencyCondition::Start;
};

struct HealthCheck {
    std::vector<std::string> command;  // ["CMD-SHELL", "curl -f http://localhost/"] or ["CMD", ...]
    int interval = 30;                 // seconds
    int timeout = 5;
    int retries = 3;
    int start_period = 0;
};

struct LogConfiguration {
    std::string log_driver;  // awslogs, ...
    std::map<std::string, std::string> options;
    std::vector<ContainerSecret> secret_options;
};

struct ContainerDefinition {
    std::string name;
    std::string image;
    std::vector<std::string> command;
    std::vector<std::string> entry_point;
    std::vector<EnvironmentVariable> environment;
    std::vector<EnvironmentFile> environment_files;  // refused at registration (see README)
    std::vector<ContainerSecret> secrets;
    std::vector<PortMapping> port_mappings;
    bool essential = true;
    std::vector<ContainerDependency> depends_on;
    std::optional<HealthCheck> health_check;
    std::optional<int> stop_timeout;  // seconds
    std::optional<LogConfiguration> log_configuration;
    std::optional<std::string> working_directory;
    int cpu = 0;
    std::optional<int> memory;              // MiB, hard limit
    std::optional<int> memory_reservation;  // MiB, soft limit
};

struct TaskDefinition {
    std::string family;
    std::int64_t revision = 0;
    std::string arn;
    std::string status;  // ACTIVE, INACTIVE, DELETE_IN_PROGRESS
    std::optional<std::string> task_role_arn;
    std::optional<std::string> execution_role_arn;
    std::string network_mode = "bridge";  // as registered; bridge when the request named none
    std::vector<std::string> requires_compatibilities;
    std::vector<std::string> compatibilities;
    std::optional<std::string> cpu;     // task level, CPU units ("256")
    std::optional<std::string> memory;  // task level, MiB ("512")
    std::vector<ContainerDefinition> containers;
    std::int64_t registered_ms = 0;
    std::optional<std::int64_t> deregistered_ms;
    std::optional<std::int64_t> delete_requested_ms;
    // DescribeTaskDefinition's taskDefinition, as stored (status and dates as of the load).
    nlohmann::json json;

    const ContainerDefinition* container(std::string_view name) const;
};

// Reads the stored (described) JSON of a task definition. The JSON was checked when it was
// registered, so this does not throw for JSON this service stored.
TaskDefinition task_definition_from_json(const nlohmann::json& described);

}  // namespace awsemu::ecs
