#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

// ECS's control-plane resources as plain structs, and the pure rules about them (names, tags,
// account settings). No I/O. The task definition has its own header: task_definition.hpp.
namespace awsemu::ecs {

struct Tag {
    std::string key;
    std::string value;
};
inline constexpr std::size_t kMaxTags = 50;
// Why AWS refuses the tag (key 1-128, value 0-256 characters, no "aws:" prefix), or nullopt.
std::optional<std::string> tag_problem(const Tag& tag);
// Adds `add` to `tags`: a key already there takes the new value in place, a new key goes last.
void merge_tags(std::vector<Tag>& tags, const std::vector<Tag>& add);
nlohmann::json tags_json(const std::vector<Tag>& tags);

// --- clusters ----------------------------------------------------------------------------------

inline constexpr std::string_view kDefaultClusterName = "default";

struct ClusterSetting {
    std::string name;  // containerInsights
    std::string value;
};

struct Cluster {
    std::string name;
    std::string arn;
    std::string status;  // ACTIVE, INACTIVE
    std::vector<ClusterSetting> settings;
    // As the request gave them (JSON), nullopt when never set.
    std::optional<nlohmann::json> configuration;
    std::optional<nlohmann::json> service_connect_defaults;  // {"namespace": ARN}
    std::vector<std::string> capacity_providers;
    nlohmann::json default_capacity_provider_strategy = nlohmann::json::array();
    std::int64_t created_ms = 0;
};

// Cluster names: 1-255 letters, digits, hyphens and underscores.
bool valid_cluster_name(std::string_view name);
// Task definition families and container names follow the same rule.
bool valid_family(std::string_view family);
bool valid_container_name(std::string_view name);

// The capacity providers every account has (no Auto Scaling group ones here).
inline constexpr std::string_view kFargate = "FARGATE";
inline constexpr std::string_view kFargateSpot = "FARGATE_SPOT";
bool is_builtin_capacity_provider(std::string_view name);

// --- account settings --------------------------------------------------------------------------

struct AccountSetting {
    std::string name;
    std::string value;
    std::string principal_arn;
    std::string type = "user";  // user, aws_managed
};

// The setting names of botocore's model, in its order.
const std::vector<std::string_view>& account_setting_names();
bool is_account_setting_name(std::string_view name);
// AWS's default value for a setting nobody set.
std::string account_setting_default(std::string_view name);
// AWS manages it (type aws_managed): listed, never set by PutAccountSetting*.
bool is_aws_managed_setting(std::string_view name);
// Why `value` is refused for `name` (InvalidParameterException), or nullopt.
std::optional<std::string> account_setting_problem(std::string_view name, std::string_view value);

// A stored time as AWS JSON protocols send it (epoch seconds with milliseconds).
double json_timestamp(std::int64_t ms);

}  // namespace awsemu::ecs
