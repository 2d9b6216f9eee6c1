#include "services/ecs/task_definition_registration.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <vector>

#include "emulator/ascii.hpp"
#include "services/ecs/ecs_input.hpp"
#include "services/ecs/ecs_model.hpp"
#include "services/ecs/task_definition.hpp"

namespace awsemu::ecs {
namespace {

std::string trim(std::string_view text) {
    const auto begin = text.find_first_not_of(" \t");
    if (begin == std::string_view::npos) {
        return "";
    }
    const auto end = text.find_last_not_of(" \t");
    return std::string(text.substr(begin, end - begin + 1));
}

std::optional<double> parse_number(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    const std::string copy(text);
    char* end = nullptr;
    const double value = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || !std::isfinite(value) || value < 0) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// "<number><unit>" with `unit` in any case, spaces allowed between: the number, else nullopt.
std::optional<double> with_unit(std::string_view text, std::string_view unit) {
    const std::string t = ascii_lower(trim(text));
    if (!t.ends_with(unit)) {
        return std::nullopt;
    }
    return parse_number(trim(std::string_view(t).substr(0, t.size() - unit.size())));
}

}  // namespace

std::optional<std::string> normalize_task_cpu(std::string_view text) {
    if (const auto units = parse_integer(trim(text))) {
        if (*units < 0) {
            return std::nullopt;
        }
        return std::to_string(*units);
    }
    if (const auto vcpu = with_unit(text, "vcpu")) {
        return std::to_string(static_cast<std::int64_t>(std::llround(*vcpu * 1024)));
    }
    return std::nullopt;
}

std::optional<std::string> normalize_task_memory(std::string_view text) {
    if (const auto mib = parse_integer(trim(text))) {
        if (*mib < 0) {
            return std::nullopt;
        }
        return std::to_string(*mib);
    }
    if (const auto gb = with_unit(text, "gb")) {
        return std::to_string(static_cast<std::int64_t>(std::llround(*gb * 1024)));
    }
    return std::nullopt;
}

bool valid_fargate_size(std::int64_t cpu, std::int64_t memory) {
    const auto steps = [&](std::int64_t from, std::int64_t to, std::int64_t step) {
        return memory >= from && memory <= to && (memory - from) % step == 0;
    };
    switch (cpu) {
        case 256:
            return memory == 512 || memory == 1024 || memory == 2048;
        case 512:
            return steps(1024, 4096, 1024);
        case 1024:
            return steps(2048, 8192, 1024);
        case 2048:
            return steps(4096, 16384, 1024);
        case 4096:
            return steps(8192, 30720, 1024);
        case 8192:
            return steps(16384, 61440, 4096);
        case 16384:
            return steps(32768, 122880, 8192);
        default:
            return false;
    }
}

namespace {

nlohmann::json describe_container(nlohmann::json container, const std::string& network_mode) {
    for (auto it = container.begin(); it != container.end();) {
        it = it->is_null() ? container.erase(it) : std::next(it);
    }
    if (!container.contains("cpu")) {
        container["cpu"] = 0;
    }
    if (!container.contains("essential")) {
        container["essential"] = true;
    }
    for (const char* list :
         {"portMappings", "environment", "mountPoints", "volumesFrom", "systemControls"}) {
        if (!container.contains(list)) {
            container[list] = nlohmann::json::array();
        }
    }
    for (auto& mapping : container["portMappings"]) {
        if (!mapping.contains("protocol") || mapping["protocol"].is_null()) {
            mapping["protocol"] = "tcp";
        }
        const bool same_port = network_mode == "awsvpc" || network_mode == "host";
        if (same_port && mapping.contains("containerPort") &&
            (!mapping.contains("hostPort") || mapping["hostPort"].is_null())) {
            mapping["hostPort"] = mapping["containerPort"];
        }
    }
    if (auto it = container.find("healthCheck"); it != container.end() && it->is_object()) {
        for (const auto& [member, value] :
             {std::pair{"interval", 30}, std::pair{"timeout", 5}, std::pair{"retries", 3}}) {
            if (!it->contains(member) || (*it)[member].is_null()) {
                (*it)[member] = value;
            }
        }
    }
    return container;
}

// The capabilities a container instance must offer, as AWS derives them from the definition.
nlohmann::json requires_attributes(const nlohmann::json& request, const std::string& network_mode) {
    std::vector<std::string> names;
    const auto add = [&](std::string name) {
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            names.push_back(std::move(name));
        }
    };
    const bool execution_role = request.contains("executionRoleArn");
    for (const auto& c : request["containerDefinitions"]) {
        if (const auto* log = json_member(c, "logConfiguration")) {
            const std::string driver = log->value("logDriver", "");
            add("com.amazonaws.ecs.capability.logging-driver." + driver);
            if (driver == "awslogs") {
                add("com.amazonaws.ecs.capability.docker-remote-api.1.19");
                if (execution_role) {
                    add("ecs.capability.execution-role-awslogs");
                }
            }
        }
        const std::string image = c.value("image", "");
        if (image.find(".dkr.ecr.") != std::string::npos) {
            add("com.amazonaws.ecs.capability.ecr-auth");
            if (execution_role) {
                add("ecs.capability.execution-role-ecr-pull");
            }
        }
        if (const auto* secrets = json_member(c, "secrets")) {
            for (const auto& secret : *secrets) {
                const std::string from = secret.value("valueFrom", "");
                if (from.starts_with("arn:") &&
                    from.find(":secretsmanager:") != std::string::npos) {
                    add("ecs.capability.secrets.asm.environment-variables");
                } else {
                    add("ecs.capability.secrets.ssm.environment-variables");
                }
            }
        }
        if (json_member(c, "healthCheck") != nullptr) {
            add("ecs.capability.container-health-check");
        }
        if (const auto* depends = json_member(c, "dependsOn"); depends && !depends->empty()) {
            add("ecs.capability.container-ordering");
        }
    }
    if (request.contains("taskRoleArn")) {
        add("com.amazonaws.ecs.capability.task-iam-role");
    }
    if (network_mode == "awsvpc") {
        add("com.amazonaws.ecs.capability.docker-remote-api.1.18");
        add("ecs.capability.task-eni");
    }
    nlohmann::json out = nlohmann::json::array();
    for (const auto& name : names) {
        out.push_back({{"name", name}});
    }
    return out;
}

nlohmann::json compatibilities(const nlohmann::json& described, const std::string& network_mode) {
    nlohmann::json out = nlohmann::json::array();
    if (network_mode != "awsvpc") {
        out.push_back("EXTERNAL");
    }
    out.push_back("EC2");
    const auto cpu = described.contains("cpu") ? parse_integer(described["cpu"].get<std::string>())
                                               : std::nullopt;
    const auto memory = described.contains("memory")
                            ? parse_integer(described["memory"].get<std::string>())
                            : std::nullopt;
    if (network_mode == "awsvpc" && cpu && memory && valid_fargate_size(*cpu, *memory)) {
        out.push_back("FARGATE");
    }
    return out;
}

}  // namespace

