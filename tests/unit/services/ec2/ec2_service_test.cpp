#include "services/ec2/ec2_service.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/services/ec2/ec2_test_support.hpp"

using namespace awsemu;
using namespace awsemu::ec2;
using namespace awsemu::ec2::testing;
using nlohmann::json;

namespace {

json filter(const std::string& name, std::vector<std::string> values) {
    return {{"Name", name}, {"Values", std::move(values)}};
}

std::string new_vpc(Ec2Fixture& f, const std::string& cidr = "10.0.0.0/16") {
    return f.call("CreateVpc", {{"CidrBlock", cidr}})["Vpc"]["VpcId"];
}

}  // namespace

TEST_CASE("Unit behaviour: every scope starts with a default VPC, group and subnets",
          "[ec2][unit]") {
    Ec2Fixture f;
    const auto vpcs = f.call("DescribeVpcs")["Vpcs"];
    REQUIRE(vpcs.size() == 1);
    CHECK(vpcs[0]["IsDefault"] == true);
    CHECK(vpcs[0]["CidrBlock"] == "172.31.0.0/16");
    CHECK(vpcs[0]["State"] == "available");
    CHECK(vpcs[0]["OwnerId"] == "123456789012");
    const auto subnets = f.call("DescribeSubnets")["Subnets"];
    REQUIRE(subnets.size() == 6);
    for (const auto& subnet : subnets) {
        CHECK(subnet["DefaultForAz"] == true);
        CHECK(subnet["MapPublicIpOnLaunch"] == true);
        CHECK(subnet["AvailableIpAddressCount"] == 4091);
    }
    const auto groups = f.call("DescribeSecurityGroups")["SecurityGroups"];
    REQUIRE(groups.size() == 1);
    CHECK(groups[0]["GroupName"] == "default");
    CHECK(groups[0]["IpPermissions"][0]["UserIdGroupPairs"][0]["GroupId"] == groups[0]["GroupId"]);
    CHECK(groups[0]["IpPermissionsEgress"][0]["IpRanges"][0]["CidrIp"] == "0.0.0.0/0");
    CHECK_FALSE(groups[0]["IpPermissionsEgress"][0].contains("FromPort"));
}

TEST_CASE("Unit behaviour: CreateVpc checks the CIDR block and tags the VPC", "[ec2][unit]") {
    Ec2Fixture f;
    const auto vpc = f.call(
        "CreateVpc",
        {{"CidrBlock", "10.0.0.0/16"},
         {"TagSpecifications",
          {{{"ResourceType", "vpc"}, {"Tags", {{{"Key", "Name"}, {"Value", "main"}}}}}}}})["Vpc"];
    CHECK(vpc["State"] == "pending");
    CHECK(vpc["IsDefault"] == false);
    CHECK(vpc["Tags"] == json{{{"Key", "Name"}, {"Value", "main"}}});
    CHECK(vpc["CidrBlockAssociationSet"][0]["CidrBlock"] == "10.0.0.0/16");
    CHECK(f.error_of("CreateVpc", {{"CidrBlock", "10.0.0.0/8"}}) == "InvalidVpc.Range");
    CHECK(f.error_of("CreateVpc", {{"CidrBlock", "10.0.0.0/29"}}) == "InvalidVpc.Range");
    CHECK(f.error_of("CreateVpc", {{"CidrBlock", "banana"}}) == "InvalidParameterValue");
    CHECK(f.error_of("CreateVpc", json::object()) == "MissingParameter");
    CHECK(f.error_of("CreateVpc",
                     {{"CidrBlock", "10.0.0.0/16"}, {"AmazonProvidedIpv6CidrBlock", true}}) ==
          "UnsupportedOperation");
    CHECK(f.error_of("CreateVpc", {{"CidrBlock", "10.0.0.0/16"},
                                   {"TagSpecifications", {{{"ResourceType", "subnet"}}}}}) ==
          "InvalidParameterValue");
    CHECK(f.error_of("CreateVpc", {{"CidrBlock", "10.0.0.0/16"}, {"DryRun", true}}) ==
          "DryRunOperation");
    // Its default security group came with it.
    const auto groups = f.call("DescribeSecurityGroups",
                               {{"Filters", {filter("vpc-id", {vpc["VpcId"]})}}})["SecurityGroups"];
    REQUIRE(groups.size() == 1);
    CHECK(groups[0]["GroupName"] == "default");
}

