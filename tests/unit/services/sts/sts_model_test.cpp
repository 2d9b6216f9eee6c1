#include "services/sts/sts_model.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace awsemu::sts;

TEST_CASE("StsModel parse_role_arn reads the account and the role name", "[sts][unit]") {
    const auto plain = parse_role_arn("arn:aws:iam::123456789012:role/deploy");
    REQUIRE(plain.has_value());
    CHECK(plain->account_id == "123456789012");
    CHECK(plain->role_name == "deploy");

    const auto with_path = parse_role_arn("arn:aws:iam::111122223333:role/service-role/ci/Runner");
    REQUIRE(with_path.has_value());
    CHECK(with_path->account_id == "111122223333");
    CHECK(with_path->role_name == "Runner");
}

TEST_CASE("StsModel parse_role_arn refuses what is not a role ARN", "[sts][unit]") {
    for (const std::string& arn : std::initializer_list<std::string>
         {"", "deploy", "arn:aws:iam::123456789012:user/deploy", "arn:aws:iam::123456789012:role/",
          "arn:aws:iam::123456789012:role/path/", "arn:aws:iam::12345:role/deploy",
          "arn:aws:iam::12345678901a:role/deploy", "arn:aws:iam:us-east-1:123456789012:role/x",
          "arn:aws:sts::123456789012:role/deploy", "arn:aws:iam::123456789012",
          "arn:aws:iam::123456789012:role", "arn:aws:iam::123456789012:role/a b",
          "arn:aws:iam::123456789012:role/x<y>", "arn:aws:iam::123456789012:role/a//b",
          std::string("arn:aws:iam::123456789012:role/a") + '\x01' + "b"}) {
        INFO(arn);
        CHECK_FALSE(parse_role_arn(arn).has_value());
    }
}

TEST_CASE("StsModel session names are 2 to 64 characters of AWS's set", "[sts][unit]") {
    CHECK(is_valid_session_name("ci"));
    CHECK(is_valid_session_name("user@example.com"));
    CHECK(is_valid_session_name("a_b+c=d,e.f@g-h"));
    CHECK(is_valid_session_name(std::string(64, 'x')));
    CHECK_FALSE(is_valid_session_name("x"));
    CHECK_FALSE(is_valid_session_name(""));
    CHECK_FALSE(is_valid_session_name(std::string(65, 'x')));
    CHECK_FALSE(is_valid_session_name("has space"));
    CHECK_FALSE(is_valid_session_name("slash/no"));
    CHECK_FALSE(is_valid_session_name("colon:no"));
    CHECK_FALSE(is_valid_session_name("caf\xC3\xA9"));
}

TEST_CASE("StsModel duration limits are AWS's", "[sts][unit]") {
    CHECK(kMinDurationSeconds == 900);
    CHECK(kMaxDurationSeconds == 43200);
    CHECK(kDefaultDurationSeconds == 3600);
}
