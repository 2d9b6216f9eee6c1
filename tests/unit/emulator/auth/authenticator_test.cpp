#include "emulator/auth/authenticator.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/aws_error_capture.hpp"

#include <chrono>
#include <limits>
#include <string>

#include "emulator/protocol/aws_json_codec.hpp"
#include "emulator/protocol/aws_query_codec.hpp"
#include "tests/unit/emulator/auth/test_signing.hpp"

using namespace awsemu;
using namespace std::chrono_literals;
using awsemu::testing::make_http_request;
using awsemu::testing::presigned_request;
using awsemu::testing::sign_request;
using awsemu::testing::SigningKey;

namespace {

const AuthErrors& query_errors() {
    return operation_codec_for(Protocol::Query)->auth_errors();
}
const AuthErrors& json_errors() {
    return operation_codec_for(Protocol::AwsJson11)->auth_errors();
}

using testing::thrown_aws_error;

HttpRequest sts_call(std::string body = "Action=GetCallerIdentity&Version=2011-06-15") {
    return make_http_request("POST", "/", {{"Content-Type", "application/x-www-form-urlencoded"}},
                             std::move(body));
}

HttpRequest signed_sts_call(const SigningKey& key) {
    auto request = sts_call();
    sign_request(request, key);
    return request;
}

SigningKey key(std::string id, std::string secret) {
    SigningKey k;
    k.access_key_id = std::move(id);
    k.secret = std::move(secret);
    return k;
}

// An issued temporary key whose lifetime the emulated clock judges.
class FakeSessions final : public CredentialSource {
  public:
    explicit FakeSessions(TimePoint expiration) : expiration_(expiration) {}
    std::optional<ResolvedCredential> find(std::string_view access_key_id) const override {
        if (access_key_id != "ASIATEMP") {
            return std::nullopt;
        }
        return ResolvedCredential{"temp-secret",
                                  "111122223333",
                                  "arn:aws:sts::111122223333:assumed-role/deploy/ci",
                                  "AROAEXAMPLE:ci",
                                  "the-session-token",
                                  expiration_};
    }

  private:
    TimePoint expiration_;
};

// One authenticator over fixed credentials and two manual clocks.
struct Fixture {
    explicit Fixture(AuthMode mode)
        : credentials({{"AKIDSTRICT", "goodsecret"}, {"123456789012", "numbered"}}, "000000000000"),
          authenticator(mode, credentials, clock, wall_clock) {
        credentials.add_source(&sessions);
    }

    ManualClock clock;
    ManualClock wall_clock;
    FakeSessions sessions{clock.now() + 1h};
    CredentialRegistry credentials;
    Authenticator authenticator;
};

const char* const kGarbageAuthorizations[] = {
    "AWS4-HMAC-SHA256 garbage",
    "Bearer x",
    "AWS4-HMAC-SHA256 Credential=AKIDSTRICT/20231114/us-east-1/sts, SignedHeaders=host, "
    "Signature=ab",
    "AWS4-HMAC-SHA256 Credential=AKIDSTRICT/20231114/us-east-1/sts/aws4_request, Signature=ab",
    "AWS AKIDSTRICT:c2lnbmF0dXJl",
    "",
};

}  // namespace

TEST_CASE("Authenticator open mode lets unsigned requests act as the default account",
          "[auth][unit]") {
    Fixture f(AuthMode::Open);
    const auto identity = f.authenticator.authenticate(sts_call(), query_errors());
    CHECK(identity.account_id == "000000000000");
    CHECK(identity.region == "us-east-1");
    CHECK(identity.access_key_id.empty());
    CHECK(identity.caller_arn == "arn:aws:iam::000000000000:root");
}

TEST_CASE("Authenticator open mode accepts any secret and reads the key and region",
          "[auth][unit]") {
    Fixture f(AuthMode::Open);
    auto k = key("test", "not-the-secret");
    k.region = "eu-west-1";
    const auto identity = f.authenticator.authenticate(signed_sts_call(k), query_errors());
    CHECK(identity.account_id == "000000000000");
    CHECK(identity.region == "eu-west-1");
    CHECK(identity.access_key_id == "test");
    CHECK(identity.caller_arn == "arn:aws:iam::000000000000:root");
    CHECK(identity.user_id == "000000000000");
}

