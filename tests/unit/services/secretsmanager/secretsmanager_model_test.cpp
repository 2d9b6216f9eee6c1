#include "services/secretsmanager/secretsmanager_model.hpp"

#include <catch2/catch.hpp>

#include "emulator/protocol/aws_error.hpp"

using namespace awsemu;
using namespace awsemu::secretsmanager;

TEST_CASE("Unit behaviour: secret names allow letters, digits and /_+=.@-",
          "[secretsmanager][unit]") {
    CHECK(is_valid_secret_name("prod/db/password"));
    CHECK(is_valid_secret_name("Valid/_+=.@-Name"));
    CHECK_FALSE(is_valid_secret_name(""));
    CHECK_FALSE(is_valid_secret_name("Inv Name"));
    CHECK_FALSE(is_valid_secret_name("a*b"));
    CHECK_FALSE(is_valid_secret_name("a!b"));
    CHECK_FALSE(is_valid_secret_name("na:me"));
}

TEST_CASE("Unit behaviour: secret ARNs are built, parsed and moved between regions",
          "[secretsmanager][unit]") {
    const std::string arn = secret_arn("us-east-1", "123456789012", "app/db", "AbC123");
    CHECK(arn == "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbC123");
    const auto parts = parse_secret_arn(arn);
    REQUIRE(parts);
    CHECK(parts->region == "us-east-1");
    CHECK(parts->account_id == "123456789012");
    CHECK(parts->resource == "app/db-AbC123");
    CHECK(arn_in_region(arn, "eu-west-1") ==
          "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-AbC123");
    CHECK_FALSE(parse_secret_arn("app/db"));
    CHECK_FALSE(parse_secret_arn("arn:aws:sqs:us-east-1:123456789012:queue"));
    CHECK_FALSE(parse_secret_arn("arn:aws:secretsmanager:us-east-1:123456789012:secret:"));
}

TEST_CASE("Unit behaviour: constraint violations read like AWS's validation messages",
          "[secretsmanager][unit]") {
    ConstraintCheck one;
    one.range("passwordLength", std::int64_t{5000}, 1, 4096);
    try {
        one.check();
        FAIL("expected a ValidationException");
    } catch (const AwsError& e) {
        CHECK(e.spec().code == "ValidationException");
        CHECK(std::string(e.what()) ==
              "1 validation error detected: Value '5000' at 'passwordLength' failed to satisfy "
              "constraint: Member must have value less than or equal to 4096");
    }
    ConstraintCheck two;
    two.length("name", std::string(513, 'a'), 1, 512);
    two.length("secretString", std::string(), 1, 65536, /*sensitive=*/true);
    try {
        two.check();
        FAIL("expected a ValidationException");
    } catch (const AwsError& e) {
        const std::string message = e.what();
        CHECK(message.starts_with("2 validation errors detected: Value '"));
        CHECK(message.find("Member must have length less than or equal to 512; Value at "
                           "'secretString' failed to satisfy constraint: Member must have length "
                           "greater than or equal to 1") != std::string::npos);
    }
    ConstraintCheck none;
    none.length("name", std::nullopt, 1, 512);
    CHECK_NOTHROW(none.check());
}

TEST_CASE("Unit behaviour: words split at punctuation, case changes and digits",
          "[secretsmanager][unit]") {
    CHECK(split_words("credsDatabase#892") == std::vector<std::string>{"creds", "Database", "892"});
    CHECK(split_words("prod/db-password") == std::vector<std::string>{"prod", "db", "password"});
    CHECK(split_words("My_Secret") == std::vector<std::string>{"My", "Secret"});
    CHECK(split_words("abc123def") == std::vector<std::string>{"abc", "123", "def"});
    CHECK(split_words("/-_").empty());
}

