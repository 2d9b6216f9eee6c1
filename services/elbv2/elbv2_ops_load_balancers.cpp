#include <algorithm>
#include <set>

#include "emulator/runtime/time_format.hpp"
#include "services/ec2/ec2_api.hpp"
#include "services/elbv2/elbv2_errors.hpp"
#include "services/elbv2/elbv2_service.hpp"

namespace awsemu::elbv2 {
namespace {

// The Route 53 zone of application load balancers per region (AWS's published ids).
std::string hosted_zone_id(const std::string& region) {
    static const std::map<std::string, std::string, std::less<>> kZones = {
        {"us-east-1", "Z35SXDOTRQ7X7K"},      {"us-east-2", "Z3AADJGX6KTTL2"},
        {"us-west-1", "Z368ELLRRE2KJ0"},      {"us-west-2", "Z1H1FL5HABSF5"},
        {"eu-west-1", "Z32O12XQLNTSW2"},      {"eu-central-1", "Z215JYRZR1TBD5"},
        {"ap-southeast-1", "Z1LMS91P8CMLE5"}, {"ap-northeast-1", "Z14GRHDCWA56QT"},
    };
    const auto it = kZones.find(region);
    return it != kZones.end() ? it->second : "Z35SXDOTRQ7X7K";
}

struct ResolvedSubnets {
    std::string vpc_id;
    Json zones = Json::array();  // AvailabilityZones as AWS describes them
};

// Subnets or SubnetMappings -> the load balancer's zones, checked as AWS checks an ALB's: every
// subnet exists, one per zone, all in one VPC, at least two zones.
ResolvedSubnets resolve_subnets(Database& db, const Scope& scope, const Params& in) {
    std::vector<std::string> ids = in.string_list("Subnets");
    if (const Json* mappings = in.optional_array("SubnetMappings")) {
        if (!ids.empty()) {
            throw errors::validation("You can specify subnets or subnet mappings, not both");
        }
        for (const auto& mapping : *mappings) {
            if (mapping.contains("AllocationId") || mapping.contains("PrivateIPv4Address")) {
                throw errors::validation(
                    "Application load balancers do not support Elastic IP "
                    "addresses or private IPv4 addresses in subnet "
                    "mappings");
            }
            ids.push_back(mapping.value("SubnetId", ""));
        }
    }
    ResolvedSubnets result;
    std::set<std::string> zones;
    for (const auto& id : ids) {
        const auto subnet = ec2::find_subnet(db, scope, id);
        if (!subnet) {
            throw AwsError(errors::SubnetNotFound, "The subnet ID '" + id + "' is not valid");
        }
        if (!result.vpc_id.empty() && result.vpc_id != subnet->vpc_id) {
            throw AwsError(errors::InvalidSubnet,
                           "The subnets must all belong to the same VPC, but subnet '" + id +
                               "' belongs to '" + subnet->vpc_id + "'");
        }
        result.vpc_id = subnet->vpc_id;
        if (!zones.insert(subnet->availability_zone).second) {
            throw AwsError(errors::InvalidConfigurationRequest,
                           "A load balancer cannot be attached to multiple subnets in the same "
                           "Availability Zone");
        }
        result.zones.push_back({{"ZoneName", subnet->availability_zone},
                                {"SubnetId", subnet->subnet_id},
                                {"LoadBalancerAddresses", Json::array()}});
    }
    if (zones.size() < 2) {
        throw errors::validation(
            "At least two subnets in two different Availability Zones must be specified");
    }
    return result;
}

std::vector<std::string> resolve_security_groups(Database& db, const Scope& scope,
                                                 const std::vector<std::string>& given,
                                                 const std::string& vpc_id) {
    if (given.empty()) {
        if (const auto group = ec2::default_security_group(db, scope, vpc_id)) {
            return {*group};
        }
        return {};
    }
    for (const auto& id : given) {
        const auto vpc = ec2::security_group_vpc(db, scope, id);
        if (!vpc || *vpc != vpc_id) {
            throw AwsError(errors::InvalidSecurityGroup,
                           "Security group '" + id + "' does not exist in VPC '" + vpc_id + "'");
        }
    }
    return given;
}

void validate_ip_address_type(const std::string& type, const std::string& scheme) {
    if (type != "ipv4" && type != "dualstack" && type != "dualstack-without-public-ipv4") {
        throw errors::validation("IP address type '" + type +
                                 "' must be one of 'ipv4', 'dualstack', "
                                 "'dualstack-without-public-ipv4'");
    }
    if (type == "dualstack-without-public-ipv4" && scheme != "internet-facing") {
        throw AwsError(errors::InvalidConfigurationRequest,
                       "IP address type 'dualstack-without-public-ipv4' is supported only for "
                       "internet-facing load balancers");
    }
}

}  // namespace

Json Elbv2Service::create_load_balancer(const RequestContext& ctx, const Params& in) {
    const std::string name = in.required_string("Name");
    validate_resource_name(name, "Load balancer");
    const std::string type = in.optional_string("Type").value_or("application");
    if (type != "application") {
        throw errors::validation("Load balancer type '" + type +
                                 "' is not supported by awsemu; only 'application' is");
    }
    const std::string scheme = in.optional_string("Scheme").value_or("internet-facing");
    if (scheme != "internet-facing" && scheme != "internal") {
        throw errors::validation("Scheme '" + scheme +
                                 "' must be one of 'internet-facing', 'internal'");
    }
    const std::string ip_type = in.optional_string("IpAddressType").value_or("ipv4");
    validate_ip_address_type(ip_type, scheme);
    const Tags tags = tag_list(in.optional_array("Tags"));
    const ResolvedSubnets subnets = resolve_subnets(db_, ctx.scope, in);
    const auto groups =
        resolve_security_groups(db_, ctx.scope, in.string_list("SecurityGroups"), subnets.vpc_id);
    const std::int64_t now = epoch_ms(ctx.now());
    if (auto existing = store_.find_by_name(ctx.scope, ResourceKind::LoadBalancer, name)) {
        const Json& doc = existing->document;
        if (doc.at("Scheme") != scheme || doc.at("AvailabilityZones") != subnets.zones) {
            throw AwsError(errors::DuplicateLoadBalancerName,
                           "A load balancer with the same name '" + name +
                               "' exists, but with different settings");
        }
        return {{"LoadBalancers", Json::array({describe(ctx.scope, *existing, now)})}};
    }
    const std::string id = new_hex_id();
    const std::string arn = load_balancer_arn(ctx.scope, name, id);
    const std::string dns_name = (scheme == "internal" ? "internal-" : "") + name + "-" +
                                 id.substr(0, 10) + "." + ctx.scope.region + ".elb.localhost";
    Resource lb{ResourceKind::LoadBalancer, arn, name, "", 0, Json::object()};
    lb.document = {{"LoadBalancerArn", arn},
                   {"DNSName", dns_name},
                   {"CanonicalHostedZoneId", hosted_zone_id(ctx.scope.region)},
                   {"CreatedTime", format_iso8601_millis(ctx.now())},
                   {"LoadBalancerName", name},
                   {"Scheme", scheme},
                   {"VpcId", subnets.vpc_id},
                   {"Type", "application"},
                   {"AvailabilityZones", subnets.zones},
                   {"SecurityGroups", groups},
                   {"IpAddressType", ip_type},
                   {"_CreatedMs", now},
                   {"_Attributes", attributes_json(default_load_balancer_attributes())}};
    store_.put(ctx.scope, lb);
    store_tags(ctx.scope, arn, tags);
    return {{"LoadBalancers", Json::array({describe(ctx.scope, lb, now)})}};
}

Json Elbv2Service::describe_load_balancers(const RequestContext& ctx, const Params& in) {
    const auto arns = in.string_list("LoadBalancerArns");
    const auto names = in.string_list("Names");
    if (!arns.empty() && !names.empty()) {
        throw errors::validation(
            "Load balancer names and load balancer ARNs cannot be specified "
            "at the same time");
    }
    std::vector<Resource> found;
    if (!arns.empty()) {
        for (const auto& arn : arns) {
            auto lb = parse_arn(arn) ? store_.find(ctx.scope, arn) : std::nullopt;
            if (!lb || lb->kind != ResourceKind::LoadBalancer) {
                throw AwsError(errors::LoadBalancerNotFound,
                               "One or more load balancers not found");
            }
            found.push_back(std::move(*lb));
        }
    } else if (!names.empty()) {
        std::vector<std::string> missing;
        for (const auto& name : names) {
            if (auto lb = store_.find_by_name(ctx.scope, ResourceKind::LoadBalancer, name)) {
                found.push_back(std::move(*lb));
            } else {
                missing.push_back("'" + name + "'");
            }
        }
        if (!missing.empty()) {
            std::string list;
            for (const auto& item : missing) {
                list += (list.empty() ? "" : ", ") + item;
            }
            throw AwsError(errors::LoadBalancerNotFound,
                           "Load balancers '[" + list + "]' not found");
        }
    } else {
        found = store_.list(ctx.scope, ResourceKind::LoadBalancer);
    }
    const std::int64_t now = epoch_ms(ctx.now());
    return page_of(found, in, "LoadBalancers",
                   [&](const Resource& lb) { return describe(ctx.scope, lb, now); });
}

Json Elbv2Service::delete_load_balancer(const RequestContext& ctx, const Params& in) {
    const std::string arn = in.required_string("LoadBalancerArn");
    const auto parts = parse_arn(arn);
    if (!parts || parts->kind != ResourceKind::LoadBalancer) {
        throw errors::validation("'" + arn + "' is not a valid load balancer ARN");
    }
    // Deleting a load balancer that is not there succeeds, as on AWS.
    const auto lb = store_.find(ctx.scope, arn);
    if (!lb) {
        return Json::object();
    }
    for (const auto& attribute : lb->document.at("_Attributes")) {
        if (attribute.at("Key") == "deletion_protection.enabled" &&
            attribute.at("Value") == "true") {
            throw AwsError(errors::OperationNotPermitted,
                           "Load balancer '" + arn +
                               "' cannot be deleted because deletion protection is enabled");
        }
    }
    for (const auto& listener : store_.list(ctx.scope, ResourceKind::Listener, arn)) {
        for (const auto& rule : store_.list(ctx.scope, ResourceKind::Rule, listener.arn)) {
            store_.erase(ctx.scope, rule.arn);
        }
        store_.erase(ctx.scope, listener.arn);
    }
    store_.erase(ctx.scope, arn);
    return Json::object();
}

Json Elbv2Service::describe_load_balancer_attributes(const RequestContext& ctx, const Params& in) {
    const Resource lb =
        require(ctx.scope, in.required_string("LoadBalancerArn"), ResourceKind::LoadBalancer);
    return {{"Attributes", lb.document.at("_Attributes")}};
}

Json Elbv2Service::modify_load_balancer_attributes(const RequestContext& ctx, const Params& in) {
    Resource lb =
        require(ctx.scope, in.required_string("LoadBalancerArn"), ResourceKind::LoadBalancer);
    const Attributes changes = attribute_list(&in.required_array("Attributes"));
    if (changes.empty()) {
        throw errors::validation("At least one attribute must be specified");
    }
    for (const auto& [key, value] : changes) {
        validate_load_balancer_attribute(key, value);
    }
    const Attributes merged =
        merge_attributes(attributes_from_json(lb.document.at("_Attributes")), changes);
    lb.document["_Attributes"] = attributes_json(merged);
    store_.put(ctx.scope, lb);
    return {{"Attributes", lb.document.at("_Attributes")}};
}

Json Elbv2Service::set_subnets(const RequestContext& ctx, const Params& in) {
    Resource lb =
        require(ctx.scope, in.required_string("LoadBalancerArn"), ResourceKind::LoadBalancer);
    const ResolvedSubnets subnets = resolve_subnets(db_, ctx.scope, in);
    if (subnets.vpc_id != lb.document.at("VpcId")) {
        throw AwsError(errors::InvalidSubnet,
                       "The subnets must belong to the load balancer's VPC '" +
                           lb.document.at("VpcId").get<std::string>() + "'");
    }
    if (const auto type = in.optional_string("IpAddressType")) {
        validate_ip_address_type(*type, lb.document.at("Scheme"));
        lb.document["IpAddressType"] = *type;
    }
    lb.document["AvailabilityZones"] = subnets.zones;
    store_.put(ctx.scope, lb);
    return {{"AvailabilityZones", subnets.zones}, {"IpAddressType", lb.document["IpAddressType"]}};
}

Json Elbv2Service::set_security_groups(const RequestContext& ctx, const Params& in) {
    Resource lb =
        require(ctx.scope, in.required_string("LoadBalancerArn"), ResourceKind::LoadBalancer);
    in.required_array("SecurityGroups");
    const auto given = in.string_list("SecurityGroups");
    if (given.empty()) {
        throw errors::validation(
            "At least one security group must be specified for an "
            "application load balancer");
    }
    const auto groups = resolve_security_groups(db_, ctx.scope, given, lb.document.at("VpcId"));
    lb.document["SecurityGroups"] = groups;
    store_.put(ctx.scope, lb);
    return {{"SecurityGroupIds", groups}};
}

Json Elbv2Service::set_ip_address_type(const RequestContext& ctx, const Params& in) {
    Resource lb =
        require(ctx.scope, in.required_string("LoadBalancerArn"), ResourceKind::LoadBalancer);
    const std::string type = in.required_string("IpAddressType");
    validate_ip_address_type(type, lb.document.at("Scheme"));
    lb.document["IpAddressType"] = type;
    store_.put(ctx.scope, lb);
    return {{"IpAddressType", type}};
}

}  // namespace awsemu::elbv2