TEST_CASE("Authenticator open mode maps a 12-digit key to its account", "[auth][unit]") {
    Fixture f(AuthMode::Open);
    const auto identity =
        f.authenticator.authenticate(signed_sts_call(key("210987654321", "x")), json_errors());
    CHECK(identity.account_id == "210987654321");
    CHECK(identity.caller_arn == "arn:aws:iam::210987654321:root");
}

TEST_CASE("Authenticator open mode acts as an issued key's role account", "[auth][unit]") {
    Fixture f(AuthMode::Open);
    const auto identity =
        f.authenticator.authenticate(signed_sts_call(key("ASIATEMP", "whatever")), query_errors());
    CHECK(identity.account_id == "111122223333");
    CHECK(identity.caller_arn == "arn:aws:sts::111122223333:assumed-role/deploy/ci");
    CHECK(identity.user_id == "AROAEXAMPLE:ci");
}

TEST_CASE("Authenticator rejects unreadable Authorization headers in both modes", "[auth][unit]") {
    for (const auto mode : {AuthMode::Open, AuthMode::Strict}) {
        for (const char* authorization : kGarbageAuthorizations) {
            INFO((mode == AuthMode::Open ? "open: " : "strict: ") << authorization);
            Fixture f(mode);
            auto request = sts_call();
            request.headers.add("X-Amz-Date", testing::kTestAmzDate);
            request.headers.add("Authorization", authorization);
            const auto query =
                thrown_aws_error([&] { f.authenticator.authenticate(request, query_errors()); });
            CHECK(query.spec().code == "IncompleteSignature");
            CHECK(query.spec().http_status == 400);
            const auto json =
                thrown_aws_error([&] { f.authenticator.authenticate(request, json_errors()); });
            CHECK(json.spec().code == "IncompleteSignatureException");
            CHECK(json.spec().http_status == 400);
        }
    }
}

TEST_CASE("Authenticator strict mode accepts a valid signature", "[auth][unit]") {
    Fixture f(AuthMode::Strict);
    auto k = key("AKIDSTRICT", "goodsecret");
    k.region = "ap-southeast-2";
    const auto identity = f.authenticator.authenticate(signed_sts_call(k), query_errors());
    CHECK(identity.account_id == "000000000000");
    CHECK(identity.region == "ap-southeast-2");
    CHECK(identity.access_key_id == "AKIDSTRICT");
    CHECK(identity.caller_arn == "arn:aws:iam::000000000000:root");

    const auto numbered = f.authenticator.authenticate(
        signed_sts_call(key("123456789012", "numbered")), query_errors());
    CHECK(numbered.account_id == "123456789012");
}

TEST_CASE("Authenticator strict mode rejects an unknown key", "[auth][unit]") {
    Fixture f(AuthMode::Strict);
    const auto request = signed_sts_call(key("AKIDUNKNOWN", "goodsecret"));
    const auto query =
        thrown_aws_error([&] { f.authenticator.authenticate(request, query_errors()); });
    CHECK(query.spec().code == "InvalidClientTokenId");
    CHECK(query.spec().http_status == 403);
    CHECK(std::string(query.what()) == "The security token included in the request is invalid.");
    const auto json =
        thrown_aws_error([&] { f.authenticator.authenticate(request, json_errors()); });
    CHECK(json.spec().code == "UnrecognizedClientException");
    CHECK(json.spec().http_status == 400);
}

TEST_CASE("Authenticator strict mode rejects a wrong secret as a signature mismatch",
          "[auth][unit]") {
    Fixture f(AuthMode::Strict);
    const auto request = signed_sts_call(key("AKIDSTRICT", "badsecret"));
    const auto query =
        thrown_aws_error([&] { f.authenticator.authenticate(request, query_errors()); });
    CHECK(query.spec().code == "SignatureDoesNotMatch");
    CHECK(query.spec().http_status == 403);
    CHECK(std::string(query.what())
              .starts_with("The request signature we calculated does not match"));
    const auto json =
        thrown_aws_error([&] { f.authenticator.authenticate(request, json_errors()); });
    CHECK(json.spec().code == "InvalidSignatureException");
    CHECK(json.spec().http_status == 400);
}

TEST_CASE("Authenticator strict mode rejects a request changed after signing", "[auth][unit]") {
    Fixture f(AuthMode::Strict);
    auto request = signed_sts_call(key("AKIDSTRICT", "goodsecret"));
    request.body += "&RoleSessionName=sneaky";
    CHECK(thrown_aws_error([&] { f.authenticator.authenticate(request, query_errors()); })
              .spec()
              .code == "SignatureDoesNotMatch");
}

