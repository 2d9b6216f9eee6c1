#include "services/logs/logs_service.hpp"

#include <catch2/catch.hpp>

#include "emulator/runtime/manual_scheduler.hpp"
#include "tests/unit/services/logs/logs_test_support.hpp"

using namespace awsemu;
using namespace awsemu::logs;
using namespace awsemu::logs::testing;
using nlohmann::json;

TEST_CASE("Logs: log groups are created, described page by page and deleted", "[logs][unit]") {
    LogsFixture f;
    f.call("CreateLogGroup", {{"logGroupName", "/app/web"},
                              {"kmsKeyId", "arn:aws:kms:us-east-1:123456789012:key/k"},
                              {"tags", {{"env", "test"}}}});
    for (const char* name : {"/app/api", "/app/worker", "/other", "DataLogs"}) {
        f.call("CreateLogGroup", {{"logGroupName", name}});
    }
    const auto again = f.error("CreateLogGroup", {{"logGroupName", "/app/web"}});
    CHECK(again.code == "ResourceAlreadyExistsException");
    CHECK(again.message == "The specified log group already exists");

    const json web = f.call("DescribeLogGroups", {{"logGroupNamePrefix", "/app/web"}});
    REQUIRE(web["logGroups"].size() == 1);
    const json& group = web["logGroups"][0];
    CHECK(group["logGroupName"] == "/app/web");
    CHECK(group["creationTime"] == f.now_ms());
    CHECK(group["arn"] == "arn:aws:logs:us-east-1:123456789012:log-group:/app/web:*");
    CHECK(group["logGroupArn"] == "arn:aws:logs:us-east-1:123456789012:log-group:/app/web");
    CHECK(group["metricFilterCount"] == 0);
    CHECK(group["storedBytes"] == 0);
    CHECK(group["kmsKeyId"] == "arn:aws:kms:us-east-1:123456789012:key/k");
    CHECK(group["logGroupClass"] == "STANDARD");
    CHECK_FALSE(group.contains("retentionInDays"));
    CHECK_FALSE(web.contains("nextToken"));

    // Pages of two, by name.
    std::vector<std::string> names;
    json page = f.call("DescribeLogGroups", {{"limit", 2}});
    while (true) {
        CHECK(page["logGroups"].size() <= 2);
        for (const auto& g : page["logGroups"]) {
            names.push_back(g["logGroupName"]);
        }
        if (!page.contains("nextToken")) {
            break;
        }
        page = f.call("DescribeLogGroups", {{"limit", 2}, {"nextToken", page["nextToken"]}});
    }
    CHECK(names ==
          std::vector<std::string>{"/app/api", "/app/web", "/app/worker", "/other", "DataLogs"});

    const json pattern = f.call("DescribeLogGroups", {{"logGroupNamePattern", "Logs"}});
    REQUIRE(pattern["logGroups"].size() == 1);
    CHECK(pattern["logGroups"][0]["logGroupName"] == "DataLogs");
    CHECK_FALSE(pattern["logGroups"][0].contains("storedBytes"));
    CHECK(f.call("DescribeLogGroups", {{"logGroupNamePattern", "logs"}})["logGroups"].empty());

    CHECK(f.error("DescribeLogGroups", {{"limit", 51}}).code == "InvalidParameterException");
    CHECK(f.error("DescribeLogGroups", {{"nextToken", "%%%"}}).code == "InvalidParameterException");
    CHECK(f.error("DescribeLogGroups", {{"logGroupNamePrefix", "/a"}, {"logGroupNamePattern", "a"}})
              .code == "InvalidParameterException");

    f.call("DeleteLogGroup", {{"logGroupName", "/app/web"}});
    const auto missing = f.error("DeleteLogGroup", {{"logGroupName", "/app/web"}});
    CHECK(missing.code == "ResourceNotFoundException");
    CHECK(missing.message == "The specified log group does not exist.");
    CHECK(f.call("DescribeLogGroups", {{"logGroupNamePrefix", "/app/web"}})["logGroups"].empty());
}

