#include "emulator/scenario/load_report.hpp"

#include <catch2/catch.hpp>

using namespace awsemu::scenario;
using std::chrono::microseconds;
using std::chrono::milliseconds;

namespace {

Outcome at(int ms, int status, int latency_us = 1000) {
    return Outcome{milliseconds(ms), status, microseconds(latency_us)};
}

}  // namespace

TEST_CASE("Load report counts failures, by answer, and the longest outage", "[scenario][unit]") {
    const auto report = summarize({at(0, 200), at(100, 503), at(200, 0), at(300, 201), at(400, 502),
                                   at(500, 404), at(600, 200), at(700, 500)},
                                  milliseconds(750));
    CHECK(report.requests == 8);
    CHECK(report.failures == 4);  // 404 is the client's doing: not a failure
    CHECK(report.error_rate == Approx(0.5));
    // 100 ms to 300 ms (the next success); 400 to 500 (a 404 answered); 700 to the end, 750.
    CHECK(report.longest_outage_seconds == Approx(0.2));
    CHECK(report.failures_by_answer ==
          std::map<std::string, std::size_t>{{"500", 1}, {"502", 1}, {"503", 1}, {"no answer", 1}});
}

TEST_CASE("Load report latency percentiles are of the answers that succeeded", "[scenario][unit]") {
    std::vector<Outcome> outcomes;
    for (int i = 1; i <= 100; ++i) {
        outcomes.push_back(at(i * 10, 200, i * 1000));
    }
    outcomes.push_back(at(2000, 0, 5'000'000));  // a timeout is not a latency
    const auto report = summarize(outcomes, milliseconds(3000));
    CHECK(report.p50_ms == Approx(50.0));
    CHECK(report.p99_ms == Approx(99.0));
    CHECK(report.longest_outage_seconds == Approx(1.0));  // never recovered: to the load's end
}

TEST_CASE("Load report verdicts say met or MISSED for each expectation set", "[scenario][unit]") {
    LoadReport report;
    report.requests = 400;
    report.failures = 14;
    report.error_rate = 0.035;
    report.longest_outage_seconds = 0.7;
    Expectations expect;
    expect.max_error_rate = 0.05;
    expect.max_outage_seconds = 0.5;
    const auto verdicts = judge(report, expect);
    REQUIRE(verdicts.size() == 2);
    CHECK(verdicts[0].line == "error rate 0.035 <= 0.05: met");
    CHECK(verdicts[1].line == "longest outage 0.7 s <= 0.5 s: MISSED");
    CHECK(verdicts[0].met);
    CHECK_FALSE(verdicts[1].met);
    CHECK(judge(report, Expectations{}).empty());  // nothing expected, nothing judged
    CHECK(summarize({}, milliseconds(0)).error_rate == 0);
}
