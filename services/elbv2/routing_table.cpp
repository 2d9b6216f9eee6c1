#include "services/elbv2/routing_table.hpp"

#include <algorithm>
#include <charconv>

namespace awsemu::elbv2 {
namespace {

int status_of(std::string_view text, int fallback) {
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size() ? value : fallback;
}

LocalAnswer fixed_response(const Json& config) {
    LocalAnswer answer;
    answer.status = status_of(config.value("StatusCode", "503"), 503);
    if (config.contains("ContentType")) {
        answer.headers.add("Content-Type", config.at("ContentType").get<std::string>());
    }
    answer.body = config.value("MessageBody", "");
    return answer;
}

LocalAnswer redirect(const Json& config, const MatchRequest& request) {
    LocalAnswer answer =
        load_balancer_error(config.value("StatusCode", "") == "HTTP_302" ? 302 : 301);
    answer.headers.add("Location", redirect_location(config, request));
    return answer;
}

// Among the target groups of a forward action, by weight; nullptr when every weight is 0.
const Json* weighted_group(const Json& forward_config, std::uint64_t draw) {
    const Json& groups = forward_config.at("TargetGroups");
    std::uint64_t total = 0;
    for (const auto& group : groups) {
        total += group.value("Weight", 1);
    }
    if (total == 0) {
        return nullptr;
    }
    std::uint64_t point = draw % total;
    for (const auto& group : groups) {
        const std::uint64_t weight = group.value("Weight", 1);
        if (point < weight) {
            return &group;
        }
        point -= weight;
    }
    return nullptr;
}

Routing forward(const ListenerTable& table, const Json& action, std::uint64_t sequence,
                std::uint64_t draw) {
    const Json* group = weighted_group(action.at("ForwardConfig"), draw);
    if (group == nullptr) {
        return load_balancer_error(503);
    }
    const std::string arn = group->at("TargetGroupArn");
    const auto it = table.groups.find(arn);
    if (it == table.groups.end() || it->second.empty()) {
        return load_balancer_error(503);
    }
    const auto& targets = it->second;
    const auto healthy = static_cast<std::uint64_t>(
        std::count_if(targets.begin(), targets.end(), [](const auto& t) { return t.healthy; }));
    if (healthy == 0) {
        return ChosenTarget{arn, targets[sequence % targets.size()]};  // fail open
    }
    std::uint64_t wanted = sequence % healthy;
    for (const auto& target : targets) {
        if (target.healthy && wanted-- == 0) {
            return ChosenTarget{arn, target};
        }
    }
    return load_balancer_error(503);
}

}  // namespace

MatchRequest match_request(const ListenerTable& table, const ProxiedRequest& request) {
    MatchRequest match;
    match.protocol = table.protocol;
    match.port = table.port;
    match.method = request.method;
    match.source_ip = request.source_ip;
    std::string_view host = request.headers.get("Host");
    // "host:port", but not the colons of "[v6]".
    if (const auto colon = host.rfind(':');
        colon != std::string_view::npos && host.find(']', colon) == std::string_view::npos) {
        host = host.substr(0, colon);
    }
    match.host = std::string(host);
    const std::string_view target = request.target;
    const auto question = target.find('?');
    match.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos) {
        match.query = std::string(target.substr(question + 1));
    }
    match.headers = request.headers.entries();
    return match;
}

Routing route_request(const ListenerTable& table, const MatchRequest& request,
                      std::uint64_t sequence, std::uint64_t draw) {
    const Json* rule = match_rule(table.rules, request);
    if (rule == nullptr) {
        return load_balancer_error(503);
    }
    // The first action that answers: forward, redirect or fixed-response (authentication
    // actions before them are not emulated and pass).
    for (const auto& action : rule->at("Actions")) {
        const std::string type = action.value("Type", "");
        if (type == "forward") {
            return forward(table, action, sequence, draw);
        }
        if (type == "redirect") {
            return redirect(action.at("RedirectConfig"), request);
        }
        if (type == "fixed-response") {
            return fixed_response(action.at("FixedResponseConfig"));
        }
    }
    return load_balancer_error(503);
}

}  // namespace awsemu::elbv2
