#include "services/ecs/task_definition.hpp"

namespace awsemu::ecs {
namespace {

std::string string_or(const nlohmann::json& object, const char* name, std::string fallback = "") {
    const auto it = object.find(name);
    if (it == object.end() || !it->is_string()) {
        return fallback;
    }
    return it->get<std::string>();
}

std::optional<std::string> optional_string(const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    if (it == object.end() || !it->is_string()) {
        return std::nullopt;
    }
    return it->get<std::string>();
}

std::optional<int> optional_int(const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    if (it == object.end() || !it->is_number_integer()) {
        return std::nullopt;
    }
    return it->get<int>();
}

std::vector<std::string> strings(const nlohmann::json& object, const char* name) {
    std::vector<std::string> out;
    const auto it = object.find(name);
    if (it == object.end() || !it->is_array()) {
        return out;
    }
    for (const auto& item : *it) {
        if (item.is_string()) {
            out.push_back(item.get<std::string>());
        }
    }
    return out;
}

// The object entries of a list member.
std::vector<nlohmann::json> entries(const nlohmann::json& object, const char* name) {
    std::vector<nlohmann::json> out;
    const auto it = object.find(name);
    if (it == object.end() || !it->is_array()) {
        return out;
    }
    for (const auto& item : *it) {
        if (item.is_object()) {
            out.push_back(item);
        }
    }
    return out;
}

std::vector<ContainerSecret> secrets_of(const nlohmann::json& object, const char* name) {
    std::vector<ContainerSecret> out;
    for (const auto& entry : entries(object, name)) {
        out.push_back({string_or(entry, "name"), string_or(entry, "valueFrom")});
    }
    return out;
}

ContainerDefinition container_from_json(const nlohmann::json& c) {
    ContainerDefinition out;
    out.name = string_or(c, "name");
    out.image = string_or(c, "image");
    out.command = strings(c, "command");
    out.entry_point = strings(c, "entryPoint");
    for (const auto& entry : entries(c, "environment")) {
        out.environment.push_back({string_or(entry, "name"), string_or(entry, "value")});
    }
    for (const auto& entry : entries(c, "environmentFiles")) {
        out.environment_files.push_back({string_or(entry, "value"), string_or(entry, "type")});
    }
    out.secrets = secrets_of(c, "secrets");
    for (const auto& entry : entries(c, "portMappings")) {
        PortMapping mapping;
        mapping.container_port = optional_int(entry, "containerPort");
        mapping.host_port = optional_int(entry, "hostPort");
        mapping.protocol = string_or(entry, "protocol", "tcp");
        mapping.name = optional_string(entry, "name");
        mapping.app_protocol = optional_string(entry, "appProtocol");
        mapping.container_port_range = optional_string(entry, "containerPortRange");
        out.port_mappings.push_back(std::move(mapping));
    }
    if (const auto it = c.find("essential"); it != c.end() && it->is_boolean()) {
        out.essential = it->get<bool>();
    }
    for (const auto& entry : entries(c, "dependsOn")) {
        out.depends_on.push_back({string_or(entry, "containerName"),
                                  parse_dependency_condition(string_or(entry, "condition", "START"))
                                      .value_or(DependencyCondition::Start)});
    }
    if (const auto it = c.find("healthCheck"); it != c.end() && it->is_object()) {
        HealthCheck check;
        check.command = strings(*it, "command");
        check.interval = optional_int(*it, "interval").value_or(30);
        check.timeout = optional_int(*it, "timeout").value_or(5);
        check.retries = optional_int(*it, "retries").value_or(3);
        check.start_period = optional_int(*it, "startPeriod").value_or(0);
        out.health_check = std::move(check);
    }
    out.stop_timeout = optional_int(c, "stopTimeout");
    if (const auto it = c.find("logConfiguration"); it != c.end() && it->is_object()) {
        LogConfiguration log;
        log.log_driver = string_or(*it, "logDriver");
        if (const auto options = it->find("options");
            options != it->end() && options->is_object()) {
            for (const auto& [key, value] : options->items()) {
                if (value.is_string()) {
                    log.options.emplace(key, value.get<std::string>());
                }
            }
        }
        log.secret_options = secrets_of(*it, "secretOptions");
        out.log_configuration = std::move(log);
    }
    out.working_directory = optional_string(c, "workingDirectory");
    out.cpu = optional_int(c, "cpu").value_or(0);
    out.memory = optional_int(c, "memory");
    out.memory_reservation = optional_int(c, "memoryReservation");
    return out;
}

std::optional<std::int64_t> timestamp_ms(const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    if (it == object.end() || !it->is_number()) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(it->get<double>() * 1000.0 + 0.5);
}

}  // namespace

std::string to_string(DependencyCondition condition) {
    switch (condition) {
        case DependencyCondition::Start:
            return "START";
        case DependencyCondition::Complete:
            return "COMPLETE";
        case DependencyCondition::Success:
            return "SUCCESS";
        case DependencyCondition::Healthy:
            return "HEALTHY";
    }
    return "START";
}

std::optional<DependencyCondition> parse_dependency_condition(std::string_view text) {
    if (text == "START") {
        return DependencyCondition::Start;
    }
    if (text == "COMPLETE") {
        return DependencyCondition::Complete;
    }
    if (text == "SUCCESS") {
        return DependencyCondition::Success;
    }
    if (text == "HEALTHY") {
        return DependencyCondition::Healthy;
    }
    return std::nullopt;
}

const ContainerDefinition* TaskDefinition::container(std::string_view name) const {
    for (const auto& c : containers) {
        if (c.name == name) {
            return &c;
        }
    }
    return nullptr;
}

TaskDefinition task_definition_from_json(const nlohmann::json& described) {
    TaskDefinition out;
    out.family = string_or(described, "family");
    out.revision = optional_int(described, "revision").value_or(0);
    out.arn = string_or(described, "taskDefinitionArn");
    out.status = string_or(described, "status", "ACTIVE");
    out.task_role_arn = optional_string(described, "taskRoleArn");
    out.execution_role_arn = optional_string(described, "executionRoleArn");
    out.network_mode = string_or(described, "networkMode", "bridge");
    out.requires_compatibilities = strings(described, "requiresCompatibilities");
    out.compatibilities = strings(described, "compatibilities");
    out.cpu = optional_string(described, "cpu");
    out.memory = optional_string(described, "memory");
    for (const auto& c : entries(described, "containerDefinitions")) {
        out.containers.push_back(container_from_json(c));
    }
    out.registered_ms = timestamp_ms(described, "registeredAt").value_or(0);
    out.deregistered_ms = timestamp_ms(described, "deregisteredAt");
    out.delete_requested_ms = timestamp_ms(described, "deleteRequestedAt");
    out.json = described;
    return out;
}

}  // namespace awsemu::ecs
