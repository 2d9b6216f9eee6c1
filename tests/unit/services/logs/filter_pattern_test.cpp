#include "services/logs/filter_pattern.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/aws_error_capture.hpp"

using namespace awsemu;
using namespace awsemu::logs;
using awsemu::testing::thrown_aws_error;

namespace {

bool matches(std::string_view pattern, std::string_view message) {
    return FilterPattern::parse(pattern).matches(message);
}

}  // namespace

TEST_CASE("Filter patterns: terms, phrases, any-of and exclusions", "[logs][unit]") {
    CHECK(matches("", "anything at all"));
    CHECK(matches("ERROR", "2024 ERROR disk full"));
    CHECK_FALSE(matches("ERROR", "2024 error disk full"));  // case-sensitive
    CHECK(matches("ERROR disk", "disk ERROR"));             // every term, any order
    CHECK_FALSE(matches("ERROR disk", "ERROR memory"));
    CHECK(matches("\"disk full\"", "ERROR disk full now"));
    CHECK_FALSE(matches("\"disk full\"", "full disk"));
    CHECK(matches("?ERROR ?WARN", "WARN low memory"));
    CHECK(matches("?ERROR ?WARN", "ERROR boom"));
    CHECK_FALSE(matches("?ERROR ?WARN", "INFO fine"));
    CHECK(matches("ERROR -healthz", "ERROR in /api"));
    CHECK_FALSE(matches("ERROR -healthz", "ERROR in /healthz"));
    CHECK_FALSE(matches("-\"GET /healthz\"", "GET /healthz 200"));
}

TEST_CASE("Filter patterns: JSON comparisons, wildcards and existence", "[logs][unit]") {
    const std::string event =
        R"({"level":"error","status":503,"user":{"id":7,"name":"ann"},"tags":["a","b"],)"
        R"("gone":null,"ok":false})";
    CHECK(matches(R"({ $.level = "error" })", event));
    CHECK_FALSE(matches(R"({ $.level = "info" })", event));
    CHECK(matches("{ $.status >= 500 }", event));
    CHECK_FALSE(matches("{ $.status < 500 }", event));
    CHECK(matches("{ $.status = 503 }", event));
    CHECK(matches(R"({ $.level = "err*" })", event));
    CHECK(matches("{ $.level = err* }", event));
    CHECK(matches(R"({ $.user.name = "ann" && $.user.id != 1 })", event));
    CHECK_FALSE(matches(R"({ $.user.name = "ann" && $.user.id != 7 })", event));
    CHECK(matches(R"({ $.level = "info" || $.status > 500 })", event));
    CHECK(matches(R"({ ($.level = "info" || $.status > 500) && $.tags[1] = "b" })", event));
    CHECK(matches("{ $.gone IS NULL }", event));
    CHECK_FALSE(matches("{ $.level IS NULL }", event));
    CHECK(matches("{ $.missing NOT EXISTS }", event));
    CHECK_FALSE(matches("{ $.level NOT EXISTS }", event));
    CHECK(matches("{ $.ok IS FALSE }", event));
    CHECK_FALSE(matches("{ $.missing = 1 }", event));
    // Messages that are no JSON never match a JSON pattern.
    CHECK_FALSE(matches(R"({ $.level = "error" })", "level=error"));
}

TEST_CASE("Filter patterns: space-delimited fields", "[logs][unit]") {
    const std::string line =
        R"(127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534)";
    CHECK(matches("[ip, user, username, timestamp, request, status_code, bytes]", line));
    CHECK_FALSE(matches("[ip, user, username]", line));
    CHECK(matches("[ip, user, username, timestamp, request, status_code = 4*, bytes]", line));
    CHECK_FALSE(matches("[ip, user, username, timestamp, request, status_code = 5*, bytes]", line));
    CHECK(matches("[ip, ..., status_code = 404, bytes > 1000]", line));
    CHECK_FALSE(matches("[ip, ..., status_code, bytes > 2000]", line));
    CHECK(matches("[ip = 127.0.0.1, ...]", line));
    CHECK(matches("[..., request = \"GET /index.html HTTP/1.0\", code, size]", line));
    CHECK(matches("[w1 = ERROR || w1 = WARN, w2]", "WARN low"));
    CHECK_FALSE(matches("[w1 = ERROR || w1 = WARN, w2]", "INFO low"));
}

TEST_CASE("Filter patterns: unreadable patterns are InvalidParameterException", "[logs][unit]") {
    for (const char* bad : {"{ $.level = }", "{ level = 1 }", "{ $.a = \"x\" ", "\"open",
                            "{ $.a > abc }", "[a, b = ]", "[a, b] = 1 c"}) {
        INFO(bad);
        const AwsError error = thrown_aws_error([&] { FilterPattern::parse(bad); });
        CHECK(error.spec().code == "InvalidParameterException");
        CHECK(error.spec().http_status == 400);
    }
}
