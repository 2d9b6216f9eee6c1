#include "services/sts/sts_service.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <regex>
#include <string>

#include <pugixml.hpp>

#include "emulator/admin/admin_api.hpp"
#include "emulator/dispatcher.hpp"
#include "emulator/runtime/manual_scheduler.hpp"
#include "emulator/runtime/time_format.hpp"
#include "tests/unit/emulator/auth/test_signing.hpp"
#include "tests/unit/handle_request.hpp"

using namespace awsemu;
using namespace std::chrono_literals;
using awsemu::testing::make_http_request;
using awsemu::testing::sign_request;
using awsemu::testing::SigningKey;

namespace {

constexpr const char* kRoleArn = "arn:aws:iam::111122223333:role/deploy";

// A scratch file for the log; declared before the Logger, so it outlives it.
struct TempFile {
    TempFile() : file(std::tmpfile()) { REQUIRE(file != nullptr); }
    ~TempFile() { std::fclose(file); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    std::FILE* file;
};

// The STS service as the server wires it, driven through the dispatcher without sockets.
struct Fixture {
    explicit Fixture(AuthMode mode = AuthMode::Open)
        : credentials({{"test", "test"}, {"AKIDSTRICT", "goodsecret"}}, "000000000000"),
          environment{database, clock, scheduler, credentials, "000000000000"},
          authenticator(mode, credentials, clock, wall_clock),
          admin(registry, database, authenticator, zones, faults),
          logger(LogFormat::Text, log.file),
          dispatcher(registry, authenticator, commits, clock, scheduler, admin, faults, logger) {
        sts::register_service(registry, environment);
    }

