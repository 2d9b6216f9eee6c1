#include "services/ec2/ec2_api.hpp"

#include <algorithm>

#include "services/ec2/ec2_defaults.hpp"
#include "services/ec2/ec2_store.hpp"

namespace awsemu::ec2 {
namespace {

SubnetInfo to_info(const Subnet& subnet, const Scope& scope) {
    const auto zone = find_zone(scope.region, subnet.availability_zone);
    return SubnetInfo{subnet.subnet_id,         subnet.vpc_id,
                      subnet.availability_zone, zone ? zone->zone_id : std::string(),
                      zone ? zone->index : 0,   subnet.cidr_block};
}

}  // namespace

std::optional<SubnetInfo> find_subnet(Database& database, const Scope& scope,
                                      std::string_view subnet_id) {
    auto transaction = database.transaction();
    Ec2Store store(database);
    ensure_default_vpc(store, scope);
    const auto subnet = store.find_subnet(scope, std::string(subnet_id));
    transaction.commit();
    if (!subnet) {
        return std::nullopt;
    }
    return to_info(*subnet, scope);
}

std::vector<SubnetInfo> vpc_subnets(Database& database, const Scope& scope,
                                    std::string_view vpc_id) {
    auto transaction = database.transaction();
    Ec2Store store(database);
    ensure_default_vpc(store, scope);
    std::vector<SubnetInfo> result;
    for (const auto& subnet : store.subnets(scope, std::string(vpc_id))) {
        result.push_back(to_info(subnet, scope));
    }
    transaction.commit();
    return result;
}

std::vector<SubnetInfo> default_subnets(Database& database, const Scope& scope) {
    auto transaction = database.transaction();
    Ec2Store store(database);
    ensure_default_vpc(store, scope);
    std::vector<SubnetInfo> result;
    if (const auto vpc = store.default_vpc(scope)) {
        for (const auto& subnet : store.subnets(scope, vpc->vpc_id)) {
            if (subnet.default_for_az) {
                result.push_back(to_info(subnet, scope));
            }
        }
    }
    transaction.commit();
    std::sort(result.begin(), result.end(), [](const SubnetInfo& a, const SubnetInfo& b) {
        return a.availability_zone_index < b.availability_zone_index;
    });
    return result;
}

bool security_group_exists(Database& database, const Scope& scope, std::string_view group_id) {
    auto transaction = database.transaction();
    Ec2Store store(database);
    ensure_default_vpc(store, scope);
    const bool exists = store.find_group(scope, std::string(group_id)).has_value();
    transaction.commit();
    return exists;
}

std::optional<std::string> security_group_vpc(Database& database, const Scope& scope,
                                              std::string_view group_id) {
    auto transaction = database.transaction();
    Ec2Store store(database);
    ensure_default_vpc(store, scope);
    const auto group = store.find_group(scope, std::string(group_id));
    transaction.commit();
    if (!group) {
        return std::nullopt;
    }
    return group->vpc_id;
}

std::optional<std::string> default_security_group(Database& database, const Scope& scope,
                                                  std::string_view vpc_id) {
    auto transaction = database.transaction();
    Ec2Store store(database);
    ensure_default_vpc(store, scope);
    const auto group = store.find_group_by_name(scope, std::string(vpc_id), "default");
    transaction.commit();
    if (!group) {
        return std::nullopt;
    }
    return group->group_id;
}

std::optional<std::string> vpc_cidr_block(Database& database, const Scope& scope,
                                          std::string_view vpc_id) {
    auto transaction = database.transaction();
    Ec2Store store(database);
    ensure_default_vpc(store, scope);
    const auto vpc = store.find_vpc(scope, std::string(vpc_id));
    transaction.commit();
    if (!vpc) {
        return std::nullopt;
    }
    return vpc->cidr_block;
}

std::vector<std::string> availability_zone_names(std::string_view region) {
    std::vector<std::string> names;
    for (const auto& zone : availability_zones(region)) {
        names.push_back(zone.name);
    }
    return names;
}

}  // namespace awsemu::ec2
