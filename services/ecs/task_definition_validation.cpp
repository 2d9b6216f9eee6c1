// RegisterTaskDefinition's checks: validate_registration and the rules it applies.
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "services/ecs/ecs_errors.hpp"
#include "services/ecs/ecs_input.hpp"
#include "services/ecs/ecs_model.hpp"
#include "services/ecs/task_definition.hpp"
#include "services/ecs/task_definition_registration.hpp"

namespace awsemu::ecs {
namespace {

[[noreturn]] void client_error(std::string message) {
    throw AwsError(errors::ClientException, std::move(message));
}

bool is_secret_arn_resource(std::string_view service, std::string_view resource) {
    if (service == "secretsmanager") {
        return resource.starts_with("secret:") && resource.size() > 7;
    }
    if (service == "ssm") {
        return resource.starts_with("parameter/") && resource.size() > 10;
    }
    return false;
}

bool valid_parameter_name(std::string_view name) {
    return !name.empty() && name.size() <= 2048 &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
                      c == '-' || c == '/';
           });
}

struct ContainerFacts {
    std::string name;
    bool essential = true;
    std::optional<std::int64_t> memory;
};

void check_secrets(const nlohmann::json& owner, const char* member, const std::string& path,
                   std::vector<std::string>* names) {
    const auto* list = json_array(owner, member, path);
    if (list == nullptr) {
        return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto& secret = (*list)[i];
        const std::string at = member_path(path, member) + "[" + std::to_string(i) + "]";
        expect_object(secret, at);
        const auto name = json_string(secret, "name", at);
        const auto value_from = json_string(secret, "valueFrom", at);
        if (!name || name->empty()) {
            client_error("Secret.name should not be null or empty.");
        }
        if (!value_from || value_from->empty()) {
            client_error("Secret.valueFrom should not be null or empty.");
        }
        if (const auto problem = secret_value_from_problem(*name, *value_from)) {
            client_error(*problem);
        }
        if (names != nullptr) {
            names->push_back(*name);
        }
    }
}

void check_port_mappings(const nlohmann::json& container, const std::string& path,
                         const std::string& name, const std::string& network_mode) {
    const auto* mappings = json_array(container, "portMappings", path);
    if (mappings == nullptr) {
        return;
    }
    for (std::size_t i = 0; i < mappings->size(); ++i) {
        const auto& mapping = (*mappings)[i];
        const std::string at = path + ".portMappings[" + std::to_string(i) + "]";
        expect_object(mapping, at);
        const auto container_port = json_int(mapping, "containerPort", at);
        const auto host_port = json_int(mapping, "hostPort", at);
        const auto range = json_string(mapping, "containerPortRange", at);
        const auto protocol = json_string(mapping, "protocol", at);
        json_string(mapping, "name", at);
        const auto app_protocol = json_string(mapping, "appProtocol", at);
        if ((!container_port && !range) ||
            (container_port && (*container_port < 0 || *container_port > 65535))) {
            client_error("Invalid 'containerPort' setting for container '" + name + "'.");
        }
        if (host_port && (*host_port < 0 || *host_port > 65535)) {
            client_error("Invalid 'hostPort' setting for container '" + name + "'.");
        }
        if (protocol && *protocol != "tcp" && *protocol != "udp") {
            client_error("Invalid 'protocol' setting for container '" + name + "'.");
        }
        if (app_protocol && *app_protocol != "http" && *app_protocol != "http2" &&
            *app_protocol != "grpc") {
            client_error("Invalid 'appProtocol' setting for container '" + name + "'.");
        }
        if (network_mode == "awsvpc" && container_port && host_port &&
            *host_port != *container_port) {
            client_error(
                "When networkMode=awsvpc, the host ports and container ports in port mappings "
                "must match.");
        }
        if (network_mode == "host" && container_port && host_port &&
            *host_port != *container_port) {
            client_error(
                "When networkMode=host, the host ports and container ports in port mappings "
                "must match.");
        }
    }
}

