#pragma once

#include <string>

#include "emulator/service.hpp"
#include "services/ec2/ec2_store.hpp"

// The resources AWS makes without being asked: a VPC's default security group, and each
// account's default VPC in each region with a default subnet per availability zone.
namespace awsemu::ec2 {

inline constexpr std::string_view kDefaultVpcCidr = "172.31.0.0/16";

// Gives a new security group the rule every group starts with: all traffic out to 0.0.0.0/0.
void insert_allow_all_egress(Ec2Store& store, const Scope& scope, const std::string& group_id);

// Stores `vpc` with its default security group ("default": all traffic in from the group
// itself, all traffic out).
void insert_vpc_with_default_group(Ec2Store& store, const Scope& scope, const Vpc& vpc);

// Makes the scope's default VPC, its default security group and one default subnet per zone
// (172.31.0.0/20, 172.31.16.0/20, ...), the first time the scope is used; later calls cost one
// lookup. A default VPC the user deleted stays deleted.
void ensure_default_vpc(Ec2Store& store, const Scope& scope);

// A subnet's usable addresses: AWS keeps five of every subnet.
std::int64_t available_ip_address_count(const std::string& cidr_block);

}  // namespace awsemu::ec2
