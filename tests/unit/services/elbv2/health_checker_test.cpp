#include "services/elbv2/health_checker.hpp"

#include <set>

#include <catch2/catch.hpp>

#include "emulator/runtime/manual_scheduler.hpp"
#include "tests/unit/fake_http_client.hpp"

using namespace awsemu;
using namespace awsemu::elbv2;
using awsemu::testing::FakeHttpClient;

namespace {

const Scope kScope{"123456789012", "us-east-1"};
const std::string kGroup =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef";

struct CheckerFixture {
    ManualClock clock;
    ManualScheduler scheduler{clock};
    FakeHttpClient http;
    int verdict_changes = 0;
    std::shared_ptr<HealthChecker> checker =
        std::make_shared<HealthChecker>(scheduler, clock, http, [this] { ++verdict_changes; });

    static CheckedTarget target(HealthCheckSettings settings = {}) {
        return {kScope, kGroup, "127.31.16.9", 8080, "127.31.16.9", std::move(settings)};
    }
    std::string state() const {
        const auto health = checker->checked_health(kScope, kGroup, "127.31.16.9", 8080);
        return health ? health->state : "none";
    }
    std::string reason() const {
        const auto health = checker->checked_health(kScope, kGroup, "127.31.16.9", 8080);
        return health ? health->reason : "none";
    }
    // Answers the latest check and moves to the next.
    void answer_and_wait(OutgoingResult result, int interval_seconds = 30) {
        http.answer(http.sent.size() - 1, std::move(result));
        scheduler.advance(std::chrono::seconds(interval_seconds));
    }
};

}  // namespace

TEST_CASE("Health checks: a target in a zone that is down times out without being asked",
          "[elbv2][health]") {
    CheckerFixture f;
    std::set<std::string> down;
    f.checker->zone_available = [&down](const std::string& zone) { return !down.contains(zone); };
    HealthCheckSettings settings;
    settings.timeout_seconds = 5;
    settings.unhealthy_threshold = 2;
    auto target = CheckerFixture::target(settings);
    target.zone = "us-east-1a";
    f.checker->track({target});
    REQUIRE(f.http.sent.size() == 1);
    f.answer_and_wait({200, {}});
    REQUIRE(f.state() == "healthy");

    // At 30 s; the next checks go nowhere and time out 5 s after they start.
    down.insert("us-east-1a");
    const std::size_t asked = f.http.sent.size();
    f.scheduler.advance(std::chrono::seconds(4));
    CHECK(f.state() == "healthy");
    f.scheduler.advance(std::chrono::seconds(62));
    CHECK(f.state() == "unhealthy");
    CHECK(f.reason() == "Target.Timeout");
    CHECK(f.http.sent.size() == asked);  // nothing was sent to it

    // Back up: checks reach it again.
    down.clear();
    f.scheduler.advance(std::chrono::seconds(30));
    CHECK(f.http.sent.size() == asked + 1);
}

TEST_CASE("Health checks: matchers accept codes, lists and ranges", "[elbv2][health]") {
    CHECK(http_code_matches("200", 200));
    CHECK_FALSE(http_code_matches("200", 201));
    CHECK(http_code_matches("200,202", 202));
    CHECK(http_code_matches("200-299", 204));
    CHECK_FALSE(http_code_matches("200-299", 302));
    CHECK(http_code_matches("200,300-399", 302));
    CHECK_FALSE(http_code_matches("", 200));
}

TEST_CASE("Health checks: settings come from the target group's document", "[elbv2][health]") {
    const auto settings =
        HealthCheckSettings::of_target_group({{"HealthCheckProtocol", "HTTP"},
                                              {"HealthCheckPort", "9000"},
                                              {"HealthCheckPath", "/ping"},
                                              {"HealthCheckIntervalSeconds", 10},
                                              {"HealthCheckTimeoutSeconds", 3},
                                              {"HealthyThresholdCount", 3},
                                              {"UnhealthyThresholdCount", 4},
                                              {"Matcher", {{"HttpCode", "200-204"}}}});
    CHECK(settings.port == "9000");
    CHECK(settings.path == "/ping");
    CHECK(settings.interval_seconds == 10);
    CHECK(settings.timeout_seconds == 3);
    CHECK(settings.healthy_threshold == 3);
    CHECK(settings.unhealthy_threshold == 4);
    CHECK(settings.matcher == "200-204");
}

