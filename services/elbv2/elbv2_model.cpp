#include "services/elbv2/elbv2_model.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "emulator/auth/crypto.hpp"
#include "services/elbv2/elbv2_errors.hpp"

namespace awsemu::elbv2 {
namespace {

std::optional<long> parse_number(std::string_view text) {
    long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// AWS's request-validation wording for a number out of its model's range.
void check_range(const Json& document, const char* member, const char* wire_name, long min,
                 long max) {
    if (!document.contains(member)) {
        return;
    }
    const long value = document.at(member).get<long>();
    if (value < min) {
        throw errors::validation("1 validation error detected: Value '" + std::to_string(value) +
                                 "' at '" + wire_name +
                                 "' failed to satisfy constraint: Member must have value greater "
                                 "than or equal to " +
                                 std::to_string(min));
    }
    if (value > max) {
        throw errors::validation("1 validation error detected: Value '" + std::to_string(value) +
                                 "' at '" + wire_name +
                                 "' failed to satisfy constraint: Member must have value less "
                                 "than or equal to " +
                                 std::to_string(max));
    }
}

bool is_http_protocol(std::string_view protocol) {
    return protocol == "HTTP" || protocol == "HTTPS";
}

void require_boolean_value(const std::string& key, const std::string& value) {
    if (value != "true" && value != "false") {
        throw errors::validation("The value of attribute '" + key +
                                 "' must be either 'true' or 'false'");
    }
}

void require_integer_value(const std::string& key, const std::string& value, long min, long max) {
    const auto number = parse_number(value);
    if (!number || *number < min || *number > max) {
        throw errors::validation("The value of attribute '" + key +
                                 "' must be an integer between " + std::to_string(min) + " and " +
                                 std::to_string(max));
    }
}

void require_one_of(const std::string& key, const std::string& value,
                    std::initializer_list<std::string_view> allowed) {
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
        std::string list;
        for (const auto item : allowed) {
            list += (list.empty() ? "'" : ", '") + std::string(item) + "'";
        }
        throw errors::validation("The value of attribute '" + key + "' must be one of " + list);
    }
}

const Json* member(const Json& object, const char* name) {
    const auto it = object.find(name);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string string_member(const Json& object, const char* name, std::string fallback = {}) {
    const Json* value = member(object, name);
    return value != nullptr && value->is_string() ? value->get<std::string>() : fallback;
}

}  // namespace

// --- ARNs ----------------------------------------------------------------------------------

std::optional<ArnParts> parse_arn(std::string_view arn) {
    constexpr std::string_view kPrefix = "arn:aws:elasticloadbalancing:";
    if (!arn.starts_with(kPrefix)) {
        return std::nullopt;
    }
    std::string_view rest = arn.substr(kPrefix.size());
    const auto region_end = rest.find(':');
    if (region_end == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view region = rest.substr(0, region_end);
    rest = rest.substr(region_end + 1);
    const auto account_end = rest.find(':');
    if (account_end == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view account = rest.substr(0, account_end);
    const std::string_view resource = rest.substr(account_end + 1);
    ResourceKind kind;
    if (resource.starts_with("loadbalancer/")) {
        kind = ResourceKind::LoadBalancer;
    } else if (resource.starts_with("targetgroup/")) {
        kind = ResourceKind::TargetGroup;
    } else if (resource.starts_with("listener/")) {
        kind = ResourceKind::Listener;
    } else if (resource.starts_with("listener-rule/")) {
        kind = ResourceKind::Rule;
    } else {
        return std::nullopt;
    }
    if (region.empty() || account.empty()) {
        return std::nullopt;
    }
    return ArnParts{Scope{std::string(account), std::string(region)}, kind};
}

std::string new_hex_id() {
    return auth::hex_encode(auth::random_bytes(8));
}

std::string load_balancer_arn(const Scope& scope, std::string_view name, std::string_view id) {
    return "arn:aws:elasticloadbalancing:" + scope.region + ":" + scope.account_id +
           ":loadbalancer/app/" + std::string(name) + "/" + std::string(id);
}

std::string target_group_arn(const Scope& scope, std::string_view name, std::string_view id) {
    return "arn:aws:elasticloadbalancing:" + scope.region + ":" + scope.account_id +
           ":targetgroup/" + std::string(name) + "/" + std::string(id);
}

std::string listener_arn(std::string_view load_balancer_arn, std::string_view id) {
    std::string arn(load_balancer_arn);
    const auto at = arn.find(":loadbalancer/");
    arn.replace(at, std::string_view(":loadbalancer/").size(), ":listener/");
    return arn + "/" + std::string(id);
}

std::string rule_arn(std::string_view listener_arn, std::string_view id) {
    std::string arn(listener_arn);
    const auto at = arn.find(":listener/");
    arn.replace(at, std::string_view(":listener/").size(), ":listener-rule/");
    return arn + "/" + std::string(id);
}

// --- names ---------------------------------------------------------------------------------

void validate_resource_name(std::string_view name, std::string_view what) {
    const std::string quoted = "'" + std::string(name) + "'";
    if (name.empty()) {
        throw errors::validation(std::string(what) + " name cannot be empty");
    }
    if (name.size() > 32) {
        throw errors::validation(std::string(what) + " name " + quoted +
                                 " cannot be longer than '32' characters");
    }
    for (const char c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') {
            throw errors::validation(std::string(what) + " name " + quoted +
                                     " can only contain characters that are alphanumeric "
                                     "characters or hyphens(-)");
        }
    }
    if (name.front() == '-' || name.back() == '-') {
        throw errors::validation(std::string(what) + " name " + quoted +
                                 " cannot begin or end with '-' character");
    }
    if (what == "Load balancer" && name.starts_with("internal-")) {
        throw errors::validation("Load balancer name " + quoted + " cannot begin with 'internal-'");
    }
}

// --- target groups -------------------------------------------------------------------------

void apply_health_check_defaults(Json& group) {
    const std::string target_type = string_member(group, "TargetType", "instance");
    const std::string protocol = string_member(group, "Protocol");
    const bool lambda = target_type == "lambda";
    const bool http = lambda || is_http_protocol(protocol);
    auto set_default = [&](const char* name, Json value) {
        if (member(group, name) == nullptr) {
            group[name] = std::move(value);
        }
    };
    set_default("HealthCheckEnabled", !lambda);
    set_default("HealthCheckProtocol", lambda ? "HTTP" : (http ? protocol : "TCP"));
    if (!lambda) {
        set_default("HealthCheckPort", "traffic-port");
    }
    set_default("HealthCheckIntervalSeconds", lambda ? 35 : 30);
    set_default("HealthCheckTimeoutSeconds", lambda ? 30 : (http ? 5 : 10));
    set_default("HealthyThresholdCount", 5);
    set_default("UnhealthyThresholdCount", 2);
    const std::string check_protocol = group.at("HealthCheckProtocol").get<std::string>();
    if (is_http_protocol(check_protocol)) {
        set_default("HealthCheckPath", "/");
        set_default("Matcher", Json{{"HttpCode", "200"}});
    }
}

void validate_http_matcher(std::string_view http_code) {
    const std::string message = "Health check matcher HTTP code '" + std::string(http_code) +
                                "' must be within '200-499' range";
    if (http_code.empty()) {
        throw errors::validation(message);
    }
    auto valid_code = [](std::string_view text) {
        const auto code = parse_number(text);
        return text.size() == 3 && code && *code >= 200 && *code <= 499;
    };
    std::string_view rest = http_code;
    while (true) {
        const auto comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        const auto dash = item.find('-');
        if (dash == std::string_view::npos) {
            if (!valid_code(item)) {
                throw errors::validation(message);
            }
        } else {
            const auto low = item.substr(0, dash);
            const auto high = item.substr(dash + 1);
            if (!valid_code(low) || !valid_code(high) || *parse_number(low) > *parse_number(high)) {
                throw errors::validation(message);
            }
        }
        if (comma == std::string_view::npos) {
            break;
        }
        rest = rest.substr(comma + 1);
    }
}

void validate_health_check(const Json& group) {
    check_range(group, "HealthCheckIntervalSeconds", "healthCheckIntervalSeconds", 5, 300);
    check_range(group, "HealthCheckTimeoutSeconds", "healthCheckTimeoutSeconds", 2, 120);
    check_range(group, "HealthyThresholdCount", "healthyThresholdCount", 2, 10);
    check_range(group, "UnhealthyThresholdCount", "unhealthyThresholdCount", 2, 10);
    if (group.at("HealthCheckTimeoutSeconds").get<long>() >=
        group.at("HealthCheckIntervalSeconds").get<long>()) {
        throw errors::validation("Health check interval must be greater than the timeout.");
    }
    const std::string protocol = string_member(group, "HealthCheckProtocol");
    if (protocol != "HTTP" && protocol != "HTTPS" && protocol != "TCP") {
        throw errors::validation("Health check protocol '" + protocol + "' is not supported");
    }
    if (const Json* port = member(group, "HealthCheckPort")) {
        const std::string text = port->get<std::string>();
        const auto number = parse_number(text);
        if (text != "traffic-port" && (!number || *number < 1 || *number > 65535)) {
            throw errors::validation("Health check port '" + text +
                                     "' must be 'traffic-port' or a number between 1 and 65535");
        }
    }
    if (const Json* path = member(group, "HealthCheckPath")) {
        const std::string text = path->get<std::string>();
        if (text.empty() || text.front() != '/' || text.size() > 1024) {
            throw errors::validation(
                "Health check path must begin with a '/' character and be at most 1024 "
                "characters long");
        }
        if (!is_http_protocol(protocol)) {
            throw AwsError(errors::InvalidConfigurationRequest,
                           "Custom health check paths are not supported for health "
                           "checks with the " +
                               protocol + " protocol");
        }
    }
    if (const Json* matcher = member(group, "Matcher")) {
        if (const Json* code = member(*matcher, "HttpCode")) {
            validate_http_matcher(code->get<std::string>());
        } else if (member(*matcher, "GrpcCode") == nullptr) {
            throw errors::validation("A matcher must specify an HTTP code or a gRPC code");
        }
    }
}

// --- attributes ----------------------------------------------------------------------------

Attributes default_load_balancer_attributes() {
    return {
        {"access_logs.s3.enabled", "false"},
        {"access_logs.s3.bucket", ""},
        {"access_logs.s3.prefix", ""},
        {"client_keep_alive.seconds", "3600"},
        {"connection_logs.s3.enabled", "false"},
        {"connection_logs.s3.bucket", ""},
        {"connection_logs.s3.prefix", ""},
        {"deletion_protection.enabled", "false"},
        {"health_check_logs.s3.enabled", "false"},
        {"health_check_logs.s3.bucket", ""},
        {"health_check_logs.s3.prefix", ""},
        {"idle_timeout.timeout_seconds", "60"},
        {"ipv6.deny_all_igw_traffic", "false"},
        {"load_balancing.cross_zone.enabled", "true"},
        {"routing.http.desync_mitigation_mode", "defensive"},
        {"routing.http.drop_invalid_header_fields.enabled", "false"},
        {"routing.http.preserve_host_header.enabled", "false"},
        {"routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false"},
        {"routing.http.xff_client_port.enabled", "false"},
        {"routing.http.xff_header_processing.mode", "append"},
        {"routing.http2.enabled", "true"},
        {"waf.fail_open.enabled", "false"},
        {"zonal_shift.config.enabled", "false"},
    };
}

void validate_load_balancer_attribute(const std::string& key, const std::string& value) {
    static const std::set<std::string, std::less<>> kBooleans = {
        "access_logs.s3.enabled",
        "connection_logs.s3.enabled",
        "deletion_protection.enabled",
        "health_check_logs.s3.enabled",
        "ipv6.deny_all_igw_traffic",
        "load_balancing.cross_zone.enabled",
        "routing.http.drop_invalid_header_fields.enabled",
        "routing.http.preserve_host_header.enabled",
        "routing.http.x_amzn_tls_version_and_cipher_suite.enabled",
        "routing.http.xff_client_port.enabled",
        "routing.http2.enabled",
        "waf.fail_open.enabled",
        "zonal_shift.config.enabled",
    };
    if (kBooleans.contains(key)) {
        require_boolean_value(key, value);
    } else if (key == "idle_timeout.timeout_seconds") {
        require_integer_value(key, value, 1, 4000);
    } else if (key == "client_keep_alive.seconds") {
        require_integer_value(key, value, 60, 604800);
    } else if (key == "routing.http.desync_mitigation_mode") {
        require_one_of(key, value, {"monitor", "defensive", "strictest"});
    } else if (key == "routing.http.xff_header_processing.mode") {
        require_one_of(key, value, {"append", "preserve", "remove"});
    } else if (key == "access_logs.s3.bucket" || key == "access_logs.s3.prefix" ||
               key == "connection_logs.s3.bucket" || key == "connection_logs.s3.prefix" ||
               key == "health_check_logs.s3.bucket" || key == "health_check_logs.s3.prefix") {
        return;
    } else {
        throw errors::validation("Load balancer attribute key '" + key + "' is not recognized");
    }
}

Attributes default_target_group_attributes(std::string_view target_type) {
    if (target_type == "lambda") {
        return {{"lambda.multi_value_headers.enabled", "false"}};
    }
    return {
        {"deregistration_delay.timeout_seconds", "300"},
        {"load_balancing.algorithm.anomaly_mitigation", "off"},
        {"load_balancing.algorithm.type", "round_robin"},
        {"load_balancing.cross_zone.enabled", "use_load_balancer_configuration"},
        {"slow_start.duration_seconds", "0"},
        {"stickiness.app_cookie.cookie_name", ""},
        {"stickiness.app_cookie.duration_seconds", "86400"},
        {"stickiness.enabled", "false"},
        {"stickiness.lb_cookie.duration_seconds", "86400"},
        {"stickiness.type", "lb_cookie"},
        {"target_group_health.dns_failover.minimum_healthy_targets.count", "1"},
        {"target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"},
        {"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"},
        {"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off"},
    };
}

void validate_target_group_attribute(const std::string& key, const std::string& value,
                                     std::string_view target_type) {
    const Attributes defaults = default_target_group_attributes(target_type);
    if (std::none_of(defaults.begin(), defaults.end(),
                     [&](const auto& entry) { return entry.first == key; })) {
        throw errors::validation("Target group attribute key '" + key + "' is not recognized");
    }
    if (key == "deregistration_delay.timeout_seconds") {
        require_integer_value(key, value, 0, 3600);
    } else if (key == "slow_start.duration_seconds") {
        require_integer_value(key, value, 0, 900);
        if (value != "0" && *parse_number(value) < 30) {
            throw errors::validation(
                "The value of attribute 'slow_start.duration_seconds' must be 0 or between 30 "
                "and 900");
        }
    } else if (key == "stickiness.enabled" || key == "lambda.multi_value_headers.enabled") {
        require_boolean_value(key, value);
    } else if (key == "stickiness.type") {
        require_one_of(key, value, {"lb_cookie", "app_cookie"});
    } else if (key == "stickiness.lb_cookie.duration_seconds" ||
               key == "stickiness.app_cookie.duration_seconds") {
        require_integer_value(key, value, 1, 604800);
    } else if (key == "load_balancing.algorithm.type") {
        require_one_of(key, value,
                       {"round_robin", "least_outstanding_requests", "weighted_random"});
    } else if (key == "load_balancing.algorithm.anomaly_mitigation") {
        require_one_of(key, value, {"on", "off"});
    } else if (key == "load_balancing.cross_zone.enabled") {
        require_one_of(key, value, {"true", "false", "use_load_balancer_configuration"});
    } else if (key.ends_with(".count")) {
        require_integer_value(key, value, 1, 1000000);
    } else if (key.ends_with(".percentage") && value != "off") {
        require_integer_value(key, value, 1, 100);
    }
}

Attributes default_listener_attributes(std::string_view protocol) {
    Attributes attributes;
    if (protocol == "HTTPS") {
        for (const auto& [suffix, header] : std::vector<std::pair<const char*, const char*>>{
                 {"x_amzn_mtls_clientcert_serial_number", "X-Amzn-Mtls-Clientcert-Serial-Number"},
                 {"x_amzn_mtls_clientcert_issuer", "X-Amzn-Mtls-Clientcert-Issuer"},
                 {"x_amzn_mtls_clientcert_subject", "X-Amzn-Mtls-Clientcert-Subject"},
                 {"x_amzn_mtls_clientcert_validity", "X-Amzn-Mtls-Clientcert-Validity"},
                 {"x_amzn_mtls_clientcert_leaf", "X-Amzn-Mtls-Clientcert-Leaf"},
                 {"x_amzn_mtls_clientcert", "X-Amzn-Mtls-Clientcert"},
                 {"x_amzn_tls_version", "X-Amzn-Tls-Version"},
                 {"x_amzn_tls_cipher_suite", "X-Amzn-Tls-Cipher-Suite"},
             }) {
            attributes.emplace_back(std::string("routing.http.request.") + suffix + ".header_name",
                                    header);
        }
    }
    attributes.emplace_back("routing.http.response.server.enabled", "true");
    for (const char* header : {"strict_transport_security", "access_control_allow_origin",
                               "access_control_allow_methods", "access_control_allow_headers",
                               "access_control_allow_credentials", "access_control_expose_headers",
                               "access_control_max_age", "content_security_policy",
                               "x_content_type_options", "x_frame_options"}) {
        attributes.emplace_back(std::string("routing.http.response.") + header + ".header_value",
                                "");
    }
    return attributes;
}

void validate_listener_attribute(const std::string& key, const std::string& value,
                                 std::string_view protocol) {
    const Attributes defaults = default_listener_attributes(protocol);
    if (std::none_of(defaults.begin(), defaults.end(),
                     [&](const auto& entry) { return entry.first == key; })) {
        throw errors::validation("Listener attribute key '" + key + "' is not recognized for " +
                                 std::string(protocol) + " listeners");
    }
    if (key == "routing.http.response.server.enabled") {
        require_boolean_value(key, value);
    } else if (key == "routing.http.response.x_content_type_options.header_value" &&
               !value.empty()) {
        require_one_of(key, value, {"nosniff"});
    } else if (key == "routing.http.response.x_frame_options.header_value" && !value.empty()) {
        require_one_of(key, value, {"DENY", "SAMEORIGIN", "ALLOW-FROM"});
    } else if (key == "routing.http.response.access_control_allow_credentials.header_value" &&
               !value.empty()) {
        require_one_of(key, value, {"true"});
    }
}

Attributes merge_attributes(Attributes current, const Attributes& changes) {
    for (const auto& [key, value] : changes) {
        const auto it = std::find_if(current.begin(), current.end(),
                                     [&](const auto& entry) { return entry.first == key; });
        if (it != current.end()) {
            it->second = value;
        } else {
            current.emplace_back(key, value);
        }
    }
    return current;
}

Attributes attribute_list(const Json* given) {
    Attributes result;
    if (given == nullptr) {
        return result;
    }
    for (const auto& item : *given) {
        const std::string key = string_member(item, "Key");
        if (key.empty()) {
            throw errors::validation("An attribute key is required");
        }
        result.emplace_back(key, string_member(item, "Value"));
    }
    return result;
}

Json attributes_json(const Attributes& attributes) {
    Json list = Json::array();
    for (const auto& [key, value] : attributes) {
        list.push_back({{"Key", key}, {"Value", value}});
    }
    return list;
}

Attributes attributes_from_json(const Json& list) {
    Attributes attributes;
    for (const auto& item : list) {
        attributes.emplace_back(item.at("Key").get<std::string>(),
                                item.at("Value").get<std::string>());
    }
    return attributes;
}

// --- tags ----------------------------------------------------------------------------------

Tags tag_list(const Json* given) {
    Tags tags;
    if (given == nullptr) {
        return tags;
    }
    std::set<std::string> keys;
    for (const auto& item : *given) {
        const std::string key = string_member(item, "Key");
        if (key.empty() || key.size() > 128) {
            throw errors::validation("Tag key must be between 1 and 128 characters long");
        }
        const std::string value = string_member(item, "Value");
        if (value.size() > 256) {
            throw errors::validation("Tag value cannot be longer than 256 characters");
        }
        if (!keys.insert(key).second) {
            throw AwsError(errors::DuplicateTagKeys, "Tag key '" + key + "' is duplicated");
        }
        tags.emplace_back(key, value);
    }
    return tags;
}

Json tags_json(const Tags& tags) {
    Json list = Json::array();
    for (const auto& [key, value] : tags) {
        list.push_back({{"Key", key}, {"Value", value}});
    }
    return list;
}

// --- actions -------------------------------------------------------------------------------

namespace {

Json normalize_forward(const Json& action) {
    Json groups = Json::array();
    const Json* config = member(action, "ForwardConfig");
    const std::string single = string_member(action, "TargetGroupArn");
    if (config != nullptr && member(*config, "TargetGroups") != nullptr) {
        for (const auto& item : config->at("TargetGroups")) {
            const std::string arn = string_member(item, "TargetGroupArn");
            if (arn.empty()) {
                throw errors::validation("A target group ARN must be specified");
            }
            const long weight = item.contains("Weight") ? item.at("Weight").get<long>() : 1;
            if (weight < 0 || weight > 999) {
                throw errors::validation("Target group weight must be between 0 and 999");
            }
            groups.push_back({{"TargetGroupArn", arn}, {"Weight", weight}});
        }
    }
    if (groups.empty() && single.empty()) {
        throw errors::validation("A target group ARN must be specified");
    }
    if (!single.empty()) {
        if (groups.empty()) {
            groups.push_back({{"TargetGroupArn", single}, {"Weight", 1}});
        } else if (groups.size() != 1 || groups[0].at("TargetGroupArn") != single) {
            throw errors::validation(
                "You cannot specify both a target group ARN and a forward config with "
                "different target groups");
        }
    }
    if (groups.size() > static_cast<std::size_t>(kMaxTargetGroupsPerForward)) {
        throw AwsError(errors::TooManyTargetGroups,
                       "You cannot forward to more than 5 target groups");
    }
    std::set<std::string> seen;
    for (const auto& group : groups) {
        if (!seen.insert(group.at("TargetGroupArn").get<std::string>()).second) {
            throw errors::validation(
                "A target group can be specified only once in a forward "
                "action");
        }
    }
    Json stickiness = {{"Enabled", false}};
    if (config != nullptr) {
        if (const Json* given = member(*config, "TargetGroupStickinessConfig")) {
            stickiness["Enabled"] = given->value("Enabled", false);
            if (const Json* duration = member(*given, "DurationSeconds")) {
                const long seconds = duration->get<long>();
                if (seconds < 1 || seconds > 604800) {
                    throw errors::validation(
                        "Target group stickiness duration must be between 1 and 604800 seconds");
                }
                stickiness["DurationSeconds"] = seconds;
            } else if (stickiness["Enabled"].get<bool>()) {
                throw errors::validation(
                    "Target group stickiness duration must be specified when stickiness is "
                    "enabled");
            }
        }
    }
    Json result = {{"Type", "forward"}};
    if (groups.size() == 1) {
        result["TargetGroupArn"] = groups[0].at("TargetGroupArn");
    }
    result["ForwardConfig"] = {{"TargetGroups", groups},
                               {"TargetGroupStickinessConfig", stickiness}};
    return result;
}

Json normalize_redirect(const Json& action) {
    const Json* config = member(action, "RedirectConfig");
    if (config == nullptr) {
        throw errors::validation("A redirect configuration must be specified");
    }
    const std::string status = string_member(*config, "StatusCode");
    if (status != "HTTP_301" && status != "HTTP_302") {
        throw errors::validation("Redirect status code must be one of 'HTTP_301', 'HTTP_302'");
    }
    Json result = {{"Protocol", string_member(*config, "Protocol", "#{protocol}")},
                   {"Port", string_member(*config, "Port", "#{port}")},
                   {"Host", string_member(*config, "Host", "#{host}")},
                   {"Path", string_member(*config, "Path", "/#{path}")},
                   {"Query", string_member(*config, "Query", "#{query}")},
                   {"StatusCode", status}};
    const std::string protocol = result["Protocol"];
    if (protocol != "HTTP" && protocol != "HTTPS" && protocol != "#{protocol}") {
        throw errors::validation(
            "Redirect protocol must be one of 'HTTP', 'HTTPS', "
            "'#{protocol}'");
    }
    const std::string port = result["Port"];
    const auto number = parse_number(port);
    if (port != "#{port}" && (!number || *number < 1 || *number > 65535)) {
        throw errors::validation(
            "Redirect port must be '#{port}' or a number between 1 and "
            "65535");
    }
    const std::string path = result["Path"];
    if (path.empty() || path.front() != '/' || path.size() > 128) {
        throw errors::validation(
            "Redirect path must start with a '/' and be at most 128 "
            "characters long");
    }
    const std::string host = result["Host"];
    if (host.empty() || host.size() > 128 || result["Query"].get<std::string>().size() > 128) {
        throw errors::validation("Redirect host and query must be at most 128 characters long");
    }
    if (protocol == "#{protocol}" && port == "#{port}" && host == "#{host}" && path == "/#{path}" &&
        result["Query"] == "#{query}") {
        throw AwsError(errors::InvalidLoadBalancerAction,
                       "The redirect configuration is not valid: it would redirect to the same "
                       "URL");
    }
    return {{"Type", "redirect"}, {"RedirectConfig", result}};
}

Json normalize_fixed_response(const Json& action) {
    const Json* config = member(action, "FixedResponseConfig");
    if (config == nullptr) {
        throw errors::validation("A fixed-response configuration must be specified");
    }
    const std::string status = string_member(*config, "StatusCode");
    if (status.size() != 3 || (status[0] != '2' && status[0] != '4' && status[0] != '5') ||
        !std::isdigit(static_cast<unsigned char>(status[1])) ||
        !std::isdigit(static_cast<unsigned char>(status[2]))) {
        throw errors::validation("Fixed response status code '" + status +
                                 "' must be a 2XX, 4XX or 5XX code");
    }
    Json result = {{"StatusCode", status}};
    if (const Json* body = member(*config, "MessageBody")) {
        if (body->get<std::string>().size() > 1024) {
            throw errors::validation(
                "Fixed response message body cannot be longer than 1024 "
                "characters");
        }
        result["MessageBody"] = *body;
    }
    if (const Json* type = member(*config, "ContentType")) {
        static const std::set<std::string, std::less<>> kTypes = {
            "text/plain", "text/css", "text/html", "application/javascript", "application/json"};
        if (!kTypes.contains(type->get<std::string>())) {
            throw errors::validation("Fixed response content type '" + type->get<std::string>() +
                                     "' is not supported");
        }
        result["ContentType"] = *type;
    }
    return {{"Type", "fixed-response"}, {"FixedResponseConfig", result}};
}

}  // namespace

Json normalize_actions(const Json& given, std::string_view listener_protocol) {
    if (!given.is_array() || given.empty()) {
        throw errors::validation("At least one action must be specified");
    }
    if (given.size() > static_cast<std::size_t>(kMaxActionsPerRule)) {
        throw AwsError(errors::TooManyActions, "A rule can have at most 5 actions");
    }
    Json actions = Json::array();
    std::set<long> orders;
    for (const auto& action : given) {
        const std::string type = string_member(action, "Type");
        static const std::set<std::string, std::less<>> kConfigs = {
            "ForwardConfig", "RedirectConfig", "FixedResponseConfig", "AuthenticateOidcConfig",
            "AuthenticateCognitoConfig"};
        const std::string own = type == "forward"                ? "ForwardConfig"
                                : type == "redirect"             ? "RedirectConfig"
                                : type == "fixed-response"       ? "FixedResponseConfig"
                                : type == "authenticate-oidc"    ? "AuthenticateOidcConfig"
                                : type == "authenticate-cognito" ? "AuthenticateCognitoConfig"
                                                                 : "";
        if (own.empty()) {
            throw errors::validation("Action type '" + type +
                                     "' must be one of 'forward', 'redirect', 'fixed-response', "
                                     "'authenticate-oidc', 'authenticate-cognito'");
        }
        for (const auto& name : kConfigs) {
            if (name != own && member(action, name.c_str()) != nullptr) {
                throw errors::validation("You cannot specify a " + name + " for a '" + type +
                                         "' action");
            }
        }
        if (type != "forward" && member(action, "TargetGroupArn") != nullptr) {
            throw errors::validation("You cannot specify a target group for a '" + type +
                                     "' action");
        }
        Json normalized;
        if (type == "forward") {
            normalized = normalize_forward(action);
        } else if (type == "redirect") {
            normalized = normalize_redirect(action);
        } else if (type == "fixed-response") {
            normalized = normalize_fixed_response(action);
        } else {
            if (listener_protocol != "HTTPS") {
                throw AwsError(errors::InvalidLoadBalancerAction,
                               "Authenticate actions are supported only on HTTPS "
                               "listeners");
            }
            normalized = {{"Type", type}, {own, action.at(own)}};
        }
        if (const Json* order = member(action, "Order")) {
            const long value = order->get<long>();
            if (value < 1 || value > 50000) {
                throw errors::validation("Action order must be between 1 and 50000");
            }
            if (!orders.insert(value).second) {
                throw errors::validation("Action order '" + std::to_string(value) +
                                         "' is used more than once");
            }
            normalized["Order"] = value;
        }
        actions.push_back(std::move(normalized));
    }
    if (!orders.empty() && orders.size() != actions.size()) {
        throw errors::validation("Either all actions or none must specify an order");
    }
    std::stable_sort(actions.begin(), actions.end(), [](const Json& a, const Json& b) {
        return a.value("Order", 0L) < b.value("Order", 0L);
    });
    for (std::size_t i = 0; i < actions.size(); ++i) {
        const std::string type = actions[i].at("Type");
        const bool terminal = type == "forward" || type == "redirect" || type == "fixed-response";
        if (terminal != (i + 1 == actions.size())) {
            throw AwsError(errors::InvalidLoadBalancerAction,
                           "The last action must be one of 'forward', 'redirect' or "
                           "'fixed-response', and only the last");
        }
    }
    return actions;
}

std::vector<std::string> forwarded_target_groups(const Json& actions) {
    std::vector<std::string> arns;
    for (const auto& action : actions) {
        if (action.value("Type", "") != "forward") {
            continue;
        }
        for (const auto& group : action.at("ForwardConfig").at("TargetGroups")) {
            arns.push_back(group.at("TargetGroupArn").get<std::string>());
        }
    }
    return arns;
}

// --- conditions ----------------------------------------------------------------------------

namespace {

std::vector<std::string> value_strings(const Json* values, const std::string& field) {
    std::vector<std::string> result;
    if (values == nullptr) {
        return result;
    }
    for (const auto& value : *values) {
        const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
        if (text.empty() || text.size() > 128) {
            throw errors::validation("Condition value for '" + field +
                                     "' must be between 1 and 128 characters long");
        }
        result.push_back(text);
    }
    return result;
}

const char* config_name(std::string_view field) {
    if (field == "host-header") {
        return "HostHeaderConfig";
    }
    if (field == "path-pattern") {
        return "PathPatternConfig";
    }
    if (field == "http-header") {
        return "HttpHeaderConfig";
    }
    if (field == "query-string") {
        return "QueryStringConfig";
    }
    if (field == "http-request-method") {
        return "HttpRequestMethodConfig";
    }
    if (field == "source-ip") {
        return "SourceIpConfig";
    }
    return nullptr;
}

bool valid_cidr(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) {
        return false;
    }
    const auto bits = parse_number(text.substr(slash + 1));
    const std::string_view address = text.substr(0, slash);
    if (address.find(':') != std::string_view::npos) {
        return bits && *bits >= 0 && *bits <= 128;
    }
    int parts = 0;
    std::size_t start = 0;
    while (start <= address.size()) {
        const auto dot = address.find('.', start);
        const auto part = address.substr(start, dot == std::string_view::npos ? dot : dot - start);
        const auto number = parse_number(part);
        if (!number || *number < 0 || *number > 255 || part.size() > 3) {
            return false;
        }
        ++parts;
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    return parts == 4 && bits && *bits >= 0 && *bits <= 32;
}

}  // namespace

Json normalize_conditions(const Json& given) {
    Json conditions = Json::array();
    if (given.is_null()) {
        return conditions;
    }
    std::set<std::string> single_fields;
    std::size_t total_values = 0;
    for (const auto& condition : given) {
        const std::string field = string_member(condition, "Field");
        const char* config = config_name(field);
        if (config == nullptr) {
            throw errors::validation("Condition field '" + field +
                                     "' must be one of '[http-header, http-request-method, "
                                     "host-header, query-string, path-pattern, source-ip]'");
        }
        if (field != "http-header" && field != "query-string" &&
            !single_fields.insert(field).second) {
            throw errors::validation("A rule can have only one '" + field + "' condition");
        }
        const Json* legacy = member(condition, "Values");
        const Json* configured = member(condition, config);
        const bool legacy_allowed = field == "host-header" || field == "path-pattern";
        if (legacy != nullptr && !legacy_allowed) {
            throw errors::validation("You must use " + std::string(config) +
                                     " for the condition field '" + field + "'");
        }
        if (legacy != nullptr && configured != nullptr) {
            throw errors::validation("You cannot specify both Values and " + std::string(config) +
                                     " for the condition field '" + field + "'");
        }
        Json normalized = {{"Field", field}};
        if (field == "query-string") {
            if (configured == nullptr || member(*configured, "Values") == nullptr ||
                configured->at("Values").empty()) {
                throw errors::validation("A query-string condition must have values");
            }
            Json pairs = Json::array();
            for (const auto& pair : configured->at("Values")) {
                const std::string value = string_member(pair, "Value");
                if (value.empty()) {
                    throw errors::validation(
                        "A query-string condition value must have a "
                        "Value");
                }
                Json item = Json::object();
                if (const Json* key = member(pair, "Key")) {
                    item["Key"] = *key;
                }
                item["Value"] = value;
                pairs.push_back(std::move(item));
            }
            total_values += pairs.size();
            normalized[config] = {{"Values", pairs}};
            conditions.push_back(std::move(normalized));
            continue;
        }
        const Json* values_json = legacy != nullptr       ? legacy
                                  : configured != nullptr ? member(*configured, "Values")
                                                          : nullptr;
        const std::vector<std::string> values = value_strings(values_json, field);
        if (values.empty()) {
            throw errors::validation("A condition for '" + field + "' must have values");
        }
        total_values += values.size();
        if (field == "http-request-method") {
            for (const auto& method : values) {
                if (!std::all_of(method.begin(), method.end(), [](char c) {
                        return std::isupper(static_cast<unsigned char>(c)) || c == '_' || c == '-';
                    })) {
                    throw errors::validation("HTTP request method '" + method +
                                             "' must contain only uppercase letters, '_' or "
                                             "'-'");
                }
            }
        }
        if (field == "source-ip") {
            for (const auto& cidr : values) {
                if (!valid_cidr(cidr)) {
                    throw errors::validation("Source IP '" + cidr +
                                             "' is not a valid CIDR "
                                             "block");
                }
            }
        }
        Json config_value = {{"Values", values}};
        if (field == "http-header") {
            const std::string name = string_member(*configured, "HttpHeaderName");
            if (name.empty() || name.size() > 40) {
                throw errors::validation(
                    "An http-header condition must name a header of at "
                    "most 40 characters");
            }
            config_value = {{"HttpHeaderName", name}, {"Values", values}};
        }
        if (legacy_allowed) {
            normalized["Values"] = values;
        }
        normalized[config] = config_value;
        conditions.push_back(std::move(normalized));
    }
    if (total_values > static_cast<std::size_t>(kMaxConditionValuesPerRule)) {
        throw errors::validation("A rule can have at most 5 condition values");
    }
    return conditions;
}

// --- listeners -----------------------------------------------------------------------------

namespace {

const std::vector<std::pair<std::string, std::vector<std::string>>>& known_policies() {
    // AWS's predefined security policies for Application Load Balancers, with their protocols.
    static const std::vector<std::pair<std::string, std::vector<std::string>>> kPolicies = {
        {"ELBSecurityPolicy-TLS13-1-2-2021-06", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-Res-2021-06", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-1-2021-06", {"TLSv1.1", "TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-0-2021-06", {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-3-2021-06", {"TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-PQ-2025-09", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-3-PQ-2025-09", {"TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04", {"TLSv1.1", "TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04", {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", {"TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09", {"TLSv1.2", "TLSv1.3"}},
        {"ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09", {"TLSv1.3"}},
        {"ELBSecurityPolicy-FS-1-2-Res-2020-10", {"TLSv1.2"}},
        {"ELBSecurityPolicy-FS-1-2-Res-2019-08", {"TLSv1.2"}},
        {"ELBSecurityPolicy-FS-1-2-2019-08", {"TLSv1.2"}},
        {"ELBSecurityPolicy-FS-1-1-2019-08", {"TLSv1.1", "TLSv1.2"}},
        {"ELBSecurityPolicy-FS-2018-06", {"TLSv1", "TLSv1.1", "TLSv1.2"}},
        {"ELBSecurityPolicy-TLS-1-2-Ext-2018-06", {"TLSv1.2"}},
        {"ELBSecurityPolicy-TLS-1-2-2017-01", {"TLSv1.2"}},
        {"ELBSecurityPolicy-TLS-1-1-2017-01", {"TLSv1.1", "TLSv1.2"}},
        {"ELBSecurityPolicy-2016-08", {"TLSv1", "TLSv1.1", "TLSv1.2"}},
        {"ELBSecurityPolicy-2015-05", {"TLSv1", "TLSv1.1", "TLSv1.2"}},
    };
    return kPolicies;
}

}  // namespace

bool is_known_ssl_policy(std::string_view name) {
    const auto& policies = known_policies();
    return std::any_of(policies.begin(), policies.end(),
                       [&](const auto& policy) { return policy.first == name; });
}

Json ssl_policies() {
    Json list = Json::array();
    for (const auto& [name, protocols] : known_policies()) {
        Json ciphers = Json::array();
        int priority = 1;
        for (const char* cipher :
             {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
              "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384"}) {
            ciphers.push_back({{"Name", cipher}, {"Priority", priority++}});
        }
        list.push_back({{"SslProtocols", protocols},
                        {"Ciphers", ciphers},
                        {"Name", name},
                        {"SupportedLoadBalancerTypes", {"application", "network"}}});
    }
    return list;
}

}  // namespace awsemu::elbv2
