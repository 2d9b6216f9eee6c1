#include <algorithm>

#include "services/ec2/ec2_api.hpp"
#include "services/elbv2/elbv2_errors.hpp"
#include "services/elbv2/elbv2_service.hpp"
#include "services/elbv2/rule_matcher.hpp"
#include "services/elbv2/target_zones.hpp"

namespace awsemu::elbv2 {
namespace {

std::string attribute(const Resource& group, std::string_view key) {
    for (const auto& item : group.document.at("_Attributes")) {
        if (item.at("Key") == key) {
            return item.at("Value");
        }
    }
    return {};
}

std::int64_t deregistration_delay_ms(const Resource& group) {
    const std::string value = attribute(group, "deregistration_delay.timeout_seconds");
    return value.empty() ? 0 : std::stoll(value) * 1000;
}

bool looks_like_ipv4(const std::string& text) {
    return ipv4_in_cidr(text, "0.0.0.0/0");
}

int target_port(const Resource& group, const Json& target) {
    if (group.document.at("TargetType") == "lambda") {
        return 0;
    }
    if (target.contains("Port")) {
        return target.at("Port").get<int>();
    }
    return group.document.at("Port").get<int>();
}

Json target_json(const TargetRecord& target, bool lambda) {
    Json out = {{"Id", target.id}};
    if (!lambda) {
        out["Port"] = target.port;
    }
    if (!target.availability_zone.empty()) {
        out["AvailabilityZone"] = target.availability_zone;
    }
    return out;
}

}  // namespace

std::vector<TargetRecord> Elbv2Service::live_targets(const Scope& scope, const Resource& group,
                                                     std::int64_t now_ms) {
    const std::int64_t delay = deregistration_delay_ms(group);
    std::vector<TargetRecord> live;
    for (auto& target : store_.targets(scope, group.arn)) {
        if (target.deregistered_ms && now_ms >= *target.deregistered_ms + delay) {
            store_.remove_target(scope, group.arn, target.id, target.port);
        } else {
            live.push_back(std::move(target));
        }
    }
    return live;
}

std::set<std::string> Elbv2Service::users_of(const Scope& scope,
                                             const std::string& target_group_arn) {
    auto users = target_group_users(scope);
    const auto it = users.find(target_group_arn);
    return it == users.end() ? std::set<std::string>{} : std::move(it->second);
}

TargetHealth Elbv2Service::health_of(const Scope& scope, const Resource& group,
                                     const TargetRecord& target, const std::set<std::string>& users,
                                     std::int64_t now_ms) {
    const bool zone_ok =
        users.empty() || zone_enabled(target_zone(db_, scope, group.document, target),
                                      enabled_zones(store_, scope, users));
    const TargetContext context{!users.empty(), zone_ok,
                                group.document.value("HealthCheckEnabled", true),
                                deregistration_delay_ms(group), now_ms};
    return elbv2::target_health(target, context, *health_results_, scope);
}

void Elbv2Service::register_one(const Scope& scope, const Resource& group, const Json& target,
                                std::int64_t now_ms) {
    const std::string id = target.value("Id", "");
    if (id.empty()) {
        throw errors::validation("A target ID must be specified");
    }
    const std::string type = group.document.at("TargetType");
    const std::string zone = target.value("AvailabilityZone", "");
    const int port = target_port(group, target);
    if (type != "lambda" && (port < 1 || port > 65535)) {
        throw errors::validation("Target port must be between 1 and 65535");
    }
    if (type == "ip") {
        if (!looks_like_ipv4(id)) {
            throw AwsError(errors::InvalidTarget,
                           "The IP address '" + id + "' is not a valid IPv4 address");
        }
        // awsemu's tasks live on loopback addresses (127.x.y.z mirrors x.y.z in their subnet),
        // so those count as inside the VPC.
        const auto cidr =
            ec2::vpc_cidr_block(db_, scope, group.document.at("VpcId").get<std::string>());
        if (zone != "all" && !ipv4_in_cidr(id, "127.0.0.0/8") &&
            (!cidr || !ipv4_in_cidr(id, *cidr))) {
            throw AwsError(errors::InvalidTarget,
                           "The IP address '" + id + "' is not within the CIDR block of VPC '" +
                               group.document.at("VpcId").get<std::string>() + "'");
        }
    } else if (type == "instance") {
        if (!id.starts_with("i-") || id.size() < 10) {
            throw AwsError(errors::InvalidTarget,
                           "The following targets are not valid instances: '" + id + "'");
        }
    } else if (type == "lambda") {
        if (!id.starts_with("arn:aws:lambda:")) {
            throw AwsError(errors::InvalidTarget,
                           "The target '" + id + "' is not a valid Lambda function ARN");
        }
    } else if (type == "alb") {
        const auto parts = parse_arn(id);
        if (!parts || parts->kind != ResourceKind::LoadBalancer || !store_.find(scope, id)) {
            throw AwsError(errors::InvalidTarget, "The target '" + id +
                                                      "' is not an existing application load "
                                                      "balancer");
        }
    }
    if (!zone.empty() && zone != "all") {
        const auto zones = ec2::availability_zone_names(scope.region);
        if (std::find(zones.begin(), zones.end(), zone) == zones.end()) {
            throw errors::validation("Availability zone '" + zone + "' is not valid");
        }
    }
    const auto current = live_targets(scope, group, now_ms);
    const bool known = std::any_of(current.begin(), current.end(), [&](const TargetRecord& t) {
        return t.id == id && t.port == port;
    });
    if (!known && current.size() >= static_cast<std::size_t>(kMaxTargetsPerGroup)) {
        throw AwsError(errors::TooManyTargets,
                       "You've reached the limit on the number of targets per target group");
    }
    if (type == "lambda" && !known && !current.empty()) {
        throw AwsError(errors::TooManyTargets,
                       "A target group with target type 'lambda' can have only one target");
    }
    store_.register_target(scope, TargetRecord{group.arn, id, port, zone, now_ms, std::nullopt});
}

Json Elbv2Service::register_targets(const RequestContext& ctx, const Params& in) {
    const Resource group =
        require(ctx.scope, in.required_string("TargetGroupArn"), ResourceKind::TargetGroup);
    const Json& targets = in.required_array("Targets");
    if (targets.empty()) {
        throw errors::validation("At least one target must be specified");
    }
    const std::int64_t now = epoch_ms(ctx.now());
    for (const auto& target : targets) {
        register_one(ctx.scope, group, target, now);
    }
    return Json::object();
}

Json Elbv2Service::deregister_targets(const RequestContext& ctx, const Params& in) {
    const Resource group =
        require(ctx.scope, in.required_string("TargetGroupArn"), ResourceKind::TargetGroup);
    const Json& targets = in.required_array("Targets");
    if (targets.empty()) {
        throw errors::validation("At least one target must be specified");
    }
    const std::int64_t now = epoch_ms(ctx.now());
    const auto current = live_targets(ctx.scope, group, now);
    for (const auto& target : targets) {
        const std::string id = target.value("Id", "");
        const int port = target_port(group, target);
        const bool known = std::any_of(current.begin(), current.end(), [&](const TargetRecord& t) {
            return t.id == id && t.port == port;
        });
        if (!known) {
            throw AwsError(errors::InvalidTarget,
                           "The following targets are not registered in target group '" +
                               group.arn + "': '" + id + "'");
        }
    }
    const bool in_use = target_group_users(ctx.scope).contains(group.arn);
    for (const auto& target : targets) {
        const std::string id = target.value("Id", "");
        const int port = target_port(group, target);
        if (in_use && deregistration_delay_ms(group) > 0) {
            store_.set_deregistered(ctx.scope, group.arn, id, port, now);
        } else {
            store_.remove_target(ctx.scope, group.arn, id, port);
        }
    }
    return Json::object();
}

Json Elbv2Service::describe_target_health(const RequestContext& ctx, const Params& in) {
    const Resource group =
        require(ctx.scope, in.required_string("TargetGroupArn"), ResourceKind::TargetGroup);
    const std::int64_t now = epoch_ms(ctx.now());
    const bool lambda = group.document.at("TargetType") == "lambda";
    const auto users = users_of(ctx.scope, group.arn);
    const auto current = live_targets(ctx.scope, group, now);
    const std::string check_port = group.document.value("HealthCheckPort", "traffic-port");
    auto description = [&](const TargetRecord& target, const TargetHealth& health) {
        Json out = {{"Target", target_json(target, lambda)}};
        if (!lambda) {
            out["HealthCheckPort"] =
                check_port == "traffic-port" ? std::to_string(target.port) : check_port;
        }
        Json state = {{"State", health.state}};
        if (!health.reason.empty()) {
            state["Reason"] = health.reason;
            state["Description"] = health.description;
        }
        out["TargetHealth"] = state;
        return out;
    };
    Json list = Json::array();
    if (const Json* wanted = in.optional_array("Targets")) {
        for (const auto& target : *wanted) {
            const std::string id = target.value("Id", "");
            const int port = target_port(group, target);
            const auto it = std::find_if(current.begin(), current.end(), [&](const auto& t) {
                return t.id == id && t.port == port;
            });
            if (it != current.end()) {
                list.push_back(description(*it, health_of(ctx.scope, group, *it, users, now)));
            } else {
                const TargetRecord unknown{
                    group.arn, id, port, target.value("AvailabilityZone", ""), now, std::nullopt};
                list.push_back(description(unknown, {"unused", "Target.NotRegistered",
                                                     "Target is not registered to the target "
                                                     "group"}));
            }
        }
    } else {
        for (const auto& target : current) {
            list.push_back(description(target, health_of(ctx.scope, group, target, users, now)));
        }
    }
    return {{"TargetHealthDescriptions", list}};
}

// --- Elbv2Api --------------------------------------------------------------------------------

void Elbv2Service::register_target(const std::string& target_group_arn, const std::string& ip,
                                   int port) {
    const auto parts = parse_arn(target_group_arn);
    if (!parts) {
        throw AwsError(errors::TargetGroupNotFound,
                       "Target group '" + target_group_arn + "' not found");
    }
    auto transaction = db_.transaction();
    const Resource group = require(parts->scope, target_group_arn, ResourceKind::TargetGroup);
    register_one(parts->scope, group, {{"Id", ip}, {"Port", port}}, epoch_ms(clock_.now()));
    transaction.commit();
    notify_change();
}

void Elbv2Service::deregister_target(const std::string& target_group_arn, const std::string& ip,
                                     int port) {
    const auto parts = parse_arn(target_group_arn);
    if (!parts) {
        return;
    }
    auto transaction = db_.transaction();
    const auto group = store_.find(parts->scope, target_group_arn);
    if (!group || group->kind != ResourceKind::TargetGroup) {
        return;
    }
    const std::int64_t now = epoch_ms(clock_.now());
    const auto current = live_targets(parts->scope, *group, now);
    const bool known = std::any_of(current.begin(), current.end(), [&](const TargetRecord& t) {
        return t.id == ip && t.port == port && !t.deregistered_ms;
    });
    if (known) {
        if (target_group_users(parts->scope).contains(group->arn) &&
            deregistration_delay_ms(*group) > 0) {
            store_.set_deregistered(parts->scope, group->arn, ip, port, now);
        } else {
            store_.remove_target(parts->scope, group->arn, ip, port);
        }
    }
    transaction.commit();
    notify_change();
}

std::optional<TargetHealthView> Elbv2Service::target_health(const std::string& target_group_arn,
                                                            const std::string& ip, int port) {
    const auto parts = parse_arn(target_group_arn);
    if (!parts) {
        return std::nullopt;
    }
    auto transaction = db_.transaction();
    const auto group = store_.find(parts->scope, target_group_arn);
    if (!group || group->kind != ResourceKind::TargetGroup) {
        return std::nullopt;
    }
    const std::int64_t now = epoch_ms(clock_.now());
    const auto current = live_targets(parts->scope, *group, now);
    const auto it = std::find_if(current.begin(), current.end(),
                                 [&](const auto& t) { return t.id == ip && t.port == port; });
    TargetHealth health{"unused", "Target.NotRegistered",
                        "Target is not registered to the target group"};
    if (it != current.end()) {
        health = health_of(parts->scope, *group, *it, users_of(parts->scope, group->arn), now);
    }
    transaction.commit();
    return TargetHealthView{health.state, health.reason, health.description};
}

}  // namespace awsemu::elbv2