TEST_CASE("Authenticator strict mode rejects an unsigned request as missing a token",
          "[auth][unit]") {
    Fixture f(AuthMode::Strict);
    const auto query =
        thrown_aws_error([&] { f.authenticator.authenticate(sts_call(), query_errors()); });
    CHECK(query.spec().code == "MissingAuthenticationToken");
    CHECK(query.spec().http_status == 403);
    CHECK(std::string(query.what()) == "Request is missing Authentication Token");
    const auto json =
        thrown_aws_error([&] { f.authenticator.authenticate(sts_call(), json_errors()); });
    CHECK(json.spec().code == "MissingAuthenticationTokenException");
    CHECK(json.spec().http_status == 403);
}

TEST_CASE("Authenticator strict mode accepts temporary keys with their session token",
          "[auth][unit]") {
    Fixture f(AuthMode::Strict);
    auto k = key("ASIATEMP", "temp-secret");
    k.session_token = "the-session-token";
    const auto identity = f.authenticator.authenticate(signed_sts_call(k), query_errors());
    CHECK(identity.account_id == "111122223333");
    CHECK(identity.caller_arn == "arn:aws:sts::111122223333:assumed-role/deploy/ci");
    CHECK(identity.access_key_id == "ASIATEMP");
}

TEST_CASE("Authenticator strict mode rejects temporary keys with a wrong or no session token",
          "[auth][unit]") {
    Fixture f(AuthMode::Strict);
    for (const std::string token : {"wrong-token", ""}) {
        INFO(token);
        auto k = key("ASIATEMP", "temp-secret");
        k.session_token = token;
        const auto error = thrown_aws_error(
            [&] { f.authenticator.authenticate(signed_sts_call(k), query_errors()); });
        CHECK(error.spec().code == "InvalidClientTokenId");
        CHECK(error.spec().http_status == 403);
    }
}

TEST_CASE("Authenticator strict mode rejects temporary keys past their expiration",
          "[auth][unit]") {
    Fixture f(AuthMode::Strict);
    auto k = key("ASIATEMP", "temp-secret");
    k.session_token = "the-session-token";
    // Expiry is an AWS interval: the emulated clock judges it, not the wall clock.
    f.wall_clock.advance(2h);
    CHECK_NOTHROW(f.authenticator.authenticate(signed_sts_call(k), query_errors()));
    f.clock.advance(1h + 1s);
    const auto error =
        thrown_aws_error([&] { f.authenticator.authenticate(signed_sts_call(k), query_errors()); });
    CHECK(error.spec().code == "ExpiredToken");
    CHECK(error.spec().http_status == 403);
    CHECK(std::string(error.what()) == "The security token included in the request is expired");
}

TEST_CASE("Authenticator header-signed requests get no clock-skew check", "[auth][unit]") {
    Fixture f(AuthMode::Strict);
    f.wall_clock.advance(24h);
    CHECK_NOTHROW(f.authenticator.authenticate(signed_sts_call(key("AKIDSTRICT", "goodsecret")),
                                               query_errors()));
}

TEST_CASE("Authenticator strict mode accepts a presigned URL inside its window", "[auth][unit]") {
    Fixture f(AuthMode::Strict);
    const auto request = presigned_request("/?Action=GetCallerIdentity&Version=2011-06-15",
                                           key("AKIDSTRICT", "goodsecret"), 60);
    CHECK(f.authenticator.authenticate(request, query_errors()).access_key_id == "AKIDSTRICT");
    f.wall_clock.advance(60s);
    CHECK_NOTHROW(f.authenticator.authenticate(request, query_errors()));
}

TEST_CASE("Authenticator strict mode rejects an expired presigned URL by the wall clock",
          "[auth][unit]") {
    Fixture f(AuthMode::Strict);
    const auto request = presigned_request("/?Action=GetCallerIdentity&Version=2011-06-15",
                                           key("AKIDSTRICT", "goodsecret"), 60);
    f.clock.advance(24h);  // emulated time does not matter
    CHECK_NOTHROW(f.authenticator.authenticate(request, query_errors()));
    f.wall_clock.advance(61s);
    const auto error =
        thrown_aws_error([&] { f.authenticator.authenticate(request, query_errors()); });
    CHECK(error.spec().code == "RequestExpired");
    CHECK(error.spec().http_status == 400);
    CHECK(std::string(error.what()) == "Request has expired");
}