void check_health_check(const nlohmann::json& container, const std::string& path,
                        const std::string& name) {
    const auto* check = json_object(container, "healthCheck", path);
    if (check == nullptr) {
        return;
    }
    const std::string at = path + ".healthCheck";
    const auto command = json_string_list(*check, "command", at);
    if (command.empty()) {
        client_error("Invalid 'healthCheck' setting for container '" + name +
                     "'. 'command' should not be null or empty.");
    }
    const auto in_range = [&](const char* member, std::int64_t min, std::int64_t max) {
        const auto value = json_int(*check, member, at);
        if (value && (*value < min || *value > max)) {
            client_error("Invalid 'healthCheck' setting for container '" + name + "'. '" + member +
                         "' must be between " + std::to_string(min) + " and " +
                         std::to_string(max) + ".");
        }
    };
    in_range("interval", 5, 300);
    in_range("timeout", 2, 120);
    in_range("retries", 1, 10);
    in_range("startPeriod", 0, 300);
}

void check_log_configuration(const nlohmann::json& container, const std::string& path) {
    const auto* log = json_object(container, "logConfiguration", path);
    if (log == nullptr) {
        return;
    }
    const std::string at = path + ".logConfiguration";
    const auto driver = json_string(*log, "logDriver", at);
    if (!driver || driver->empty()) {
        client_error("LogConfiguration.logDriver should not be null or empty.");
    }
    static const std::set<std::string> kDrivers = {
        "json-file", "syslog", "journald", "gelf", "fluentd", "awslogs", "splunk", "awsfirelens"};
    if (!kDrivers.contains(*driver)) {
        client_error("Log driver " + *driver + " is not supported.");
    }
    const auto* options = json_object(*log, "options", at);
    if (options != nullptr) {
        for (const auto& [key, value] : options->items()) {
            if (!value.is_string()) {
                throw_wrong_type(at + ".options." + key, "a string");
            }
        }
    }
    if (*driver == "awslogs") {
        std::vector<std::string> missing;
        for (const char* required : {"awslogs-region", "awslogs-group"}) {
            if (options == nullptr || !options->contains(required)) {
                missing.emplace_back(required);
            }
        }
        if (!missing.empty()) {
            std::string list;
            for (const auto& m : missing) {
                list += (list.empty() ? "" : ", ") + m;
            }
            client_error("Log driver awslogs requires options: " + list);
        }
    }
    check_secrets(*log, "secretOptions", at, nullptr);
}

ContainerFacts check_container(const nlohmann::json& container, std::size_t index,
                               const std::string& network_mode) {
    const std::string path = "containerDefinitions[" + std::to_string(index) + "]";
    expect_object(container, path);
    const auto name = json_string(container, "name", path);
    if (!name || name->empty()) {
        client_error("Container.name should not be null or empty.");
    }
    if (!valid_container_name(*name)) {
        client_error("Container.name contains invalid characters.");
    }
    const auto image = json_string(container, "image", path);
    if (!image || image->empty()) {
        client_error("Container.image should not be null or empty.");
    }
    json_string_list(container, "command", path);
    json_string_list(container, "entryPoint", path);
    json_string(container, "workingDirectory", path);
    json_int(container, "stopTimeout", path);
    const auto cpu = json_int(container, "cpu", path);
    if (cpu && *cpu < 0) {
        client_error("Invalid 'cpu' setting for container '" + *name + "'.");
    }
    const auto memory = json_int(container, "memory", path);
    const auto reservation = json_int(container, "memoryReservation", path);
    if (memory && *memory < 6) {
        client_error("Invalid 'memory' setting for container '" + *name +
                     "'. The minimum value is 6 MiB.");
    }
    if (memory && reservation && *reservation > *memory) {
        client_error("Invalid 'memoryReservation' setting for container '" + *name +
                     "'. The value must be less than the value of 'memory'.");
    }
    ContainerFacts facts;
    facts.name = *name;
    facts.essential = json_bool(container, "essential", path).value_or(true);
    facts.memory = memory ? memory : reservation;

    std::vector<std::string> environment_names;
    if (const auto* environment = json_array(container, "environment", path)) {
        for (std::size_t i = 0; i < environment->size(); ++i) {
            const auto& variable = (*environment)[i];
            const std::string at = path + ".environment[" + std::to_string(i) + "]";
            expect_object(variable, at);
            if (const auto variable_name = json_string(variable, "name", at)) {
                environment_names.push_back(*variable_name);
            }
            json_string(variable, "value", at);
        }
    }
    if (const auto* files = json_array(container, "environmentFiles", path);
        files != nullptr && !files->empty()) {
        client_error("awsemu does not support environmentFiles (container '" + *name +
                     "'): tasks cannot fetch environment files from S3 here. Set the variables in "
                     "'environment' or 'secrets' instead.");
    }
    std::vector<std::string> secret_names;
    check_secrets(container, "secrets", path, &secret_names);
    for (const auto& secret : secret_names) {
        if (std::find(environment_names.begin(), environment_names.end(), secret) !=
            environment_names.end()) {
            client_error(
                "The secret name must be unique and not shared with any new or existing "
                "environment variables set on the container, such as '" +
                secret + "'.");
        }
    }
    check_port_mappings(container, path, *name, network_mode);
    check_health_check(container, path, *name);
    check_log_configuration(container, path);
    return facts;
}

