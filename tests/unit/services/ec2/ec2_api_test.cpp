#include "services/ec2/ec2_api.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/services/ec2/ec2_test_support.hpp"

using namespace awsemu;
using namespace awsemu::ec2;
using namespace awsemu::ec2::testing;

TEST_CASE("Unit behaviour: the api makes the default VPC and answers its subnets by zone",
          "[ec2][unit]") {
    Ec2Fixture f;
    const auto subnets = default_subnets(f.database, f.scope);
    REQUIRE(subnets.size() == 6);
    for (std::size_t i = 0; i < subnets.size(); ++i) {
        INFO(i);
        CHECK(subnets[i].availability_zone_index == static_cast<int>(i));
        CHECK(subnets[i].availability_zone == "us-east-1" + std::string(1, 'a' + i));
        CHECK(subnets[i].availability_zone_id == "use1-az" + std::to_string(i + 1));
        CHECK(subnets[i].cidr_block == "172.31." + std::to_string(16 * i) + ".0/20");
        CHECK(subnets[i].vpc_id == subnets[0].vpc_id);
    }
    // The same VPC on every call: made once.
    CHECK(default_subnets(f.database, f.scope)[0].subnet_id == subnets[0].subnet_id);

    const auto found = find_subnet(f.database, f.scope, subnets[2].subnet_id);
    REQUIRE(found);
    CHECK(found->availability_zone == "us-east-1c");
    CHECK(found->cidr_block == "172.31.32.0/20");
    CHECK_FALSE(find_subnet(f.database, f.scope, "subnet-00000000000000000"));
    // Another region is another scope, with its own default VPC.
    const Scope west{f.scope.account_id, "eu-west-1"};
    const auto west_subnets = default_subnets(f.database, west);
    REQUIRE(west_subnets.size() == 3);
    CHECK(west_subnets[0].availability_zone_id == "euw1-az1");
    CHECK_FALSE(find_subnet(f.database, west, subnets[0].subnet_id));
}

TEST_CASE("Unit behaviour: the api finds subnets and groups made through the operations",
          "[ec2][unit]") {
    Ec2Fixture f;
    const auto vpc = f.call("CreateVpc", {{"CidrBlock", "10.1.0.0/16"}})["Vpc"];
    const std::string vpc_id = vpc["VpcId"];
    const auto subnet = f.call("CreateSubnet", {{"VpcId", vpc_id},
                                                {"CidrBlock", "10.1.2.0/24"},
                                                {"AvailabilityZone", "us-east-1d"}})["Subnet"];
    const auto info = find_subnet(f.database, f.scope, subnet["SubnetId"].get<std::string>());
    REQUIRE(info);
    CHECK(info->vpc_id == vpc_id);
    CHECK(info->availability_zone_index == 3);
    CHECK(info->availability_zone_id == "use1-az4");
    // A subnet of another VPC is not a default subnet.
    CHECK(default_subnets(f.database, f.scope).size() == 6);

    const std::string group_id =
        f.call("CreateSecurityGroup",
               {{"GroupName", "app"}, {"Description", "app"}, {"VpcId", vpc_id}})["GroupId"];
    CHECK(security_group_exists(f.database, f.scope, group_id));
    CHECK_FALSE(security_group_exists(f.database, f.scope, "sg-00000000000000000"));
    CHECK_FALSE(security_group_exists(f.database, Scope{"111111111111", "us-east-1"}, group_id));

    CHECK(availability_zone_names("us-east-1") ==
          std::vector<std::string>{"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d",
                                   "us-east-1e", "us-east-1f"});
    CHECK(availability_zone_names("ap-south-1") ==
          std::vector<std::string>{"ap-south-1a", "ap-south-1b", "ap-south-1c"});
}

TEST_CASE("Unit behaviour: the api runs inside the caller's transaction", "[ec2][unit]") {
    Ec2Fixture f;
    {
        auto outer = f.database.transaction();
        CHECK(default_subnets(f.database, f.scope).size() == 6);
        // rolled back with the caller's transaction
    }
    auto outer = f.database.transaction();
    Ec2Store store(f.database);
    CHECK_FALSE(store.scope_initialized(f.scope));
    CHECK(default_subnets(f.database, f.scope).size() == 6);
    CHECK(store.scope_initialized(f.scope));
    outer.commit();
}