TEST_CASE("Authenticator strict mode rejects a presigned URL from the future", "[auth][unit]") {
    Fixture f(AuthMode::Strict);
    auto k = key("AKIDSTRICT", "goodsecret");
    k.amz_date = "20231114T223000Z";  // 16 minutes 40 seconds after the wall clock
    const auto request = presigned_request("/?Action=GetCallerIdentity&Version=2011-06-15", k, 60);
    const auto error =
        thrown_aws_error([&] { f.authenticator.authenticate(request, query_errors()); });
    CHECK(error.spec().code == "RequestExpired");
    CHECK(std::string(error.what()) == "Request is not yet valid");
}

TEST_CASE("Authenticator open mode does not check presigned expiry", "[auth][unit]") {
    Fixture f(AuthMode::Open);
    const auto request = presigned_request("/?Action=GetCallerIdentity&Version=2011-06-15",
                                           key("AKIDSTRICT", "goodsecret"), 60);
    f.wall_clock.advance(24h);
    CHECK(f.authenticator.authenticate(request, query_errors()).access_key_id == "AKIDSTRICT");
}

TEST_CASE("Authenticator initial no-auth count starts at infinity and answers the old count",
          "[auth][unit]") {
    Fixture f(AuthMode::Open);
    CHECK(f.authenticator.set_initial_no_auth_action_count(3) ==
          std::numeric_limits<double>::infinity());
    CHECK(f.authenticator.set_initial_no_auth_action_count(5) == 3);
    CHECK(f.authenticator.set_initial_no_auth_action_count(
              std::numeric_limits<double>::infinity()) == 5);
}

TEST_CASE("Authenticator checks requests after the initial no-auth count", "[auth][unit]") {
    Fixture f(AuthMode::Open);
    f.authenticator.set_initial_no_auth_action_count(2);
    const auto bad = signed_sts_call(key("AKIDSTRICT", "badsecret"));
    CHECK_NOTHROW(f.authenticator.authenticate(bad, query_errors()));
    CHECK_NOTHROW(f.authenticator.authenticate(sts_call(), query_errors()));
    CHECK(
        thrown_aws_error([&] { f.authenticator.authenticate(bad, query_errors()); }).spec().code ==
        "SignatureDoesNotMatch");
    CHECK(thrown_aws_error([&] { f.authenticator.authenticate(sts_call(), query_errors()); })
              .spec()
              .code == "MissingAuthenticationToken");
    CHECK_NOTHROW(f.authenticator.authenticate(signed_sts_call(key("AKIDSTRICT", "goodsecret")),
                                               query_errors()));
}

TEST_CASE("Authenticator initial no-auth count of zero checks the very first request",
          "[auth][unit]") {
    Fixture f(AuthMode::Open);
    f.authenticator.set_initial_no_auth_action_count(0);
    CHECK(thrown_aws_error([&] {
              f.authenticator.authenticate(signed_sts_call(key("unknown", "x")), json_errors());
          })
              .spec()
              .code == "UnrecognizedClientException");
}

TEST_CASE("Authenticator setting the no-auth count again restarts the count", "[auth][unit]") {
    Fixture f(AuthMode::Open);
    f.authenticator.set_initial_no_auth_action_count(1);
    CHECK_NOTHROW(f.authenticator.authenticate(sts_call(), query_errors()));
    CHECK_THROWS_AS(f.authenticator.authenticate(sts_call(), query_errors()), AwsError);
    f.authenticator.set_initial_no_auth_action_count(1);
    CHECK_NOTHROW(f.authenticator.authenticate(sts_call(), query_errors()));
    f.authenticator.set_initial_no_auth_action_count(std::numeric_limits<double>::infinity());
    for (int i = 0; i < 5; ++i) {
        CHECK_NOTHROW(f.authenticator.authenticate(sts_call(), query_errors()));
    }
}

TEST_CASE("Authenticator strict mode checks whatever the no-auth count", "[auth][unit]") {
    Fixture f(AuthMode::Strict);
    f.authenticator.set_initial_no_auth_action_count(100);
    CHECK(thrown_aws_error([&] { f.authenticator.authenticate(sts_call(), query_errors()); })
              .spec()
              .code == "MissingAuthenticationToken");
}