void check_dependencies(const nlohmann::json& containers,
                        const std::vector<ContainerFacts>& facts) {
    for (std::size_t index = 0; index < containers.size(); ++index) {
        const std::string path = "containerDefinitions[" + std::to_string(index) + "]";
        const auto* depends_on = json_array(containers[index], "dependsOn", path);
        if (depends_on == nullptr) {
            continue;
        }
        for (std::size_t i = 0; i < depends_on->size(); ++i) {
            const auto& dependency = (*depends_on)[i];
            const std::string at = path + ".dependsOn[" + std::to_string(i) + "]";
            expect_object(dependency, at);
            const auto target = json_string(dependency, "containerName", at).value_or("");
            const auto condition = json_string(dependency, "condition", at).value_or("");
            const auto found = std::find_if(facts.begin(), facts.end(),
                                            [&](const auto& f) { return f.name == target; });
            if (found == facts.end()) {
                // AWS's own wording, "+" included.
                client_error("Cannot depend on container + '" + target +
                             "' because it does not exist");
            }
            const auto parsed = parse_dependency_condition(condition);
            if (!parsed) {
                client_error("Invalid condition '" + condition + "' for dependency on container '" +
                             target + "'. Valid values: START, COMPLETE, SUCCESS, HEALTHY.");
            }
            if ((*parsed == DependencyCondition::Success ||
                 *parsed == DependencyCondition::Complete) &&
                found->essential) {
                client_error(
                    "A dependency container with SUCCESS or COMPLETE condition cannot be an "
                    "essential container");
            }
        }
    }
}

std::vector<std::string> string_list_of(const nlohmann::json& request, const char* member) {
    return json_string_list(request, member, "");
}

bool has_fargate(const nlohmann::json& request) {
    const auto list = string_list_of(request, "requiresCompatibilities");
    return std::find(list.begin(), list.end(), "FARGATE") != list.end();
}

}  // namespace

std::optional<std::string> secret_value_from_problem(std::string_view secret_name,
                                                     std::string_view value_from) {
    const std::string problem =
        "The secret '" + std::string(secret_name) + "' has an invalid valueFrom '" +
        std::string(value_from) +
        "': it must be the ARN of a Secrets Manager secret or of a Systems Manager parameter, "
        "or the name of a Systems Manager parameter.";
    if (!value_from.starts_with("arn:")) {
        return valid_parameter_name(value_from) ? std::nullopt : std::optional(problem);
    }
    // arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (int i = 0; i < 5; ++i) {
        const auto end = value_from.find(':', start);
        if (end == std::string_view::npos) {
            return problem;
        }
        fields.push_back(value_from.substr(start, end - start));
        start = end + 1;
    }
    const std::string_view resource = value_from.substr(start);
    if (fields[1].empty() || fields[3].empty() || fields[4].empty() ||
        !is_secret_arn_resource(fields[2], resource)) {
        return problem;
    }
    return std::nullopt;
}

