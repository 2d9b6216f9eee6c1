// The network ACL and route table every VPC has from its creation, read-only: awsemu routes no
// packets, but Terraform reads a VPC's default network ACL and main route table, and its
// subnets' network interfaces before deleting them. Their ids derive from the VPC's, so they
// need no storage of their own.
#include "services/ec2/ec2_errors.hpp"
#include "services/ec2/ec2_input.hpp"
#include "services/ec2/ec2_service.hpp"

namespace awsemu::ec2 {
namespace {

std::string derived_id(std::string_view prefix, const std::string& resource_id) {
    return std::string(prefix) + "-" + resource_id.substr(resource_id.find('-') + 1);
}

nlohmann::json acl_entry(int rule_number, bool egress, std::string_view action) {
    return {{"RuleNumber", rule_number},
            {"Protocol", "-1"},
            {"RuleAction", action},
            {"Egress", egress},
            {"CidrBlock", "0.0.0.0/0"}};
}

}  // namespace

nlohmann::json Ec2Service::describe_network_acls(const RequestContext& ctx, const Params& in) {
    const auto filters = read_filters(
        in, {"default", "vpc-id", "network-acl-id", "owner-id", "association.subnet-id",
             "association.network-acl-id", "association.association-id"});
    const auto ids = in.string_list("NetworkAclIds");
    std::vector<std::pair<std::string, nlohmann::json>> items;
    const auto subnets = store_.subnets(ctx.scope);
    for (const auto& vpc : store_.vpcs(ctx.scope)) {
        const std::string acl_id = derived_id("acl", vpc.vpc_id);
        FilterFields fields = {{"default", "true"},
                               {"vpc-id", vpc.vpc_id},
                               {"network-acl-id", acl_id},
                               {"owner-id", ctx.scope.account_id}};
        nlohmann::json associations = nlohmann::json::array();
        for (const auto& subnet : subnets) {
            if (subnet.vpc_id != vpc.vpc_id) {
                continue;
            }
            const std::string association = derived_id("aclassoc", subnet.subnet_id);
            associations.push_back({{"NetworkAclAssociationId", association},
                                    {"NetworkAclId", acl_id},
                                    {"SubnetId", subnet.subnet_id}});
            fields.emplace("association.subnet-id", subnet.subnet_id);
            fields.emplace("association.network-acl-id", acl_id);
            fields.emplace("association.association-id", association);
        }
        if ((!ids.empty() && std::find(ids.begin(), ids.end(), acl_id) == ids.end()) ||
            !matches_filters(filters, fields)) {
            continue;
        }
        items.emplace_back(
            acl_id,
            nlohmann::json{{"NetworkAclId", acl_id},
                           {"VpcId", vpc.vpc_id},
                           {"OwnerId", ctx.scope.account_id},
                           {"IsDefault", true},
                           {"Associations", std::move(associations)},
                           {"Entries",
                            {acl_entry(100, true, "allow"), acl_entry(32767, true, "deny"),
                             acl_entry(100, false, "allow"), acl_entry(32767, false, "deny")}},
                           {"Tags", nlohmann::json::array()}});
    }
    nlohmann::json result = nlohmann::json::object();
    write_page(std::move(items), in, "NetworkAcls", result);
    return result;
}

nlohmann::json Ec2Service::describe_route_tables(const RequestContext& ctx, const Params& in) {
    const auto filters =
        read_filters(in, {"association.main", "vpc-id", "route-table-id", "owner-id",
                          "association.route-table-id", "association.route-table-association-id",
                          "route.destination-cidr-block", "route.gateway-id"});
    const auto ids = in.string_list("RouteTableIds");
    std::vector<std::pair<std::string, nlohmann::json>> items;
    for (const auto& vpc : store_.vpcs(ctx.scope)) {
        const std::string table_id = derived_id("rtb", vpc.vpc_id);
        const std::string association = derived_id("rtbassoc", vpc.vpc_id);
        const FilterFields fields = {{"association.main", "true"},
                                     {"vpc-id", vpc.vpc_id},
                                     {"route-table-id", table_id},
                                     {"owner-id", ctx.scope.account_id},
                                     {"association.route-table-id", table_id},
                                     {"association.route-table-association-id", association},
                                     {"route.destination-cidr-block", vpc.cidr_block},
                                     {"route.gateway-id", "local"}};
        if ((!ids.empty() && std::find(ids.begin(), ids.end(), table_id) == ids.end()) ||
            !matches_filters(filters, fields)) {
            continue;
        }
        items.emplace_back(table_id,
                           nlohmann::json{{"RouteTableId", table_id},
                                          {"VpcId", vpc.vpc_id},
                                          {"OwnerId", ctx.scope.account_id},
                                          {"Associations",
                                           {{{"Main", true},
                                             {"RouteTableAssociationId", association},
                                             {"RouteTableId", table_id},
                                             {"AssociationState", {{"State", "associated"}}}}}},
                                          {"Routes",
                                           {{{"DestinationCidrBlock", vpc.cidr_block},
                                             {"GatewayId", "local"},
                                             {"Origin", "CreateRouteTable"},
                                             {"State", "active"}}}},
                                          {"PropagatingVgws", nlohmann::json::array()},
                                          {"Tags", nlohmann::json::array()}});
    }
    nlohmann::json result = nlohmann::json::object();
    write_page(std::move(items), in, "RouteTables", result);
    return result;
}

nlohmann::json Ec2Service::describe_network_interfaces(const RequestContext&, const Params& in) {
    // awsemu makes no network interfaces: every filter matches none, every id is unknown.
    const auto ids = in.string_list("NetworkInterfaceIds");
    if (!ids.empty()) {
        throw AwsError(errors::InvalidNetworkInterfaceIDNotFound,
                       "The networkInterface ID '" + ids.front() + "' does not exist");
    }
    nlohmann::json result = nlohmann::json::object();
    write_page({}, in, "NetworkInterfaces", result);
    return result;
}

}  // namespace awsemu::ec2
