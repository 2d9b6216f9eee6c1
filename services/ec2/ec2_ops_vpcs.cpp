#include "services/ec2/ec2_defaults.hpp"
#include "services/ec2/ec2_errors.hpp"
#include "services/ec2/ec2_input.hpp"
#include "services/ec2/ec2_service.hpp"

namespace awsemu::ec2 {
namespace {

nlohmann::json vpc_json(const Vpc& vpc, const Scope& scope, std::string_view state) {
    nlohmann::json out = {
        {"VpcId", vpc.vpc_id},
        {"OwnerId", scope.account_id},
        {"State", state},
        {"CidrBlock", vpc.cidr_block},
        {"DhcpOptionsId", vpc.dhcp_options_id},
        {"InstanceTenancy", vpc.instance_tenancy},
        {"IsDefault", vpc.is_default},
        {"CidrBlockAssociationSet",
         {{{"AssociationId", vpc.cidr_association_id},
           {"CidrBlock", vpc.cidr_block},
           {"CidrBlockState", {{"State", "associated"}}}}}},
        {"BlockPublicAccessStates", {{"InternetGatewayBlockMode", "off"}}},
    };
    if (!vpc.tags.empty()) {
        out["Tags"] = tags_json(vpc.tags);
    }
    return out;
}

FilterFields vpc_fields(const Vpc& vpc, const Scope& scope) {
    FilterFields fields = {
        {"vpc-id", vpc.vpc_id},
        {"cidr", vpc.cidr_block},
        {"cidr-block-association.cidr-block", vpc.cidr_block},
        {"cidr-block-association.association-id", vpc.cidr_association_id},
        {"cidr-block-association.state", "associated"},
        {"dhcp-options-id", vpc.dhcp_options_id},
        {"is-default", vpc.is_default ? "true" : "false"},
        {"owner-id", scope.account_id},
        {"state", "available"},
    };
    add_tag_fields(fields, vpc.tags);
    return fields;
}

Cidr vpc_cidr(const std::string& text) {
    const auto cidr = parse_cidr(text);
    if (!cidr) {
        throw errors::invalid_value("cidrBlock", text, "This is not a valid CIDR block.");
    }
    if (cidr->prefix < 16 || cidr->prefix > 28) {
        throw AwsError(errors::InvalidVpcRange, "The CIDR '" + text + "' is invalid.");
    }
    return *cidr;
}

}  // namespace

nlohmann::json Ec2Service::create_vpc(const RequestContext& ctx, const Params& in) {
    const auto cidr_text = in.optional_string("CidrBlock");
    if (!cidr_text) {
        throw AwsError(errors::MissingParameter,
                       "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.");
    }
    const Cidr cidr = vpc_cidr(*cidr_text);
    if (in.optional_bool("AmazonProvidedIpv6CidrBlock").value_or(false) ||
        in.has("Ipv6CidrBlock") || in.has("Ipv6Pool") || in.has("Ipv6IpamPoolId")) {
        throw AwsError(errors::UnsupportedOperation,
                       "awsemu's VPCs are IPv4 only: IPv6 CIDR blocks are not emulated.");
    }
    Vpc vpc;
    vpc.vpc_id = new_resource_id("vpc");
    vpc.cidr_block = cidr.str();
    vpc.cidr_association_id = new_resource_id("vpc-cidr-assoc");
    vpc.dhcp_options_id = new_resource_id("dopt");
    vpc.instance_tenancy = in.optional_string("InstanceTenancy").value_or("default");
    if (vpc.instance_tenancy != "default" && vpc.instance_tenancy != "dedicated") {
        throw errors::invalid_value("instanceTenancy", vpc.instance_tenancy,
                                    "Valid values are default and dedicated.");
    }
    vpc.tags = tags_from_specifications(in, "vpc");
    insert_vpc_with_default_group(store_, ctx.scope, vpc);
    put_tags(ctx.scope, vpc.vpc_id, vpc.tags);
    return {{"Vpc", vpc_json(vpc, ctx.scope, "pending")}};
}

nlohmann::json Ec2Service::describe_vpcs(const RequestContext& ctx, const Params& in) {
    const auto filters = read_filters(
        in, {"vpc-id", "cidr", "cidr-block-association.cidr-block",
             "cidr-block-association.association-id", "cidr-block-association.state",
             "dhcp-options-id", "is-default", "owner-id", "state", "tag-key", "tag-value"});
    const auto ids = in.string_list("VpcIds");
    for (const auto& id : ids) {
        require_vpc(ctx.scope, id);
    }
    std::vector<std::pair<std::string, nlohmann::json>> items;
    for (const auto& vpc : store_.vpcs(ctx.scope)) {
        if (!ids.empty() && std::find(ids.begin(), ids.end(), vpc.vpc_id) == ids.end()) {
            continue;
        }
        if (matches_filters(filters, vpc_fields(vpc, ctx.scope))) {
            items.emplace_back(vpc.vpc_id, vpc_json(vpc, ctx.scope, "available"));
        }
    }
    nlohmann::json result = nlohmann::json::object();
    write_page(std::move(items), in, "Vpcs", result);
    return result;
}

nlohmann::json Ec2Service::delete_vpc(const RequestContext& ctx, const Params& in) {
    const Vpc vpc = require_vpc(ctx.scope, in.required_string("VpcId"));
    const auto groups = store_.groups(ctx.scope, vpc.vpc_id);
    const bool only_default_group =
        std::all_of(groups.begin(), groups.end(),
                    [](const SecurityGroup& g) { return g.group_name == "default"; });
    if (!store_.subnets(ctx.scope, vpc.vpc_id).empty() || !only_default_group) {
        throw AwsError(errors::DependencyViolation,
                       "The vpc '" + vpc.vpc_id + "' has dependencies and cannot be deleted.");
    }
    for (const auto& group : groups) {
        store_.delete_group(ctx.scope, group.group_id);
    }
    store_.delete_vpc(ctx.scope, vpc.vpc_id);
    return nlohmann::json::object();
}

nlohmann::json Ec2Service::describe_vpc_attribute(const RequestContext& ctx, const Params& in) {
    const Vpc vpc = require_vpc(ctx.scope, in.required_string("VpcId"));
    const std::string attribute = in.required_string("Attribute");
    nlohmann::json result = {{"VpcId", vpc.vpc_id}};
    if (attribute == "enableDnsSupport") {
        result["EnableDnsSupport"] = {{"Value", vpc.enable_dns_support}};
    } else if (attribute == "enableDnsHostnames") {
        result["EnableDnsHostnames"] = {{"Value", vpc.enable_dns_hostnames}};
    } else if (attribute == "enableNetworkAddressUsageMetrics") {
        result["EnableNetworkAddressUsageMetrics"] = {
            {"Value", vpc.enable_network_address_usage_metrics}};
    } else {
        throw errors::invalid_value("attribute", attribute, "Unknown attribute.");
    }
    return result;
}

nlohmann::json Ec2Service::modify_vpc_attribute(const RequestContext& ctx, const Params& in) {
    Vpc vpc = require_vpc(ctx.scope, in.required_string("VpcId"));
    const auto support = attribute_bool(in, "EnableDnsSupport");
    const auto hostnames = attribute_bool(in, "EnableDnsHostnames");
    const auto metrics = attribute_bool(in, "EnableNetworkAddressUsageMetrics");
    const int given = (support ? 1 : 0) + (hostnames ? 1 : 0) + (metrics ? 1 : 0);
    if (given == 0) {
        throw AwsError(errors::MissingParameter,
                       "The request must contain exactly one attribute to modify.");
    }
    if (given > 1) {
        throw AwsError(errors::InvalidParameterCombination,
                       "Fields for multiple attribute types specified: enableDnsSupport, "
                       "enableDnsHostnames, enableNetworkAddressUsageMetrics");
    }
    if (support) {
        vpc.enable_dns_support = *support;
    }
    if (hostnames) {
        if (*hostnames && !vpc.enable_dns_support) {
            throw AwsError(errors::InvalidParameterValue,
                           "Cannot enable DNS hostnames while DNS support is disabled.");
        }
        vpc.enable_dns_hostnames = *hostnames;
    }
    if (metrics) {
        vpc.enable_network_address_usage_metrics = *metrics;
    }
    store_.update_vpc(ctx.scope, vpc);
    return nlohmann::json::object();
}

}  // namespace awsemu::ec2
