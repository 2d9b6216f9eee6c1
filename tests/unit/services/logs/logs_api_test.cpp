#include "services/logs/logs_api.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/aws_error_capture.hpp"
#include "tests/unit/services/logs/logs_test_support.hpp"

using namespace awsemu;
using namespace awsemu::logs;
using namespace awsemu::logs::testing;
using awsemu::testing::thrown_aws_error;

TEST_CASE("Logs api: groups and streams created when missing, lines appended as they come",
          "[logs][unit]") {
    LogsFixture f;
    CHECK_FALSE(log_group_exists(f.database, f.scope, "/ecs/web"));
    create_log_group_if_missing(f.database, f.clock, f.scope, "/ecs/web");
    create_log_group_if_missing(f.database, f.clock, f.scope, "/ecs/web");
    CHECK(log_group_exists(f.database, f.scope, "/ecs/web"));
    CHECK_FALSE(log_group_exists(f.database, Scope{"123456789012", "eu-west-1"}, "/ecs/web"));

    const AwsError no_group = thrown_aws_error(
        [&] { create_log_stream_if_missing(f.database, f.clock, f.scope, "/ecs/x", "s"); });
    CHECK(no_group.spec().code == "ResourceNotFoundException");
    create_log_stream_if_missing(f.database, f.clock, f.scope, "/ecs/web", "web/app/1");
    create_log_stream_if_missing(f.database, f.clock, f.scope, "/ecs/web", "web/app/1");

    // Out of order and a month old: the api takes them as they are.
    const std::int64_t now = f.now_ms();
    append_log_events(f.database, f.clock, f.scope, "/ecs/web", "web/app/1",
                      {{now, "second"}, {now - 30 * kDayMs, "first"}, {now, "third"}});
    const auto out = f.call(
        "GetLogEvents",
        {{"logGroupName", "/ecs/web"}, {"logStreamName", "web/app/1"}, {"startFromHead", true}});
    CHECK(messages(out["events"]) == std::vector<std::string>{"first", "second", "third"});

    const AwsError no_stream = thrown_aws_error([&] {
        append_log_events(f.database, f.clock, f.scope, "/ecs/web", "nope", {{now, "x"}});
    });
    CHECK(no_stream.spec().code == "ResourceNotFoundException");
    CHECK(std::string(no_stream.what()) == "The specified log stream does not exist.");
    const AwsError missing_group = thrown_aws_error([&] {
        append_log_events(f.database, f.clock, f.scope, "/ecs/nope", "s", {{now, "x"}});
    });
    CHECK(std::string(missing_group.what()) == "The specified log group does not exist.");
}

TEST_CASE("Logs api: calls join a transaction the caller holds", "[logs][unit]") {
    LogsFixture f;
    {
        auto outer = f.database.transaction();
        create_log_group_if_missing(f.database, f.clock, f.scope, "g");
        create_log_stream_if_missing(f.database, f.clock, f.scope, "g", "s");
        append_log_events(f.database, f.clock, f.scope, "g", "s", {{f.now_ms(), "x"}});
        // Rolled back with the caller's transaction.
    }
    CHECK_FALSE(log_group_exists(f.database, f.scope, "g"));
}
