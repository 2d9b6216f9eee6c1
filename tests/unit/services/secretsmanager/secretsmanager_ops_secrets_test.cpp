// The handlers of secretsmanager_service.hpp, driven through the operation table.
#include "services/secretsmanager/secretsmanager_service.hpp"

#include <catch2/catch.hpp>

#include "services/secretsmanager/secretsmanager_model.hpp"
#include "tests/unit/services/secretsmanager/secretsmanager_test_support.hpp"

using namespace awsemu;
using namespace awsemu::secretsmanager;
using namespace awsemu::secretsmanager::testing;
using nlohmann::json;

TEST_CASE("Unit behaviour: CreateSecret answers an ARN with a six-character suffix",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    const std::string token = f.next_token();
    const auto out = f.call("CreateSecret", {{"Name", "app/db"},
                                             {"SecretString", "s3cr3t"},
                                             {"ClientRequestToken", token},
                                             {"Description", "the db"}});
    const std::string arn = out["ARN"];
    CHECK(arn.starts_with("arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-"));
    CHECK(arn.size() ==
          std::string("arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-").size() + 6);
    CHECK(out["Name"] == "app/db");
    CHECK(out["VersionId"] == token);

    const auto value = f.call("GetSecretValue", {{"SecretId", "app/db"}});
    CHECK(value["SecretString"] == "s3cr3t");
    CHECK(value["VersionStages"] == json::array({"AWSCURRENT"}));
    CHECK(value["ARN"] == arn);
    CHECK(value["CreatedDate"].get<double>() == Approx(1700000000.0));
}

TEST_CASE("Unit behaviour: CreateSecret is idempotent for the same token and value",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    const std::string token = f.next_token();
    const json input = {{"Name", "s"}, {"SecretString", "v"}, {"ClientRequestToken", token}};
    const auto first = f.call("CreateSecret", input);
    const auto again = f.call("CreateSecret", input);
    CHECK(again["ARN"] == first["ARN"]);
    CHECK(again["VersionId"] == token);

    auto changed = input;
    changed["SecretString"] = "other";
    auto error = f.error("CreateSecret", changed);
    CHECK(error.code == "ResourceExistsException");
    CHECK(error.message == "The operation failed because the secret s already exists.");
    CHECK(error.status == 400);
}

TEST_CASE("Unit behaviour: CreateSecret validates its input as AWS does",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    auto e = f.error("CreateSecret", {{"Name", "bad name"}});
    CHECK(e.code == "ValidationException");
    CHECK(e.message ==
          "Invalid name. Must be a valid name containing alphanumeric characters, or any of the "
          "following: -/_+=.@!");
    e = f.error("CreateSecret", {{"Name", std::string(513, 'a')}});
    CHECK(e.code == "ValidationException");
    CHECK(e.message.find("Member must have length less than or equal to 512") != std::string::npos);
    e = f.error("CreateSecret", {{"Name", "x"},
                                 {"SecretString", "a"},
                                 {"SecretBinary", "YQ=="},
                                 {"ClientRequestToken", f.next_token()}});
    CHECK(e.code == "InvalidParameterException");
    CHECK(e.message ==
          "You can't specify both a binary secret value and a string secret value in the same "
          "secret.");
    e = f.error("CreateSecret", {{"Name", "x"}, {"SecretString", "a"}});
    CHECK(e.code == "InvalidRequestException");
    CHECK(e.message ==
          "You must provide a ClientRequestToken value. We recommend a UUID-type value.");
    e = f.error("CreateSecret", {{"Name", "x"},
                                 {"SecretString", std::string(65537, 'a')},
                                 {"ClientRequestToken", f.next_token()}});
    CHECK(e.code == "ValidationException");
    e = f.error("CreateSecret", {{"Name", 5}});
    CHECK(e.code == "SerializationException");
    e = f.error("CreateSecret", json::object());
    CHECK(e.code == "ValidationException");
    e = f.error("CreateSecret", {{"Name", "x"}, {"Tags", json::array({{{"Value", "v"}}})}});
    CHECK(e.code == "ValidationException");
    // 65536 bytes is allowed.
    CHECK_NOTHROW(f.call("CreateSecret", {{"Name", "big"},
                                          {"SecretString", std::string(65536, 'a')},
                                          {"ClientRequestToken", f.next_token()}}));
}

