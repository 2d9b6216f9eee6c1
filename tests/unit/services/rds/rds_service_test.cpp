#include "services/rds/rds_service.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/services/rds/rds_test_support.hpp"

#include "emulator/auth/credentials.hpp"
#include "emulator/runtime/manual_scheduler.hpp"
#include "emulator/service_registry.hpp"
#include "emulator/store/database.hpp"
#include "services/ec2/ec2_api.hpp"
#include "services/ec2/ec2_service.hpp"
#include "services/secretsmanager/secretsmanager_api.hpp"
#include "services/secretsmanager/secretsmanager_service.hpp"
#include "tests/unit/operation_call.hpp"

using namespace awsemu;
using nlohmann::json;

namespace {

// RDS (with the EC2 it reads subnets from and the Secrets Manager it keeps master secrets in)
// over an in-memory database and a manual clock, without a process runtime: instances stay in
// the statuses the handlers give them.
struct RdsFixture {
    ManualClock clock;
    ManualScheduler scheduler{clock};
    Database database{":memory:"};
    CredentialRegistry credentials{{}, "123456789012"};
    ServiceEnvironment environment{database, clock, scheduler, credentials, "123456789012"};
    ServiceRegistry registry;
    Scope scope{"123456789012", "us-east-1"};

    RdsFixture() {
        ec2::register_service(registry, environment);
        secretsmanager::register_service(registry, environment);
        rds::register_service(registry, environment);
    }

    json call(std::string_view operation, json input = json::object()) {
        const ServiceDefinition* service = registry.by_signing_name("rds");
        REQUIRE(service != nullptr);
        const RequestContext context{scope, "request-id", "", "", "http://localhost:4566", &clock};
        return testing::call_operation(database, *service, context, operation, std::move(input));
    }

    testing::CaughtError error(std::string_view operation, json input) {
        return testing::caught_error(operation, [&] { call(operation, std::move(input)); });
    }
};

}  // namespace

TEST_CASE("RDS CreateDBInstance stores and returns what it was given", "[rds][unit]") {
    RdsFixture f;
    auto input = rds::testing::instance_input("Orders");
    input["DBName"] = "orders";
    input["BackupRetentionPeriod"] = 7;
    input["DeletionProtection"] = true;
    input["Tags"] = json::array({{{"Key", "team"}, {"Value", "a"}}});
    const auto created = f.call("CreateDBInstance", input).at("DBInstance");
    CHECK(created.at("DBInstanceIdentifier") == "orders");
    CHECK(created.at("DBInstanceStatus") == "creating");
    CHECK(created.at("DBInstanceArn") == "arn:aws:rds:us-east-1:123456789012:db:orders");
    CHECK(created.at("BackupRetentionPeriod") == 7);
    CHECK(created.at("DeletionProtection") == true);
    CHECK(created.at("DBName") == "orders");
    CHECK(created.at("AvailabilityZone") == "us-east-1a");
    CHECK(created.at("DBSubnetGroup").at("DBSubnetGroupName") == "default");
    CHECK(created.at("TagList").size() == 1);
    CHECK_FALSE(created.contains("_MasterPassword"));

    const auto described = f.call("DescribeDBInstances", {{"DBInstanceIdentifier", "ORDERS"}});
    CHECK(described.at("DBInstances").at(0).at("DBInstanceIdentifier") == "orders");
}

TEST_CASE("RDS CreateDBInstance answers AWS's errors", "[rds][unit]") {
    RdsFixture f;
    f.call("CreateDBInstance", rds::testing::instance_input("db1"));
    const auto exists = f.error("CreateDBInstance", rds::testing::instance_input("db1"));
    CHECK(exists.code == "DBInstanceAlreadyExists");
    CHECK(exists.status == 400);

    auto bad_id = rds::testing::instance_input("1db");
    CHECK(f.error("CreateDBInstance", bad_id).code == "InvalidParameterValue");
    bad_id["DBInstanceIdentifier"] = "a--b";
    CHECK(f.error("CreateDBInstance", bad_id).code == "InvalidParameterValue");

    auto short_password = rds::testing::instance_input("db2");
    short_password["MasterUserPassword"] = "short";
    const auto e = f.error("CreateDBInstance", short_password);
    CHECK(e.code == "InvalidParameterValue");
    CHECK(e.message.find("shorter than 8 characters") != std::string::npos);

    auto both = rds::testing::instance_input("db2");
    both["ManageMasterUserPassword"] = true;
    CHECK(f.error("CreateDBInstance", both).code == "InvalidParameterCombination");

    auto neither = rds::testing::instance_input("db2");
    neither.erase("MasterUserPassword");
    CHECK(f.error("CreateDBInstance", neither).code == "InvalidParameterValue");

    auto mysql = rds::testing::instance_input("db2");
    mysql["Engine"] = "mysql";
    CHECK(f.error("CreateDBInstance", mysql).code == "InvalidParameterValue");

    auto storage = rds::testing::instance_input("db2");
    storage["AllocatedStorage"] = 5;
    CHECK(f.error("CreateDBInstance", storage).code == "InvalidParameterCombination");
    CHECK(f.error("CreateDBInstance", storage).message ==
          "Invalid storage size for engine name postgres and storage type gp2: 5");
    storage["StorageType"] = "gp3";
    CHECK(f.error("CreateDBInstance", storage).message ==
          "Invalid storage size for engine name postgres and storage type gp3: 5");

    auto zone = rds::testing::instance_input("db2");
    zone["MultiAZ"] = true;
    zone["AvailabilityZone"] = "us-east-1a";
    CHECK(f.error("CreateDBInstance", zone).code == "InvalidParameterCombination");

    const auto missing = f.error("DescribeDBInstances", {{"DBInstanceIdentifier", "nope"}});
    CHECK(missing.code == "DBInstanceNotFound");
    CHECK(missing.status == 404);
    CHECK(missing.message == "DBInstance nope not found.");
}

