#include "emulator/scenario/scenario_run.hpp"

#include <algorithm>

#include <catch2/catch.hpp>

#include "emulator/runtime/manual_scheduler.hpp"
#include "tests/unit/fake_http_client.hpp"

using namespace awsemu;
using namespace awsemu::scenario;
using awsemu::testing::FakeHttpClient;
using namespace std::chrono_literals;

namespace {

struct Fixture {
    ManualClock clock;
    ManualScheduler scheduler{clock};
    FakeHttpClient http;
    ZoneOutages zones;
    ApiFaults faults;
    std::vector<std::string> lines;
    std::optional<bool> held;

    std::shared_ptr<ScenarioRun> start(const std::string& text) {
        auto run = std::make_shared<ScenarioRun>(
            parse_scenario(text, "s.json", "/d"), "http://127.0.0.1:9/x", http, scheduler, clock,
            zones, faults, [this](const std::string& line) { lines.push_back(line); });
        run->start([this](bool result) { held = result; });
        scheduler.run_ready();
        return run;
    }
    // Answers every request sent and not answered yet with `status`.
    void answer_all(int status) {
        for (std::size_t i = 0; i < http.sent.size(); ++i) {
            if (!http.sent[i].answered) {
                http.answer(i, status);
            }
        }
        scheduler.run_ready();
    }
    bool said(const std::string& line) const {
        return std::find(lines.begin(), lines.end(), line) != lines.end();
    }
    bool said_starting(const std::string& start) const {
        return std::any_of(lines.begin(), lines.end(),
                           [&](const std::string& line) { return line.starts_with(start); });
    }
};

const std::string kScenario = R"({"name": "s", "stack": "x.json", "duration_seconds": 2,
    "load": {"method": "POST", "url": "u", "requests_per_second": 10},
    "faults": [{"at_seconds": 0.5, "lose_zone": "us-east-1a"},
               {"at_seconds": 1.5, "restore_zone": "us-east-1a"}],
    "expect": {"max_error_rate": 0.2, "max_outage_seconds": 0.25}})";

}  // namespace

TEST_CASE("Scenario run sends the load at its rate, injects faults on time and judges",
          "[scenario][unit]") {
    Fixture f;
    f.start(kScenario);
    REQUIRE(f.http.sent.size() == 1);
    CHECK(f.http.sent[0].request.method == "POST");
    CHECK(f.http.sent[0].request.url == "http://127.0.0.1:9/x");
    CHECK(f.said("scenario s: 20 POST http://127.0.0.1:9/x over 2.0 s, 2 faults"));
    f.answer_all(201);
    f.scheduler.advance(400ms);
    CHECK(f.http.sent.size() == 5);
    CHECK(f.zones.available("us-east-1a"));
    f.answer_all(201);
    f.scheduler.advance(100ms);
    CHECK_FALSE(f.zones.available("us-east-1a"));
    CHECK(f.said("fault at 0.5 s: us-east-1a lost"));
    // Two requests fail while the zone is lost (0.5 s and 0.6 s), then all succeed.
    f.answer_all(503);
    f.scheduler.advance(100ms);
    f.answer_all(0);
    for (int i = 0; i < 13; ++i) {
        f.scheduler.advance(100ms);
        f.answer_all(200);
    }
    CHECK(f.zones.available("us-east-1a"));
    CHECK(f.said("fault at 1.5 s: us-east-1a restored"));
    CHECK(f.http.sent.size() == 20);
    CHECK_FALSE(f.held.has_value());  // the load's time is not over yet
    f.scheduler.advance(100ms);
    REQUIRE(f.held.has_value());
    CHECK(*f.held == true);
    CHECK(f.said_starting("scenario s: 20 requests, 2 failed, p50 "));  // latency: wall time
    CHECK(f.said("  failed with 503: 1"));
    CHECK(f.said("  failed with no answer: 1"));
    CHECK(f.said("  error rate 0.1 <= 0.2: met"));
    CHECK(f.said("  longest outage 0.2 s <= 0.25 s: met"));
    CHECK(f.said("scenario s held"));
}

TEST_CASE("Scenario run gives up on answers that never come and counts them as failed",
          "[scenario][unit]") {
    Fixture f;
    f.start(kScenario);
    for (int i = 0; i < 20; ++i) {
        if (i != 7) {
            f.answer_all(200);
        } else {
            f.http.sent.back().answered = true;  // this one never answers
        }
        f.scheduler.advance(100ms);
    }
    f.answer_all(200);
    CHECK_FALSE(f.held.has_value());
    f.scheduler.advance(ScenarioRun::kRequestTimeout + 5s);
    REQUIRE(f.held.has_value());
    CHECK(*f.held == true);  // one failure in 20, an outage of 0.1 s: within bounds
    CHECK(f.said_starting("scenario s: 20 requests, 1 failed, "));
    CHECK(f.said("  failed with no answer: 1"));
    CHECK(f.said("scenario s held"));
}

TEST_CASE("Scenario run adds API faults on time and clears them", "[scenario][unit]") {
    Fixture f;
    f.start(R"({"name": "s", "stack": "x.json", "duration_seconds": 2,
        "load": {"url": "u", "requests_per_second": 1},
        "faults": [{"at_seconds": 0.5, "add_fault": {"service": "sns", "operation": "Publish",
                                                     "error": "ThrottlingException",
                                                     "probability": 0.5}},
                   {"at_seconds": 1.5, "clear_faults": true}]})");
    f.scheduler.advance(499ms);
    CHECK(f.faults.rules().empty());
    f.scheduler.advance(1ms);
    REQUIRE(f.faults.rules().size() == 1);
    CHECK(f.faults.rules()[0].service == "sns");
    CHECK(f.faults.rules()[0].probability == 0.5);
    CHECK(f.said_starting("fault at 0.5 s: added fault-"));
    CHECK(
        f.said_starting("fault at 0.5 s: added fault-1: sns Publish -> ThrottlingException "
                        "(400), probability 0.5"));
    f.scheduler.advance(1s);
    CHECK(f.faults.rules().empty());
    CHECK(f.said("fault at 1.5 s: API faults cleared"));
}
