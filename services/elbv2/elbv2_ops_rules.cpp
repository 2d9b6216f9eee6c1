#include <algorithm>
#include <set>

#include "services/elbv2/elbv2_errors.hpp"
#include "services/elbv2/elbv2_service.hpp"

namespace awsemu::elbv2 {
namespace {

void validate_priority(std::int64_t priority) {
    if (priority < 1 || priority > 50000) {
        throw errors::validation("1 validation error detected: Value '" + std::to_string(priority) +
                                 "' at 'priority' failed to satisfy constraint: Member must have "
                                 "value between 1 and 50000");
    }
}

AwsError priority_in_use(std::int64_t priority) {
    return AwsError(errors::PriorityInUse,
                    "Priority '" + std::to_string(priority) + "' is currently in use");
}

}  // namespace

Json Elbv2Service::create_rule(const RequestContext& ctx, const Params& in) {
    const Resource listener =
        require(ctx.scope, in.required_string("ListenerArn"), ResourceKind::Listener);
    const auto priority = in.optional_int("Priority");
    if (!priority) {
        throw errors::validation("A priority must be specified");
    }
    validate_priority(*priority);
    const Json& given_conditions = in.required_array("Conditions");
    if (given_conditions.empty()) {
        throw errors::validation("A rule must have at least one condition");
    }
    const Json conditions = normalize_conditions(given_conditions);
    const Json actions = normalize_actions(in.required_array("Actions"),
                                           listener.document.at("Protocol").get<std::string>());
    const Tags tags = tag_list(in.optional_array("Tags"));
    check_forward_targets(ctx.scope, actions, listener.parent);
    const auto rules = store_.list(ctx.scope, ResourceKind::Rule, listener.arn);
    for (const auto& rule : rules) {
        if (rule.sort_key == *priority) {
            throw priority_in_use(*priority);
        }
    }
    if (rules.size() > static_cast<std::size_t>(kMaxRulesPerListener)) {
        throw AwsError(errors::TooManyRules,
                       "You've reached the limit on the number of rules per load balancer");
    }
    const std::string arn = rule_arn(listener.arn, new_hex_id());
    const Resource rule{ResourceKind::Rule,
                        arn,
                        "",
                        listener.arn,
                        *priority,
                        {{"RuleArn", arn},
                         {"Priority", std::to_string(*priority)},
                         {"Conditions", conditions},
                         {"Actions", actions},
                         {"IsDefault", false}}};
    store_.put(ctx.scope, rule);
    store_tags(ctx.scope, arn, tags);
    return {{"Rules", Json::array({describe(ctx.scope, rule, 0)})}};
}

Json Elbv2Service::modify_rule(const RequestContext& ctx, const Params& in) {
    Resource rule = require(ctx.scope, in.required_string("RuleArn"), ResourceKind::Rule);
    Resource listener = require(ctx.scope, rule.parent, ResourceKind::Listener);
    const bool is_default = rule.document.value("IsDefault", false);
    if (const Json* conditions = in.optional_array("Conditions")) {
        if (is_default) {
            throw AwsError(errors::OperationNotPermitted,
                           "The conditions of a default rule cannot be modified");
        }
        if (conditions->empty()) {
            throw errors::validation("A rule must have at least one condition");
        }
        rule.document["Conditions"] = normalize_conditions(*conditions);
    }
    if (const Json* actions = in.optional_array("Actions")) {
        rule.document["Actions"] =
            normalize_actions(*actions, listener.document.at("Protocol").get<std::string>());
        check_forward_targets(ctx.scope, rule.document.at("Actions"), listener.parent);
        if (is_default) {
            listener.document["DefaultActions"] = rule.document.at("Actions");
            store_.put(ctx.scope, listener);
        }
    }
    store_.put(ctx.scope, rule);
    return {{"Rules", Json::array({describe(ctx.scope, rule, 0)})}};
}

Json Elbv2Service::delete_rule(const RequestContext& ctx, const Params& in) {
    const Resource rule = require(ctx.scope, in.required_string("RuleArn"), ResourceKind::Rule);
    if (rule.document.value("IsDefault", false)) {
        throw AwsError(errors::OperationNotPermitted,
                       "Default rule '" + rule.arn + "' cannot be deleted");
    }
    store_.erase(ctx.scope, rule.arn);
    return Json::object();
}

Json Elbv2Service::describe_rules(const RequestContext& ctx, const Params& in) {
    const auto listener_arn = in.optional_string("ListenerArn");
    const auto arns = in.string_list("RuleArns");
    if (!listener_arn && arns.empty()) {
        throw errors::validation("You must specify either listener ARN or rule ARNs");
    }
    if (listener_arn && !arns.empty()) {
        throw errors::validation(
            "Listener ARN and rule ARNs cannot be specified at the same "
            "time");
    }
    std::vector<Resource> found;
    if (listener_arn) {
        require(ctx.scope, *listener_arn, ResourceKind::Listener);
        found = store_.list(ctx.scope, ResourceKind::Rule, *listener_arn);
    } else {
        for (const auto& arn : arns) {
            found.push_back(require(ctx.scope, arn, ResourceKind::Rule));
        }
    }
    return page_of(found, in, "Rules",
                   [&](const Resource& rule) { return describe(ctx.scope, rule, 0); });
}

Json Elbv2Service::set_rule_priorities(const RequestContext& ctx, const Params& in) {
    const Json& given = in.required_array("RulePriorities");
    if (given.empty()) {
        throw errors::validation("At least one rule priority must be specified");
    }
    std::vector<Resource> moved;
    std::map<std::string, std::set<std::int64_t>> taken_in_request;  // by listener
    for (const auto& item : given) {
        Resource rule = require(ctx.scope, item.value("RuleArn", ""), ResourceKind::Rule);
        if (rule.document.value("IsDefault", false)) {
            throw AwsError(errors::OperationNotPermitted,
                           "The priority of the default rule cannot be changed");
        }
        if (!item.contains("Priority")) {
            throw errors::validation("A priority must be specified for rule '" + rule.arn + "'");
        }
        const std::int64_t priority = item.at("Priority").get<std::int64_t>();
        validate_priority(priority);
        if (!taken_in_request[rule.parent].insert(priority).second) {
            throw priority_in_use(priority);
        }
        rule.sort_key = priority;
        rule.document["Priority"] = std::to_string(priority);
        moved.push_back(std::move(rule));
    }
    for (const auto& rule : moved) {
        for (const auto& other : store_.list(ctx.scope, ResourceKind::Rule, rule.parent)) {
            const bool also_moved = std::any_of(
                moved.begin(), moved.end(), [&](const Resource& m) { return m.arn == other.arn; });
            if (!also_moved && other.sort_key == rule.sort_key) {
                throw priority_in_use(rule.sort_key);
            }
        }
    }
    Json list = Json::array();
    for (const auto& rule : moved) {
        store_.put(ctx.scope, rule);
        list.push_back(describe(ctx.scope, rule, 0));
    }
    return {{"Rules", list}};
}

}  // namespace awsemu::elbv2