nlohmann::json describe_registration(const nlohmann::json& request,
                                     const RegistrationFacts& facts) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : request.items()) {
        if (key != "tags" && !value.is_null()) {
            out[key] = value;
        }
    }
    const std::string network_mode = out.value("networkMode", "bridge");
    nlohmann::json containers = nlohmann::json::array();
    for (const auto& c : request["containerDefinitions"]) {
        containers.push_back(describe_container(c, network_mode));
    }
    out["containerDefinitions"] = std::move(containers);
    if (out.contains("cpu")) {
        out["cpu"] = *normalize_task_cpu(out["cpu"].get<std::string>());
    }
    if (out.contains("memory")) {
        out["memory"] = *normalize_task_memory(out["memory"].get<std::string>());
    }
    if (!out.contains("volumes")) {
        out["volumes"] = nlohmann::json::array();
    }
    if (!out.contains("placementConstraints")) {
        out["placementConstraints"] = nlohmann::json::array();
    }
    out["taskDefinitionArn"] = facts.arn;
    out["revision"] = facts.revision;
    out["status"] = "ACTIVE";
    out["requiresAttributes"] = requires_attributes(request, network_mode);
    out["compatibilities"] = compatibilities(out, network_mode);
    out["registeredAt"] = json_timestamp(facts.registered_ms);
    out["registeredBy"] = facts.registered_by;
    return out;
}

}  // namespace awsemu::ecs
