#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/service.hpp"
#include "emulator/store/database.hpp"

// The narrow interface other services use to read EC2's networking (ECS placing awsvpc tasks in
// subnets and checking their security groups). Each call runs in a transaction of its own (or
// the caller's, when one is open) and, like any EC2 request, first makes the scope's default
// VPC when the scope has none yet.
namespace awsemu::ec2 {

struct SubnetInfo {
    std::string subnet_id;
    std::string vpc_id;
    std::string availability_zone;     // us-east-1a
    std::string availability_zone_id;  // use1-az1
    int availability_zone_index = 0;   // the zone's place in availability_zone_names(region)
    std::string cidr_block;
};

// The subnet with this id in the scope; nullopt when there is none.
std::optional<SubnetInfo> find_subnet(Database& database, const Scope& scope,
                                      std::string_view subnet_id);

// A VPC's subnets; empty when the VPC is unknown.
std::vector<SubnetInfo> vpc_subnets(Database& database, const Scope& scope,
                                    std::string_view vpc_id);

// The default VPC's subnets in zone order; empty when the user deleted the default VPC.
std::vector<SubnetInfo> default_subnets(Database& database, const Scope& scope);

bool security_group_exists(Database& database, const Scope& scope, std::string_view group_id);

// The VPC a security group belongs to; nullopt when there is no such group.
std::optional<std::string> security_group_vpc(Database& database, const Scope& scope,
                                              std::string_view group_id);

// The id of a VPC's "default" security group; nullopt when the VPC is unknown.
std::optional<std::string> default_security_group(Database& database, const Scope& scope,
                                                  std::string_view vpc_id);

// A VPC's primary IPv4 CIDR block ("10.0.0.0/16"); nullopt when the VPC is unknown.
std::optional<std::string> vpc_cidr_block(Database& database, const Scope& scope,
                                          std::string_view vpc_id);

// The region's availability zone names in order: us-east-1a..us-east-1f, others a..c.
std::vector<std::string> availability_zone_names(std::string_view region);

}  // namespace awsemu::ec2
