#include "services/secretsmanager/secretsmanager_input.hpp"

#include <functional>
#include <regex>
#include <set>

#include <catch2/catch.hpp>

#include "emulator/protocol/aws_error.hpp"

using namespace awsemu;
using namespace awsemu::secretsmanager;
using nlohmann::json;

namespace {

std::string code_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const AwsError& e) {
        return std::string(e.spec().code);
    }
    return "";
}

}  // namespace

TEST_CASE("Unit behaviour: pages follow their tokens and refuse foreign ones",
          "[secretsmanager][unit]") {
    const json listing = {{"op", "ListSecrets"}};
    const Page first = page_of(std::nullopt, 2, 5, listing);
    CHECK(first.begin == 0);
    CHECK(first.end == 2);
    REQUIRE(first.next_token);
    const Page second = page_of(first.next_token, 2, 5, listing);
    CHECK(second.begin == 2);
    CHECK(second.end == 4);
    const Page last = page_of(second.next_token, 2, 5, listing);
    CHECK(last.begin == 4);
    CHECK(last.end == 5);
    CHECK_FALSE(last.next_token);

    CHECK(code_of([&] {
              page_of(first.next_token, 2, 5, {{"op", "Other"}});
          }) == "InvalidNextTokenException");
    CHECK(code_of([&] { page_of(std::string("garbage"), 2, 5, listing); }) ==
          "InvalidNextTokenException");
    // A token past the end of a listing that has shrunk is refused rather than trusted.
    const Page far = page_of(std::nullopt, 4, 10, listing);
    CHECK(code_of([&] { page_of(far.next_token, 4, 3, listing); }) == "InvalidNextTokenException");
    CHECK(page_of(std::nullopt, 100, 0, listing).end == 0);
}

TEST_CASE("Unit behaviour: secret ids are names or ARNs", "[secretsmanager][unit]") {
    CHECK(code_of([] { check_secret_id("prod/db", "secretId"); }).empty());
    CHECK(code_of([] { check_secret_id("rds!db-1234", "secretId"); }).empty());
    CHECK(code_of([] {
              check_secret_id("arn:aws:secretsmanager:us-east-1:123456789012:secret:x", "secretId");
          }).empty());
    CHECK(code_of([] { check_secret_id("has space", "secretId"); }) == "ValidationException");
    CHECK(code_of([] { check_secret_id("", "secretId"); }) == "ValidationException");
    CHECK(code_of([] { check_secret_id(std::string(2049, 'a'), "secretId"); }) ==
          "ValidationException");
    CHECK(code_of([] { check_secret_name("rds!db"); }) == "ValidationException");
    CHECK(code_of([] { check_secret_name("rds!db", /*service_managed=*/true); }).empty());
}

TEST_CASE("Unit behaviour: secret values are read from either member, within the limit",
          "[secretsmanager][unit]") {
    const ParamErrors errors;
    CHECK_FALSE(secret_data_param(Params(json::object(), errors)));
    const auto text = secret_data_param(Params({{"SecretString", "abc"}}, errors));
    REQUIRE(text);
    CHECK(text->string == std::optional<std::string>("abc"));
    const auto binary = secret_data_param(Params({{"SecretBinary", "AP8="}}, errors));
    REQUIRE(binary);
    CHECK(binary->binary == std::optional<std::string>(std::string("\x00\xff", 2)));
    CHECK(code_of([&] {
              secret_data_param(Params({{"SecretString", ""}}, errors));
          }) == "ValidationException");
    CHECK(code_of([&] {
              secret_data_param(Params({{"SecretString", std::string(65537, 'x')}}, errors));
          }) == "ValidationException");
    CHECK(code_of([&] {
              secret_data_param(Params({{"SecretBinary", "@@@@"}}, errors));
          }) == "SerializationException");
    CHECK(code_of([&] {
              secret_data_param(Params({{"SecretString", "a"}, {"SecretBinary", "YQ=="}}, errors));
          }) == "InvalidParameterException");
}

TEST_CASE("Unit behaviour: made-up identifiers look like AWS's", "[secretsmanager][unit]") {
    const std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    const std::regex suffix("^[A-Za-z0-9]{6}$");
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const std::string id = new_version_id();
        CHECK(std::regex_match(id, uuid));
        seen.insert(id);
        CHECK(std::regex_match(new_arn_suffix(), suffix));
    }
    CHECK(seen.size() == 100);
}

TEST_CASE("Unit behaviour: tags and rotation rules are read with their constraints",
          "[secretsmanager][unit]") {
    const auto tags = tags_param(json::array({{{"Key", "a"}, {"Value", "1"}}, {{"Key", "b"}}}));
    CHECK(tags == std::vector<Tag>{{"a", "1"}, {"b", ""}});
    CHECK(code_of([] { tags_param(json::array({{{"Key", ""}}})); }) == "ValidationException");
    CHECK(code_of([] {
              tags_param(json::array({{{"Key", std::string(129, 'k')}}}));
          }) == "ValidationException");
    CHECK(code_of([] { tags_param(json("x")); }) == "SerializationException");

    const auto rules = rotation_rules_param(
        {{"AutomaticallyAfterDays", 30}, {"Duration", "4h"}, {"ScheduleExpression", nullptr}});
    CHECK(rules.automatically_after_days == std::optional<std::int64_t>(30));
    CHECK(rules.duration == std::optional<std::string>("4h"));
    CHECK_FALSE(rules.schedule_expression);
    CHECK(code_of([] {
              rotation_rules_param({{"AutomaticallyAfterDays", 0}});
          }) == "ValidationException");
    CHECK(code_of([] { rotation_rules_param({{"Duration", 4}}); }) == "SerializationException");
}
