#include "emulator/scenario/load_report.hpp"

#include <algorithm>
#include <cstdio>

namespace awsemu::scenario {
namespace {

double percentile_ms(std::vector<std::chrono::microseconds> latencies, double fraction) {
    if (latencies.empty()) {
        return 0;
    }
    std::sort(latencies.begin(), latencies.end());
    const auto index =
        static_cast<std::size_t>(fraction * static_cast<double>(latencies.size() - 1));
    return static_cast<double>(latencies[index].count()) / 1000.0;
}

std::string number_text(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", value);
    return text;
}

}  // namespace

LoadReport summarize(const std::vector<Outcome>& outcomes, std::chrono::milliseconds load_end) {
    LoadReport report;
    report.requests = outcomes.size();
    std::vector<std::chrono::microseconds> latencies;
    bool in_outage = false;
    std::chrono::milliseconds outage_began{0};
    std::chrono::milliseconds last_failure{0};
    const auto close_outage = [&](std::chrono::milliseconds ended) {
        if (in_outage) {
            report.longest_outage_seconds =
                std::max(report.longest_outage_seconds,
                         std::chrono::duration<double>(ended - outage_began).count());
            in_outage = false;
        }
    };
    for (const auto& outcome : outcomes) {
        if (failed(outcome)) {
            ++report.failures;
            ++report.failures_by_answer[outcome.status == 0 ? "no answer"
                                                            : std::to_string(outcome.status)];
            if (!in_outage) {
                in_outage = true;
                outage_began = outcome.sent_at;
            }
            last_failure = outcome.sent_at;
        } else {
            close_outage(outcome.sent_at);
            latencies.push_back(outcome.latency);
        }
    }
    close_outage(std::max(load_end, last_failure));
    if (report.requests > 0) {
        report.error_rate =
            static_cast<double>(report.failures) / static_cast<double>(report.requests);
    }
    report.p50_ms = percentile_ms(latencies, 0.5);
    report.p99_ms = percentile_ms(latencies, 0.99);
    return report;
}

std::vector<Verdict> judge(const LoadReport& report, const Expectations& expect) {
    std::vector<Verdict> verdicts;
    const auto verdict = [&](const std::string& line, bool met) {
        verdicts.push_back({line + (met ? ": met" : ": MISSED"), met});
    };
    if (expect.max_error_rate) {
        verdict("error rate " + number_text(report.error_rate) +
                    " <= " + number_text(*expect.max_error_rate),
                report.error_rate <= *expect.max_error_rate);
    }
    if (expect.max_outage_seconds) {
        verdict("longest outage " + number_text(report.longest_outage_seconds) +
                    " s <= " + number_text(*expect.max_outage_seconds) + " s",
                report.longest_outage_seconds <= *expect.max_outage_seconds);
    }
    return verdicts;
}

}  // namespace awsemu::scenario
