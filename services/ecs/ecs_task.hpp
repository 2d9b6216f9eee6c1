#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

// A task as ECS reports it (DescribeTasks), as plain structs, and the pure rules of its
// lifecycle. Times are epoch milliseconds of the emulated clock.
namespace awsemu::ecs {

// lastStatus values, in the order a task passes them.
inline constexpr std::string_view kProvisioning = "PROVISIONING";
inline constexpr std::string_view kPending = "PENDING";
inline constexpr std::string_view kRunning = "RUNNING";
inline constexpr std::string_view kStopping = "STOPPING";
inline constexpr std::string_view kDeprovisioning = "DEPROVISIONING";
inline constexpr std::string_view kStopped = "STOPPED";

// stopCode values.
inline constexpr std::string_view kTaskFailedToStart = "TaskFailedToStart";
inline constexpr std::string_view kEssentialContainerExited = "EssentialContainerExited";
inline constexpr std::string_view kUserInitiated = "UserInitiated";
inline constexpr std::string_view kServiceSchedulerInitiated = "ServiceSchedulerInitiated";
inline constexpr std::string_view kTerminationNotice = "TerminationNotice";

struct TaskContainer {
    std::string name;
    std::string image;
    std::string runtime_id;  // what Docker would call the container id
    std::string container_arn;
    std::string last_status = "PENDING";  // PENDING, RUNNING, STOPPED
    std::optional<int> exit_code;
    std::optional<std::string> reason;
    std::string health_status = "UNKNOWN";  // HEALTHY, UNHEALTHY, UNKNOWN
    bool essential = true;
    std::string cpu = "0";
    std::optional<std::string> memory;
    std::optional<std::string> memory_reservation;
    std::vector<int> container_ports;  // for networkBindings / the metadata endpoint
};

struct Task {
    std::string task_id;
    std::string task_arn;
    std::string cluster_arn;
    std::string task_definition_arn;
    std::string family;
    std::int64_t revision = 0;
    std::string launch_type = "FARGATE";  // FARGATE, EC2, EXTERNAL
    std::string group;                    // "family:NAME" or "service:NAME"
    std::optional<std::string> started_by;
    std::string service_name;   // empty for a standalone task
    std::string deployment_id;  // the service deployment that started it
    std::string desired_status = "RUNNING";
    std::string last_status = std::string(kProvisioning);
    std::string health_status = "UNKNOWN";
    std::optional<std::string> cpu;
    std::optional<std::string> memory;
    std::string availability_zone;
    std::string subnet_id;
    std::string private_ip;  // the loopback address the task's processes use
    std::string attachment_id;
    std::string network_mode = "awsvpc";
    std::vector<std::string> security_groups;
    nlohmann::json overrides = nlohmann::json::object();  // as RunTask gave them
    bool enable_execute_command = false;
    std::int64_t version = 1;
    std::int64_t created_ms = 0;
    std::optional<std::int64_t> pull_started_ms;
    std::optional<std::int64_t> pull_stopped_ms;
    std::optional<std::int64_t> started_ms;
    std::optional<std::int64_t> stopping_ms;
    std::optional<std::int64_t> execution_stopped_ms;
    std::optional<std::int64_t> stopped_ms;
    std::optional<std::string> stop_code;
    std::optional<std::string> stopped_reason;
    std::vector<TaskContainer> containers;

    TaskContainer* container(std::string_view name);
    const TaskContainer* container(std::string_view name) const;
};

// DescribeTasks' task (tags are added by the caller, who keeps them).
nlohmann::json task_json(const Task& task);
// The stored form: task_json plus what only awsemu needs (service, deployment).
nlohmann::json task_document(const Task& task);
Task task_from_document(const nlohmann::json& document);

// A new task or container id: 32 hex digits, as AWS's long ids.
std::string new_task_id();

// What Docker reports as a container's exit code when a signal ended it.
inline int exit_code_for_signal(int signal_number) {
    return 128 + signal_number;
}

}  // namespace awsemu::ecs
