#include "services/ecs/ecs_model.hpp"

#include <algorithm>
#include <cctype>

namespace awsemu::ecs {
namespace {

bool name_characters(std::string_view name) {
    return !name.empty() && name.size() <= 255 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
}

}  // namespace

std::optional<std::string> tag_problem(const Tag& tag) {
    if (tag.key.empty() || tag.key.size() > 128) {
        return "Tag keys must be between 1 and 128 characters.";
    }
    if (tag.value.size() > 256) {
        return "Tag values must be between 0 and 256 characters.";
    }
    if (tag.key.starts_with("aws:")) {
        return "Tag keys with the 'aws:' prefix are reserved for use by AWS.";
    }
    return std::nullopt;
}

void merge_tags(std::vector<Tag>& tags, const std::vector<Tag>& add) {
    for (const auto& tag : add) {
        const auto it = std::find_if(tags.begin(), tags.end(),
                                     [&](const Tag& existing) { return existing.key == tag.key; });
        if (it != tags.end()) {
            it->value = tag.value;
        } else {
            tags.push_back(tag);
        }
    }
}

nlohmann::json tags_json(const std::vector<Tag>& tags) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& tag : tags) {
        out.push_back({{"key", tag.key}, {"value", tag.value}});
    }
    return out;
}

bool valid_cluster_name(std::string_view name) {
    return name_characters(name);
}

bool valid_family(std::string_view family) {
    return name_characters(family);
}

bool valid_container_name(std::string_view name) {
    return name_characters(name);
}

bool is_builtin_capacity_provider(std::string_view name) {
    return name == kFargate || name == kFargateSpot;
}

const std::vector<std::string_view>& account_setting_names() {
    static const std::vector<std::string_view> kNames = {"serviceLongArnFormat",
                                                         "taskLongArnFormat",
                                                         "containerInstanceLongArnFormat",
                                                         "awsvpcTrunking",
                                                         "containerInsights",
                                                         "fargateFIPSMode",
                                                         "tagResourceAuthorization",
                                                         "fargateTaskRetirementWaitPeriod",
                                                         "guardDutyActivate",
                                                         "defaultLogDriverMode",
                                                         "fargateEventWindows"};
    return kNames;
}

bool is_account_setting_name(std::string_view name) {
    const auto& names = account_setting_names();
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string account_setting_default(std::string_view name) {
    // The long ARN formats are on for every account since 2021; the others as AWS documents
    // their defaults for an account that never changed them.
    if (name == "serviceLongArnFormat" || name == "taskLongArnFormat" ||
        name == "containerInstanceLongArnFormat") {
        return "enabled";
    }
    if (name == "tagResourceAuthorization") {
        return "on";
    }
    if (name == "fargateTaskRetirementWaitPeriod") {
        return "7";
    }
    if (name == "guardDutyActivate") {
        return "off";
    }
    if (name == "defaultLogDriverMode") {
        return "non-blocking";
    }
    return "disabled";  // awsvpcTrunking, containerInsights, fargateFIPSMode, fargateEventWindows
}

bool is_aws_managed_setting(std::string_view name) {
    return name == "guardDutyActivate";
}

std::optional<std::string> account_setting_problem(std::string_view name, std::string_view value) {
    if (is_aws_managed_setting(name)) {
        return "The " + std::string(name) +
               " account setting is managed by AWS and can't be changed.";
    }
    std::vector<std::string_view> allowed;
    if (name == "containerInsights") {
        allowed = {"enabled", "disabled", "enhanced"};
    } else if (name == "tagResourceAuthorization" || name == "guardDutyActivate") {
        allowed = {"on", "off"};
    } else if (name == "fargateTaskRetirementWaitPeriod") {
        allowed = {"0", "7", "14"};
    } else if (name == "defaultLogDriverMode") {
        allowed = {"blocking", "non-blocking"};
    } else {
        allowed = {"enabled", "disabled"};
    }
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) {
        return std::nullopt;
    }
    std::string list;
    for (const auto& v : allowed) {
        list += (list.empty() ? "" : ", ") + std::string(v);
    }
    return "Invalid value '" + std::string(value) + "' for setting " + std::string(name) +
           ". Valid values: " + list + ".";
}

double json_timestamp(std::int64_t ms) {
    return static_cast<double>(ms) / 1000.0;
}

}  // namespace awsemu::ecs
