// The handlers of secretsmanager_service.hpp, driven through the operation table.
#include "services/secretsmanager/secretsmanager_service.hpp"

#include <catch2/catch.hpp>

#include "services/secretsmanager/secretsmanager_model.hpp"
#include "tests/unit/services/secretsmanager/secretsmanager_test_support.hpp"

using namespace awsemu;
using namespace awsemu::secretsmanager;
using namespace awsemu::secretsmanager::testing;
using nlohmann::json;

TEST_CASE("Unit behaviour: replicas follow the primary and refuse writes",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    const Scope west{"123456789012", "us-west-2"};
    const std::string arn = f.create("s", "one")["ARN"];
    auto out = f.call("ReplicateSecretToRegions",
                      {{"SecretId", "s"}, {"AddReplicaRegions", {{{"Region", "us-west-2"}}}}});
    CHECK(out["ARN"] == arn);
    CHECK(out["ReplicationStatus"][0]["Region"] == "us-west-2");
    CHECK(out["ReplicationStatus"][0]["Status"] == "InSync");

    const auto replica = f.call_in(west, "DescribeSecret", {{"SecretId", "s"}});
    std::string west_arn = arn;
    west_arn.replace(west_arn.find("us-east-1"), 9, "us-west-2");
    CHECK(replica["ARN"] == west_arn);
    CHECK(replica["PrimaryRegion"] == "us-east-1");
    CHECK(f.call("DescribeSecret", {{"SecretId", "s"}})["PrimaryRegion"] == "us-east-1");

    f.call("PutSecretValue",
           {{"SecretId", "s"}, {"SecretString", "two"}, {"ClientRequestToken", f.next_token()}});
    CHECK(f.call_in(west, "GetSecretValue", {{"SecretId", "s"}})["SecretString"] == "two");
    auto e = f.error_in(
        west, "PutSecretValue",
        {{"SecretId", "s"}, {"SecretString", "x"}, {"ClientRequestToken", f.next_token()}});
    CHECK(e.code == "InvalidRequestException");
    CHECK(e.message ==
          "Operation not permitted on a replica secret. Call must be made in primary "
          "secret's region.");
    e = f.error("DeleteSecret", {{"SecretId", "s"}});
    CHECK(e.code == "InvalidParameterException");
    e = f.error("ReplicateSecretToRegions",
                {{"SecretId", "s"}, {"AddReplicaRegions", {{{"Region", "us-east-1"}}}}});
    CHECK(e.code == "InvalidParameterException");

    // A name taken in the target region fails unless overwriting is forced.
    f.call_in(Scope{"123456789012", "eu-west-1"}, "CreateSecret", {{"Name", "s"}});
    out = f.call("ReplicateSecretToRegions",
                 {{"SecretId", "s"}, {"AddReplicaRegions", {{{"Region", "eu-west-1"}}}}});
    CHECK(out["ReplicationStatus"][1]["Status"] == "Failed");

    out = f.call("RemoveRegionsFromReplication",
                 {{"SecretId", "s"}, {"RemoveReplicaRegions", {"us-west-2", "eu-west-1"}}});
    CHECK(out["ReplicationStatus"].empty());
    CHECK(f.error_in(west, "DescribeSecret", {{"SecretId", "s"}}).code ==
          "ResourceNotFoundException");

    // Stopping replication makes the replica a secret of its own.
    f.call("ReplicateSecretToRegions",
           {{"SecretId", "s"}, {"AddReplicaRegions", {{{"Region", "us-west-2"}}}}});
    f.call_in(west, "StopReplicationToReplica", {{"SecretId", "s"}});
    CHECK_FALSE(f.call_in(west, "DescribeSecret", {{"SecretId", "s"}}).contains("PrimaryRegion"));
    CHECK_NOTHROW(f.call_in(
        west, "PutSecretValue",
        {{"SecretId", "s"}, {"SecretString", "mine"}, {"ClientRequestToken", f.next_token()}}));
    CHECK(f.call("GetSecretValue", {{"SecretId", "s"}})["SecretString"] == "two");
    CHECK_NOTHROW(
        f.call("DeleteSecret", {{"SecretId", "s"}, {"ForceDeleteWithoutRecovery", true}}));
}

TEST_CASE("Unit behaviour: CreateSecret can add replica regions", "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    const auto out = f.create(
        "s", "v", {{"AddReplicaRegions", {{{"Region", "eu-central-1"}, {"KmsKeyId", "alias/k"}}}}});
    REQUIRE(out["ReplicationStatus"].size() == 1);
    CHECK(out["ReplicationStatus"][0]["KmsKeyId"] == "alias/k");
    CHECK(f.call_in(Scope{"123456789012", "eu-central-1"}, "GetSecretValue",
                    {{"SecretId", "s"}})["SecretString"] == "v");
    CHECK(f.error("CreateSecret",
                  {{"Name", "t"}, {"AddReplicaRegions", {{{"Region", "Bad Region"}}}}})
              .code == "ValidationException");
}
