#include <algorithm>
#include <set>

#include "services/ec2/ec2_api.hpp"
#include "services/elbv2/elbv2_errors.hpp"
#include "services/elbv2/elbv2_service.hpp"

namespace awsemu::elbv2 {
namespace {

constexpr const char* kHealthCheckMembers[] = {"HealthCheckProtocol",
                                               "HealthCheckPort",
                                               "HealthCheckEnabled",
                                               "HealthCheckPath",
                                               "HealthCheckIntervalSeconds",
                                               "HealthCheckTimeoutSeconds",
                                               "HealthyThresholdCount",
                                               "UnhealthyThresholdCount",
                                               "Matcher"};

void copy_health_check(const Params& in, Json& group) {
    for (const char* name : kHealthCheckMembers) {
        if (in.has(name)) {
            group[name] = in.json().at(name);
        }
    }
}

bool is_protocol(const std::string& protocol) {
    static const std::set<std::string, std::less<>> kProtocols = {"HTTP", "HTTPS",   "TCP",   "TLS",
                                                                  "UDP",  "TCP_UDP", "GENEVE"};
    return kProtocols.contains(protocol);
}

}  // namespace

Json Elbv2Service::create_target_group(const RequestContext& ctx, const Params& in) {
    const std::string name = in.required_string("Name");
    validate_resource_name(name, "Target group");
    const std::string target_type = in.optional_string("TargetType").value_or("instance");
    if (target_type != "instance" && target_type != "ip" && target_type != "lambda" &&
        target_type != "alb") {
        throw errors::validation("Target type '" + target_type +
                                 "' must be one of 'instance', 'ip', 'lambda', 'alb'");
    }
    Json group = Json::object();
    group["TargetGroupName"] = name;
    group["TargetType"] = target_type;
    if (target_type == "lambda") {
        for (const char* member : {"Protocol", "Port", "VpcId", "ProtocolVersion"}) {
            if (in.has(member)) {
                throw errors::validation(std::string(member) +
                                         " cannot be specified for target groups with target "
                                         "type 'lambda'");
            }
        }
    } else {
        const auto protocol = in.optional_string("Protocol");
        const auto port = in.optional_int("Port");
        const auto vpc = in.optional_string("VpcId");
        if (!protocol || !port || !vpc) {
            throw errors::validation(
                "A protocol, a port and a VPC ID must be specified for "
                "target groups with target type '" +
                target_type + "'");
        }
        if (!is_protocol(*protocol)) {
            throw errors::validation("Protocol '" + *protocol + "' is not valid");
        }
        if (target_type == "alb" && *protocol != "TCP" && *protocol != "TLS") {
            throw errors::validation(
                "Target groups with target type 'alb' support only the TCP and TLS protocols");
        }
        if (*port < 1 || *port > 65535) {
            throw errors::validation("1 validation error detected: Value '" +
                                     std::to_string(*port) +
                                     "' at 'port' failed to satisfy constraint: Member must have "
                                     "value between 1 and 65535");
        }
        if (!ec2::vpc_cidr_block(db_, ctx.scope, *vpc)) {
            throw errors::validation("The VPC ID '" + *vpc + "' is not found");
        }
        group["Protocol"] = *protocol;
        group["Port"] = *port;
        group["VpcId"] = *vpc;
        group["IpAddressType"] = in.optional_string("IpAddressType").value_or("ipv4");
        if (group["IpAddressType"] != "ipv4" && group["IpAddressType"] != "ipv6") {
            throw errors::validation("IP address type must be one of 'ipv4', 'ipv6'");
        }
        if (*protocol == "HTTP" || *protocol == "HTTPS") {
            std::string version = in.optional_string("ProtocolVersion").value_or("");
            if (version.empty()) {
                version = "HTTP1";
            }
            if (version != "HTTP1" && version != "HTTP2" && version != "GRPC") {
                throw errors::validation("Protocol version '" + version +
                                         "' must be one of 'HTTP1', 'HTTP2', 'GRPC'");
            }
            group["ProtocolVersion"] = version;
            if (version == "GRPC" && !in.has("Matcher")) {
                group["Matcher"] = {{"GrpcCode", "12"}};
            }
        } else if (!in.optional_string("ProtocolVersion").value_or("").empty()) {
            throw errors::validation(
                "A protocol version can be specified only for HTTP and "
                "HTTPS target groups");
        }
    }
    copy_health_check(in, group);
    apply_health_check_defaults(group);
    validate_health_check(group);
    const Tags tags = tag_list(in.optional_array("Tags"));
    const std::int64_t now = epoch_ms(ctx.now());
    if (auto existing = store_.find_by_name(ctx.scope, ResourceKind::TargetGroup, name)) {
        Json comparable = existing->document;
        for (const char* key : {"TargetGroupArn", "_Attributes"}) {
            comparable.erase(key);
        }
        if (comparable != group) {
            throw AwsError(errors::DuplicateTargetGroupName,
                           "A target group with the same name '" + name +
                               "' exists, but with different settings");
        }
        return {{"TargetGroups", Json::array({describe(ctx.scope, *existing, now)})}};
    }
    const std::string arn = target_group_arn(ctx.scope, name, new_hex_id());
    group["TargetGroupArn"] = arn;
    group["_Attributes"] = attributes_json(default_target_group_attributes(target_type));
    const Resource resource{ResourceKind::TargetGroup, arn, name, "", 0, group};
    store_.put(ctx.scope, resource);
    store_tags(ctx.scope, arn, tags);
    return {{"TargetGroups", Json::array({describe(ctx.scope, resource, now)})}};
}

Json Elbv2Service::modify_target_group(const RequestContext& ctx, const Params& in) {
    Resource group =
        require(ctx.scope, in.required_string("TargetGroupArn"), ResourceKind::TargetGroup);
    copy_health_check(in, group.document);
    if (in.has("HealthCheckProtocol")) {
        const std::string protocol = group.document.at("HealthCheckProtocol");
        if (protocol == "TCP") {
            group.document.erase("HealthCheckPath");
            group.document.erase("Matcher");
        }
        apply_health_check_defaults(group.document);
    }
    validate_health_check(group.document);
    store_.put(ctx.scope, group);
    return {{"TargetGroups", Json::array({describe(ctx.scope, group, epoch_ms(ctx.now()))})}};
}

Json Elbv2Service::describe_target_groups(const RequestContext& ctx, const Params& in) {
    const auto lb_arn = in.optional_string("LoadBalancerArn");
    const auto arns = in.string_list("TargetGroupArns");
    const auto names = in.string_list("Names");
    if (!arns.empty() && !names.empty()) {
        throw errors::validation(
            "Target group ARNs and target group names cannot be specified at the same time");
    }
    std::vector<Resource> found;
    if (!arns.empty()) {
        for (const auto& arn : arns) {
            auto group = parse_arn(arn) ? store_.find(ctx.scope, arn) : std::nullopt;
            if (!group || group->kind != ResourceKind::TargetGroup) {
                throw AwsError(errors::TargetGroupNotFound, "One or more target groups not found");
            }
            found.push_back(std::move(*group));
        }
    } else if (!names.empty()) {
        for (const auto& name : names) {
            auto group = store_.find_by_name(ctx.scope, ResourceKind::TargetGroup, name);
            if (!group) {
                throw AwsError(errors::TargetGroupNotFound,
                               "Target groups '[" + name + "]' not found");
            }
            found.push_back(std::move(*group));
        }
    } else {
        found = store_.list(ctx.scope, ResourceKind::TargetGroup);
    }
    // A load balancer narrows the answer to the groups its listeners and rules forward to.
    if (lb_arn) {
        require(ctx.scope, *lb_arn, ResourceKind::LoadBalancer);
        const auto users = target_group_users(ctx.scope);
        std::erase_if(found, [&](const Resource& group) {
            const auto it = users.find(group.arn);
            return it == users.end() || !it->second.contains(*lb_arn);
        });
    }
    const std::int64_t now = epoch_ms(ctx.now());
    return page_of(found, in, "TargetGroups",
                   [&](const Resource& group) { return describe(ctx.scope, group, now); });
}

Json Elbv2Service::delete_target_group(const RequestContext& ctx, const Params& in) {
    const std::string arn = in.required_string("TargetGroupArn");
    const auto parts = parse_arn(arn);
    if (!parts || parts->kind != ResourceKind::TargetGroup) {
        throw errors::validation("'" + arn + "' is not a valid target group ARN");
    }
    // Deleting a target group that is not there succeeds, as on AWS.
    if (!store_.find(ctx.scope, arn)) {
        return Json::object();
    }
    if (target_group_users(ctx.scope).contains(arn)) {
        throw AwsError(errors::ResourceInUse,
                       "Target group '" + arn + "' is currently in use by a listener or a rule");
    }
    store_.erase(ctx.scope, arn);
    return Json::object();
}

Json Elbv2Service::describe_target_group_attributes(const RequestContext& ctx, const Params& in) {
    const Resource group =
        require(ctx.scope, in.required_string("TargetGroupArn"), ResourceKind::TargetGroup);
    return {{"Attributes", group.document.at("_Attributes")}};
}

Json Elbv2Service::modify_target_group_attributes(const RequestContext& ctx, const Params& in) {
    Resource group =
        require(ctx.scope, in.required_string("TargetGroupArn"), ResourceKind::TargetGroup);
    const Attributes changes = attribute_list(&in.required_array("Attributes"));
    if (changes.empty()) {
        throw errors::validation("At least one attribute must be specified");
    }
    const std::string target_type = group.document.at("TargetType");
    for (const auto& [key, value] : changes) {
        validate_target_group_attribute(key, value, target_type);
    }
    group.document["_Attributes"] = attributes_json(
        merge_attributes(attributes_from_json(group.document.at("_Attributes")), changes));
    store_.put(ctx.scope, group);
    return {{"Attributes", group.document.at("_Attributes")}};
}

}  // namespace awsemu::elbv2