TEST_CASE("Logs: log streams are listed by name or last event time", "[logs][unit]") {
    LogsFixture f;
    f.call("CreateLogGroup", {{"logGroupName", "g"}});
    for (const char* name : {"c", "a", "b"}) {
        f.call("CreateLogStream", {{"logGroupName", "g"}, {"logStreamName", name}});
    }
    CHECK(f.error("CreateLogStream", {{"logGroupName", "g"}, {"logStreamName", "a"}}).message ==
          "The specified log stream already exists");
    CHECK(f.error("CreateLogStream", {{"logGroupName", "nope"}, {"logStreamName", "a"}}).code ==
          "ResourceNotFoundException");
    f.call("PutLogEvents", {{"logGroupName", "g"},
                            {"logStreamName", "a"},
                            {"logEvents", {{{"timestamp", f.now_ms() - 10}, {"message", "x"}}}}});
    f.call("PutLogEvents", {{"logGroupName", "g"},
                            {"logStreamName", "c"},
                            {"logEvents", {{{"timestamp", f.now_ms() - 20}, {"message", "y"}}}}});

    const auto names = [](const json& out) {
        std::vector<std::string> result;
        for (const auto& s : out["logStreams"]) {
            result.push_back(s["logStreamName"]);
        }
        return result;
    };
    CHECK(names(f.call("DescribeLogStreams", {{"logGroupName", "g"}})) ==
          std::vector<std::string>{"a", "b", "c"});
    CHECK(names(f.call("DescribeLogStreams", {{"logGroupName", "g"}, {"descending", true}})) ==
          std::vector<std::string>{"c", "b", "a"});
    CHECK(names(f.call("DescribeLogStreams",
                       {{"logGroupName", "g"}, {"orderBy", "LastEventTime"}})) ==
          std::vector<std::string>{"b", "c", "a"});
    CHECK(names(f.call("DescribeLogStreams",
                       {{"logGroupIdentifier", "arn:aws:logs:us-east-1:123456789012:log-group:g"},
                        {"orderBy", "LastEventTime"},
                        {"descending", true}})) == std::vector<std::string>{"a", "c", "b"});
    CHECK(names(f.call("DescribeLogStreams",
                       {{"logGroupName", "g"}, {"logStreamNamePrefix", "b"}})) ==
          std::vector<std::string>{"b"});
    // Pages of one, both orders.
    for (const char* order : {"LogStreamName", "LastEventTime"}) {
        std::vector<std::string> all;
        json page =
            f.call("DescribeLogStreams", {{"logGroupName", "g"}, {"orderBy", order}, {"limit", 1}});
        while (true) {
            for (const auto& name : names(page)) {
                all.push_back(name);
            }
            if (!page.contains("nextToken")) {
                break;
            }
            page = f.call("DescribeLogStreams", {{"logGroupName", "g"},
                                                 {"orderBy", order},
                                                 {"limit", 1},
                                                 {"nextToken", page["nextToken"]}});
        }
        CHECK(all.size() == 3);
    }
    const json a = f.call("DescribeLogStreams",
                          {{"logGroupName", "g"}, {"logStreamNamePrefix", "a"}})["logStreams"][0];
    CHECK(a["firstEventTimestamp"] == f.now_ms() - 10);
    CHECK(a["lastEventTimestamp"] == f.now_ms() - 10);
    CHECK(a["lastIngestionTime"] == f.now_ms());
    CHECK(a["arn"] == "arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:a");
    CHECK(a["uploadSequenceToken"].get<std::string>().size() == 56);
    CHECK(
        f.error("DescribeLogStreams",
                {{"logGroupName", "g"}, {"orderBy", "LastEventTime"}, {"logStreamNamePrefix", "a"}})
            .message == "Cannot order by LastEventTime with a logStreamNamePrefix.");

    f.call("DeleteLogStream", {{"logGroupName", "g"}, {"logStreamName", "a"}});
    CHECK(f.error("DeleteLogStream", {{"logGroupName", "g"}, {"logStreamName", "a"}}).message ==
          "The specified log stream does not exist.");
    CHECK(names(f.call("DescribeLogStreams", {{"logGroupName", "g"}})) ==
          std::vector<std::string>{"b", "c"});
}

