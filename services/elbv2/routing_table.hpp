#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "emulator/http/reverse_proxy.hpp"
#include "services/elbv2/elbv2_model.hpp"
#include "services/elbv2/rule_matcher.hpp"

// Where one listener sends a request, decided from a snapshot of its rules and of the targets of
// the groups they forward to: the rule (rule_matcher), then its action (forward with weights,
// redirect, fixed-response), then a target: round robin over the healthy ones, or over all of
// them when none is healthy (an ALB fails open), 503 when the group has none. Pure: the data
// plane builds a table after each change and the proxy asks it per request.
namespace awsemu::elbv2 {

struct RoutableTarget {
    std::string ip;
    std::uint16_t port = 0;
    bool healthy = false;
};

struct ListenerTable {
    std::string protocol = "HTTP";
    int port = 80;
    Json rules = Json::array();  // Rule documents, by priority, the default last
    // Registered targets that may get traffic (not draining), by target group ARN.
    std::map<std::string, std::vector<RoutableTarget>> groups;
};

struct ChosenTarget {
    std::string target_group_arn;
    RoutableTarget target;
};

using Routing = std::variant<ChosenTarget, LocalAnswer>;

// `sequence` turns the round robin (a counter per listener); `draw` picks among weighted target
// groups (any well-spread number).
Routing route_request(const ListenerTable& table, const MatchRequest& request,
                      std::uint64_t sequence, std::uint64_t draw);

// The request as rule conditions see it: Host without its port, path and query apart.
MatchRequest match_request(const ListenerTable& table, const ProxiedRequest& request);

}  // namespace awsemu::elbv2