TEST_CASE("Unit behaviour: UpdateSecret changes metadata and adds versions",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    const std::string v1 = f.create("s", "one")["VersionId"];
    auto out = f.call("UpdateSecret", {{"SecretId", "s"}, {"Description", "MyDescription"}});
    CHECK_FALSE(out.contains("VersionId"));
    auto described = f.call("DescribeSecret", {{"SecretId", "s"}});
    CHECK(described["Description"] == "MyDescription");
    CHECK(described["VersionIdsToStages"] == json({{v1, {"AWSCURRENT"}}}));

    f.clock.advance(std::chrono::seconds(10));
    const std::string v2 = f.next_token();
    out = f.call("UpdateSecret", {{"SecretId", "s"},
                                  {"SecretString", "two"},
                                  {"KmsKeyId", "alias/custom"},
                                  {"ClientRequestToken", v2}});
    CHECK(out["VersionId"] == v2);
    described = f.call("DescribeSecret", {{"SecretId", "s"}});
    CHECK(described["KmsKeyId"] == "alias/custom");
    CHECK(described["Description"] == "MyDescription");
    CHECK(described["LastChangedDate"].get<double>() == Approx(1700000010.0));
    CHECK(described["VersionIdsToStages"] == json({{v1, {"AWSPREVIOUS"}}, {v2, {"AWSCURRENT"}}}));
    const auto versions = f.call("ListSecretVersionIds", {{"SecretId", "s"}})["Versions"];
    CHECK(versions[0]["KmsKeyIds"] == json::array({"alias/custom"}));
    CHECK(versions[1]["KmsKeyIds"] == json::array({"alias/custom"}));

    const auto e = f.error(
        "UpdateSecret", {{"SecretId", "s"}, {"SecretString", "again"}, {"ClientRequestToken", v2}});
    CHECK(e.code == "ResourceExistsException");
    CHECK(f.error("UpdateSecret", {{"SecretId", "s"}, {"SecretString", "x"}}).code ==
          "InvalidRequestException");
}

TEST_CASE("Unit behaviour: DeleteSecret schedules deletion and the recovery window passes",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    const std::string arn = f.create("s", "v")["ARN"];
    const auto deleted = f.call("DeleteSecret", {{"SecretId", "s"}, {"RecoveryWindowInDays", 7}});
    CHECK(deleted["DeletionDate"].get<double>() == Approx(1700000000.0 + 7 * 86400));
    CHECK(deleted["ARN"] == arn);

    auto e = f.error("GetSecretValue", {{"SecretId", "s"}});
    CHECK(e.code == "InvalidRequestException");
    CHECK(e.message ==
          "You can't perform this operation on the secret because it was marked for deletion.");
    CHECK(
        f.error("PutSecretValue",
                {{"SecretId", "s"}, {"SecretString", "x"}, {"ClientRequestToken", f.next_token()}})
            .code == "InvalidRequestException");
    const auto described = f.call("DescribeSecret", {{"SecretId", "s"}});
    CHECK(described["DeletedDate"].get<double>() == Approx(1700000000.0));
    e = f.error("CreateSecret", {{"Name", "s"}});
    CHECK(e.code == "InvalidRequestException");
    CHECK(e.message ==
          "You can't create this secret because a secret with this name is already "
          "scheduled for deletion.");
    e = f.error("DeleteSecret", {{"SecretId", "s"}});
    CHECK(e.code == "InvalidRequestException");
    CHECK(f.call("ListSecrets", json::object())["SecretList"].empty());
    CHECK(f.call("ListSecrets", {{"IncludePlannedDeletion", true}})["SecretList"].size() == 1);

    f.clock.advance(7 * kOneDay - std::chrono::seconds(1));
    CHECK(f.call("DescribeSecret", {{"SecretId", "s"}})["Name"] == "s");
    f.clock.advance(std::chrono::seconds(1));
    CHECK(f.error("DescribeSecret", {{"SecretId", "s"}}).code == "ResourceNotFoundException");
    CHECK(f.call("ListSecrets", {{"IncludePlannedDeletion", true}})["SecretList"].empty());
    // The name is free again, and the new secret has a new ARN.
    const std::string again = f.create("s", "new")["ARN"];
    CHECK(again != arn);
}

TEST_CASE("Unit behaviour: DeleteSecret defaults to 30 days; RestoreSecret cancels it",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    f.create("s", "v");
    const auto deleted = f.call("DeleteSecret", {{"SecretId", "s"}});
    CHECK(deleted["DeletionDate"].get<double>() == Approx(1700000000.0 + 30 * 86400));
    f.clock.advance(29 * kOneDay);
    const auto restored = f.call("RestoreSecret", {{"SecretId", "s"}});
    CHECK(restored["Name"] == "s");
    f.clock.advance(2 * kOneDay);
    CHECK(f.call("GetSecretValue", {{"SecretId", "s"}})["SecretString"] == "v");
    CHECK_FALSE(f.call("DescribeSecret", {{"SecretId", "s"}}).contains("DeletedDate"));
}

