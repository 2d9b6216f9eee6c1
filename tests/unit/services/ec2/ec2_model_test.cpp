#include "services/ec2/ec2_model.hpp"

#include <catch2/catch.hpp>

using namespace awsemu::ec2;

TEST_CASE("Unit behaviour: CIDR blocks parse, contain and overlap as IPv4 networks",
          "[ec2][unit]") {
    const auto vpc = parse_cidr("10.0.0.0/16");
    REQUIRE(vpc);
    CHECK(vpc->prefix == 16);
    CHECK(vpc->size() == 65536);
    CHECK(vpc->str() == "10.0.0.0/16");
    CHECK(vpc->contains(*parse_cidr("10.0.1.0/24")));
    CHECK_FALSE(vpc->contains(*parse_cidr("10.1.0.0/24")));
    CHECK_FALSE(vpc->contains(*parse_cidr("10.0.0.0/8")));
    CHECK(parse_cidr("10.0.0.0/24")->overlaps(*parse_cidr("10.0.0.128/25")));
    CHECK_FALSE(parse_cidr("10.0.0.0/24")->overlaps(*parse_cidr("10.0.1.0/24")));
    for (const char* bad : {"10.0.0.1/16", "10.0.0.0", "10.0.0/16", "256.0.0.0/8", "10.0.0.0/33",
                            "a.b.c.d/16", "10.0.0.0/", "010.0.0.0/16", ""}) {
        INFO(bad);
        CHECK_FALSE(parse_cidr(bad));
    }
    CHECK(is_ipv6_cidr("2001:db8::/64"));
    CHECK(is_ipv6_cidr("::/0"));
    CHECK_FALSE(is_ipv6_cidr("10.0.0.0/16"));
    CHECK_FALSE(is_ipv6_cidr("2001:db8::/129"));
}

TEST_CASE("Unit behaviour: us-east-1 has six zones, other regions three", "[ec2][unit]") {
    const auto east = availability_zones("us-east-1");
    REQUIRE(east.size() == 6);
    CHECK(east[0].name == "us-east-1a");
    CHECK(east[0].zone_id == "use1-az1");
    CHECK(east[5].name == "us-east-1f");
    CHECK(east[5].zone_id == "use1-az6");
    CHECK(east[5].index == 5);
    const auto west = availability_zones("us-west-2");
    REQUIRE(west.size() == 3);
    CHECK(west[2].name == "us-west-2c");
    CHECK(west[2].zone_id == "usw2-az3");
    CHECK(zone_id_prefix("eu-west-1") == "euw1");
    CHECK(zone_id_prefix("eu-central-1") == "euc1");
    CHECK(zone_id_prefix("ap-southeast-2") == "apse2");
    CHECK(zone_id_prefix("ap-northeast-1") == "apne1");
    CHECK(zone_id_prefix("sa-east-1") == "sae1");
    CHECK(zone_id_prefix("il-central-1") == "ilc1");
    CHECK(find_zone("us-east-1", "use1-az2")->name == "us-east-1b");
    CHECK(find_zone("us-east-1", "us-east-1c")->zone_id == "use1-az3");
    CHECK_FALSE(find_zone("us-east-1", "us-east-1z"));
}

TEST_CASE("Unit behaviour: resource ids look like AWS's", "[ec2][unit]") {
    const std::string id = new_resource_id("vpc");
    CHECK(id.size() == 4 + 17);
    CHECK(is_resource_id(id, "vpc"));
    CHECK(is_resource_id("sg-0123abcd", "sg"));
    CHECK_FALSE(is_resource_id("sg-xyz", "sg"));
    CHECK_FALSE(is_resource_id(id, "sg"));
    CHECK(new_resource_id("subnet") != new_resource_id("subnet"));
    CHECK(resource_type_of("sgr-1") == "security-group-rule");
    CHECK(resource_type_of("sg-1") == "security-group");
    CHECK(resource_type_of("subnet-1") == "subnet");
    CHECK(resource_type_of("i-1").empty());
}

TEST_CASE("Unit behaviour: filters AND by name, OR by value, with wildcards", "[ec2][unit]") {
    FilterFields fields = {{"vpc-id", "vpc-1"}, {"state", "available"}};
    add_tag_fields(fields, {{"Name", "web-1"}, {"env", "prod"}});
    CHECK(matches_filters({}, fields));
    CHECK(matches_filters({{"vpc-id", {"vpc-2", "vpc-1"}}}, fields));
    CHECK_FALSE(matches_filters({{"vpc-id", {"vpc-2"}}}, fields));
    CHECK(matches_filters({{"tag:Name", {"web-*"}}, {"state", {"available"}}}, fields));
    CHECK_FALSE(matches_filters({{"tag:Name", {"web-*"}}, {"state", {"pending"}}}, fields));
    CHECK(matches_filters({{"tag-key", {"env"}}}, fields));
    CHECK_FALSE(matches_filters({{"tag:missing", {"*"}}}, fields));
    CHECK(matches_filters({{"tag:Name", {"web-?"}}}, fields));
    CHECK_FALSE(matches_filters({{"tag:Name", {"web-\\?"}}}, fields));
}

TEST_CASE("Unit behaviour: protocols normalize as EC2 stores them", "[ec2][unit]") {
    CHECK(normalize_protocol("TCP") == "tcp");
    CHECK(normalize_protocol("6") == "tcp");
    CHECK(normalize_protocol("17") == "udp");
    CHECK(normalize_protocol("1") == "icmp");
    CHECK(normalize_protocol("all") == "-1");
    CHECK(normalize_protocol("-1") == "-1");
    CHECK(normalize_protocol("50") == "50");
    CHECK_FALSE(normalize_protocol("256"));
    CHECK_FALSE(normalize_protocol("tcpx"));
}

TEST_CASE("Unit behaviour: two rules are one permission whatever their description",
          "[ec2][unit]") {
    SecurityGroupRule a;
    a.group_id = "sg-1";
    a.ip_protocol = "tcp";
    a.from_port = 22;
    a.to_port = 22;
    a.cidr_ipv4 = "0.0.0.0/0";
    SecurityGroupRule b = a;
    b.rule_id = "sgr-2";
    b.description = "ssh";
    CHECK(a.same_permission(b));
    b.to_port = 23;
    CHECK_FALSE(a.same_permission(b));
    b = a;
    b.is_egress = true;
    CHECK_FALSE(a.same_permission(b));
}
