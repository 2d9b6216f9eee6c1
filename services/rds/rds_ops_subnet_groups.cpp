#include <algorithm>
#include <set>

#include "emulator/ascii.hpp"
#include "services/ec2/ec2_api.hpp"
#include "services/rds/rds_errors.hpp"
#include "services/rds/rds_model.hpp"
#include "services/rds/rds_service.hpp"

namespace awsemu::rds {
namespace {}  // namespace

Json RdsService::create_db_subnet_group(const RequestContext& ctx, const Params& in) {
    const std::string given = in.required_string("DBSubnetGroupName");
    const std::string name = ascii_lower(given);
    const std::string description = in.required_string("DBSubnetGroupDescription");
    const bool valid_name = !name.empty() && name.size() <= 255 && name != "default" &&
                            std::all_of(name.begin(), name.end(), [](char c) {
                                return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
                                       c == '-' || c == '_' || c == '.' || c == ' ';
                            });
    if (!valid_name) {
        throw errors::invalid_value("The parameter DBSubnetGroupName is not a valid identifier.");
    }
    if (store_.find(ctx.scope, Kind::SubnetGroup, name)) {
        throw AwsError(errors::DBSubnetGroupAlreadyExists,
                       "The DB subnet group '" + name + "' already exists.");
    }
    const auto ids = in.string_list("SubnetIds");
    if (ids.empty()) {
        throw AwsError(errors::MissingParameter,
                       "The request must contain the parameter SubnetIds.");
    }
    Json subnets = Json::array();
    std::set<std::string> zones;
    std::set<std::string> vpcs;
    for (const auto& id : ids) {
        const auto subnet = ec2::find_subnet(environment_.database, ctx.scope, id);
        if (!subnet) {
            throw AwsError(errors::InvalidSubnet,
                           "Some input subnets in :[" + id + "] are invalid.");
        }
        zones.insert(subnet->availability_zone);
        vpcs.insert(subnet->vpc_id);
        subnets.push_back({{"SubnetIdentifier", subnet->subnet_id},
                           {"SubnetAvailabilityZone", {{"Name", subnet->availability_zone}}},
                           {"SubnetOutpost", Json::object()},
                           {"SubnetStatus", "Active"}});
    }
    if (vpcs.size() > 1) {
        throw errors::invalid_value("Subnets must all be in the same VPC.");
    }
    if (zones.size() < 2) {
        throw AwsError(errors::DBSubnetGroupDoesNotCoverEnoughAZs,
                       "The DB subnet group doesn't meet Availability Zone (AZ) coverage "
                       "requirement. Current AZ coverage: " +
                           *zones.begin() + ". Add subnets to cover at least 2 AZs.");
    }
    const Json group = {{"DBSubnetGroupName", name},
                        {"DBSubnetGroupDescription", description},
                        {"VpcId", *vpcs.begin()},
                        {"SubnetGroupStatus", "Complete"},
                        {"Subnets", subnets},
                        {"DBSubnetGroupArn", subnet_group_arn(ctx.scope, name)},
                        {"SupportedNetworkTypes", {"IPV4"}}};
    store_.put(ctx.scope, Kind::SubnetGroup, name, group);
    store_tags(ctx.scope, subnet_group_arn(ctx.scope, name), in);
    return {{"DBSubnetGroup", group}};
}

Json RdsService::describe_db_subnet_groups(const RequestContext& ctx, const Params& in) {
    std::vector<Json> items;
    if (const auto name = in.optional_string("DBSubnetGroupName")) {
        auto group = store_.find(ctx.scope, Kind::SubnetGroup, ascii_lower(*name));
        if (!group) {
            throw AwsError(errors::DBSubnetGroupNotFoundFault,
                           "DBSubnetGroup " + *name + " not found.");
        }
        items.push_back(std::move(*group));
    } else {
        items = store_.list(ctx.scope, Kind::SubnetGroup);
    }
    return page_of(filtered(std::move(items), in, {}), in, "DBSubnetGroups", "DBSubnetGroupName");
}

Json RdsService::delete_db_subnet_group(const RequestContext& ctx, const Params& in) {
    const std::string given = in.required_string("DBSubnetGroupName");
    const std::string name = ascii_lower(given);
    if (!store_.find(ctx.scope, Kind::SubnetGroup, name)) {
        throw AwsError(errors::DBSubnetGroupNotFoundFault,
                       "DBSubnetGroup " + given + " not found.");
    }
    for (const auto& instance : store_.list(ctx.scope, Kind::Instance)) {
        if (instance.at("DBSubnetGroup").value("DBSubnetGroupName", "") == name) {
            throw AwsError(errors::InvalidDBSubnetGroupStateFault,
                           "Cannot delete the subnet group '" + name +
                               "' because at least one database instance: " +
                               instance.value("DBInstanceIdentifier", "") + " is still using it.");
        }
    }
    store_.erase(ctx.scope, Kind::SubnetGroup, name);
    store_.remove_tags(ctx.scope, subnet_group_arn(ctx.scope, name));
    return Json::object();
}

}  // namespace awsemu::rds
