#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

// Which of a listener's rules a request takes, as an ALB decides it, and where a redirect action
// sends it. Pure functions over the Rule documents DescribeRules answers (Priority, Conditions,
// Actions, IsDefault): the data plane's proxy calls them per request. No I/O, no exceptions for
// any request a client can send.
namespace awsemu::elbv2 {

struct MatchRequest {
    std::string protocol = "HTTP";  // the listener's: HTTP or HTTPS
    int port = 80;                  // the listener's port
    std::string host;               // the Host header without its port
    std::string path = "/";         // the URL path, without the query
    std::string method = "GET";
    std::vector<std::pair<std::string, std::string>> headers;  // as received
    std::string query;                                         // the raw query string, without '?'
    std::string source_ip;
};

// Whether one condition (a RuleCondition document) holds: host-header (case-insensitive),
// path-pattern (case-sensitive), http-header (name and values case-insensitive), query-string
// (keys and values case-insensitive, URL-decoded), http-request-method (exact) and source-ip
// (CIDR). Values of a condition OR together; `*` and `?` are wildcards except in methods and
// source addresses.
bool condition_matches(const nlohmann::json& condition, const MatchRequest& request);

// The rule whose conditions all hold with the lowest priority, else the default rule; nullptr
// when `rules` has neither.
const nlohmann::json* match_rule(const nlohmann::json& rules, const MatchRequest& request);

// The Location a RedirectConfig sends the request to, with #{protocol}, #{host}, #{port},
// #{path} (without its leading '/') and #{query} expanded; the port is left out when it is the
// protocol's default and the query when it is empty.
std::string redirect_location(const nlohmann::json& redirect_config, const MatchRequest& request);

// Whether an IPv4 address lies in an IPv4 CIDR block ("10.0.0.0/16"); false for anything
// malformed.
bool ipv4_in_cidr(std::string_view address, std::string_view cidr);

}  // namespace awsemu::elbv2
