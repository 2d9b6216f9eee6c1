#include "services/ec2/ec2_defaults.hpp"
#include "services/ec2/ec2_errors.hpp"
#include "services/ec2/ec2_input.hpp"
#include "services/ec2/ec2_service.hpp"

namespace awsemu::ec2 {
namespace {

std::string zone_id_of(const Scope& scope, const std::string& zone_name) {
    const auto zone = find_zone(scope.region, zone_name);
    return zone ? zone->zone_id : std::string();
}

nlohmann::json subnet_json(const Subnet& s, const Scope& scope) {
    nlohmann::json out = {
        {"SubnetId", s.subnet_id},
        {"SubnetArn", resource_arn(scope, "subnet", s.subnet_id)},
        {"VpcId", s.vpc_id},
        {"OwnerId", scope.account_id},
        {"State", "available"},
        {"CidrBlock", s.cidr_block},
        {"AvailableIpAddressCount", available_ip_address_count(s.cidr_block)},
        {"AvailabilityZone", s.availability_zone},
        {"AvailabilityZoneId", zone_id_of(scope, s.availability_zone)},
        {"DefaultForAz", s.default_for_az},
        {"MapPublicIpOnLaunch", s.map_public_ip_on_launch},
        {"MapCustomerOwnedIpOnLaunch", false},
        {"AssignIpv6AddressOnCreation", s.assign_ipv6_address_on_creation},
        {"Ipv6CidrBlockAssociationSet", nlohmann::json::array()},
        {"Ipv6Native", false},
        {"EnableDns64", s.enable_dns64},
        {"PrivateDnsNameOptionsOnLaunch",
         {{"HostnameType", s.hostname_type},
          {"EnableResourceNameDnsARecord", s.enable_resource_name_dns_a_record},
          {"EnableResourceNameDnsAAAARecord", s.enable_resource_name_dns_aaaa_record}}},
        {"BlockPublicAccessStates", {{"InternetGatewayBlockMode", "off"}}},
    };
    if (!s.tags.empty()) {
        out["Tags"] = tags_json(s.tags);
    }
    return out;
}

FilterFields subnet_fields(const Subnet& s, const Scope& scope) {
    const auto available = std::to_string(available_ip_address_count(s.cidr_block));
    FilterFields fields = {
        {"subnet-id", s.subnet_id},
        {"subnet-arn", resource_arn(scope, "subnet", s.subnet_id)},
        {"vpc-id", s.vpc_id},
        {"availability-zone", s.availability_zone},
        {"availabilityZone", s.availability_zone},
        {"availability-zone-id", zone_id_of(scope, s.availability_zone)},
        {"availabilityZoneId", zone_id_of(scope, s.availability_zone)},
        {"cidr-block", s.cidr_block},
        {"cidr", s.cidr_block},
        {"cidrBlock", s.cidr_block},
        {"default-for-az", s.default_for_az ? "true" : "false"},
        {"defaultForAz", s.default_for_az ? "true" : "false"},
        {"map-public-ip-on-launch", s.map_public_ip_on_launch ? "true" : "false"},
        {"available-ip-address-count", available},
        {"owner-id", scope.account_id},
        {"state", "available"},
    };
    add_tag_fields(fields, s.tags);
    return fields;
}

std::string zone_list(const Scope& scope) {
    std::string list;
    for (const auto& zone : availability_zones(scope.region)) {
        list += (list.empty() ? "" : ", ") + zone.name;
    }
    return list;
}

}  // namespace

nlohmann::json Ec2Service::create_subnet(const RequestContext& ctx, const Params& in) {
    const Vpc vpc = require_vpc(ctx.scope, in.required_string("VpcId"));
    const auto cidr_text = in.optional_string("CidrBlock");
    if (!cidr_text) {
        throw AwsError(errors::MissingParameter,
                       "The request must contain the parameter cidrBlock");
    }
    const auto cidr = parse_cidr(*cidr_text);
    if (!cidr) {
        throw errors::invalid_value("cidrBlock", *cidr_text, "This is not a valid CIDR block.");
    }
    if (cidr->prefix < 16 || cidr->prefix > 28 || !parse_cidr(vpc.cidr_block)->contains(*cidr)) {
        throw AwsError(errors::InvalidSubnetRange, "The CIDR '" + *cidr_text + "' is invalid.");
    }
    const auto siblings = store_.subnets(ctx.scope, vpc.vpc_id);
    for (const auto& other : siblings) {
        if (parse_cidr(other.cidr_block)->overlaps(*cidr)) {
            throw AwsError(errors::InvalidSubnetConflict,
                           "The CIDR '" + *cidr_text + "' conflicts with another subnet");
        }
    }
    const auto zone_name = in.optional_string("AvailabilityZone");
    const auto zone_id = in.optional_string("AvailabilityZoneId");
    if (zone_name && zone_id) {
        throw AwsError(errors::InvalidParameterCombination,
                       "Only one of availabilityZone or availabilityZoneId may be specified.");
    }
    std::optional<AvailabilityZone> zone;
    if (zone_name || zone_id) {
        zone = find_zone(ctx.scope.region, zone_name ? *zone_name : *zone_id);
        if (!zone || (zone_name && zone->name != *zone_name) ||
            (zone_id && zone->zone_id != *zone_id)) {
            throw errors::invalid_value(
                zone_name ? "availabilityZone" : "availabilityZoneId",
                zone_name ? *zone_name : *zone_id,
                "Subnets can currently only be created in the following availability zones: " +
                    zone_list(ctx.scope) + ".");
        }
    } else {
        // As AWS spreads a VPC's subnets: the zone with the fewest of them.
        std::size_t fewest = SIZE_MAX;
        for (const auto& candidate : availability_zones(ctx.scope.region)) {
            const auto count = static_cast<std::size_t>(std::count_if(
                siblings.begin(), siblings.end(),
                [&](const Subnet& s) { return s.availability_zone == candidate.name; }));
            if (count < fewest) {
                fewest = count;
                zone = candidate;
            }
        }
    }
    Subnet subnet;
    subnet.subnet_id = new_resource_id("subnet");
    subnet.vpc_id = vpc.vpc_id;
    subnet.cidr_block = cidr->str();
    subnet.availability_zone = zone->name;
    subnet.tags = tags_from_specifications(in, "subnet");
    store_.insert_subnet(ctx.scope, subnet);
    put_tags(ctx.scope, subnet.subnet_id, subnet.tags);
    return {{"Subnet", subnet_json(subnet, ctx.scope)}};
}

nlohmann::json Ec2Service::describe_subnets(const RequestContext& ctx, const Params& in) {
    const auto filters = read_filters(
        in, {"subnet-id", "subnet-arn", "vpc-id", "availability-zone", "availabilityZone",
             "availability-zone-id", "availabilityZoneId", "cidr-block", "cidr", "cidrBlock",
             "default-for-az", "defaultForAz", "map-public-ip-on-launch",
             "available-ip-address-count", "owner-id", "state", "tag-key", "tag-value"});
    const auto ids = in.string_list("SubnetIds");
    for (const auto& id : ids) {
        require_subnet(ctx.scope, id);
    }
    std::vector<std::pair<std::string, nlohmann::json>> items;
    for (const auto& subnet : store_.subnets(ctx.scope)) {
        if (!ids.empty() && std::find(ids.begin(), ids.end(), subnet.subnet_id) == ids.end()) {
            continue;
        }
        if (matches_filters(filters, subnet_fields(subnet, ctx.scope))) {
            items.emplace_back(subnet.subnet_id, subnet_json(subnet, ctx.scope));
        }
    }
    nlohmann::json result = nlohmann::json::object();
    write_page(std::move(items), in, "Subnets", result);
    return result;
}

nlohmann::json Ec2Service::delete_subnet(const RequestContext& ctx, const Params& in) {
    const Subnet subnet = require_subnet(ctx.scope, in.required_string("SubnetId"));
    store_.delete_subnet(ctx.scope, subnet.subnet_id);
    return nlohmann::json::object();
}

nlohmann::json Ec2Service::modify_subnet_attribute(const RequestContext& ctx, const Params& in) {
    Subnet subnet = require_subnet(ctx.scope, in.required_string("SubnetId"));
    const std::pair<const char*, bool Subnet::*> booleans[] = {
        {"MapPublicIpOnLaunch", &Subnet::map_public_ip_on_launch},
        {"AssignIpv6AddressOnCreation", &Subnet::assign_ipv6_address_on_creation},
        {"EnableDns64", &Subnet::enable_dns64},
        {"EnableResourceNameDnsARecordOnLaunch", &Subnet::enable_resource_name_dns_a_record},
        {"EnableResourceNameDnsAAAARecordOnLaunch", &Subnet::enable_resource_name_dns_aaaa_record},
    };
    bool changed = false;
    for (const auto& [name, member] : booleans) {
        if (const auto value = attribute_bool(in, name)) {
            if (std::string_view(name) == "AssignIpv6AddressOnCreation" && *value) {
                throw AwsError(errors::InvalidParameterValue,
                               "Invalid value 'true' for assignIpv6AddressOnCreation. Cannot set "
                               "assignIpv6AddressOnCreation to true unless the subnet (" +
                                   subnet.subnet_id +
                                   ") has an IPv6 CIDR block associated with it.");
            }
            subnet.*member = *value;
            changed = true;
        }
    }
    if (const auto type = in.optional_string("PrivateDnsHostnameTypeOnLaunch")) {
        if (*type != "ip-name" && *type != "resource-name") {
            throw errors::invalid_value("PrivateDnsHostnameTypeOnLaunch", *type,
                                        "Valid values are ip-name and resource-name.");
        }
        subnet.hostname_type = *type;
        changed = true;
    }
    if (attribute_bool(in, "MapCustomerOwnedIpOnLaunch").value_or(false)) {
        throw AwsError(errors::InvalidParameterValue,
                       "Subnet " + subnet.subnet_id + " is not in an Outpost.");
    }
    if (!changed && !in.has("MapCustomerOwnedIpOnLaunch")) {
        throw AwsError(errors::MissingParameter,
                       "The request must contain the parameter to modify.");
    }
    store_.update_subnet(ctx.scope, subnet);
    return nlohmann::json::object();
}

}  // namespace awsemu::ec2
