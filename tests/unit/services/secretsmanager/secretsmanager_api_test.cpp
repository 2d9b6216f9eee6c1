#include "services/secretsmanager/secretsmanager_api.hpp"

#include <catch2/catch.hpp>

#include "emulator/protocol/aws_error.hpp"
#include "tests/unit/services/secretsmanager/secretsmanager_test_support.hpp"

using namespace awsemu;
using namespace awsemu::secretsmanager;
using namespace awsemu::secretsmanager::testing;

TEST_CASE("Unit behaviour: other services create and read secrets through the api",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    NewSecret spec;
    spec.name = "rds!db-1";
    spec.secret_string = R"({"username":"admin","password":"p@ss","port":5432})";
    spec.description = "master user";
    spec.tags = {{"owner", "rds"}};
    CHECK_THROWS_AS(create_secret(f.database, f.clock, f.scope, spec), AwsError);  // '!' refused
    spec.owning_service = "rds";  // ... unless a service manages the secret, as RDS names them
    const CreatedSecret created = create_secret(f.database, f.clock, f.scope, spec);
    CHECK(created.name == "rds!db-1");
    REQUIRE(created.version_id);
    const auto described = f.call("DescribeSecret", {{"SecretId", created.arn}});
    CHECK(described["OwningService"] == "rds");
    CHECK(described["Tags"][0]["Key"] == "owner");

    const auto value = get_secret_value(f.database, f.clock, f.scope, created.arn);
    REQUIRE(value);
    CHECK(value->secret_string == spec.secret_string);
    CHECK(value->version_id == *created.version_id);
    CHECK(value->version_stages == std::vector<std::string>{"AWSCURRENT"});
    CHECK(value->created_date == f.clock.now());
    CHECK(f.call("DescribeSecret", {{"SecretId", "rds!db-1"}}).contains("LastAccessedDate"));

    CHECK(resolve_value_from(f.database, f.clock, f.scope, created.arn) == *spec.secret_string);
    CHECK(resolve_value_from(f.database, f.clock, f.scope, created.arn + ":username::") == "admin");
    CHECK(resolve_value_from(f.database, f.clock, f.scope, created.arn + ":port:AWSCURRENT:") ==
          "5432");
    CHECK(resolve_value_from(f.database, f.clock, f.scope, "rds!db-1") == *spec.secret_string);
    try {
        resolve_value_from(f.database, f.clock, f.scope, created.arn + ":nokey::");
        FAIL("expected a missing json key to fail");
    } catch (const AwsError& e) {
        CHECK(e.spec().code == "InvalidRequestException");
    }

    const std::string v2 = put_secret_string(f.database, f.clock, f.scope, "rds!db-1", "rotated");
    CHECK(get_secret_value(f.database, f.clock, f.scope, "rds!db-1")->secret_string ==
          std::optional<std::string>("rotated"));
    CHECK(get_secret_value(f.database, f.clock, f.scope, "rds!db-1", "AWSPREVIOUS")->version_id ==
          *created.version_id);
    CHECK(get_secret_value(f.database, f.clock, f.scope, "rds!db-1", "", v2)->secret_string ==
          std::optional<std::string>("rotated"));

    CHECK_FALSE(get_secret_value(f.database, f.clock, f.scope, "missing"));
    try {
        fetch_secret_value(f.database, f.clock, f.scope, "rds!db-1", "AWSPENDING");
        FAIL("expected no AWSPENDING version");
    } catch (const AwsError& e) {
        CHECK(e.spec().code == "ResourceNotFoundException");
        CHECK(std::string(e.what()) ==
              "Secrets Manager can't find the specified secret value for staging label: "
              "AWSPENDING");
    }

    delete_secret(f.database, f.clock, f.scope, "rds!db-1", 7);
    CHECK_FALSE(get_secret_value(f.database, f.clock, f.scope, "rds!db-1"));
    delete_secret(f.database, f.clock, f.scope, "rds!db-1");
    CHECK(f.error("DescribeSecret", {{"SecretId", "rds!db-1"}}).code ==
          "ResourceNotFoundException");
}

TEST_CASE("Unit behaviour: api calls join a transaction the caller holds",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    {
        auto outer = f.database.transaction();
        NewSecret spec;
        spec.name = "inside";
        spec.secret_binary = std::string("\x00\x01\xff", 3);
        create_secret(f.database, f.clock, f.scope, spec);
        // Not committed: the caller's rollback undoes it.
    }
    CHECK_FALSE(get_secret_value(f.database, f.clock, f.scope, "inside"));
    NewSecret spec;
    spec.name = "binary";
    spec.secret_binary = std::string("\x00\x01\xff", 3);
    create_secret(f.database, f.clock, f.scope, spec);
    const auto value = get_secret_value(f.database, f.clock, f.scope, "binary");
    REQUIRE(value);
    CHECK(value->secret_binary == std::optional<std::string>(std::string("\x00\x01\xff", 3)));
    CHECK_FALSE(value->secret_string);
}
