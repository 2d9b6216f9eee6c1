#include "services/ecs/task_environment.hpp"

#include <cstdlib>
#include <map>

#include "emulator/runtime/time_format.hpp"

namespace awsemu::ecs {
namespace {

using nlohmann::json;

constexpr std::string_view kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Variables keep their first position; a later value replaces an earlier one.
class EnvironmentBuilder {
  public:
    void set(const std::string& name, const std::string& value) {
        const auto [it, inserted] = index_.emplace(name, entries_.size());
        if (inserted) {
            entries_.push_back(name + "=" + value);
        } else {
            entries_[it->second] = name + "=" + value;
        }
    }
    void inherit(const char* name, std::string_view fallback = {}) {
        const char* value = std::getenv(name);
        if (value != nullptr) {
            set(name, value);
        } else if (!fallback.empty()) {
            set(name, std::string(fallback));
        }
    }
    std::vector<std::string> take() { return std::move(entries_); }

  private:
    std::map<std::string, std::size_t> index_;
    std::vector<std::string> entries_;
};

std::string iso_time(const std::optional<std::int64_t>& ms) {
    return ms ? format_iso8601_millis(TimePoint(std::chrono::milliseconds(*ms))) : std::string();
}

// "256", "0.25 vCPU" or "2 GB" as registered: the leading number, 0 when there is none.
double leading_number(const std::string& text) {
    return std::strtod(text.c_str(), nullptr);
}

}  // namespace

const json* container_override(const json& overrides, std::string_view container_name) {
    const auto list = overrides.find("containerOverrides");
    if (list == overrides.end() || !list->is_array()) {
        return nullptr;
    }
    for (const auto& entry : *list) {
        if (entry.is_object() && entry.value("name", "") == container_name) {
            return &entry;
        }
    }
    return nullptr;
}

std::vector<std::string> container_command(const ContainerDefinition& container,
                                           const json* override_entry) {
    if (override_entry != nullptr && override_entry->contains("command") &&
        (*override_entry)["command"].is_array()) {
        return (*override_entry)["command"].get<std::vector<std::string>>();
    }
    return container.command;
}

std::vector<std::string> container_environment(const ContainerEnvironmentInput& input) {
    EnvironmentBuilder env;
    env.inherit("PATH", kDefaultPath);
    env.inherit("HOME");
    env.inherit("LANG");
    env.set("AWS_REGION", input.scope.region);
    env.set("AWS_DEFAULT_REGION", input.scope.region);
    env.set("AWS_EXECUTION_ENV",
            input.task.launch_type == "FARGATE" ? "AWS_ECS_FARGATE" : "AWS_ECS_EC2");
    const std::string metadata =
        input.endpoint + "/_awsemu/ecs/" +
        metadata_path(input.scope, input.task.task_id, input.container.name);
    env.set("ECS_CONTAINER_METADATA_URI_V4", metadata);
    env.set("ECS_CONTAINER_METADATA_URI", metadata);
    if (input.definition.task_role_arn) {
        // SDKs fetch AWS_CONTAINER_CREDENTIALS_RELATIVE_URI from 169.254.170.2, which is not
        // awsemu on this machine: the full URI (a loopback address SDKs accept) is the working
        // equivalent.
        env.set(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            input.endpoint + "/_awsemu/ecs/" + credentials_path(input.scope, input.task.task_id));
    }
    env.set("AWS_ENDPOINT_URL", input.endpoint);
    env.set("AWSEMU_TASK_IP", input.task.private_ip);
    for (const auto& mapping : input.container.port_mappings) {
        if (mapping.container_port) {
            env.set("PORT", std::to_string(*mapping.container_port));
            break;
        }
    }
    for (const auto& variable : input.container.environment) {
        env.set(variable.name, variable.value);
    }
    if (input.override_entry != nullptr && input.override_entry->contains("environment")) {
        for (const auto& variable : (*input.override_entry)["environment"]) {
            if (variable.is_object() && variable.contains("name")) {
                env.set(variable.value("name", ""), variable.value("value", ""));
            }
        }
    }
    for (const auto& [name, value] : input.secrets) {
        env.set(name, value);
    }
    return env.take();
}

std::string metadata_path(const Scope& scope, std::string_view task_id,
                          std::string_view container_name) {
    return "v4/" + scope.account_id + "/" + scope.region + "/" + std::string(task_id) + "/" +
           std::string(container_name);
}

std::string credentials_path(const Scope& scope, std::string_view task_id) {
    return "credentials/" + scope.account_id + "/" + scope.region + "/" + std::string(task_id);
}

std::optional<EcsDocumentPath> parse_document_path(std::string_view path) {
    std::vector<std::string> parts;
    while (!path.empty()) {
        const auto slash = path.find('/');
        parts.emplace_back(path.substr(0, slash));
        path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    }
    if (parts.size() == 4 && parts[0] == "credentials") {
        return EcsDocumentPath{parts[0], {parts[1], parts[2]}, parts[3], {}, {}};
    }
    if (parts.size() >= 5 && parts.size() <= 7 && parts[0] == "v4") {
        std::string rest;
        for (std::size_t i = 5; i < parts.size(); ++i) {
            rest += (rest.empty() ? "" : "/") + parts[i];
        }
        if (rest.empty() || rest == "task" || rest == "stats" || rest == "task/stats") {
            return EcsDocumentPath{parts[0], {parts[1], parts[2]}, parts[3], parts[4], rest};
        }
    }
    return std::nullopt;
}

json container_metadata_json(const Task& task, const TaskContainer& container,
                             const json& log_options) {
    json out = {
        {"DockerId", container.runtime_id},
        {"Name", container.name},
        {"DockerName", "ecs-" + task.family + "-" + std::to_string(task.revision) + "-" +
                           container.name + "-" + container.runtime_id.substr(0, 20)},
        {"Image", container.image},
        {"ImageID", "sha256:" + container.runtime_id + container.runtime_id},
        {"Labels",
         {{"com.amazonaws.ecs.cluster", task.cluster_arn},
          {"com.amazonaws.ecs.container-name", container.name},
          {"com.amazonaws.ecs.task-arn", task.task_arn},
          {"com.amazonaws.ecs.task-definition-family", task.family},
          {"com.amazonaws.ecs.task-definition-version", std::to_string(task.revision)}}},
        {"DesiredStatus", task.desired_status},
        {"KnownStatus", container.last_status},
        {"Limits", {{"CPU", leading_number(container.cpu)}}},
        {"CreatedAt", iso_time(task.created_ms)},
        {"Type", "NORMAL"},
        {"ContainerARN", container.container_arn},
        {"Networks", json::array({{{"NetworkMode", task.network_mode},
                                   {"IPv4Addresses", json::array({task.private_ip})},
                                   {"AttachmentIndex", 0}}})},
    };
    if (task.started_ms) {
        out["StartedAt"] = iso_time(task.started_ms);
    }
    if (container.exit_code) {
        out["ExitCode"] = *container.exit_code;
    }
    if (container.health_status != "UNKNOWN") {
        out["Health"] = {{"status", container.health_status}};
    }
    if (log_options.is_object() && !log_options.empty()) {
        out["LogDriver"] = "awslogs";
        out["LogOptions"] = log_options;
    }
    if (!container.container_ports.empty()) {
        json ports = json::array();
        for (const int port : container.container_ports) {
            ports.push_back({{"ContainerPort", port},
                             {"Protocol", "tcp"},
                             {"HostPort", port},
                             {"HostIp", task.private_ip}});
        }
        out["Ports"] = std::move(ports);
    }
    return out;
}

json task_metadata_json(const Task& task, const std::vector<json>& container_documents) {
    json out = {
        {"Cluster", task.cluster_arn},
        {"TaskARN", task.task_arn},
        {"Family", task.family},
        {"Revision", std::to_string(task.revision)},
        {"DesiredStatus", task.desired_status},
        {"KnownStatus", task.last_status},
        {"AvailabilityZone", task.availability_zone},
        {"LaunchType", task.launch_type},
        {"Containers", container_documents},
        {"PullStartedAt", iso_time(task.pull_started_ms)},
        {"PullStoppedAt", iso_time(task.pull_stopped_ms)},
    };
    json limits = json::object();
    if (task.cpu) {
        limits["CPU"] = leading_number(*task.cpu) / 1024.0;
    }
    if (task.memory) {
        limits["Memory"] = leading_number(*task.memory);
    }
    out["Limits"] = std::move(limits);
    if (!task.service_name.empty()) {
        out["ServiceName"] = task.service_name;
    }
    return out;
}

}  // namespace awsemu::ecs
