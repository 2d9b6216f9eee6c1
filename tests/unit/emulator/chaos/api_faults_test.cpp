#include "emulator/chaos/api_faults.hpp"

#include <catch2/catch.hpp>

using namespace awsemu;
using nlohmann::json;

namespace {

ApiFaultRule rule(const json& in) {
    return ApiFaultRule::from_json(in);
}

}  // namespace

TEST_CASE("ApiFaults: a rule meets the calls of its service and operation", "[chaos][unit]") {
    ApiFaults faults;
    CHECK_FALSE(faults.any());
    faults.add(rule({{"service", "sqs"}, {"operation", "SendMessage"}, {"error", "Throttling"}}));
    CHECK(faults.any());
    CHECK_FALSE(faults.draw("sqs", "ReceiveMessage"));
    CHECK_FALSE(faults.draw("sns", "SendMessage"));
    const auto met = faults.draw("sqs", "SendMessage");
    REQUIRE(met);
    CHECK(met->id == "fault-1");
    // Until it is removed.
    CHECK(faults.draw("sqs", "SendMessage"));
    CHECK(faults.remove("fault-1"));
    CHECK_FALSE(faults.remove("fault-1"));
    CHECK_FALSE(faults.draw("sqs", "SendMessage"));
    CHECK_FALSE(faults.any());

    faults.add(rule({{"error", "InternalError"}}));  // any service, any operation
    CHECK(faults.draw("s3", "PutObject"));
    CHECK(faults.draw("secretsmanager", "GetSecretValue"));
    faults.clear();
    CHECK_FALSE(faults.any());
}

TEST_CASE("ApiFaults: a rule with a count meets that many calls, then is gone", "[chaos][unit]") {
    ApiFaults faults;
    faults.add(rule({{"service", "s3"}, {"error", "SlowDown"}, {"count", 2}}));
    CHECK(faults.draw("s3", "GetObject")->remaining == 1);
    CHECK(faults.draw("s3", "PutObject")->remaining == 0);
    CHECK_FALSE(faults.draw("s3", "PutObject"));
    CHECK(faults.rules().empty());
}

TEST_CASE("ApiFaults: a rule's probability is drawn for each call", "[chaos][unit]") {
    ApiFaults faults;
    faults.add(rule({{"error", "ThrottlingException"}, {"probability", 0.25}}));
    int met = 0;
    for (int i = 0; i < 4000; ++i) {
        met += faults.draw("sqs", "SendMessage") ? 1 : 0;
    }
    // 1,000 expected; the standard deviation is 27: this bound fails one run in many millions.
    CHECK(met > 800);
    CHECK(met < 1200);
}

TEST_CASE("ApiFaults: the first matching rule that fires is met", "[chaos][unit]") {
    ApiFaults faults;
    faults.add(rule({{"service", "sqs"}, {"operation", "SendMessage"}, {"latency_ms", 100}}));
    faults.add(rule({{"service", "sqs"}, {"error", "ServiceUnavailable"}}));
    CHECK(faults.draw("sqs", "SendMessage")->id == "fault-1");
    CHECK(faults.draw("sqs", "PurgeQueue")->id == "fault-2");
}

TEST_CASE("ApiFaultRule: its error's status follows the code unless given", "[chaos][unit]") {
    const auto status_of = [](const json& in) { return rule(in).error().spec().http_status; };
    CHECK(status_of({{"error", "ThrottlingException"}}) == 400);
    CHECK(status_of({{"error", "InternalError"}}) == 500);
    CHECK(status_of({{"error", "InternalFailure"}}) == 500);
    CHECK(status_of({{"error", "ServiceUnavailable"}}) == 503);
    CHECK(status_of({{"error", "SlowDown"}}) == 503);
    CHECK(status_of({{"error", "RequestLimitExceeded"}}) == 503);
    CHECK(status_of({{"error", "RequestLimitExceeded"}, {"status", 429}}) == 429);
    const auto error = rule({{"error", "InternalError"}, {"message", "boom"}}).error();
    CHECK(error.spec().code == "InternalError");
    CHECK(error.spec().fault == Fault::Receiver);
    CHECK(std::string(error.what()) == "boom");
    CHECK(rule({{"error", "Throttling"}}).error().spec().fault == Fault::Sender);
}