void validate_registration(const nlohmann::json& request) {
    const auto family = json_string(request, "family", "");
    if (!family || !valid_family(*family)) {
        client_error("Family contains invalid characters.");
    }
    const auto network_mode = json_string(request, "networkMode", "").value_or("bridge");
    if (network_mode != "bridge" && network_mode != "host" && network_mode != "awsvpc" &&
        network_mode != "none") {
        client_error("Invalid networkMode '" + network_mode +
                     "'. Valid values: bridge, host, awsvpc, none.");
    }
    json_string(request, "taskRoleArn", "");
    const auto execution_role = json_string(request, "executionRoleArn", "");
    const auto requires_compatibilities = string_list_of(request, "requiresCompatibilities");
    for (const auto& compatibility : requires_compatibilities) {
        if (compatibility != "EC2" && compatibility != "FARGATE" && compatibility != "EXTERNAL" &&
            compatibility != "MANAGED_INSTANCES") {
            client_error("Invalid requiresCompatibilities value '" + compatibility + "'.");
        }
    }
    const auto task_cpu_text = json_string(request, "cpu", "");
    const auto task_memory_text = json_string(request, "memory", "");
    std::optional<std::int64_t> task_cpu;
    std::optional<std::int64_t> task_memory;
    if (task_cpu_text) {
        const auto normalized = normalize_task_cpu(*task_cpu_text);
        if (!normalized) {
            client_error("Invalid 'cpu' setting for task.");
        }
        task_cpu = std::stoll(*normalized);
    }
    if (task_memory_text) {
        const auto normalized = normalize_task_memory(*task_memory_text);
        if (!normalized) {
            client_error("Invalid 'memory' setting for task.");
        }
        task_memory = std::stoll(*normalized);
    }
    json_array(request, "volumes", "");
    json_array(request, "placementConstraints", "");
    json_bool(request, "enableFaultInjection", "");

    const auto* containers = json_array(request, "containerDefinitions", "");
    if (containers == nullptr || containers->empty()) {
        client_error("Container list cannot be empty.");
    }
    if (containers->size() > 10) {
        client_error("Too many containers.");
    }
    std::vector<ContainerFacts> facts;
    for (std::size_t i = 0; i < containers->size(); ++i) {
        facts.push_back(check_container((*containers)[i], i, network_mode));
    }
    std::set<std::string> names;
    for (const auto& f : facts) {
        if (!names.insert(f.name).second) {
            client_error("Container names must be unique within a Task Definition.");
        }
    }
    check_dependencies(*containers, facts);

    bool any_secrets = false;
    for (const auto& c : *containers) {
        const auto* secrets = json_member(c, "secrets");
        any_secrets = any_secrets || (secrets != nullptr && !secrets->empty());
    }
    if (any_secrets && (!execution_role || execution_role->empty())) {
        client_error(
            "When you are specifying container secrets, you must also specify a value for "
            "'executionRoleArn'.");
    }

    if (has_fargate(request)) {
        if (network_mode != "awsvpc") {
            client_error(
                "Fargate only supports network mode \xE2\x80\x98"
                "awsvpc\xE2\x80\x99.");
        }
        if (!task_cpu) {
            client_error("Fargate requires that 'cpu' be defined at the task level.");
        }
        if (!task_memory) {
            client_error("Fargate requires that 'memory' be defined at the task level.");
        }
        if (!valid_fargate_size(*task_cpu, *task_memory)) {
            client_error("No Fargate configuration exists for given values: " +
                         std::to_string(*task_cpu) + " CPU, " + std::to_string(*task_memory) +
                         " memory. See the Amazon ECS documentation for the valid values.");
        }
    }
    std::int64_t cpu_sum = 0;
    for (std::size_t i = 0; i < containers->size(); ++i) {
        const auto& f = facts[i];
        if (!task_memory && !f.memory) {
            client_error("Invalid setting for container '" + f.name +
                         "'. At least one of 'memory' or 'memoryReservation' must be specified.");
        }
        if (task_memory && f.memory && *f.memory > *task_memory) {
            client_error("The 'memory' setting for container '" + f.name +
                         "' is greater than for the task.");
        }
        cpu_sum += json_int((*containers)[i], "cpu", "").value_or(0);
    }
    if (task_cpu && cpu_sum > *task_cpu) {
        client_error(
            "The sum of all container 'cpu' values cannot be greater than the value of the task "
            "'cpu'.");
    }
}

}  // namespace awsemu::ecs