    // POSTs a form to STS signed with `key` (unsigned when the key id is empty).
    HttpResponse call(const std::string& form, const SigningKey& key) {
        auto request = make_http_request(
            "POST", "/", {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
            "Version=2011-06-15&" + form);
        if (!key.access_key_id.empty()) {
            sign_request(request, key);
        }
        return handle_now(dispatcher, request, scheduler);
    }

    TempFile log;
    ManualClock clock;
    ManualClock wall_clock;
    ManualScheduler scheduler{clock};
    Database database{":memory:"};
    CredentialRegistry credentials;
    ServiceEnvironment environment;
    ServiceRegistry registry;
    Authenticator authenticator;
    ZoneOutages zones;
    ApiFaults faults;
    AdminApi admin;
    Logger logger;
    GroupCommit commits{database, scheduler, /*enabled=*/true};
    Dispatcher dispatcher;
};

SigningKey sts_key(std::string id = "test", std::string secret = "test", std::string token = "") {
    SigningKey key;
    key.access_key_id = std::move(id);
    key.secret = std::move(secret);
    key.session_token = std::move(token);
    return key;
}

// The parsed XML body of a response.
struct Xml {
    explicit Xml(const HttpResponse& response) {
        REQUIRE(document.load_string(response.body.c_str()));
    }
    pugi::xml_node result(const char* operation) const {
        return document.child((std::string(operation) + "Response").c_str())
            .child((std::string(operation) + "Result").c_str());
    }
    std::string error_code() const {
        return document.child("ErrorResponse").child("Error").child_value("Code");
    }
    std::string error_message() const {
        return document.child("ErrorResponse").child("Error").child_value("Message");
    }
    pugi::xml_document document;
};

std::string text(pugi::xml_node node, const char* path) {
    return node.first_element_by_path(path).text().get();
}

struct IssuedCredentials {
    std::string access_key_id;
    std::string secret;
    std::string token;
    std::string expiration;
    std::string assumed_role_arn;
    std::string assumed_role_id;
};

IssuedCredentials assume(Fixture& f, const std::string& extra = "",
                         const SigningKey& key = sts_key()) {
    const auto response = f.call(
        "Action=AssumeRole&RoleArn=" + std::string(kRoleArn) + "&RoleSessionName=ci-run" + extra,
        key);
    REQUIRE(response.status == 200);
    const Xml xml(response);
    const auto result = xml.result("AssumeRole");
    return {
        text(result, "Credentials/AccessKeyId"),  text(result, "Credentials/SecretAccessKey"),
        text(result, "Credentials/SessionToken"), text(result, "Credentials/Expiration"),
        text(result, "AssumedRoleUser/Arn"),      text(result, "AssumedRoleUser/AssumedRoleId")};
}

void check_validation_error(Fixture& f, const std::string& form, const std::string& message_part) {
    INFO(form);
    const auto response = f.call("Action=AssumeRole&" + form, sts_key());
    CHECK(response.status == 400);
    const Xml xml(response);
    CHECK(xml.error_code() == "ValidationError");
    CHECK(std::string(xml.document.child("ErrorResponse").child("Error").child_value("Type")) ==
          "Sender");
    CHECK(xml.error_message().find(message_part) != std::string::npos);
}

}  // namespace

TEST_CASE("Sts registers a query service by its version and signing name", "[sts][unit]") {
    Fixture f;
    const auto* service = f.registry.by_query_version("2011-06-15");
    REQUIRE(service != nullptr);
    CHECK(service->name == "sts");
    CHECK(service->protocol == Protocol::Query);
    CHECK(f.registry.by_signing_name("sts") == service);
    CHECK(service->xml_namespace == "https://sts.amazonaws.com/doc/2011-06-15/");
    CHECK(service->operations.contains("GetCallerIdentity"));
    CHECK(service->operations.contains("AssumeRole"));
}

TEST_CASE("Sts GetCallerIdentity of the default key is the default account's root", "[sts][unit]") {
    Fixture f;
    const auto response = f.call("Action=GetCallerIdentity", sts_key());
    CHECK(response.status == 200);
    const Xml xml(response);
    const auto result = xml.result("GetCallerIdentity");
    CHECK(text(result, "Account") == "000000000000");
    CHECK(text(result, "Arn") == "arn:aws:iam::000000000000:root");
    CHECK(text(result, "UserId") == "000000000000");
    CHECK(std::string(xml.document.child("GetCallerIdentityResponse")
                          .child("ResponseMetadata")
                          .child_value("RequestId")) == response.headers.get("x-amzn-RequestId"));
}

TEST_CASE("Sts GetCallerIdentity of a 12-digit key is that account", "[sts][unit]") {
    Fixture f;
    const Xml xml(f.call("Action=GetCallerIdentity", sts_key("123456789012", "x")));
    const auto result = xml.result("GetCallerIdentity");
    CHECK(text(result, "Account") == "123456789012");
    CHECK(text(result, "Arn") == "arn:aws:iam::123456789012:root");
}

TEST_CASE("Sts GetCallerIdentity works unsigned in open mode", "[sts][unit]") {
    Fixture f;
    const Xml xml(f.call("Action=GetCallerIdentity", sts_key("")));
    CHECK(text(xml.result("GetCallerIdentity"), "Account") == "000000000000");
}

TEST_CASE("Sts AssumeRole issues temporary credentials for the role", "[sts][unit]") {
    Fixture f;
    const auto issued = assume(f);
    CHECK(std::regex_match(issued.access_key_id, std::regex("ASIA[A-Z2-7]{16}")));
    CHECK(issued.secret.size() == 40);
    CHECK_FALSE(issued.token.empty());
    CHECK(issued.expiration == format_iso8601(f.clock.now() + 1h));
    CHECK(issued.assumed_role_arn == "arn:aws:sts::111122223333:assumed-role/deploy/ci-run");
    CHECK(std::regex_match(issued.assumed_role_id, std::regex("AROA[A-Z2-7]{17}:ci-run")));
}

TEST_CASE("Sts AssumeRole issues a new key every time", "[sts][unit]") {
    Fixture f;
    const auto first = assume(f);
    const auto second = assume(f);
    CHECK(first.access_key_id != second.access_key_id);
    CHECK(first.secret != second.secret);
    CHECK(first.token != second.token);
}

TEST_CASE("Sts AssumeRole honours DurationSeconds", "[sts][unit]") {
    Fixture f;
    CHECK(assume(f, "&DurationSeconds=900").expiration == format_iso8601(f.clock.now() + 900s));
    CHECK(assume(f, "&DurationSeconds=43200").expiration == format_iso8601(f.clock.now() + 12h));
}

TEST_CASE("Sts AssumeRole answers PackedPolicySize and SourceIdentity when given", "[sts][unit]") {
    Fixture f;
    const auto response = f.call("Action=AssumeRole&RoleArn=" + std::string(kRoleArn) +
                                     "&RoleSessionName=ci&SourceIdentity=alice&Policy=%7B%"
                                     "22Version%22%3A%222012-10-17%22%7D",
                                 sts_key());
    REQUIRE(response.status == 200);
    const Xml xml(response);
    const auto result = xml.result("AssumeRole");
    CHECK(text(result, "SourceIdentity") == "alice");
    CHECK_FALSE(text(result, "PackedPolicySize").empty());
}

TEST_CASE("Sts AssumeRole refuses a bad RoleArn", "[sts][unit]") {
    Fixture f;
    for (const std::string arn :
         {"deploy", "arn:aws:iam::123:role/x", "arn:aws:iam::123456789012:user/x"}) {
        check_validation_error(f, "RoleArn=" + arn + "&RoleSessionName=ci", arn);
    }
}

TEST_CASE("Sts AssumeRole refuses a bad RoleSessionName", "[sts][unit]") {
    Fixture f;
    for (const std::string& name : {std::string("x"), std::string("has%20space"),
                                    std::string("a%2Fb"), std::string(65, 'n')}) {
        check_validation_error(f, "RoleArn=" + std::string(kRoleArn) + "&RoleSessionName=" + name,
                               "roleSessionName");
    }
}

TEST_CASE("Sts AssumeRole refuses DurationSeconds outside 900 to 43200", "[sts][unit]") {
    Fixture f;
    const std::string base =
        "RoleArn=" + std::string(kRoleArn) + "&RoleSessionName=ci&DurationSeconds=";
    check_validation_error(f, base + "899", "greater than or equal to 900");
    check_validation_error(f, base + "43201", "less than or equal to 43200");
    check_validation_error(f, base + "0", "greater than or equal to 900");
}

TEST_CASE("Sts AssumeRole refuses a DurationSeconds that is not a number", "[sts][unit]") {
    Fixture f;
    const auto response = f.call("Action=AssumeRole&RoleArn=" + std::string(kRoleArn) +
                                     "&RoleSessionName=ci&DurationSeconds=soon",
                                 sts_key());
    CHECK(response.status == 400);
    CHECK(Xml(response).error_code() == "InvalidParameterValue");
}

TEST_CASE("Sts AssumeRole without RoleArn or RoleSessionName is a ValidationError", "[sts][unit]") {
    Fixture f;
    check_validation_error(f, "RoleSessionName=ci", "roleArn");
    check_validation_error(f, "RoleArn=" + std::string(kRoleArn), "roleSessionName");
}

TEST_CASE("Sts AssumeRole refuses a policy that is not JSON", "[sts][unit]") {
    Fixture f;
    const auto response = f.call(
        "Action=AssumeRole&RoleArn=" + std::string(kRoleArn) + "&RoleSessionName=ci&Policy=%7Bnot",
        sts_key());
    CHECK(response.status == 400);
    CHECK(Xml(response).error_code() == "MalformedPolicyDocument");
}

TEST_CASE("Sts AssumeRole that fails issues no credentials", "[sts][unit]") {
    Fixture f;
    f.call("Action=AssumeRole&RoleArn=" + std::string(kRoleArn) + "&RoleSessionName=x", sts_key());
    auto tx = f.database.transaction();
    auto q = f.database.query("SELECT COUNT(*) FROM sts_sessions");
    REQUIRE(q.next());
    CHECK(q.integer(0) == 0);
}

TEST_CASE("Sts issued key resolves through the credential registry to the role", "[sts][unit]") {
    Fixture f;
    const auto issued = assume(f);
    const auto resolved = f.credentials.find(issued.access_key_id);
    REQUIRE(resolved.has_value());
    CHECK(resolved->secret_access_key == issued.secret);
    CHECK(resolved->session_token == issued.token);
    CHECK(resolved->account_id == "111122223333");
    CHECK(resolved->principal_arn == issued.assumed_role_arn);
    CHECK(resolved->user_id == issued.assumed_role_id);
    REQUIRE(resolved->expiration.has_value());
    CHECK(*resolved->expiration == f.clock.now() + 1h);
    CHECK(f.credentials.identify(issued.access_key_id).account_id == "111122223333");
}

TEST_CASE("Sts only answers for keys it issued", "[sts][unit]") {
    Fixture f;
    sts::StsService service(f.database);
    CHECK_FALSE(service.find("test").has_value());
    CHECK_FALSE(service.find("ASIANEVERISSUED0000").has_value());
    CHECK_FALSE(f.credentials.find("ASIANEVERISSUED0000").has_value());
}

TEST_CASE("Sts GetCallerIdentity with issued credentials is the assumed role", "[sts][unit]") {
    Fixture f;
    const auto issued = assume(f);
    const Xml xml(f.call("Action=GetCallerIdentity",
                         sts_key(issued.access_key_id, issued.secret, issued.token)));
    const auto result = xml.result("GetCallerIdentity");
    CHECK(text(result, "Account") == "111122223333");
    CHECK(text(result, "Arn") == "arn:aws:sts::111122223333:assumed-role/deploy/ci-run");
    CHECK(text(result, "UserId") == issued.assumed_role_id);
}

TEST_CASE("Sts issued credentials pass strict mode with their session token", "[sts][unit]") {
    Fixture f(AuthMode::Strict);
    const auto issued = assume(f, "", sts_key("AKIDSTRICT", "goodsecret"));
    const auto response = f.call("Action=GetCallerIdentity",
                                 sts_key(issued.access_key_id, issued.secret, issued.token));
    CHECK(response.status == 200);
    CHECK(text(Xml(response).result("GetCallerIdentity"), "Account") == "111122223333");
}

TEST_CASE("Sts issued credentials fail strict mode with a wrong token or secret", "[sts][unit]") {
    Fixture f(AuthMode::Strict);
    const auto issued = assume(f, "", sts_key("AKIDSTRICT", "goodsecret"));
    const auto wrong_token = f.call("Action=GetCallerIdentity",
                                    sts_key(issued.access_key_id, issued.secret, "not-the-token"));
    CHECK(wrong_token.status == 403);
    CHECK(Xml(wrong_token).error_code() == "InvalidClientTokenId");
    const auto wrong_secret =
        f.call("Action=GetCallerIdentity", sts_key(issued.access_key_id, "wrong", issued.token));
    CHECK(wrong_secret.status == 403);
    CHECK(Xml(wrong_secret).error_code() == "SignatureDoesNotMatch");
}

TEST_CASE("Sts issued credentials expire on the emulated clock", "[sts][unit]") {
    Fixture f(AuthMode::Strict);
    const auto issued = assume(f, "&DurationSeconds=900", sts_key("AKIDSTRICT", "goodsecret"));
    const auto key = sts_key(issued.access_key_id, issued.secret, issued.token);
    f.clock.advance(899s);
    CHECK(f.call("Action=GetCallerIdentity", key).status == 200);
    f.clock.advance(2s);
    const auto expired = f.call("Action=GetCallerIdentity", key);
    CHECK(expired.status == 403);
    CHECK(Xml(expired).error_code() == "ExpiredToken");
}

TEST_CASE("Sts issued credentials are gone after a reset", "[sts][unit]") {
    Fixture f;
    const auto issued = assume(f);
    f.database.reset();
    CHECK_FALSE(f.credentials.find(issued.access_key_id).has_value());
    CHECK(f.credentials.identify(issued.access_key_id).account_id == "000000000000");
}

TEST_CASE("Sts unknown action is InvalidAction", "[sts][unit]") {
    Fixture f;
    const auto response = f.call("Action=GetSessionTokenz", sts_key());
    CHECK(response.status == 400);
    CHECK(Xml(response).error_code() == "InvalidAction");
}