TEST_CASE("RDS DeleteDBInstance follows the final snapshot and protection rules", "[rds][unit]") {
    RdsFixture f;
    auto input = rds::testing::instance_input("kept");
    input["DeletionProtection"] = true;
    f.call("CreateDBInstance", input);
    const auto no_choice = f.error("DeleteDBInstance", {{"DBInstanceIdentifier", "kept"}});
    CHECK(no_choice.code == "InvalidParameterCombination");
    const auto protected_ = f.error(
        "DeleteDBInstance", {{"DBInstanceIdentifier", "kept"}, {"SkipFinalSnapshot", true}});
    CHECK(protected_.code == "InvalidParameterCombination");
    CHECK(protected_.message.find("deletion protection") != std::string::npos);
    const auto both = f.error("DeleteDBInstance", {{"DBInstanceIdentifier", "kept"},
                                                   {"SkipFinalSnapshot", true},
                                                   {"FinalDBSnapshotIdentifier", "last"}});
    CHECK(both.code == "InvalidParameterCombination");
}

TEST_CASE("RDS ModifyDBInstance needs an available instance", "[rds][unit]") {
    RdsFixture f;
    f.call("CreateDBInstance", rds::testing::instance_input("busy"));
    const auto e = f.error("ModifyDBInstance",
                           {{"DBInstanceIdentifier", "busy"}, {"BackupRetentionPeriod", 3}});
    CHECK(e.code == "InvalidDBInstanceState");
    CHECK(f.error("StopDBInstance", {{"DBInstanceIdentifier", "busy"}}).code ==
          "InvalidDBInstanceState");
    CHECK(f.error("StartDBInstance", {{"DBInstanceIdentifier", "busy"}}).code ==
          "InvalidDBInstanceState");
    CHECK(f.error("RebootDBInstance", {{"DBInstanceIdentifier", "busy"}}).code ==
          "InvalidDBInstanceState");
}

TEST_CASE("RDS DescribeDBInstances pages and filters", "[rds][unit]") {
    RdsFixture f;
    for (int i = 0; i < 25; ++i) {
        f.call("CreateDBInstance", rds::testing::instance_input("db" + std::to_string(100 + i)));
    }
    const auto first = f.call("DescribeDBInstances", {{"MaxRecords", 20}});
    CHECK(first.at("DBInstances").size() == 20);
    REQUIRE(first.contains("Marker"));
    const auto second =
        f.call("DescribeDBInstances", {{"MaxRecords", 20}, {"Marker", first.at("Marker")}});
    CHECK(second.at("DBInstances").size() == 5);
    CHECK(second.at("DBInstances").at(0).at("DBInstanceIdentifier") == "db120");
    CHECK_FALSE(second.contains("Marker"));
    CHECK(f.error("DescribeDBInstances", {{"MaxRecords", 5}}).code == "InvalidParameterValue");

    const auto filtered = f.call(
        "DescribeDBInstances",
        {{"Filters",
          json::array({{{"Name", "db-instance-id"},
                        {"Values", {"arn:aws:rds:us-east-1:123456789012:db:db101", "db102"}}}})}});
    CHECK(filtered.at("DBInstances").size() == 2);
    CHECK(f.error("DescribeDBInstances",
                  {{"Filters", json::array({{{"Name", "bogus"}, {"Values", {"x"}}}})}})
              .code == "InvalidParameterValue");
}

