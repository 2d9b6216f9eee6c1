#include "services/elbv2/target_zones.hpp"

#include "services/ec2/ec2_api.hpp"
#include "services/elbv2/rule_matcher.hpp"

namespace awsemu::elbv2 {

std::string target_zone(Database& database, const Scope& scope, const Json& target_group,
                        const TargetRecord& target) {
    if (!target.availability_zone.empty()) {
        return target.availability_zone == "all" ? "" : target.availability_zone;
    }
    if (target_group.value("TargetType", "") != "ip" || !ipv4_in_cidr(target.id, "0.0.0.0/0")) {
        return "";
    }
    const std::string vpc = target_group.value("VpcId", "");
    const bool loopback = ipv4_in_cidr(target.id, "127.0.0.0/8");
    const auto rest = target.id.substr(target.id.find('.'));  // ".31.16.9"
    for (const auto& subnet : ec2::vpc_subnets(database, scope, vpc)) {
        const std::string address =
            loopback ? subnet.cidr_block.substr(0, subnet.cidr_block.find('.')) + rest : target.id;
        if (ipv4_in_cidr(address, subnet.cidr_block)) {
            return subnet.availability_zone;
        }
    }
    return "";
}

std::set<std::string> enabled_zones(Elbv2Store& store, const Scope& scope,
                                    const std::set<std::string>& load_balancer_arns) {
    std::set<std::string> zones;
    for (const auto& arn : load_balancer_arns) {
        if (const auto load_balancer = store.find(scope, arn)) {
            for (const auto& zone :
                 load_balancer->document.value("AvailabilityZones", Json::array())) {
                zones.insert(zone.value("ZoneName", ""));
            }
        }
    }
    return zones;
}

}  // namespace awsemu::elbv2
