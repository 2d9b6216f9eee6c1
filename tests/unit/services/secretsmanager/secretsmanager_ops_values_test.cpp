// The handlers of secretsmanager_service.hpp, driven through the operation table.
#include "services/secretsmanager/secretsmanager_service.hpp"

#include <catch2/catch.hpp>

#include "services/secretsmanager/secretsmanager_model.hpp"
#include "tests/unit/services/secretsmanager/secretsmanager_test_support.hpp"

using namespace awsemu;
using namespace awsemu::secretsmanager;
using namespace awsemu::secretsmanager::testing;
using nlohmann::json;

TEST_CASE("Unit behaviour: an empty secret has no value until PutSecretValue",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    const auto out = f.call("CreateSecret", {{"Name", "empty"}});
    CHECK_FALSE(out.contains("VersionId"));
    auto e = f.error("GetSecretValue", {{"SecretId", "empty"}});
    CHECK(e.code == "ResourceNotFoundException");
    CHECK(e.message ==
          "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
    const auto described = f.call("DescribeSecret", {{"SecretId", "empty"}});
    CHECK_FALSE(described.contains("VersionIdsToStages"));
    CHECK_FALSE(described.contains("Description"));
    CHECK_FALSE(described.contains("Tags"));
    CHECK_FALSE(described.contains("RotationEnabled"));

    // The first version becomes AWSCURRENT even when other labels are asked for.
    const auto put = f.call("PutSecretValue", {{"SecretId", "empty"},
                                               {"SecretString", "first"},
                                               {"VersionStages", {"CUSTOM"}},
                                               {"ClientRequestToken", f.next_token()}});
    CHECK(put["VersionStages"] == json::array({"AWSCURRENT", "CUSTOM"}));
    CHECK(f.call("GetSecretValue", {{"SecretId", "empty"}})["SecretString"] == "first");
}

TEST_CASE("Unit behaviour: secrets are found by name, full ARN and partial ARN",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    const std::string arn = f.create("prod/api-key", "k")["ARN"];
    const std::string partial = arn.substr(0, arn.size() - 7);
    for (const auto& id : {std::string("prod/api-key"), arn, partial}) {
        INFO(id);
        CHECK(f.call("GetSecretValue", {{"SecretId", id}})["SecretString"] == "k");
    }
    auto e = f.error("GetSecretValue", {{"SecretId", partial + "-XXXXXX"}});
    CHECK(e.code == "ResourceNotFoundException");
    CHECK(e.message == "Secrets Manager can't find the specified secret.");
    // Another region's ARN is not this region's secret.
    std::string west = arn;
    west.replace(west.find("us-east-1"), 9, "us-west-2");
    CHECK(f.error("GetSecretValue", {{"SecretId", west}}).code == "ResourceNotFoundException");
    CHECK(f.error_in(Scope{"123456789012", "us-west-2"}, "GetSecretValue",
                     {{"SecretId", "prod/api-key"}})
              .code == "ResourceNotFoundException");
}

TEST_CASE("Unit behaviour: SecretBinary is stored and returned byte for byte",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    const std::string encoded = "AAECA/8Q/v1hYmM=";  // 00 01 02 03 ff 10 fe fd 'abc'
    f.call("CreateSecret",
           {{"Name", "bin"}, {"SecretBinary", encoded}, {"ClientRequestToken", f.next_token()}});
    const auto value = f.call("GetSecretValue", {{"SecretId", "bin"}});
    CHECK(value["SecretBinary"] == encoded);
    CHECK_FALSE(value.contains("SecretString"));
    CHECK(f.error("CreateSecret", {{"Name", "bad"},
                                   {"SecretBinary", "not base64!"},
                                   {"ClientRequestToken", f.next_token()}})
              .code == "SerializationException");
}

TEST_CASE("Unit behaviour: PutSecretValue moves AWSCURRENT and AWSPREVIOUS",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    const std::string v1 = f.create("s", "one")["VersionId"];
    const std::string v2 = f.next_token();
    auto put = f.call("PutSecretValue",
                      {{"SecretId", "s"}, {"SecretString", "two"}, {"ClientRequestToken", v2}});
    CHECK(put["VersionStages"] == json::array({"AWSCURRENT"}));
    CHECK(f.stages("s") == json({{v1, {"AWSPREVIOUS"}}, {v2, {"AWSCURRENT"}}}));

    const std::string v3 = f.next_token();
    f.call("PutSecretValue",
           {{"SecretId", "s"}, {"SecretString", "three"}, {"ClientRequestToken", v3}});
    // v1 lost its last label: deprecated, hidden from the maps and the default version list.
    CHECK(f.stages("s") == json({{v2, {"AWSPREVIOUS"}}, {v3, {"AWSCURRENT"}}}));
    CHECK(f.call("ListSecretVersionIds", {{"SecretId", "s"}})["Versions"].size() == 2);
    const auto all =
        f.call("ListSecretVersionIds", {{"SecretId", "s"}, {"IncludeDeprecated", true}});
    REQUIRE(all["Versions"].size() == 3);
    CHECK(all["Versions"][0]["VersionId"] == v1);
    CHECK_FALSE(all["Versions"][0].contains("VersionStages"));
    CHECK(all["Versions"][0]["KmsKeyIds"] == json::array({"DefaultEncryptionKey"}));

    CHECK(f.call("GetSecretValue",
                 {{"SecretId", "s"}, {"VersionStage", "AWSPREVIOUS"}})["SecretString"] == "two");
    CHECK(f.call("GetSecretValue", {{"SecretId", "s"}, {"VersionId", v1}})["SecretString"] ==
          "one");

    // Custom labels move without touching AWSCURRENT.
    const std::string v4 = f.next_token();
    put = f.call("PutSecretValue", {{"SecretId", "s"},
                                    {"SecretString", "four"},
                                    {"VersionStages", {"AWSPENDING", "B", "A"}},
                                    {"ClientRequestToken", v4}});
    CHECK(put["VersionStages"] == json::array({"A", "AWSPENDING", "B"}));
    CHECK(f.call("GetSecretValue", {{"SecretId", "s"}})["SecretString"] == "three");
    CHECK(f.call("GetSecretValue", {{"SecretId", "s"}, {"VersionStage", "B"}})["SecretString"] ==
          "four");
}

TEST_CASE("Unit behaviour: PutSecretValue is idempotent per ClientRequestToken",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    f.create("s", "one");
    const std::string token = f.next_token();
    const json input = {{"SecretId", "s"}, {"SecretString", "two"}, {"ClientRequestToken", token}};
    f.call("PutSecretValue", input);
    const auto again = f.call("PutSecretValue", input);
    CHECK(again["VersionId"] == token);
    CHECK(again["VersionStages"] == json::array({"AWSCURRENT"}));
    CHECK(f.call("ListSecretVersionIds", {{"SecretId", "s"}})["Versions"].size() == 2);
    auto changed = input;
    changed["SecretString"] = "three";
    const auto e = f.error("PutSecretValue", changed);
    CHECK(e.code == "ResourceExistsException");
    CHECK(e.message == "You can't modify an existing version, you can only create a new version.");

    CHECK(f.error("PutSecretValue", {{"SecretId", "s"}, {"SecretString", "x"}}).code ==
          "InvalidRequestException");
    CHECK(f.error("PutSecretValue", {{"SecretId", "s"}, {"ClientRequestToken", f.next_token()}})
              .message == "You must provide either SecretString or SecretBinary.");
    CHECK(f.error("PutSecretValue", {{"SecretId", "nope"},
                                     {"SecretString", "x"},
                                     {"ClientRequestToken", f.next_token()}})
              .code == "ResourceNotFoundException");
}

TEST_CASE("Unit behaviour: GetSecretValue errors name the missing version or label",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    const std::string v1 = f.create("s", "one")["VersionId"];
    auto e = f.error("GetSecretValue", {{"SecretId", "s"}, {"VersionStage", "AWSPREVIOUS"}});
    CHECK(e.code == "ResourceNotFoundException");
    CHECK(e.message ==
          "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS");
    const std::string missing = f.next_token();
    e = f.error("GetSecretValue", {{"SecretId", "s"}, {"VersionId", missing}});
    CHECK(e.message ==
          "Secrets Manager can't find the specified secret value for VersionId: " + missing);
    e = f.error("GetSecretValue", {{"SecretId", "s"}, {"VersionId", v1}, {"VersionStage", "X"}});
    CHECK(e.code == "InvalidRequestException");
    CHECK(e.message ==
          "You provided a VersionStage that is not associated to the provided VersionId.");
    e = f.error("GetSecretValue", {{"SecretId", "s"}, {"VersionId", "short"}});
    CHECK(e.code == "ValidationException");
    CHECK(f.error("GetSecretValue", {{"SecretId", "bad name!"}}).code == "ValidationException");
}

TEST_CASE("Unit behaviour: UpdateSecretVersionStage follows AWS's labelling rules",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    const std::string v1 = f.create("s", "S1")["VersionId"];
    const std::string v2 = f.next_token();
    f.call("PutSecretValue", {{"SecretId", "s"},
                              {"SecretString", "S2"},
                              {"VersionStages", {"AWSPENDING"}},
                              {"ClientRequestToken", v2}});

    auto e = f.error("UpdateSecretVersionStage",
                     {{"SecretId", "s"}, {"VersionStage", "AWSCURRENT"}, {"MoveToVersionId", v2}});
    CHECK(e.code == "InvalidParameterException");
    CHECK(e.message ==
          "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT "
          "is currently attached to version " +
              v1 +
              ", so you must explicitly reference that version in "
              "RemoveFromVersionId.");
    e = f.error("UpdateSecretVersionStage",
                {{"SecretId", "s"}, {"VersionStage", "AWSCURRENT"}, {"RemoveFromVersionId", v1}});
    CHECK(e.code == "InvalidParameterException");
    e = f.error("UpdateSecretVersionStage", {{"SecretId", "s"},
                                             {"VersionStage", "AWSCURRENT"},
                                             {"MoveToVersionId", f.next_token()},
                                             {"RemoveFromVersionId", v1}});
    CHECK(e.code == "ResourceNotFoundException");
    e = f.error("UpdateSecretVersionStage", {{"SecretId", "s"},
                                             {"VersionStage", "AWSCURRENT"},
                                             {"MoveToVersionId", v1},
                                             {"RemoveFromVersionId", v2}});
    CHECK(e.code == "InvalidParameterException");

    const auto out = f.call("UpdateSecretVersionStage", {{"SecretId", "s"},
                                                         {"VersionStage", "AWSCURRENT"},
                                                         {"MoveToVersionId", v2},
                                                         {"RemoveFromVersionId", v1}});
    CHECK(out ==
          json({{"ARN", f.call("DescribeSecret", {{"SecretId", "s"}})["ARN"]}, {"Name", "s"}}));
    CHECK(f.stages("s") == json({{v1, {"AWSPREVIOUS"}}, {v2, {"AWSCURRENT", "AWSPENDING"}}}));
    CHECK(f.call("GetSecretValue", {{"SecretId", "s"}})["SecretString"] == "S2");

    // Custom labels can be attached, moved and removed.
    f.call("UpdateSecretVersionStage",
           {{"SecretId", "s"}, {"VersionStage", "MINE"}, {"MoveToVersionId", v1}});
    f.call("UpdateSecretVersionStage", {{"SecretId", "s"},
                                        {"VersionStage", "MINE"},
                                        {"MoveToVersionId", v2},
                                        {"RemoveFromVersionId", v1}});
    CHECK(f.stages("s")[v2] == json::array({"AWSCURRENT", "AWSPENDING", "MINE"}));
    f.call("UpdateSecretVersionStage",
           {{"SecretId", "s"}, {"VersionStage", "MINE"}, {"RemoveFromVersionId", v2}});
    CHECK(f.stages("s")[v2] == json::array({"AWSCURRENT", "AWSPENDING"}));
}

TEST_CASE("Unit behaviour: LastAccessedDate is the day of the last read",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    const std::string v1 = f.create("s", "v")["VersionId"];
    CHECK_FALSE(f.call("DescribeSecret", {{"SecretId", "s"}}).contains("LastAccessedDate"));
    f.call("GetSecretValue", {{"SecretId", "s"}});
    const double day1 = 1699920000.0;  // midnight UTC of 2023-11-14
    CHECK(f.call("DescribeSecret", {{"SecretId", "s"}})["LastAccessedDate"].get<double>() ==
          Approx(day1));
    f.clock.advance(std::chrono::hours(1));  // still the same day
    f.call("GetSecretValue", {{"SecretId", "s"}});
    CHECK(f.call("DescribeSecret", {{"SecretId", "s"}})["LastAccessedDate"].get<double>() ==
          Approx(day1));
    f.clock.advance(kOneDay);
    f.call("GetSecretValue", {{"SecretId", "s"}});
    CHECK(f.call("DescribeSecret", {{"SecretId", "s"}})["LastAccessedDate"].get<double>() ==
          Approx(day1 + 86400));
    const auto versions = f.call("ListSecretVersionIds", {{"SecretId", "s"}})["Versions"];
    CHECK(versions[0]["VersionId"] == v1);
    CHECK(versions[0]["LastAccessedDate"].get<double>() == Approx(day1 + 86400));
}

TEST_CASE("Unit behaviour: ListSecretVersionIds pages versions", "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    f.create("s", "v0");
    for (int i = 1; i < 5; ++i) {
        f.call("PutSecretValue", {{"SecretId", "s"},
                                  {"SecretString", "v" + std::to_string(i)},
                                  {"VersionStages", {"L" + std::to_string(i)}},
                                  {"ClientRequestToken", f.next_token()}});
    }
    auto page = f.call("ListSecretVersionIds", {{"SecretId", "s"}, {"MaxResults", 3}});
    CHECK(page["Versions"].size() == 3);
    REQUIRE(page.contains("NextToken"));
    page = f.call("ListSecretVersionIds",
                  {{"SecretId", "s"}, {"MaxResults", 3}, {"NextToken", page["NextToken"]}});
    CHECK(page["Versions"].size() == 2);
    CHECK_FALSE(page.contains("NextToken"));
    CHECK(f.error("ListSecretVersionIds", {{"SecretId", "s"}, {"NextToken", "eA=="}}).code ==
          "InvalidNextTokenException");
    CHECK(f.error("ListSecretVersionIds", {{"SecretId", "missing"}}).code ==
          "ResourceNotFoundException");
}

TEST_CASE("Unit behaviour: BatchGetSecretValue reads lists and filters", "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    f.create("a", "va");
    f.create("b", "vb");
    f.call("CreateSecret", {{"Name", "empty"}});
    f.create("gone", "x");
    f.call("DeleteSecret", {{"SecretId", "gone"}});

    auto out =
        f.call("BatchGetSecretValue", {{"SecretIdList", {"a", "b", "missing", "empty", "gone"}}});
    REQUIRE(out["SecretValues"].size() == 2);
    CHECK(out["SecretValues"][0]["SecretString"] == "va");
    CHECK(out["SecretValues"][1]["Name"] == "b");
    REQUIRE(out["Errors"].size() == 3);
    CHECK(out["Errors"][0] ==
          json({{"SecretId", "missing"},
                {"ErrorCode", "ResourceNotFoundException"},
                {"Message", "Secrets Manager can't find the specified secret."}}));
    CHECK(out["Errors"][1]["ErrorCode"] == "ResourceNotFoundException");
    CHECK(out["Errors"][2]["ErrorCode"] == "InvalidRequestException");

    out = f.call("BatchGetSecretValue",
                 {{"Filters", {{{"Key", "name"}, {"Values", {"a", "b"}}}}}, {"MaxResults", 1}});
    CHECK(out["SecretValues"].size() == 1);
    REQUIRE(out.contains("NextToken"));
    out = f.call("BatchGetSecretValue", {{"Filters", {{{"Key", "name"}, {"Values", {"a", "b"}}}}},
                                         {"MaxResults", 1},
                                         {"NextToken", out["NextToken"]}});
    CHECK(out["SecretValues"][0]["Name"] == "b");

    auto e = f.error("BatchGetSecretValue", {{"SecretIdList", {"a"}},
                                             {"Filters", {{{"Key", "name"}, {"Values", {"a"}}}}}});
    CHECK(e.code == "InvalidParameterException");
    e = f.error("BatchGetSecretValue", {{"SecretIdList", {"a"}}, {"MaxResults", 5}});
    CHECK(e.code == "InvalidParameterException");
    CHECK(f.error("BatchGetSecretValue", {{"SecretIdList", json::array()}}).code ==
          "ValidationException");
}