TEST_CASE("RDS ManageMasterUserPassword keeps the password in Secrets Manager", "[rds][unit]") {
    RdsFixture f;
    auto input = rds::testing::instance_input("managed");
    input.erase("MasterUserPassword");
    input["ManageMasterUserPassword"] = true;
    const auto created = f.call("CreateDBInstance", input).at("DBInstance");
    const std::string arn = created.at("MasterUserSecret").at("SecretArn");
    CHECK(created.at("MasterUserSecret").at("SecretStatus") == "active");
    auto transaction = f.database.transaction();
    const auto secret = secretsmanager::get_secret_value(f.database, f.clock, f.scope, arn);
    REQUIRE(secret);
    const auto value = json::parse(*secret->secret_string);
    CHECK(value.at("username") == "app");
    CHECK(value.at("password").get<std::string>().size() == 28);
    CHECK(secret->name.rfind("rds!db-", 0) == 0);
}

TEST_CASE("RDS subnet groups need subnets in two zones", "[rds][unit]") {
    RdsFixture f;
    const auto subnets = ec2::default_subnets(f.database, f.scope);
    REQUIRE(subnets.size() >= 2);
    const auto one = f.error("CreateDBSubnetGroup", {{"DBSubnetGroupName", "one"},
                                                     {"DBSubnetGroupDescription", "d"},
                                                     {"SubnetIds", {subnets[0].subnet_id}}});
    CHECK(one.code == "DBSubnetGroupDoesNotCoverEnoughAZs");
    const auto bad = f.error("CreateDBSubnetGroup", {{"DBSubnetGroupName", "bad"},
                                                     {"DBSubnetGroupDescription", "d"},
                                                     {"SubnetIds", {"subnet-nope"}}});
    CHECK(bad.code == "InvalidSubnet");
    const auto group =
        f.call("CreateDBSubnetGroup", {{"DBSubnetGroupName", "Two"},
                                       {"DBSubnetGroupDescription", "d"},
                                       {"SubnetIds", {subnets[0].subnet_id, subnets[1].subnet_id}}})
            .at("DBSubnetGroup");
    CHECK(group.at("DBSubnetGroupName") == "two");
    CHECK(group.at("Subnets").size() == 2);
    CHECK(f.error("CreateDBSubnetGroup", {{"DBSubnetGroupName", "two"},
                                          {"DBSubnetGroupDescription", "d"},
                                          {"SubnetIds", {subnets[0].subnet_id}}})
              .code == "DBSubnetGroupAlreadyExists");
    auto input = rds::testing::instance_input("placed");
    input["DBSubnetGroupName"] = "two";
    f.call("CreateDBInstance", input);
    CHECK(f.error("DeleteDBSubnetGroup", {{"DBSubnetGroupName", "two"}}).code ==
          "InvalidDBSubnetGroupStateFault");
    const auto missing = f.error("DeleteDBSubnetGroup", {{"DBSubnetGroupName", "gone"}});
    CHECK(missing.code == "DBSubnetGroupNotFoundFault");
    CHECK(missing.status == 404);
}

TEST_CASE("RDS tags and events", "[rds][unit]") {
    RdsFixture f;
    f.call("CreateDBInstance", rds::testing::instance_input("tagged"));
    const std::string arn = "arn:aws:rds:us-east-1:123456789012:db:tagged";
    f.call(
        "AddTagsToResource",
        {{"ResourceName", arn},
         {"Tags", json::array({{{"Key", "a"}, {"Value", "1"}}, {{"Key", "b"}, {"Value", "2"}}})}});
    f.call("RemoveTagsFromResource", {{"ResourceName", arn}, {"TagKeys", {"a"}}});
    const auto tags = f.call("ListTagsForResource", {{"ResourceName", arn}}).at("TagList");
    REQUIRE(tags.size() == 1);
    CHECK(tags.at(0).at("Key") == "b");
    CHECK(f.error("ListTagsForResource",
                  {{"ResourceName", "arn:aws:rds:us-east-1:123456789012:db:nope"}})
              .code == "DBInstanceNotFound");

    // A snapshot ARN names a snapshot (tagging one: rds_instances_test).
    const auto no_snapshot =
        f.error("ListTagsForResource",
                {{"ResourceName", "arn:aws:rds:us-east-1:123456789012:snapshot:nope"}});
    CHECK(no_snapshot.code == "DBSnapshotNotFound");
    CHECK(no_snapshot.status == 404);
    const auto events =
        f.call("DescribeEvents", {{"SourceIdentifier", "tagged"}, {"SourceType", "db-instance"}})
            .at("Events");
    REQUIRE(events.size() == 1);
    CHECK(events.at(0).at("Message") == "DB instance creating");
}
