#include "emulator/scenario/scenario_run.hpp"

#include <cmath>
#include <cstdio>

namespace awsemu::scenario {
namespace {

// A request that gets no answer in this long counts as failed.
constexpr auto kRequestTimeout = std::chrono::seconds(5);

std::string seconds_text(std::chrono::milliseconds value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(value.count()) / 1000.0);
    return text;
}

std::string milliseconds_text(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f ms", value);
    return text;
}

}  // namespace

ScenarioRun::ScenarioRun(ScenarioDefinition scenario, std::string url, HttpClient& http,
                         Scheduler& scheduler, const Clock& clock, ZoneOutages& zones,
                         Progress progress)
    : scenario_(std::move(scenario)),
      url_(std::move(url)),
      http_(http),
      scheduler_(scheduler),
      clock_(clock),
      zones_(zones),
      progress_(std::move(progress)) {}

void ScenarioRun::start(Done done) {
    done_ = std::move(done);
    started_ = clock_.now();
    const double seconds = std::chrono::duration<double>(scenario_.duration).count();
    total_ = static_cast<std::size_t>(std::floor(seconds * scenario_.requests_per_second));
    outcomes_.resize(total_);
    sent_.resize(total_);
    progress_("scenario " + scenario_.name + ": " + std::to_string(total_) + " " +
              scenario_.method + " " + url_ + " over " + std::to_string(static_cast<int>(seconds)) +
              " s, " + std::to_string(scenario_.faults.size()) + " faults");
    for (const auto& fault : scenario_.faults) {
        scheduler_.at(started_ + fault.at, [self = shared_from_this(), fault] {
            const bool lose = fault.action == "lose_zone";
            const bool changed =
                lose ? self->zones_.lose(fault.zone) : self->zones_.restore(fault.zone);
            self->progress_("fault at " + seconds_text(fault.at) + ": " + fault.zone +
                            (lose ? " lost" : " restored") + (changed ? "" : " (it already was)"));
        });
    }
    if (total_ == 0) {
        finish_if_done();
        return;
    }
    send(0);
}

void ScenarioRun::send(std::size_t index) {
    const auto interval = std::chrono::duration_cast<Duration>(
        std::chrono::duration<double>(1.0 / scenario_.requests_per_second));
    if (index + 1 < total_) {
        scheduler_.at(started_ + interval * static_cast<long>(index + 1),
                      [self = shared_from_this(), index] { self->send(index + 1); });
    }
    sent_[index] = clock_.now();
    outcomes_[index].sent_at =
        std::chrono::duration_cast<std::chrono::milliseconds>(sent_[index] - started_);
    OutgoingRequest request;
    request.method = scenario_.method;
    request.url = url_;
    request.timeout = kRequestTimeout;
    http_.send(std::move(request), [self = shared_from_this(), index](OutgoingResult result) {
        self->answered(index, result.status);
    });
}

void ScenarioRun::answered(std::size_t index, int status) {
    outcomes_[index].status = status;
    outcomes_[index].latency =
        std::chrono::duration_cast<std::chrono::microseconds>(clock_.now() - sent_[index]);
    ++answers_;
    finish_if_done();
}

void ScenarioRun::finish_if_done() {
    if (answers_ < total_ || !done_) {
        return;
    }
    const LoadReport report = summarize(outcomes_);
    progress_("scenario " + scenario_.name + ": " + std::to_string(report.requests) +
              " requests, " + std::to_string(report.failures) + " failed, p50 " +
              milliseconds_text(report.p50_ms) + ", p99 " + milliseconds_text(report.p99_ms));
    for (const auto& [answer, count] : report.failures_by_answer) {
        progress_("  failed with " + answer + ": " + std::to_string(count));
    }
    bool held = true;
    for (const auto& verdict : judge(report, scenario_.expect)) {
        progress_("  " + verdict.line);
        held = held && verdict.met;
    }
    progress_(std::string("scenario ") + scenario_.name + (held ? " held" : " did not hold"));
    auto done = std::move(done_);
    done_ = nullptr;
    done(held);
}

}  // namespace awsemu::scenario
