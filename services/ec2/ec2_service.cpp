#include "services/ec2/ec2_service.hpp"

#include "services/ec2/ec2_defaults.hpp"
#include "services/ec2/ec2_errors.hpp"
#include "services/ec2/ec2_input.hpp"
#include "services/ec2/ec2_spec.hpp"

namespace awsemu::ec2 {

void Ec2Service::prepare(const RequestContext& ctx, const Params& in) {
    if (in.optional_bool("DryRun").value_or(false)) {
        throw AwsError(errors::DryRunOperation,
                       "Request would have succeeded, but DryRun flag is set.");
    }
    ensure_default_vpc(store_, ctx.scope);
}

Vpc Ec2Service::require_vpc(const Scope& scope, const std::string& vpc_id) {
    if (!vpc_id.starts_with("vpc-")) {
        throw AwsError(errors::InvalidVpcIDMalformed,
                       "Invalid id: \"" + vpc_id + "\" (expecting \"vpc-...\")");
    }
    auto vpc = store_.find_vpc(scope, vpc_id);
    if (!vpc) {
        throw AwsError(errors::InvalidVpcIDNotFound, "The vpc ID '" + vpc_id + "' does not exist");
    }
    return std::move(*vpc);
}

Subnet Ec2Service::require_subnet(const Scope& scope, const std::string& subnet_id) {
    if (!subnet_id.starts_with("subnet-")) {
        throw AwsError(errors::InvalidSubnetIDMalformed,
                       "Invalid id: \"" + subnet_id + "\" (expecting \"subnet-...\")");
    }
    auto subnet = store_.find_subnet(scope, subnet_id);
    if (!subnet) {
        throw AwsError(errors::InvalidSubnetIDNotFound,
                       "The subnet ID '" + subnet_id + "' does not exist");
    }
    return std::move(*subnet);
}

SecurityGroup Ec2Service::require_group(const Scope& scope, const std::string& group_id) {
    if (!group_id.starts_with("sg-")) {
        throw AwsError(errors::InvalidGroupIdMalformed,
                       "Invalid id: \"" + group_id + "\" (expecting \"sg-...\")");
    }
    auto group = store_.find_group(scope, group_id);
    if (!group) {
        throw AwsError(errors::InvalidGroupNotFound,
                       "The security group '" + group_id + "' does not exist");
    }
    return std::move(*group);
}

SecurityGroup Ec2Service::named_group(const Scope& scope, const Params& in) {
    if (const auto id = in.optional_string("GroupId")) {
        return require_group(scope, *id);
    }
    const auto name = in.optional_string("GroupName");
    if (!name) {
        throw AwsError(errors::MissingParameter,
                       "The request must contain the parameter groupName or groupId");
    }
    const auto vpc = store_.default_vpc(scope);
    auto group = vpc ? store_.find_group_by_name(scope, vpc->vpc_id, *name) : std::nullopt;
    if (!group) {
        throw AwsError(errors::InvalidGroupNotFound,
                       "The security group '" + *name + "' does not exist in default VPC '" +
                           (vpc ? vpc->vpc_id : std::string("none")) + "'");
    }
    return std::move(*group);
}

void Ec2Service::put_tags(const Scope& scope, const std::string& resource_id, const Tags& tags) {
    for (const auto& tag : tags) {
        store_.put_tag(scope, resource_id, tag);
    }
}

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment) {
    auto service = std::make_shared<Ec2Service>(environment.database);
    ServiceDefinition definition;
    definition.name = "ec2";
    definition.signing_name = "ec2";
    definition.protocol = Protocol::Ec2;
    definition.query_version = std::string(kApiVersion);
    definition.xml_namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";
    definition.param_errors =
        ParamErrors{errors::MissingParameter, errors::InvalidParameterValue, true};
    using S = Ec2Service;
    const std::pair<const char*, nlohmann::json (S::*)(const RequestContext&, const Params&)>
        operations[] = {
            {"AuthorizeSecurityGroupEgress", &S::authorize_security_group_egress},
            {"AuthorizeSecurityGroupIngress", &S::authorize_security_group_ingress},
            {"CreateSecurityGroup", &S::create_security_group},
            {"CreateSubnet", &S::create_subnet},
            {"CreateTags", &S::create_tags},
            {"CreateVpc", &S::create_vpc},
            {"DeleteSecurityGroup", &S::delete_security_group},
            {"DeleteSubnet", &S::delete_subnet},
            {"DeleteTags", &S::delete_tags},
            {"DeleteVpc", &S::delete_vpc},
            {"DescribeAvailabilityZones", &S::describe_availability_zones},
            {"DescribeNetworkAcls", &S::describe_network_acls},
            {"DescribeNetworkInterfaces", &S::describe_network_interfaces},
            {"DescribeRouteTables", &S::describe_route_tables},
            {"DescribeSecurityGroupRules", &S::describe_security_group_rules},
            {"DescribeSecurityGroups", &S::describe_security_groups},
            {"DescribeSubnets", &S::describe_subnets},
            {"DescribeTags", &S::describe_tags},
            {"DescribeVpcAttribute", &S::describe_vpc_attribute},
            {"DescribeVpcs", &S::describe_vpcs},
            {"ModifySecurityGroupRules", &S::modify_security_group_rules},
            {"ModifySubnetAttribute", &S::modify_subnet_attribute},
            {"ModifyVpcAttribute", &S::modify_vpc_attribute},
            {"RevokeSecurityGroupEgress", &S::revoke_security_group_egress},
            {"RevokeSecurityGroupIngress", &S::revoke_security_group_ingress},
            {"UpdateSecurityGroupRuleDescriptionsEgress",
             &S::update_security_group_rule_descriptions_egress},
            {"UpdateSecurityGroupRuleDescriptionsIngress",
             &S::update_security_group_rule_descriptions_ingress},
        };
    for (const auto& [name, method] : operations) {
        OperationHandler handler = [service, method](const RequestContext& ctx, const Params& in) {
            service->prepare(ctx, in);
            return ((*service).*method)(ctx, in);
        };
        definition.operations.emplace(
            name, Operation{std::move(handler), ec2_input_shape(name), ec2_output_shape(name)});
    }
    registry.add(std::move(definition));
}

}  // namespace awsemu::ec2
