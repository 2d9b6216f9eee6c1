#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/service.hpp"

// ELBv2's plain facts and pure validation: ARNs, names, health-check settings, attributes with
// AWS's defaults, actions and conditions. Resources are kept as the JSON AWS describes them
// (LoadBalancer, TargetGroup, Listener, Rule shapes), so what a client set comes back as set.
namespace awsemu::elbv2 {

using Json = nlohmann::json;
using Attributes = std::vector<std::pair<std::string, std::string>>;
using Tags = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view kQueryVersion = "2015-12-01";
inline constexpr int kMaxTags = 50;
inline constexpr int kMaxTargetsPerGroup = 1000;
inline constexpr int kMaxListenersPerLoadBalancer = 50;
inline constexpr int kMaxRulesPerListener = 100;
inline constexpr int kMaxActionsPerRule = 5;
inline constexpr int kMaxConditionValuesPerRule = 5;
inline constexpr int kMaxTargetGroupsPerForward = 5;
inline constexpr int kMaxCertificatesPerListener = 25;
inline constexpr int kDefaultPageSize = 400;
// A rule's sort key that puts the default rule after every numbered one (1-50000).
inline constexpr std::int64_t kDefaultRuleSortKey = 1'000'000;
// How long a new load balancer stays "provisioning" before it is "active", in emulated time
// (AWS takes minutes; clients poll for "active", so this is short).
inline constexpr std::int64_t kProvisioningMs = 3'000;

// --- ARNs ----------------------------------------------------------------------------------

enum class ResourceKind { LoadBalancer, TargetGroup, Listener, Rule };

struct ArnParts {
    Scope scope;
    ResourceKind kind;
};

// The scope and kind of an ELBv2 ARN; nullopt for anything else.
std::optional<ArnParts> parse_arn(std::string_view arn);
// 16 random hex digits, as AWS's ELBv2 ids.
std::string new_hex_id();
std::string load_balancer_arn(const Scope& scope, std::string_view name, std::string_view id);
std::string target_group_arn(const Scope& scope, std::string_view name, std::string_view id);
// arn:...:listener/app/NAME/LBID/ID from the load balancer's ARN.
std::string listener_arn(std::string_view load_balancer_arn, std::string_view id);
// arn:...:listener-rule/app/NAME/LBID/LISTENERID/ID from the listener's ARN.
std::string rule_arn(std::string_view listener_arn, std::string_view id);

// --- names ---------------------------------------------------------------------------------

// AWS's rules for load balancer and target group names (`what`: "Load balancer",
// "Target group"): 1-32 alphanumerics or hyphens, no hyphen at either end, not "internal-...".
void validate_resource_name(std::string_view name, std::string_view what);

// --- target groups -------------------------------------------------------------------------

// Fills a TargetGroup document's health-check members with AWS's defaults for its protocol and
// target type, where the document lacks them.
void apply_health_check_defaults(Json& group);
// Checks the health-check members of a TargetGroup document: ranges, the timeout below the
// interval, the path, the port and the matcher. Throws ValidationError.
void validate_health_check(const Json& group);
// "200", "200,202", "200-299": codes within 200-499 (HTTP target groups).
void validate_http_matcher(std::string_view http_code);

// --- attributes ----------------------------------------------------------------------------

Attributes default_load_balancer_attributes();
void validate_load_balancer_attribute(const std::string& key, const std::string& value);
Attributes default_target_group_attributes(std::string_view target_type);
void validate_target_group_attribute(const std::string& key, const std::string& value,
                                     std::string_view target_type);
// An ALB listener's attributes (response headers; on HTTPS also the names of the TLS and mTLS
// request headers) with AWS's defaults.
Attributes default_listener_attributes(std::string_view protocol);
void validate_listener_attribute(const std::string& key, const std::string& value,
                                 std::string_view protocol);
// `current` with `changes` applied, keys kept in their first order.
Attributes merge_attributes(Attributes current, const Attributes& changes);
// The `Attributes` list of a request ({Key, Value} members).
Attributes attribute_list(const Json* given);
Json attributes_json(const Attributes& attributes);
// The inverse of attributes_json: a stored [{Key, Value}] list.
Attributes attributes_from_json(const Json& list);

// --- tags ----------------------------------------------------------------------------------

Tags tag_list(const Json* given);
Json tags_json(const Tags& tags);

// --- actions and conditions ----------------------------------------------------------------

// Checks a listener's or rule's actions and answers them as AWS describes them: forward actions
// carry both TargetGroupArn (one group) and ForwardConfig, redirects their defaults
// (#{protocol}, #{host}, #{port}, /#{path}, #{query}). Sorted by Order when given.
Json normalize_actions(const Json& given, std::string_view listener_protocol);
// Every target group the actions forward to.
std::vector<std::string> forwarded_target_groups(const Json& actions);
// Checks a rule's conditions and answers them as AWS describes them (host-header and
// path-pattern with both Values and their *Config).
Json normalize_conditions(const Json& given);

// --- listeners -----------------------------------------------------------------------------

bool is_known_ssl_policy(std::string_view name);
inline constexpr std::string_view kDefaultSslPolicy = "ELBSecurityPolicy-2016-08";
// DescribeSSLPolicies' answer for the policies this emulator knows.
Json ssl_policies();

}  // namespace awsemu::elbv2
