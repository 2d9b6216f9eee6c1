#pragma once

#include <set>
#include <string>

#include "emulator/store/database.hpp"
#include "services/elbv2/elbv2_store.hpp"

// Which availability zone a target is in, and whether its load balancers serve that zone: AWS
// reports a target in a zone none of them is enabled in as unused (Target.NotInUse) and sends it
// no traffic.
namespace awsemu::elbv2 {

// The zone a registration names, else (ip targets) the zone of the VPC's subnet that holds the
// address, or its loopback mirror (an ECS task at 127.31.16.9 lives in the subnet of
// 172.31.16.9); "" when unknown or "all".
std::string target_zone(Database& database, const Scope& scope, const Json& target_group,
                        const TargetRecord& target);

// The zones of these load balancers.
std::set<std::string> enabled_zones(Elbv2Store& store, const Scope& scope,
                                    const std::set<std::string>& load_balancer_arns);

// Whether a target in `zone` may get traffic from load balancers enabled in `zones`.
inline bool zone_enabled(const std::string& zone, const std::set<std::string>& zones) {
    return zone.empty() || zones.contains(zone);
}

}  // namespace awsemu::elbv2
