#include "services/rds/rds_model.hpp"

#include <catch2/catch.hpp>

#include "emulator/protocol/aws_error.hpp"

using namespace awsemu;
using namespace awsemu::rds;

TEST_CASE("RDS identifiers follow AWS's rules and are kept in lower case", "[rds][unit]") {
    CHECK(checked_identifier("DBInstanceIdentifier", "My-DB1") == "my-db1");
    for (const char* bad : {"", "1db", "db-", "a--b", "db_1", "a.b"}) {
        CHECK_THROWS_AS(checked_identifier("DBInstanceIdentifier", bad), AwsError);
    }
    CHECK_THROWS_AS(checked_identifier("DBInstanceIdentifier", std::string(64, 'a')), AwsError);
}

TEST_CASE("RDS master passwords and names are checked", "[rds][unit]") {
    CHECK_NOTHROW(check_master_password("abcdefgh"));
    CHECK_THROWS_AS(check_master_password("abc"), AwsError);
    CHECK_THROWS_AS(check_master_password("abcd efgh"), AwsError);
    CHECK_THROWS_AS(check_master_password("abcd/efgh"), AwsError);
    CHECK_THROWS_AS(check_master_password("abcd@efgh"), AwsError);
    CHECK_NOTHROW(check_master_username("app_user"));
    CHECK_THROWS_AS(check_master_username("rdsadmin"), AwsError);
    CHECK_THROWS_AS(check_master_username("1app"), AwsError);
    CHECK_NOTHROW(check_database_name("orders_1"));
    CHECK_THROWS_AS(check_database_name("orders-1"), AwsError);
}

TEST_CASE("RDS ARNs are parsed into type and name", "[rds][unit]") {
    const Scope scope{"123456789012", "eu-west-1"};
    const auto arn = instance_arn(scope, "db1");
    CHECK(arn == "arn:aws:rds:eu-west-1:123456789012:db:db1");
    const auto parts = parse_arn(arn);
    REQUIRE(parts);
    CHECK(parts->type == "db");
    CHECK(parts->name == "db1");
    CHECK_FALSE(parse_arn("arn:aws:sqs:eu-west-1:1:q"));
    CHECK(parse_arn(subnet_group_arn(scope, "g"))->type == "subgrp");
}

TEST_CASE("RDS engine versions and ranges", "[rds][unit]") {
    CHECK_NOTHROW(check_engine("postgres"));
    CHECK_THROWS_AS(check_engine("mysql"), AwsError);
    CHECK_NOTHROW(check_engine_version("16.3"));
    CHECK_THROWS_AS(check_engine_version("latest"), AwsError);
    CHECK_THROWS_AS(check_allocated_storage(19, "gp2"), AwsError);
    CHECK_NOTHROW(check_allocated_storage(20, "gp2"));
    CHECK_THROWS_AS(check_backup_retention(36), AwsError);
    CHECK_THROWS_AS(check_max_records(19), AwsError);
    CHECK_NOTHROW(check_max_records(100));
}