TEST_CASE("Health checks: a new target is healthy after one passing check", "[elbv2][health]") {
    CheckerFixture f;
    HealthCheckSettings settings;
    settings.path = "/health";
    f.checker->track({CheckerFixture::target(settings)});
    REQUIRE(f.http.sent.size() == 1);
    CHECK(f.http.sent[0].request.url == "http://127.31.16.9:8080/health");
    CHECK(f.http.sent[0].request.method == "GET");
    CHECK(f.http.sent[0].request.headers.get("User-Agent") == "ELB-HealthChecker/2.0");
    CHECK(f.state() == "none");
    f.answer_and_wait({200, {}});
    CHECK(f.state() == "healthy");
    CHECK(f.verdict_changes == 1);
    // The next check went out an interval later.
    CHECK(f.http.sent.size() == 2);
}

TEST_CASE("Health checks: failures reach the unhealthy threshold, passes the healthy one",
          "[elbv2][health]") {
    CheckerFixture f;
    HealthCheckSettings settings;
    settings.healthy_threshold = 3;
    settings.unhealthy_threshold = 2;
    f.checker->track({CheckerFixture::target(settings)});
    f.answer_and_wait({200, {}});
    REQUIRE(f.state() == "healthy");

    f.answer_and_wait({500, {}});
    CHECK(f.state() == "healthy");  // one failure is below the threshold
    f.answer_and_wait({500, {}});
    CHECK(f.state() == "unhealthy");
    CHECK(f.reason() == "Target.ResponseCodeMismatch");
    CHECK(f.checker->checked_health(kScope, kGroup, "127.31.16.9", 8080)->description ==
          "Health checks failed with these codes: [500]");

    f.answer_and_wait({200, {}});
    f.answer_and_wait({200, {}});
    CHECK(f.state() == "unhealthy");  // two of the three passes needed
    f.answer_and_wait({200, {}});
    CHECK(f.state() == "healthy");
    CHECK(f.verdict_changes == 3);
}

TEST_CASE("Health checks: timeouts and refused connections have their reasons", "[elbv2][health]") {
    CheckerFixture f;
    f.checker->track({CheckerFixture::target()});
    f.answer_and_wait({0, "timed out", true});
    CHECK(f.state() == "none");  // a new target stays initial below the threshold
    f.answer_and_wait({0, "timed out", true});
    CHECK(f.state() == "unhealthy");
    CHECK(f.reason() == "Target.Timeout");
    f.answer_and_wait({0, "Connection refused", false});
    CHECK(f.reason() == "Target.FailedHealthChecks");
}

TEST_CASE("Health checks: a check's interval is its own, however slow the answer",
          "[elbv2][health]") {
    CheckerFixture f;
    HealthCheckSettings settings;
    settings.interval_seconds = 10;
    settings.timeout_seconds = 5;
    f.checker->track({CheckerFixture::target(settings)});
    f.scheduler.advance(std::chrono::seconds(10));
    CHECK(f.http.sent.size() == 2);  // the first was never answered
    // The timeout is the emulated one in real time.
    CHECK(f.http.sent[0].request.timeout == std::chrono::milliseconds(5000));
}

TEST_CASE("Health checks: untracked targets stop, changed settings start afresh",
          "[elbv2][health]") {
    CheckerFixture f;
    f.checker->track({CheckerFixture::target()});
    f.answer_and_wait({200, {}});
    REQUIRE(f.state() == "healthy");

    HealthCheckSettings other;
    other.path = "/other";
    f.checker->track({CheckerFixture::target(other)});
    CHECK(f.state() == "none");
    CHECK(f.http.sent.back().request.url == "http://127.31.16.9:8080/other");
    // An answer to a check of the old settings counts for nothing.
    f.http.answer(1, 500);
    CHECK(f.state() == "none");

    f.checker->track({});
    const auto sent = f.http.sent.size();
    f.scheduler.advance(std::chrono::minutes(5));
    CHECK(f.http.sent.size() == sent);
    CHECK(f.state() == "none");
}

TEST_CASE("Health checks: a health check port other than the traffic port", "[elbv2][health]") {
    CheckerFixture f;
    HealthCheckSettings settings;
    settings.port = "9090";
    settings.protocol = "HTTPS";
    f.checker->track({CheckerFixture::target(settings)});
    CHECK(f.http.sent.at(0).request.url == "https://127.31.16.9:9090/");
}