TEST_CASE("Logs: PutLogEvents rejects what AWS rejects and GetLogEvents pages both ways",
          "[logs][unit]") {
    LogsFixture f;
    f.group_and_stream("g", "s");
    const std::int64_t now = f.now_ms();
    // A batch spans at most 24 hours: one batch with a too old event, one with a too new one.
    const json old =
        f.call("PutLogEvents", {{"logGroupName", "g"},
                                {"logStreamName", "s"},
                                {"sequenceToken", "whatever"},
                                {"logEvents",
                                 {{{"timestamp", now - 14 * kDayMs - 1}, {"message", "too old"}},
                                  {{"timestamp", now - 14 * kDayMs + 1}, {"message", "old"}}}}});
    CHECK(old["rejectedLogEventsInfo"] == json{{"tooOldLogEventEndIndex", 1}});
    CHECK(old["nextSequenceToken"].is_string());
    const json put = f.call("PutLogEvents",
                            {{"logGroupName", "g"},
                             {"logStreamName", "s"},
                             {"logEvents",
                              {{{"timestamp", now - 1000}, {"message", "one"}},
                               {{"timestamp", now - 999}, {"message", "two"}},
                               {{"timestamp", now + 3 * 3600 * 1000}, {"message", "too new"}}}}});
    CHECK(put["rejectedLogEventsInfo"] == json{{"tooNewLogEventStartIndex", 2}});

    const auto out_of_order = f.error(
        "PutLogEvents",
        {{"logGroupName", "g"},
         {"logStreamName", "s"},
         {"logEvents",
          {{{"timestamp", now}, {"message", "b"}}, {{"timestamp", now - 1}, {"message", "a"}}}}});
    CHECK(out_of_order.code == "InvalidParameterException");
    CHECK(f.error("PutLogEvents", {{"logGroupName", "nope"},
                                   {"logStreamName", "s"},
                                   {"logEvents", {{{"timestamp", now}, {"message", "a"}}}}})
              .message == "The specified log group does not exist.");
    CHECK(f.error("PutLogEvents", {{"logGroupName", "g"},
                                   {"logStreamName", "nope"},
                                   {"logEvents", {{{"timestamp", now}, {"message", "a"}}}}})
              .message == "The specified log stream does not exist.");
    CHECK(f.error("PutLogEvents", {{"logGroupName", "g"},
                                   {"logStreamName", "s"},
                                   {"logEvents", {{{"timestamp", "x"}, {"message", "a"}}}}})
              .code == "SerializationException");

    f.put_numbered("g", "s", 8, 500);
    // 11 events: old, one, two, m0..m7. Default: the newest, oldest first.
    const json tail =
        f.call("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}, {"limit", 3}});
    CHECK(messages(tail["events"]) == std::vector<std::string>{"m5", "m6", "m7"});
    CHECK(tail["events"][0]["ingestionTime"] == now);
    // Backward from there.
    const json before = f.call("GetLogEvents", {{"logGroupName", "g"},
                                                {"logStreamName", "s"},
                                                {"limit", 3},
                                                {"nextToken", tail["nextBackwardToken"]}});
    CHECK(messages(before["events"]) == std::vector<std::string>{"m2", "m3", "m4"});
    // Forward from the tail: nothing new, the same token back.
    const json after = f.call("GetLogEvents", {{"logGroupName", "g"},
                                               {"logStreamName", "s"},
                                               {"startFromHead", true},
                                               {"nextToken", tail["nextForwardToken"]}});
    CHECK(after["events"].empty());
    CHECK(after["nextForwardToken"] == tail["nextForwardToken"]);
    // Head first, pages of four, until the token repeats.
    std::vector<std::string> all;
    json page = f.call(
        "GetLogEvents",
        {{"logGroupName", "g"}, {"logStreamName", "s"}, {"startFromHead", true}, {"limit", 4}});
    std::string token;
    while (page["nextForwardToken"] != token) {
        token = page["nextForwardToken"];
        for (const auto& m : messages(page["events"])) {
            all.push_back(m);
        }
        page = f.call("GetLogEvents", {{"logGroupName", "g"},
                                       {"logStreamName", "s"},
                                       {"startFromHead", true},
                                       {"limit", 4},
                                       {"nextToken", token}});
    }
    CHECK(all == std::vector<std::string>{"old", "one", "two", "m0", "m1", "m2", "m3", "m4", "m5",
                                          "m6", "m7"});
    // New events show up behind the forward token.
    f.put_numbered("g", "s", 1, 10);
    const json fresh = f.call(
        "GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}, {"nextToken", token}});
    CHECK(messages(fresh["events"]) == std::vector<std::string>{"m0"});
    // Time windows: start inclusive, end exclusive.
    const json window = f.call("GetLogEvents", {{"logGroupName", "g"},
                                                {"logStreamName", "s"},
                                                {"startFromHead", true},
                                                {"startTime", now - 1000},
                                                {"endTime", now - 999}});
    CHECK(messages(window["events"]) == std::vector<std::string>{"one"});
    CHECK(f.error("GetLogEvents",
                  {{"logGroupName", "g"}, {"logStreamName", "s"}, {"nextToken", "f/123"}})
              .message == "The specified nextToken is invalid.");
    CHECK(f.error("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}, {"limit", 0}})
              .code == "InvalidParameterException");
}

TEST_CASE("Logs: an empty stream read tail first is followed with its forward token",
          "[logs][unit]") {
    LogsFixture f;
    f.group_and_stream("g", "s");
    const json empty = f.call("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}});
    CHECK(empty["events"].empty());
    const json again = f.call(
        "GetLogEvents",
        {{"logGroupName", "g"}, {"logStreamName", "s"}, {"nextToken", empty["nextForwardToken"]}});
    CHECK(again["events"].empty());
    CHECK(again["nextForwardToken"] == empty["nextForwardToken"]);
    f.put_numbered("g", "s", 2);
    const json fresh = f.call(
        "GetLogEvents",
        {{"logGroupName", "g"}, {"logStreamName", "s"}, {"nextToken", empty["nextForwardToken"]}});
    CHECK(messages(fresh["events"]) == std::vector<std::string>{"m0", "m1"});
}

TEST_CASE("Logs: FilterLogEvents filters, interleaves streams and pages", "[logs][unit]") {
    LogsFixture f;
    f.group_and_stream("g", "web-1");
    f.call("CreateLogStream", {{"logGroupName", "g"}, {"logStreamName", "web-2"}});
    f.call("CreateLogStream", {{"logGroupName", "g"}, {"logStreamName", "api"}});
    const std::int64_t now = f.now_ms();
    const auto put = [&](const std::string& stream, std::int64_t at, const std::string& message) {
        f.call("PutLogEvents", {{"logGroupName", "g"},
                                {"logStreamName", stream},
                                {"logEvents", {{{"timestamp", at}, {"message", message}}}}});
    };
    put("web-1", now - 50, R"({"level":"error","status":500})");
    put("web-2", now - 40, "ERROR timeout");
    put("api", now - 30, R"({"level":"info","status":200})");
    put("web-1", now - 20, "INFO fine");
    put("web-2", now - 10, R"({"level":"error","status":502})");

    const json all = f.call("FilterLogEvents", {{"logGroupName", "g"}});
    CHECK(all["events"].size() == 5);
    CHECK(all["events"][1]["logStreamName"] == "web-2");
    CHECK(all["events"][1]["timestamp"] == now - 40);
    CHECK_FALSE(all.contains("nextToken"));
    CHECK(all["events"][0]["eventId"].is_string());

    CHECK(f.call("FilterLogEvents", {{"logGroupName", "g"}, {"filterPattern", "ERROR"}})["events"]
              .size() == 1);
    CHECK(f.call("FilterLogEvents",
                 {{"logGroupName", "g"}, {"filterPattern", R"({ $.level = "error" })"}})["events"]
              .size() == 2);
    CHECK(f.call("FilterLogEvents", {{"logGroupName", "g"},
                                     {"filterPattern", "{ $.status >= 500 }"},
                                     {"logStreamNames", {"web-2"}}})["events"]
              .size() == 1);
    CHECK(
        f.call("FilterLogEvents", {{"logGroupName", "g"}, {"logStreamNamePrefix", "web"}})["events"]
            .size() == 4);
    CHECK(f.call("FilterLogEvents",
                 {{"logGroupName", "g"}, {"startTime", now - 40}, {"endTime", now - 20}})["events"]
              .size() == 3);
    // Pages of two.
    std::vector<std::string> seen;
    json page = f.call("FilterLogEvents", {{"logGroupName", "g"}, {"limit", 2}});
    while (true) {
        for (const auto& m : messages(page["events"])) {
            seen.push_back(m);
        }
        if (!page.contains("nextToken")) {
            break;
        }
        page = f.call("FilterLogEvents",
                      {{"logGroupName", "g"}, {"limit", 2}, {"nextToken", page["nextToken"]}});
    }
    CHECK(seen == messages(all["events"]));
    CHECK(
        f.error("FilterLogEvents", {{"logGroupName", "g"}, {"filterPattern", "{ $.a = }"}}).code ==
        "InvalidParameterException");
    CHECK(f.error("FilterLogEvents", {{"logGroupName", "nope"}}).code ==
          "ResourceNotFoundException");
}

TEST_CASE("Logs: retention values, tags by ARN with and without :*, legacy tagging",
          "[logs][unit]") {
    LogsFixture f;
    f.call("CreateLogGroup", {{"logGroupName", "g"}, {"tags", {{"a", "1"}}}});
    f.call("PutRetentionPolicy", {{"logGroupName", "g"}, {"retentionInDays", 14}});
    CHECK(f.call("DescribeLogGroups", {})["logGroups"][0]["retentionInDays"] == 14);
    const auto bad = f.error("PutRetentionPolicy", {{"logGroupName", "g"}, {"retentionInDays", 2}});
    CHECK(bad.code == "InvalidParameterException");
    CHECK(bad.message.find("Member must satisfy enum value set: [1, 3, 5,") != std::string::npos);
    CHECK(f.error("PutRetentionPolicy", {{"logGroupName", "x"}, {"retentionInDays", 1}}).code ==
          "ResourceNotFoundException");
    f.call("DeleteRetentionPolicy", {{"logGroupName", "g"}});
    CHECK_FALSE(f.call("DescribeLogGroups", {})["logGroups"][0].contains("retentionInDays"));

    const std::string arn = "arn:aws:logs:us-east-1:123456789012:log-group:g";
    f.call("TagResource", {{"resourceArn", arn}, {"tags", {{"b", "2"}}}});
    CHECK(f.call("ListTagsForResource", {{"resourceArn", arn}})["tags"] ==
          json{{"a", "1"}, {"b", "2"}});
    CHECK(f.call("ListTagsForResource", {{"resourceArn", arn + ":*"}})["tags"].size() == 2);
    f.call("UntagResource", {{"resourceArn", arn}, {"tagKeys", {"a"}}});
    CHECK(f.call("ListTagsLogGroup", {{"logGroupName", "g"}})["tags"] == json{{"b", "2"}});
    f.call("TagLogGroup", {{"logGroupName", "g"}, {"tags", {{"c", "3"}}}});
    f.call("UntagLogGroup", {{"logGroupName", "g"}, {"tags", {"b"}}});
    CHECK(f.call("ListTagsForResource", {{"resourceArn", arn}})["tags"] == json{{"c", "3"}});
    CHECK(f.error("ListTagsForResource",
                  {{"resourceArn", "arn:aws:logs:us-east-1:123456789012:log-group:nope"}})
              .code == "ResourceNotFoundException");
    CHECK(f.call("DescribeMetricFilters", {{"logGroupName", "g"}})["metricFilters"].empty());
    CHECK(f.call("DescribeSubscriptionFilters", {{"logGroupName", "g"}})["subscriptionFilters"]
              .empty());
}

TEST_CASE("Logs: the retention sweep deletes expired events on the clock", "[logs][unit]") {
    LogsFixture f;
    ManualScheduler scheduler(f.clock);
    auto service = std::make_shared<LogsService>(f.database);
    start_retention_sweep(service, f.database, f.clock, scheduler);
    f.group_and_stream("g", "s");
    f.group_and_stream("keep", "s");
    f.call("PutRetentionPolicy", {{"logGroupName", "g"}, {"retentionInDays", 1}});
    f.put_numbered("g", "s", 3, 1000);
    f.put_numbered("keep", "s", 3, 1000);
    CHECK(f.call("DescribeLogGroups", {})["logGroups"][0]["storedBytes"] == 6);
    scheduler.run_ready();

    scheduler.advance(std::chrono::hours(23));
    CHECK(f.call("FilterLogEvents", {{"logGroupName", "g"}})["events"].size() == 3);
    scheduler.advance(std::chrono::hours(2));
    CHECK(f.call("FilterLogEvents", {{"logGroupName", "g"}})["events"].empty());
    CHECK(f.call("FilterLogEvents", {{"logGroupName", "keep"}})["events"].size() == 3);
    CHECK(f.call("DescribeLogGroups", {})["logGroups"][0]["storedBytes"] == 0);
    CHECK(scheduler.pending_timers() == 1);
}
