#include "services/ecs/ecs_arns.hpp"

#include <charconv>

namespace awsemu::ecs {
namespace {

std::string arn_prefix(const Scope& scope) {
    return "arn:aws:ecs:" + scope.region + ":" + scope.account_id + ":";
}

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> pieces;
    std::size_t start = 0;
    while (true) {
        const auto end = text.find(separator, start);
        pieces.emplace_back(text.substr(start, end - start));
        if (end == std::string_view::npos) {
            return pieces;
        }
        start = end + 1;
    }
}

std::optional<std::int64_t> parse_revision(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 1) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::string cluster_arn(const Scope& scope, std::string_view cluster_name) {
    return arn_prefix(scope) + "cluster/" + std::string(cluster_name);
}

std::string task_definition_arn(const Scope& scope, std::string_view family,
                                std::int64_t revision) {
    return arn_prefix(scope) + "task-definition/" + std::string(family) + ":" +
           std::to_string(revision);
}

std::string task_arn(const Scope& scope, std::string_view cluster_name, std::string_view task_id) {
    return arn_prefix(scope) + "task/" + std::string(cluster_name) + "/" + std::string(task_id);
}

std::string service_arn(const Scope& scope, std::string_view cluster_name,
                        std::string_view service_name) {
    return arn_prefix(scope) + "service/" + std::string(cluster_name) + "/" +
           std::string(service_name);
}

std::string container_instance_arn(const Scope& scope, std::string_view cluster_name,
                                   std::string_view id) {
    return arn_prefix(scope) + "container-instance/" + std::string(cluster_name) + "/" +
           std::string(id);
}

std::string capacity_provider_arn(const Scope& scope, std::string_view name) {
    return arn_prefix(scope) + "capacity-provider/" + std::string(name);
}

std::string account_root_arn(const Scope& scope) {
    return "arn:aws:iam::" + scope.account_id + ":root";
}

std::optional<EcsArn> parse_ecs_arn(std::string_view text) {
    if (!text.starts_with("arn:")) {
        return std::nullopt;
    }
    // arn : partition : service : region : account : resource (which may hold more ':')
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (int i = 0; i < 5; ++i) {
        const auto end = text.find(':', start);
        if (end == std::string_view::npos) {
            return std::nullopt;
        }
        fields.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    const std::string_view resource = text.substr(start);
    if (fields[2] != "ecs" || fields[1].empty() || fields[3].empty() || fields[4].empty()) {
        return std::nullopt;
    }
    const auto slash = resource.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 >= resource.size()) {
        return std::nullopt;
    }
    EcsArn arn;
    arn.partition = fields[1];
    arn.region = fields[3];
    arn.account_id = fields[4];
    arn.resource_type = std::string(resource.substr(0, slash));
    arn.parts = split(resource.substr(slash + 1), '/');
    for (const auto& part : arn.parts) {
        if (part.empty()) {
            return std::nullopt;
        }
    }
    return arn;
}

std::optional<std::string> cluster_name_of(std::string_view reference) {
    if (!reference.starts_with("arn:")) {
        return std::string(reference);
    }
    const auto arn = parse_ecs_arn(reference);
    if (!arn || arn->resource_type != "cluster" || arn->parts.size() != 1) {
        return std::nullopt;
    }
    return arn->parts[0];
}

std::optional<TaskDefinitionRef> parse_task_definition_ref(std::string_view reference) {
    std::string_view body = reference;
    const bool is_arn = reference.starts_with("arn:");
    std::optional<EcsArn> arn;
    if (is_arn) {
        arn = parse_ecs_arn(reference);
        if (!arn || arn->resource_type != "task-definition" || arn->parts.size() != 1) {
            return std::nullopt;
        }
        body = arn->parts[0];
    }
    if (body.empty()) {
        return std::nullopt;
    }
    const auto colon = body.find(':');
    if (colon == std::string_view::npos) {
        if (is_arn) {
            return std::nullopt;  // an ARN always names a revision
        }
        return TaskDefinitionRef{std::string(body), std::nullopt};
    }
    const auto revision = parse_revision(body.substr(colon + 1));
    if (!revision || colon == 0) {
        return std::nullopt;
    }
    return TaskDefinitionRef{std::string(body.substr(0, colon)), revision};
}

std::optional<ClusterChildRef> parse_cluster_child_ref(std::string_view reference,
                                                       std::string_view resource_type) {
    if (!reference.starts_with("arn:")) {
        if (reference.empty()) {
            return std::nullopt;
        }
        return ClusterChildRef{std::string(reference), std::nullopt};
    }
    const auto arn = parse_ecs_arn(reference);
    if (!arn || arn->resource_type != resource_type) {
        return std::nullopt;
    }
    if (arn->parts.size() == 1) {
        return ClusterChildRef{arn->parts[0], std::nullopt};
    }
    if (arn->parts.size() == 2) {
        return ClusterChildRef{arn->parts[1], arn->parts[0]};
    }
    return std::nullopt;
}

}  // namespace awsemu::ecs
