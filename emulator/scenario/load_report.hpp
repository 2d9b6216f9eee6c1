#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "emulator/scenario/scenario_definition.hpp"

// What the load of a scenario met, and whether that is what the scenario expects.
namespace awsemu::scenario {

// One request of the load: when it was sent (since the load began), what came back (0: no
// answer) and how long it took.
struct Outcome {
    std::chrono::milliseconds sent_at{0};
    int status = 0;
    std::chrono::microseconds latency{0};
};

// A request fails when nothing answers or the answer is a server error.
inline bool failed(const Outcome& outcome) {
    return outcome.status == 0 || outcome.status >= 500;
}

struct LoadReport {
    std::size_t requests = 0;
    std::size_t failures = 0;
    double error_rate = 0;
    // The longest run of failed requests: from the first's sending to the sending of the
    // request that next succeeded (or to the end of the load, when none did).
    double longest_outage_seconds = 0;
    double p50_ms = 0;
    double p99_ms = 0;
    std::map<std::string, std::size_t> failures_by_answer;  // "503", "no answer"
};

// `outcomes` in the order the requests were sent; `load_end`: when the load's time ended.
LoadReport summarize(const std::vector<Outcome>& outcomes, std::chrono::milliseconds load_end);

struct Verdict {
    std::string line;  // "error rate 0.012 <= 0.05: met"
    bool met = false;
};

std::vector<Verdict> judge(const LoadReport& report, const Expectations& expect);

}  // namespace awsemu::scenario
