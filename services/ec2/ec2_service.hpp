#pragma once

#include <nlohmann/json.hpp>

#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"
#include "services/ec2/ec2_store.hpp"

namespace awsemu::ec2 {

// Amazon EC2's networking subset: availability zones, VPCs (with each account's default VPC per
// region), subnets, security groups and their rules, tags. Handlers take decoded parameters and
// answer JSON by botocore's member names; the EC2 codec does the wire.
class Ec2Service final {
  public:
    explicit Ec2Service(Database& database) : store_(database) {}

    // Runs before every operation: DryRun, and the scope's default VPC on first use.
    void prepare(const RequestContext& ctx, const Params& in);

    // Zones and tags (ec2_ops_tags.cpp)
    nlohmann::json describe_availability_zones(const RequestContext& ctx, const Params& in);
    nlohmann::json create_tags(const RequestContext& ctx, const Params& in);
    nlohmann::json delete_tags(const RequestContext& ctx, const Params& in);
    nlohmann::json describe_tags(const RequestContext& ctx, const Params& in);
    // VPCs (ec2_ops_vpcs.cpp)
    nlohmann::json create_vpc(const RequestContext& ctx, const Params& in);
    nlohmann::json describe_vpcs(const RequestContext& ctx, const Params& in);
    nlohmann::json delete_vpc(const RequestContext& ctx, const Params& in);
    nlohmann::json describe_vpc_attribute(const RequestContext& ctx, const Params& in);
    nlohmann::json modify_vpc_attribute(const RequestContext& ctx, const Params& in);
    // Subnets (ec2_ops_subnets.cpp)
    nlohmann::json create_subnet(const RequestContext& ctx, const Params& in);
    nlohmann::json describe_subnets(const RequestContext& ctx, const Params& in);
    nlohmann::json delete_subnet(const RequestContext& ctx, const Params& in);
    nlohmann::json modify_subnet_attribute(const RequestContext& ctx, const Params& in);
    // Security groups (ec2_ops_security_groups.cpp)
    nlohmann::json create_security_group(const RequestContext& ctx, const Params& in);
    nlohmann::json describe_security_groups(const RequestContext& ctx, const Params& in);
    nlohmann::json delete_security_group(const RequestContext& ctx, const Params& in);
    nlohmann::json describe_security_group_rules(const RequestContext& ctx, const Params& in);
    // What every VPC has from its creation, read-only (ec2_ops_vpc_defaults.cpp)
    nlohmann::json describe_network_acls(const RequestContext& ctx, const Params& in);
    nlohmann::json describe_route_tables(const RequestContext& ctx, const Params& in);
    nlohmann::json describe_network_interfaces(const RequestContext& ctx, const Params& in);
    // Security group rules (ec2_ops_security_group_rules.cpp)
    nlohmann::json authorize_security_group_ingress(const RequestContext& ctx, const Params& in);
    nlohmann::json authorize_security_group_egress(const RequestContext& ctx, const Params& in);
    nlohmann::json revoke_security_group_ingress(const RequestContext& ctx, const Params& in);
    nlohmann::json revoke_security_group_egress(const RequestContext& ctx, const Params& in);
    nlohmann::json modify_security_group_rules(const RequestContext& ctx, const Params& in);
    nlohmann::json update_security_group_rule_descriptions_ingress(const RequestContext& ctx,
                                                                   const Params& in);
    nlohmann::json update_security_group_rule_descriptions_egress(const RequestContext& ctx,
                                                                  const Params& in);

  private:
    Vpc require_vpc(const Scope& scope, const std::string& vpc_id);
    Subnet require_subnet(const Scope& scope, const std::string& subnet_id);
    SecurityGroup require_group(const Scope& scope, const std::string& group_id);
    // The group a request names by GroupId, or by GroupName in the default VPC.
    SecurityGroup named_group(const Scope& scope, const Params& in);
    // Throws the NotFound (or InvalidID) error CreateTags gives for an id that names nothing.
    void require_taggable(const Scope& scope, const std::string& id);
    void put_tags(const Scope& scope, const std::string& resource_id, const Tags& tags);
    std::vector<SecurityGroupRule> requested_rules(const RequestContext& ctx, const Params& in,
                                                   const SecurityGroup& group, bool egress);
    std::vector<SecurityGroupRule> permission_rules(const RequestContext& ctx,
                                                    const nlohmann::json& permission,
                                                    const SecurityGroup& group, bool egress);
    nlohmann::json authorize(const RequestContext& ctx, const Params& in, bool egress);
    nlohmann::json revoke(const RequestContext& ctx, const Params& in, bool egress);
    nlohmann::json update_descriptions(const RequestContext& ctx, const Params& in, bool egress);

    Ec2Store store_;
};

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment);

}  // namespace awsemu::ec2
