#include "services/ec2/ec2_defaults.hpp"

namespace awsemu::ec2 {

void insert_allow_all_egress(Ec2Store& store, const Scope& scope, const std::string& group_id) {
    SecurityGroupRule egress;
    egress.rule_id = new_resource_id("sgr");
    egress.group_id = group_id;
    egress.is_egress = true;
    egress.ip_protocol = "-1";
    egress.cidr_ipv4 = "0.0.0.0/0";
    store.insert_rule(scope, egress);
}

void insert_vpc_with_default_group(Ec2Store& store, const Scope& scope, const Vpc& vpc) {
    store.insert_vpc(scope, vpc);
    const SecurityGroup group{
        new_resource_id("sg"), "default", "default VPC security group", vpc.vpc_id, {}};
    store.insert_group(scope, group);
    SecurityGroupRule ingress;
    ingress.rule_id = new_resource_id("sgr");
    ingress.group_id = group.group_id;
    ingress.ip_protocol = "-1";
    ingress.referenced_group_id = group.group_id;
    ingress.referenced_user_id = scope.account_id;
    store.insert_rule(scope, ingress);
    insert_allow_all_egress(store, scope, group.group_id);
}

void ensure_default_vpc(Ec2Store& store, const Scope& scope) {
    if (store.scope_initialized(scope)) {
        return;
    }
    store.mark_scope_initialized(scope);
    Vpc vpc;
    vpc.vpc_id = new_resource_id("vpc");
    vpc.cidr_block = std::string(kDefaultVpcCidr);
    vpc.cidr_association_id = new_resource_id("vpc-cidr-assoc");
    vpc.dhcp_options_id = new_resource_id("dopt");
    vpc.is_default = true;
    vpc.enable_dns_hostnames = true;
    insert_vpc_with_default_group(store, scope, vpc);
    const Cidr base = *parse_cidr(kDefaultVpcCidr);
    for (const auto& zone : availability_zones(scope.region)) {
        Subnet subnet;
        subnet.subnet_id = new_resource_id("subnet");
        subnet.vpc_id = vpc.vpc_id;
        subnet.cidr_block =
            Cidr{base.address + (static_cast<std::uint32_t>(zone.index) << 12), 20}.str();
        subnet.availability_zone = zone.name;
        subnet.default_for_az = true;
        subnet.map_public_ip_on_launch = true;
        store.insert_subnet(scope, subnet);
    }
}

std::int64_t available_ip_address_count(const std::string& cidr_block) {
    const auto cidr = parse_cidr(cidr_block);
    return cidr ? static_cast<std::int64_t>(cidr->size()) - 5 : 0;
}

}  // namespace awsemu::ec2