TEST_CASE("Unit behaviour: DescribeVpcs filters, names ids and pages", "[ec2][unit]") {
    Ec2Fixture f;
    const std::string a = new_vpc(f, "10.0.0.0/16");
    const std::string b = new_vpc(f, "10.1.0.0/16");
    f.call("CreateTags", {{"Resources", {b}}, {"Tags", {{{"Key", "env"}, {"Value", "prod"}}}}});
    CHECK(f.call("DescribeVpcs", {{"VpcIds", {a}}})["Vpcs"].size() == 1);
    CHECK(f.call("DescribeVpcs", {{"Filters", {filter("is-default", {"false"})}}})["Vpcs"].size() ==
          2);
    const auto tagged = f.call("DescribeVpcs", {{"Filters", {filter("tag:env", {"pr*"})}}})["Vpcs"];
    REQUIRE(tagged.size() == 1);
    CHECK(tagged[0]["VpcId"] == b);
    CHECK(f.call("DescribeVpcs",
                 {{"Filters", {filter("cidr", {"10.1.0.0/16"})}}})["Vpcs"][0]["VpcId"] == b);
    CHECK(f.call("DescribeVpcs", {{"Filters", {filter("tag-key", {"env"})}}})["Vpcs"].size() == 1);
    CHECK(f.error_of("DescribeVpcs", {{"VpcIds", {"vpc-00000000000000000"}}}) ==
          "InvalidVpcID.NotFound");
    CHECK(f.error_of("DescribeVpcs", {{"Filters", {filter("colour", {"x"})}}}) ==
          "InvalidParameterValue");
    const auto first = f.call("DescribeVpcs", {{"MaxResults", 5}});
    CHECK(first["Vpcs"].size() == 3);
    CHECK_FALSE(first.contains("NextToken"));
    CHECK(f.error_of("DescribeVpcs", {{"MaxResults", 2}}) == "InvalidParameterValue");
    for (int i = 2; i < 6; ++i) {
        new_vpc(f, "10." + std::to_string(i) + ".0.0/16");
    }
    const auto page1 = f.call("DescribeVpcs", {{"MaxResults", 5}});
    REQUIRE(page1.contains("NextToken"));
    const auto page2 =
        f.call("DescribeVpcs", {{"MaxResults", 5}, {"NextToken", page1["NextToken"]}});
    CHECK(page1["Vpcs"].size() + page2["Vpcs"].size() == 7);
    CHECK_FALSE(page2.contains("NextToken"));
}