TEST_CASE("Unit behaviour: DeleteSecret's options are checked", "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    f.create("s", "v");
    auto e = f.error(
        "DeleteSecret",
        {{"SecretId", "s"}, {"RecoveryWindowInDays", 7}, {"ForceDeleteWithoutRecovery", true}});
    CHECK(e.code == "InvalidParameterException");
    CHECK(e.message ==
          "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    for (int days : {6, 31, 0}) {
        e = f.error("DeleteSecret", {{"SecretId", "s"}, {"RecoveryWindowInDays", days}});
        CHECK(e.code == "InvalidParameterException");
        CHECK(e.message ==
              "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
    }
    CHECK(f.error("DeleteSecret", {{"SecretId", "nope"}}).code == "ResourceNotFoundException");
    // Force deletion works on a scheduled secret too, and frees the name at once.
    f.call("DeleteSecret", {{"SecretId", "s"}});
    const auto forced =
        f.call("DeleteSecret", {{"SecretId", "s"}, {"ForceDeleteWithoutRecovery", true}});
    CHECK(forced["DeletionDate"].get<double>() == Approx(1700000000.0));
    CHECK(f.error("RestoreSecret", {{"SecretId", "s"}}).code == "ResourceNotFoundException");
    CHECK_NOTHROW(f.create("s", "again"));
}

TEST_CASE("Unit behaviour: ListSecrets filters, sorts and pages", "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    for (int i = 0; i < 5; ++i) {
        f.create("app/secret-" + std::to_string(i), "v",
                 {{"Description", i % 2 ? "Odd one" : "even one"},
                  {"Tags", {{{"Key", "team"}, {"Value", i < 3 ? "payments" : "search"}}}}});
        f.clock.advance(std::chrono::seconds(1));
    }
    f.create("other", "v");

    auto names = [](const json& out) {
        std::vector<std::string> result;
        for (const auto& entry : out["SecretList"]) {
            result.push_back(entry["Name"]);
        }
        return result;
    };
    auto all = f.call("ListSecrets", json::object());
    CHECK(names(all) == std::vector<std::string>{"app/secret-0", "app/secret-1", "app/secret-2",
                                                 "app/secret-3", "app/secret-4", "other"});
    CHECK(all["SecretList"][0].contains("SecretVersionsToStages"));
    CHECK(all["SecretList"][0]["Tags"] == json::array({{{"Key", "team"}, {"Value", "payments"}}}));
    CHECK_FALSE(all.contains("NextToken"));

    auto desc = f.call("ListSecrets", {{"SortOrder", "desc"}});
    CHECK(names(desc).front() == "other");
    auto by_name = f.call("ListSecrets", {{"SortBy", "name"}, {"SortOrder", "desc"}});
    CHECK(names(by_name).front() == "other");

    auto filtered = f.call("ListSecrets", {{"Filters",
                                            {{{"Key", "name"}, {"Values", {"app/"}}},
                                             {{"Key", "tag-value"}, {"Values", {"search"}}}}}});
    CHECK(names(filtered) == std::vector<std::string>{"app/secret-3", "app/secret-4"});
    filtered =
        f.call("ListSecrets", {{"Filters", {{{"Key", "description"}, {"Values", {"odd"}}}}}});
    CHECK(names(filtered) == std::vector<std::string>{"app/secret-1", "app/secret-3"});
    filtered = f.call("ListSecrets", {{"Filters", {{{"Key", "name"}, {"Values", {"!app"}}}}}});
    CHECK(names(filtered) == std::vector<std::string>{"other"});
    filtered =
        f.call("ListSecrets", {{"Filters", {{{"Key", "all"}, {"Values", {"PAYMENTS even"}}}}}});
    CHECK(names(filtered) == std::vector<std::string>{"app/secret-0", "app/secret-2"});

    // Pages of two.
    std::vector<std::string> paged;
    json input = {{"MaxResults", 2}};
    int pages = 0;
    while (true) {
        const auto page = f.call("ListSecrets", input);
        ++pages;
        for (const auto& name : names(page)) {
            paged.push_back(name);
        }
        if (!page.contains("NextToken")) {
            break;
        }
        input["NextToken"] = page["NextToken"];
    }
    CHECK(pages == 3);
    CHECK(paged == names(all));

    auto e = f.error("ListSecrets", {{"NextToken", "garbage"}});
    CHECK(e.code == "InvalidNextTokenException");
    const auto first = f.call("ListSecrets", {{"MaxResults", 2}});
    e = f.error("ListSecrets", {{"MaxResults", 2},
                                {"NextToken", first["NextToken"]},
                                {"Filters", {{{"Key", "name"}, {"Values", {"app"}}}}}});
    CHECK(e.code == "InvalidNextTokenException");
    CHECK(f.error("ListSecrets", {{"MaxResults", 101}}).code == "ValidationException");
    CHECK(f.error("ListSecrets", {{"MaxResults", 0}}).code == "ValidationException");
    e = f.error("ListSecrets", {{"Filters", {{{"Key", "colour"}, {"Values", {"x"}}}}}});
    CHECK(e.code == "ValidationException");
    CHECK(e.message.find("enum value set") != std::string::npos);
    CHECK(f.error("ListSecrets", {{"Filters", {{{"Key", "name"}, {"Values", {"a*"}}}}}}).code ==
          "ValidationException");
    CHECK(f.error("ListSecrets", {{"SortOrder", "up"}}).code == "ValidationException");
}

