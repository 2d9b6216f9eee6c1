#include "services/logs/logs_model.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/aws_error_capture.hpp"

using namespace awsemu;
using namespace awsemu::logs;
using awsemu::testing::thrown_aws_error;

namespace {

std::string refusal(std::function<void()> action) {
    const AwsError error = thrown_aws_error(action);
    CHECK(error.spec().code == "InvalidParameterException");
    CHECK(error.spec().http_status == 400);
    return error.what();
}

}  // namespace

TEST_CASE("Logs model: names, retention values and ARNs", "[logs][unit]") {
    validate_group_name("/ecs/app_1.web#x-y");
    CHECK(refusal([] { validate_group_name("bad name"); }) ==
          "1 validation error detected: Value 'bad name' at 'logGroupName' failed to satisfy "
          "constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
    refusal([] { validate_group_name(std::string(513, 'a')); });
    refusal([] { validate_stream_name("a:b"); });
    validate_stream_name("ecs/web/0123 with spaces");
    for (const std::int64_t days : {1,   3,   5,   7,   14,   30,   60,   90,   120,  150,  180,
                                    365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}) {
        validate_retention(days);
    }
    CHECK(refusal([] { validate_retention(2); }) ==
          "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy "
          "constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, "
          "180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]");

    const Scope scope{"123456789012", "eu-west-1"};
    CHECK(log_group_arn(scope, "/app") == "arn:aws:logs:eu-west-1:123456789012:log-group:/app");
    CHECK(log_group_star_arn(scope, "/app") ==
          "arn:aws:logs:eu-west-1:123456789012:log-group:/app:*");
    CHECK(log_stream_arn(scope, "/app", "s") ==
          "arn:aws:logs:eu-west-1:123456789012:log-group:/app:log-stream:s");
    CHECK(group_from_arn(scope, log_group_arn(scope, "/app")) == "/app");
    CHECK(group_from_arn(scope, log_group_star_arn(scope, "/app")) == "/app");
    CHECK_FALSE(group_from_arn(Scope{"123456789012", "us-east-1"}, log_group_arn(scope, "/app")));
    CHECK_FALSE(group_from_arn(scope, log_stream_arn(scope, "/app", "s")));
    CHECK(upload_sequence_token(42).size() == 56);
}

TEST_CASE("Logs model: PutLogEvents batch limits and order", "[logs][unit]") {
    check_batch({{1, "a"}, {1, "b"}, {2, "c"}});
    CHECK(refusal([] {
              check_batch({{2, "a"}, {1, "b"}});
          }) == "Log events in a single PutLogEvents request must be in chronological order.");
    refusal([] { check_batch({}); });
    refusal([] { check_batch({{1, ""}}); });
    refusal([] { check_batch({{0, "a"}, {kDayMs + 1, "b"}}); });
    refusal([] { check_batch(std::vector<NewEvent>(10'001, NewEvent{1, "x"})); });
    check_batch(std::vector<NewEvent>(10'000, NewEvent{1, "x"}));
    // 1,048,576 bytes counting 26 per event: exactly at the limit passes, one more does not.
    const std::int64_t half = kMaxBatchBytes / 2 - kEventOverheadBytes;
    check_batch({{1, std::string(half, 'a')}, {1, std::string(half, 'b')}});
    CHECK(refusal([&] {
              check_batch({{1, std::string(half, 'a')}, {1, std::string(half + 1, 'b')}});
          }) == "Upload too large: 1048577 bytes exceeds limit of 1048576");
}

TEST_CASE("Logs model: events too old, too new and expired are rejected", "[logs][unit]") {
    const std::int64_t now = 1'700'000'000'000;
    const std::vector<NewEvent> events = {{now - 15 * kDayMs, "old"},
                                          {now - 10 * kDayMs, "older than retention"},
                                          {now - 1000, "ok"},
                                          {now + kMaxEventFutureMs, "just ok"},
                                          {now + 3 * 3600 * 1000, "new"}};
    const BatchVerdict plain = judge_batch(events, now, std::nullopt);
    CHECK(plain.too_old_end == 1);
    CHECK(plain.too_new_start == 4);
    CHECK_FALSE(plain.expired_end);
    CHECK(plain.first_accepted == 1);
    CHECK(plain.end_accepted == 4);
    const BatchVerdict retained = judge_batch(events, now, 7);
    CHECK(retained.expired_end == 2);
    CHECK(retained.first_accepted == 2);
    const BatchVerdict fine = judge_batch({{now, "a"}}, now, 1);
    CHECK_FALSE(fine.too_old_end);
    CHECK_FALSE(fine.too_new_start);
    CHECK(fine.first_accepted == 0);
    CHECK(fine.end_accepted == 1);
}