TEST_CASE("Unit behaviour: list filters match prefixes, words and negations",
          "[secretsmanager][unit]") {
    Secret secret;
    secret.name = "DatabaseSecret";
    secret.description = "My production database";
    secret.owning_service = "rds";
    const std::vector<Tag> tags{{"env", "prod"}, {"team", "payments"}};
    const FilterSubject subject{secret, tags, std::nullopt};
    const auto match = [&](std::string key, std::vector<std::string> values) {
        return matches_filters(subject, {Filter{std::move(key), std::move(values)}});
    };
    // name: prefix, case-sensitive
    CHECK(match("name", {"Data"}));
    CHECK_FALSE(match("name", {"data"}));
    CHECK_FALSE(match("name", {"Secret"}));
    CHECK(match("name", {"nope", "Database"}));
    // description: prefix or word prefix, any case
    CHECK(match("description", {"my prod"}));
    CHECK(match("description", {"DATABASE"}));
    CHECK_FALSE(match("description", {"staging"}));
    // tags
    CHECK(match("tag-key", {"te"}));
    CHECK_FALSE(match("tag-key", {"Env"}));
    CHECK(match("tag-value", {"pay"}));
    CHECK(match("owning-service", {"rd"}));
    CHECK_FALSE(match("primary-region", {"us"}));
    // all: every word somewhere, any case
    CHECK(match("all", {"payments database"}));
    CHECK(match("all", {"SECRET"}));
    CHECK_FALSE(match("all", {"payments staging"}));
    // negation
    CHECK(match("name", {"!Other"}));
    CHECK_FALSE(match("name", {"!Data"}));
    CHECK_FALSE(match("tag-key", {"!env"}));
    // several filters must all match
    CHECK(matches_filters(subject, {Filter{"name", {"Data"}}, Filter{"tag-value", {"prod"}}}));
    CHECK_FALSE(matches_filters(subject, {Filter{"name", {"Data"}}, Filter{"tag-value", {"dev"}}}));
    CHECK(matches_filters(FilterSubject{secret, tags, std::string("eu-west-1")},
                          {Filter{"primary-region", {"eu-"}}}));
}

TEST_CASE("Unit behaviour: page tokens round-trip and are refused for other listings",
          "[secretsmanager][unit]") {
    const std::string token = encode_page_token(40, "abcdef0123456789");
    CHECK(decode_page_token(token, "abcdef0123456789") == std::optional<std::size_t>(40));
    CHECK_FALSE(decode_page_token(token, "0000000000000000"));
    CHECK_FALSE(decode_page_token("not-a-token", "abcdef0123456789"));
    CHECK_FALSE(decode_page_token("", "abcdef0123456789"));
    CHECK_FALSE(decode_page_token("c20xOng6YWJj", "abc"));  // "sm1:x:abc"
}

TEST_CASE("Unit behaviour: dates are epoch seconds and access days start at midnight UTC",
          "[secretsmanager][unit]") {
    CHECK(day_start_ms(1'700'000'123'456) == 1'699'920'000'000);
    CHECK(day_start_ms(1'699'920'000'000) == 1'699'920'000'000);
    CHECK(json_timestamp(1'700'000'000'123) == Approx(1700000000.123));
    CHECK(to_epoch_ms(TimePoint(std::chrono::seconds(5))) == 5000);
}

TEST_CASE("Unit behaviour: rotation schedules give the next rotation date",
          "[secretsmanager][unit]") {
    const std::int64_t from = 1'700'000'000'000;  // 2023-11-14T22:13:20Z, a Tuesday
    RotationRules days;
    days.automatically_after_days = 30;
    CHECK(next_rotation_ms(days, from) == from + 30 * kMillisecondsPerDay);

    RotationRules rate;
    rate.schedule_expression = "rate(10 days)";
    CHECK(next_rotation_ms(rate, from) == from + 10 * kMillisecondsPerDay);
    rate.schedule_expression = "rate(6 hours)";
    CHECK(next_rotation_ms(rate, from) == from + 6 * 3'600'000);

    RotationRules cron;
    cron.schedule_expression = "cron(0 16 1,15 * ? *)";        // 16:00 on the 1st and 15th
    CHECK(next_rotation_ms(cron, from) == 1'700'064'000'000);  // 2023-11-15T16:00:00Z
    cron.schedule_expression = "cron(30 4 ? * MON *)";
    CHECK(next_rotation_ms(cron, from) == 1'700'454'600'000);  // 2023-11-20T04:30:00Z

    CHECK_FALSE(next_rotation_ms(RotationRules{}, from));
}

TEST_CASE("Unit behaviour: invalid rotation rules are explained", "[secretsmanager][unit]") {
    RotationRules both;
    both.automatically_after_days = 10;
    both.schedule_expression = "rate(10 days)";
    CHECK(rotation_rules_problem(both));
    RotationRules bad_duration;
    bad_duration.duration = "30h";
    CHECK(rotation_rules_problem(bad_duration));
    for (const char* expression :
         {"rate(2 hours)", "rate(10 weeks)", "cron(0 16 * * * *)", "cron(0 16 1 *)", "every day",
          "cron(61 1 ? * * *)",
          // steps past the field's range (once an endless loop)
          "cron(*/4294967296 * * * ? *)", "cron(*/3000000000 * * * ? *)", "cron(0/61 * * * ? *)"}) {
        RotationRules rules;
        rules.schedule_expression = expression;
        INFO(expression);
        CHECK(rotation_rules_problem(rules));
    }
    RotationRules fine;
    fine.schedule_expression = "cron(0 8 ? * SUN-SAT *)";
    fine.duration = "3h";
    CHECK_FALSE(rotation_rules_problem(fine));
}