TEST_CASE("Unit behaviour: VPC attributes are stored and DeleteVpc checks dependencies",
          "[ec2][unit]") {
    Ec2Fixture f;
    const std::string vpc = new_vpc(f);
    const auto support =
        f.call("DescribeVpcAttribute", {{"VpcId", vpc}, {"Attribute", "enableDnsSupport"}});
    CHECK(support["EnableDnsSupport"]["Value"] == true);
    CHECK(f.call("DescribeVpcAttribute",
                 {{"VpcId", vpc},
                  {"Attribute", "enableDnsHostnames"}})["EnableDnsHostnames"]["Value"] == false);
    f.call("ModifyVpcAttribute", {{"VpcId", vpc}, {"EnableDnsHostnames", {{"Value", true}}}});
    CHECK(f.call("DescribeVpcAttribute",
                 {{"VpcId", vpc},
                  {"Attribute", "enableDnsHostnames"}})["EnableDnsHostnames"]["Value"] == true);
    CHECK(f.error_of("DescribeVpcAttribute", {{"VpcId", vpc}, {"Attribute", "colour"}}) ==
          "InvalidParameterValue");
    CHECK(f.error_of("ModifyVpcAttribute", {{"VpcId", vpc},
                                            {"EnableDnsHostnames", {{"Value", true}}},
                                            {"EnableDnsSupport", {{"Value", true}}}}) ==
          "InvalidParameterCombination");

    const std::string subnet = f.call(
        "CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "10.0.1.0/24"}})["Subnet"]["SubnetId"];
    CHECK(f.error_of("DeleteVpc", {{"VpcId", vpc}}) == "DependencyViolation");
    f.call("DeleteSubnet", {{"SubnetId", subnet}});
    const std::string group =
        f.call("CreateSecurityGroup",
               {{"GroupName", "app"}, {"Description", "app"}, {"VpcId", vpc}})["GroupId"];
    CHECK(f.error_of("DeleteVpc", {{"VpcId", vpc}}) == "DependencyViolation");
    f.call("DeleteSecurityGroup", {{"GroupId", group}});
    f.call("DeleteVpc", {{"VpcId", vpc}});
    CHECK(f.error_of("DeleteVpc", {{"VpcId", vpc}}) == "InvalidVpcID.NotFound");
    CHECK(f.error_of("DeleteVpc", {{"VpcId", "banana"}}) == "InvalidVpcID.Malformed");
    // Its default group went with it.
    CHECK(
        f.call("DescribeSecurityGroups", {{"Filters", {filter("vpc-id", {vpc})}}})["SecurityGroups"]
            .empty());
}

TEST_CASE("Unit behaviour: CreateSubnet places subnets inside the VPC without overlaps",
          "[ec2][unit]") {
    Ec2Fixture f;
    const std::string vpc = new_vpc(f);
    const auto a = f.call("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "10.0.0.0/24"}})["Subnet"];
    CHECK(a["AvailabilityZone"] == "us-east-1a");
    CHECK(a["AvailableIpAddressCount"] == 251);
    CHECK(a["DefaultForAz"] == false);
    CHECK(a["MapPublicIpOnLaunch"] == false);
    const auto b = f.call("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "10.0.1.0/24"}})["Subnet"];
    CHECK(b["AvailabilityZone"] == "us-east-1b");  // spread: the zone with the fewest
    const auto c = f.call("CreateSubnet", {{"VpcId", vpc},
                                           {"CidrBlock", "10.0.2.0/28"},
                                           {"AvailabilityZoneId", "use1-az6"}})["Subnet"];
    CHECK(c["AvailabilityZone"] == "us-east-1f");
    CHECK(c["AvailableIpAddressCount"] == 11);
    CHECK(f.error_of("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "10.0.0.128/25"}}) ==
          "InvalidSubnet.Conflict");
    CHECK(f.error_of("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "10.1.0.0/24"}}) ==
          "InvalidSubnet.Range");
    CHECK(f.error_of("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "10.0.9.0/29"}}) ==
          "InvalidSubnet.Range");
    CHECK(f.error_of("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "10.0.9.1/24"}}) ==
          "InvalidParameterValue");
    CHECK(f.error_of(
              "CreateSubnet",
              {{"VpcId", vpc}, {"CidrBlock", "10.0.9.0/24"}, {"AvailabilityZone", "us-west-2a"}}) ==
          "InvalidParameterValue");
    CHECK(f.error_of("CreateSubnet", {{"VpcId", "vpc-00000000000000000"},
                                      {"CidrBlock", "10.0.9.0/24"}}) == "InvalidVpcID.NotFound");
    CHECK(f.error_of("CreateSubnet", {{"CidrBlock", "10.0.9.0/24"}}) == "MissingParameter");

    const auto in_vpc =
        f.call("DescribeSubnets", {{"Filters", {filter("vpc-id", {vpc})}}})["Subnets"];
    CHECK(in_vpc.size() == 3);
    CHECK(f.call("DescribeSubnets", {{"Filters",
                                      {filter("availability-zone", {"us-east-1f"}),
                                       filter("default-for-az", {"false"})}}})["Subnets"]
              .size() == 1);
    CHECK(f.call("DescribeSubnets",
                 {{"Filters", {filter("availability-zone-id", {"use1-az1"})}}})["Subnets"]
              .size() == 2);
    CHECK(f.call("DescribeSubnets", {{"SubnetIds", {a["SubnetId"]}}})["Subnets"][0]["CidrBlock"] ==
          "10.0.0.0/24");
    CHECK(f.error_of("DescribeSubnets", {{"SubnetIds", {"subnet-00000000000000000"}}}) ==
          "InvalidSubnetID.NotFound");

    f.call("ModifySubnetAttribute",
           {{"SubnetId", a["SubnetId"]}, {"MapPublicIpOnLaunch", {{"Value", true}}}});
    CHECK(f.call("DescribeSubnets",
                 {{"SubnetIds", {a["SubnetId"]}}})["Subnets"][0]["MapPublicIpOnLaunch"] == true);
    f.call("DeleteSubnet", {{"SubnetId", a["SubnetId"]}});
    CHECK(f.error_of("DeleteSubnet", {{"SubnetId", a["SubnetId"]}}) == "InvalidSubnetID.NotFound");
}

TEST_CASE("Unit behaviour: security groups keep their rules", "[ec2][unit]") {
    Ec2Fixture f;
    const std::string vpc = new_vpc(f);
    const std::string web =
        f.call("CreateSecurityGroup",
               {{"GroupName", "web"}, {"Description", "web tier"}, {"VpcId", vpc}})["GroupId"];
    CHECK(f.error_of("CreateSecurityGroup",
                     {{"GroupName", "web"}, {"Description", "again"}, {"VpcId", vpc}}) ==
          "InvalidGroup.Duplicate");
    CHECK(f.error_of("CreateSecurityGroup", {{"GroupName", "x"}, {"VpcId", vpc}}) ==
          "MissingParameter");
    // The same name in the default VPC is another group.
    const std::string other = f.call(
        "CreateSecurityGroup", {{"GroupName", "web"}, {"Description", "default vpc"}})["GroupId"];
    CHECK(other != web);

    const json permissions = {
        {{"IpProtocol", "tcp"},
         {"FromPort", 443},
         {"ToPort", 443},
         {"IpRanges", {{{"CidrIp", "0.0.0.0/0"}, {"Description", "https"}}}},
         {"Ipv6Ranges", {{{"CidrIpv6", "::/0"}}}}},
        {{"IpProtocol", "6"},
         {"FromPort", 8080},
         {"ToPort", 8080},
         {"UserIdGroupPairs", {{{"GroupId", web}}}}},
    };
    const auto authorized =
        f.call("AuthorizeSecurityGroupIngress", {{"GroupId", web}, {"IpPermissions", permissions}});
    CHECK(authorized["Return"] == true);
    REQUIRE(authorized["SecurityGroupRules"].size() == 3);
    CHECK(authorized["SecurityGroupRules"][0]["CidrIpv4"] == "0.0.0.0/0");
    CHECK(authorized["SecurityGroupRules"][0]["Description"] == "https");
    CHECK(authorized["SecurityGroupRules"][2]["IpProtocol"] == "tcp");
    CHECK(authorized["SecurityGroupRules"][2]["ReferencedGroupInfo"]["GroupId"] == web);
    CHECK(f.error_of("AuthorizeSecurityGroupIngress",
                     {{"GroupId", web}, {"IpPermissions", {permissions[0]}}}) ==
          "InvalidPermission.Duplicate");
    CHECK(f.error_of("AuthorizeSecurityGroupIngress",
                     {{"GroupId", web},
                      {"IpPermissions",
                       {{{"IpProtocol", "tcp"},
                         {"FromPort", 1},
                         {"ToPort", 2},
                         {"IpRanges", {{{"CidrIp", "10.0.0.1/33"}}}}}}}}) ==
          "InvalidParameterValue");
    CHECK(f.error_of("AuthorizeSecurityGroupIngress",
                     {{"GroupId", web},
                      {"IpPermissions",
                       {{{"IpProtocol", "tcp"},
                         {"FromPort", 1},
                         {"ToPort", 2},
                         {"UserIdGroupPairs", {{{"GroupId", "sg-00000000000000000"}}}}}}}}) ==
          "InvalidGroup.NotFound");
    CHECK(f.error_of("AuthorizeSecurityGroupIngress",
                     {{"GroupId", "sg-00000000000000000"}, {"IpPermissions", permissions}}) ==
          "InvalidGroup.NotFound");

    auto group = f.call("DescribeSecurityGroups", {{"GroupIds", {web}}})["SecurityGroups"][0];
    CHECK(group["Description"] == "web tier");
    REQUIRE(group["IpPermissions"].size() == 2);
    CHECK(group["IpPermissions"][0]["FromPort"] == 443);
    CHECK(group["IpPermissions"][0]["IpRanges"] ==
          json{{{"CidrIp", "0.0.0.0/0"}, {"Description", "https"}}});
    CHECK(group["IpPermissions"][0]["Ipv6Ranges"] == json{{{"CidrIpv6", "::/0"}}});
    CHECK(group["IpPermissions"][1]["UserIdGroupPairs"][0]["UserId"] == "123456789012");
    CHECK(group["IpPermissionsEgress"].size() == 1);
    CHECK(f.call("DescribeSecurityGroups",
                 {{"Filters", {filter("ip-permission.from-port", {"8080"})}}})["SecurityGroups"]
              .size() == 1);
    CHECK(f.call("DescribeSecurityGroupRules",
                 {{"Filters", {filter("group-id", {web})}}})["SecurityGroupRules"]
              .size() == 4);

    // A group another group's rule names cannot go; nor can a default group.
    const std::string db =
        f.call("CreateSecurityGroup",
               {{"GroupName", "db"}, {"Description", "db"}, {"VpcId", vpc}})["GroupId"];
    f.call("AuthorizeSecurityGroupIngress",
           {{"GroupId", db},
            {"IpPermissions",
             {{{"IpProtocol", "tcp"},
               {"FromPort", 5432},
               {"ToPort", 5432},
               {"UserIdGroupPairs", {{{"GroupId", web}, {"Description", "from web"}}}}}}}});
    CHECK(f.error_of("DeleteSecurityGroup", {{"GroupId", web}}) == "DependencyViolation");

    const auto revoked = f.call("RevokeSecurityGroupIngress",
                                {{"GroupId", web}, {"IpPermissions", {permissions[0]}}});
    CHECK(revoked["RevokedSecurityGroupRules"].size() == 2);
    CHECK(f.error_of("RevokeSecurityGroupIngress",
                     {{"GroupId", web}, {"IpPermissions", {permissions[0]}}}) ==
          "InvalidPermission.NotFound");
    std::string egress_rule;
    const auto rules =
        f.call("DescribeSecurityGroupRules", {{"Filters", {filter("group-id", {web})}}});
    for (const auto& rule : rules["SecurityGroupRules"]) {
        if (rule["IsEgress"] == true) {
            egress_rule = rule["SecurityGroupRuleId"];
        }
    }
    REQUIRE_FALSE(egress_rule.empty());
    group = f.call("DescribeSecurityGroups", {{"GroupIds", {web}}})["SecurityGroups"][0];
    CHECK(group["IpPermissions"].size() == 1);
    f.call(
        "RevokeSecurityGroupEgress",
        {{"GroupId", web},
         {"IpPermissions", {{{"IpProtocol", "-1"}, {"IpRanges", {{{"CidrIp", "0.0.0.0/0"}}}}}}}});
    CHECK(f.call("DescribeSecurityGroups",
                 {{"GroupIds", {web}}})["SecurityGroups"][0]["IpPermissionsEgress"]
              .empty());
    CHECK(f.error_of("RevokeSecurityGroupEgress",
                     {{"GroupId", web}, {"SecurityGroupRuleIds", {egress_rule}}}) ==
          "InvalidSecurityGroupRuleId.NotFound");

    f.call("DeleteSecurityGroup", {{"GroupId", db}});
    const auto deleted = f.call("DeleteSecurityGroup", {{"GroupId", web}});
    CHECK(deleted["GroupId"] == web);
    CHECK(f.error_of("DescribeSecurityGroups", {{"GroupIds", {web}}}) == "InvalidGroup.NotFound");
    const std::string default_group =
        f.call("DescribeSecurityGroups",
               {{"Filters",
                 {filter("vpc-id", {vpc}),
                  filter("group-name", {"default"})}}})["SecurityGroups"][0]["GroupId"];
    CHECK(f.error_of("DeleteSecurityGroup", {{"GroupId", default_group}}) == "CannotDelete");
    // By name: only in the default VPC.
    f.call("DeleteSecurityGroup", {{"GroupName", "web"}});
    CHECK(f.error_of("DeleteSecurityGroup", {{"GroupName", "web"}}) == "InvalidGroup.NotFound");
}

TEST_CASE("Unit behaviour: tags on every resource, read back by DescribeTags", "[ec2][unit]") {
    Ec2Fixture f;
    const std::string vpc = new_vpc(f);
    const std::string subnet = f.call(
        "CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "10.0.1.0/24"}})["Subnet"]["SubnetId"];
    f.call("CreateTags", {{"Resources", {vpc, subnet}},
                          {"Tags", {{{"Key", "env"}, {"Value", "dev"}}, {{"Key", "team"}}}}});
    auto tags = f.call("DescribeTags")["Tags"];
    CHECK(tags.size() == 4);
    tags = f.call("DescribeTags", {{"Filters", {filter("resource-type", {"subnet"})}}})["Tags"];
    REQUIRE(tags.size() == 2);
    CHECK(
        tags[0] ==
        json{{"ResourceId", subnet}, {"ResourceType", "subnet"}, {"Key", "env"}, {"Value", "dev"}});
    CHECK(tags[1]["Value"] == "");
    CHECK(f.call("DescribeTags",
                 {{"Filters", {filter("key", {"team"}), filter("resource-id", {vpc})}}})["Tags"]
              .size() == 1);
    // DeleteTags with a value deletes only that value; a key alone deletes whatever value.
    f.call("DeleteTags", {{"Resources", {vpc}}, {"Tags", {{{"Key", "env"}, {"Value", "prod"}}}}});
    CHECK(f.call("DescribeTags", {{"Filters", {filter("resource-id", {vpc})}}})["Tags"].size() ==
          2);
    f.call("DeleteTags", {{"Resources", {vpc}}, {"Tags", {{{"Key", "env"}}}}});
    CHECK(f.call("DescribeTags", {{"Filters", {filter("resource-id", {vpc})}}})["Tags"].size() ==
          1);
    CHECK(f.error_of("CreateTags", {{"Resources", {"vpc-00000000000000000"}},
                                    {"Tags", {{{"Key", "a"}, {"Value", "b"}}}}}) ==
          "InvalidVpcID.NotFound");
    CHECK(f.error_of("CreateTags", {{"Resources", {"i-123"}},
                                    {"Tags", {{{"Key", "a"}, {"Value", "b"}}}}}) == "InvalidID");
    CHECK(f.error_of("CreateTags",
                     {{"Resources", {vpc}}, {"Tags", {{{"Key", "aws:x"}, {"Value", "b"}}}}}) ==
          "InvalidParameterValue");
    json many = json::array();
    for (int i = 0; i < 51; ++i) {
        many.push_back({{"Key", "k" + std::to_string(i)}, {"Value", "v"}});
    }
    CHECK(f.error_of("CreateTags", {{"Resources", {vpc}}, {"Tags", many}}) == "TagLimitExceeded");
    f.call("DeleteSubnet", {{"SubnetId", subnet}});
    CHECK(f.call("DescribeTags", {{"Filters", {filter("resource-id", {subnet})}}})["Tags"].empty());
}

TEST_CASE("Unit behaviour: DescribeAvailabilityZones answers the region's zones", "[ec2][unit]") {
    Ec2Fixture f;
    const auto zones = f.call("DescribeAvailabilityZones")["AvailabilityZones"];
    REQUIRE(zones.size() == 6);
    CHECK(zones[0] == json{{"ZoneName", "us-east-1a"},
                           {"ZoneId", "use1-az1"},
                           {"State", "available"},
                           {"RegionName", "us-east-1"},
                           {"GroupName", "us-east-1"},
                           {"NetworkBorderGroup", "us-east-1"},
                           {"OptInStatus", "opt-in-not-required"},
                           {"ZoneType", "availability-zone"},
                           {"Messages", json::array()}});
    CHECK(f.call("DescribeAvailabilityZones",
                 {{"ZoneNames", {"us-east-1c"}}})["AvailabilityZones"][0]["ZoneId"] == "use1-az3");
    CHECK(f.call("DescribeAvailabilityZones",
                 {{"Filters", {filter("zone-id", {"use1-az5", "use1-az6"})}}})["AvailabilityZones"]
              .size() == 2);
    CHECK(f.error_of("DescribeAvailabilityZones", {{"ZoneNames", {"us-east-1z"}}}) ==
          "InvalidParameterValue");
    const Scope tokyo{f.scope.account_id, "ap-northeast-1"};
    const auto there = f.call("DescribeAvailabilityZones", json::object(), &tokyo);
    CHECK(there["AvailabilityZones"].size() == 3);
    CHECK(there["AvailabilityZones"][1]["ZoneId"] == "apne1-az2");
}

TEST_CASE("Unit behaviour: rule descriptions change in place", "[ec2][unit]") {
    Ec2Fixture f;
    const std::string group =
        f.call("CreateSecurityGroup", {{"GroupName", "g"}, {"Description", "g"}})["GroupId"];
    const json permission = {{"IpProtocol", "tcp"},
                             {"FromPort", 22},
                             {"ToPort", 22},
                             {"IpRanges", {{{"CidrIp", "10.0.0.0/8"}, {"Description", "old"}}}}};
    const std::string rule_id =
        f.call("AuthorizeSecurityGroupIngress",
               {{"GroupId", group},
                {"IpPermissions", {permission}}})["SecurityGroupRules"][0]["SecurityGroupRuleId"];
    json changed = permission;
    changed["IpRanges"][0]["Description"] = "new";
    CHECK(f.call("UpdateSecurityGroupRuleDescriptionsIngress",
                 {{"GroupId", group}, {"IpPermissions", {changed}}})["Return"] == true);
    CHECK(f.call("DescribeSecurityGroupRules",
                 {{"SecurityGroupRuleIds", {rule_id}}})["SecurityGroupRules"][0]["Description"] ==
          "new");
    f.call("UpdateSecurityGroupRuleDescriptionsIngress",
           {{"GroupId", group},
            {"SecurityGroupRuleDescriptions",
             {{{"SecurityGroupRuleId", rule_id}, {"Description", "by id"}}}}});
    CHECK(f.call("DescribeSecurityGroups",
                 {{"GroupIds", {group}}})["SecurityGroups"][0]["IpPermissions"][0]["IpRanges"][0]
                                         ["Description"] == "by id");
    changed["FromPort"] = 23;
    changed["ToPort"] = 23;
    CHECK(f.error_of("UpdateSecurityGroupRuleDescriptionsIngress",
                     {{"GroupId", group}, {"IpPermissions", {changed}}}) ==
          "InvalidPermission.NotFound");
    CHECK(f.error_of("UpdateSecurityGroupRuleDescriptionsEgress",
                     {{"GroupId", group},
                      {"SecurityGroupRuleDescriptions",
                       {{{"SecurityGroupRuleId", rule_id}, {"Description", "x"}}}}}) ==
          "InvalidSecurityGroupRuleId.NotFound");
}

TEST_CASE("Unit behaviour: every VPC has a default network ACL and a main route table",
          "[ec2][unit]") {
    Ec2Fixture f;
    const std::string vpc = new_vpc(f, "10.3.0.0/16");
    const std::string subnet = f.call(
        "CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "10.3.1.0/24"}})["Subnet"]["SubnetId"];
    const auto acls = f.call(
        "DescribeNetworkAcls",
        {{"Filters", {filter("vpc-id", {vpc}), filter("default", {"true"})}}})["NetworkAcls"];
    REQUIRE(acls.size() == 1);
    CHECK(acls[0]["NetworkAclId"] == "acl-" + vpc.substr(4));
    CHECK(acls[0]["IsDefault"] == true);
    CHECK(acls[0]["Entries"].size() == 4);
    CHECK(acls[0]["Associations"][0]["SubnetId"] == subnet);
    CHECK(f.call("DescribeNetworkAcls",
                 {{"Filters", {filter("association.subnet-id", {subnet})}}})["NetworkAcls"]
              .size() == 1);
    CHECK(f.call("DescribeNetworkAcls")["NetworkAcls"].size() == 2);  // and the default VPC's

    const auto tables =
        f.call("DescribeRouteTables",
               {{"Filters",
                 {filter("vpc-id", {vpc}), filter("association.main", {"true"})}}})["RouteTables"];
    REQUIRE(tables.size() == 1);
    CHECK(tables[0]["RouteTableId"] == "rtb-" + vpc.substr(4));
    CHECK(tables[0]["Routes"][0] == json{{"DestinationCidrBlock", "10.3.0.0/16"},
                                         {"GatewayId", "local"},
                                         {"Origin", "CreateRouteTable"},
                                         {"State", "active"}});
    CHECK(tables[0]["Associations"][0]["Main"] == true);

    CHECK(f.call("DescribeNetworkInterfaces",
                 {{"Filters", {filter("subnet-id", {subnet})}}})["NetworkInterfaces"]
              .empty());
    CHECK(f.error_of("DescribeNetworkInterfaces", {{"NetworkInterfaceIds", {"eni-1"}}}) ==
          "InvalidNetworkInterfaceID.NotFound");
}

TEST_CASE("Unit behaviour: ModifySecurityGroupRules rewrites a rule under its id", "[ec2][unit]") {
    Ec2Fixture f;
    const std::string group =
        f.call("CreateSecurityGroup", {{"GroupName", "g"}, {"Description", "g"}})["GroupId"];
    const auto created =
        f.call("AuthorizeSecurityGroupIngress",
               {{"GroupId", group},
                {"IpPermissions",
                 {{{"IpProtocol", "tcp"},
                   {"FromPort", 22},
                   {"ToPort", 22},
                   {"IpRanges", {{{"CidrIp", "10.0.0.0/8"}}, {{"CidrIp", "192.168.0.0/16"}}}}}}}});
    const std::string first = created["SecurityGroupRules"][0]["SecurityGroupRuleId"];
    CHECK(f.call("ModifySecurityGroupRules", {{"GroupId", group},
                                              {"SecurityGroupRules",
                                               {{{"SecurityGroupRuleId", first},
                                                 {"SecurityGroupRule",
                                                  {{"IpProtocol", "tcp"},
                                                   {"FromPort", 443},
                                                   {"ToPort", 443},
                                                   {"CidrIpv4", "172.16.0.0/12"},
                                                   {"Description", "moved"}}}}}}})["Return"] ==
          true);
    const auto rule = f.call("DescribeSecurityGroupRules",
                             {{"SecurityGroupRuleIds", {first}}})["SecurityGroupRules"][0];
    CHECK(rule["FromPort"] == 443);
    CHECK(rule["CidrIpv4"] == "172.16.0.0/12");
    CHECK(rule["Description"] == "moved");
    CHECK(rule["IsEgress"] == false);
    // Onto another rule's permission: a duplicate.
    CHECK(f.error_of("ModifySecurityGroupRules", {{"GroupId", group},
                                                  {"SecurityGroupRules",
                                                   {{{"SecurityGroupRuleId", first},
                                                     {"SecurityGroupRule",
                                                      {{"IpProtocol", "tcp"},
                                                       {"FromPort", 22},
                                                       {"ToPort", 22},
                                                       {"CidrIpv4", "192.168.0.0/16"}}}}}}}) ==
          "InvalidPermission.Duplicate");
    CHECK(f.error_of(
              "ModifySecurityGroupRules",
              {{"GroupId", group},
               {"SecurityGroupRules",
                {{{"SecurityGroupRuleId", "sgr-00000000000000000"},
                  {"SecurityGroupRule", {{"IpProtocol", "-1"}, {"CidrIpv4", "0.0.0.0/0"}}}}}}}) ==
          "InvalidSecurityGroupRuleId.NotFound");
}