TEST_CASE("Unit behaviour: tags are added, replaced and removed", "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    f.call("CreateSecret", {{"Name", "s"}});
    const json two_tags =
        json::array({{{"Key", "a"}, {"Value", "1"}}, {{"Key", "b"}, {"Value", "2"}}});
    f.call("TagResource", {{"SecretId", "s"}, {"Tags", two_tags}});
    const json changed = json::array({{{"Key", "a"}, {"Value", "changed"}}});
    f.call("TagResource", {{"SecretId", "s"}, {"Tags", changed}});
    CHECK(f.call("DescribeSecret", {{"SecretId", "s"}})["Tags"] ==
          json::array({{{"Key", "a"}, {"Value", "changed"}}, {{"Key", "b"}, {"Value", "2"}}}));
    f.call("UntagResource", {{"SecretId", "s"}, {"TagKeys", {"a", "b", "absent"}}});
    CHECK(f.call("DescribeSecret", {{"SecretId", "s"}})["Tags"] == json::array());
    CHECK(f.error("TagResource", {{"SecretId", "s"}}).code == "ValidationException");
    CHECK(f.error("TagResource", {{"SecretId", "s"}, {"Tags", "x"}}).code ==
          "SerializationException");
}

TEST_CASE("Unit behaviour: resource policies are validated and returned as written",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    f.create("s", "v");
    CHECK_FALSE(f.call("GetResourcePolicy", {{"SecretId", "s"}}).contains("ResourcePolicy"));
    const std::string policy =
        "{\"Version\": \"2012-10-17\",  \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": "
        "{\"AWS\": \"arn:aws:iam::123456789012:root\"}, \"Action\": "
        "\"secretsmanager:GetSecretValue\", \"Resource\": \"*\"}]}";
    f.call("PutResourcePolicy",
           {{"SecretId", "s"}, {"ResourcePolicy", policy}, {"BlockPublicPolicy", true}});
    CHECK(f.call("GetResourcePolicy", {{"SecretId", "s"}})["ResourcePolicy"] == policy);

    auto e = f.error("PutResourcePolicy", {{"SecretId", "s"}, {"ResourcePolicy", "{not json"}});
    CHECK(e.code == "MalformedPolicyDocumentException");
    e = f.error("PutResourcePolicy", {{"SecretId", "s"}, {"ResourcePolicy", "{\"Version\": 1}"}});
    CHECK(e.code == "MalformedPolicyDocumentException");
    const std::string open =
        R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}})";
    e = f.error("PutResourcePolicy",
                {{"SecretId", "s"}, {"ResourcePolicy", open}, {"BlockPublicPolicy", true}});
    CHECK(e.code == "PublicPolicyException");
    CHECK_NOTHROW(f.call("PutResourcePolicy", {{"SecretId", "s"}, {"ResourcePolicy", open}}));

    const auto valid = f.call("ValidateResourcePolicy", {{"ResourcePolicy", policy}});
    CHECK(valid["PolicyValidationPassed"] == true);
    CHECK(f.error("ValidateResourcePolicy", {{"ResourcePolicy", "[]"}}).code ==
          "MalformedPolicyDocumentException");

    f.call("DeleteResourcePolicy", {{"SecretId", "s"}});
    CHECK_FALSE(f.call("GetResourcePolicy", {{"SecretId", "s"}}).contains("ResourcePolicy"));
}

TEST_CASE("Unit behaviour: GetRandomPassword takes AWS's options", "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    CHECK(f.call("GetRandomPassword", json::object())["RandomPassword"].get<std::string>().size() ==
          32);
    const std::string password =
        f.call("GetRandomPassword", {{"PasswordLength", 64},
                                     {"ExcludeNumbers", true},
                                     {"ExcludePunctuation", true}})["RandomPassword"];
    CHECK(password.size() == 64);
    CHECK(password.find_first_of("0123456789!#$%") == std::string::npos);
    auto e = f.error("GetRandomPassword", {{"PasswordLength", 5000}});
    CHECK(e.code == "ValidationException");
    CHECK(e.message ==
          "1 validation error detected: Value '5000' at 'passwordLength' failed to satisfy "
          "constraint: Member must have value less than or equal to 4096");
    CHECK(f.error("GetRandomPassword", {{"PasswordLength", 2}}).code ==
          "InvalidParameterException");
    CHECK(f.error("GetRandomPassword", {{"ExcludeNumbers", "yes"}}).code ==
          "SerializationException");
}
