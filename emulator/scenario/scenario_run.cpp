#include "emulator/scenario/scenario_run.hpp"

#include <cstdio>

namespace awsemu::scenario {
namespace {

std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", seconds);
    return text;
}

std::string milliseconds_text(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f ms", value);
    return text;
}

double seconds_of(Duration duration) {
    return std::chrono::duration<double>(duration).count();
}

}  // namespace

ScenarioRun::ScenarioRun(ScenarioDefinition scenario, std::string url, HttpClient& http,
                         Scheduler& scheduler, const Clock& clock, ZoneOutages& zones,
                         ApiFaults& faults, Progress progress)
    : scenario_(std::move(scenario)),
      url_(std::move(url)),
      http_(http),
      scheduler_(scheduler),
      clock_(clock),
      zones_(zones),
      faults_(faults),
      progress_(std::move(progress)) {}

void ScenarioRun::start(Done done) {
    done_ = std::move(done);
    started_ = clock_.now();
    const std::size_t total = request_count(scenario_);
    outcomes_.resize(total);
    answered_.resize(total);
    sent_.resize(total);
    const std::size_t faults = scenario_.faults.size();
    progress_("scenario " + scenario_.name + ": " + std::to_string(total) + " " + scenario_.method +
              " " + url_ + " over " + seconds_text(seconds_of(scenario_.duration)) + ", " +
              std::to_string(faults) + (faults == 1 ? " fault" : " faults"));
    for (const auto& fault : scenario_.faults) {
        scheduler_.at(started_ + fault.at,
                      [self = shared_from_this(), fault] { self->inject(fault); });
    }
    scheduler_.at(started_ + scenario_.duration, [self = shared_from_this()] {
        self->load_over_ = true;
        self->finish_if_done();
    });
    // Answers that never come (an address that swallows packets) count as failed, not as a
    // scenario that never ends.
    scheduler_.at(started_ + scenario_.duration + kRequestTimeout + std::chrono::seconds(5),
                  [self = shared_from_this()] {
                      if (self->done_) {
                          self->finish();
                      }
                  });
    if (total > 0) {
        send(0);
    }
}

void ScenarioRun::inject(const Fault& fault) {
    const std::string when = "fault at " + seconds_text(seconds_of(fault.at)) + ": ";
    if (fault.action == "add_fault") {
        progress_(when + "added " +
                  describe_fault(faults_.add(ApiFaultRule::from_json(fault.api_fault)).to_json()));
    } else if (fault.action == "clear_faults") {
        faults_.clear();
        progress_(when + "API faults cleared");
    } else {
        const bool lose = fault.action == "lose_zone";
        const bool changed = lose ? zones_.lose(fault.zone) : zones_.restore(fault.zone);
        progress_(when + fault.zone + (lose ? " lost" : " restored") +
                  (changed ? "" : " (it already was)"));
    }
}

void ScenarioRun::send(std::size_t index) {
    const auto interval = std::chrono::duration_cast<Duration>(
        std::chrono::duration<double>(1.0 / scenario_.requests_per_second));
    if (index + 1 < outcomes_.size()) {
        scheduler_.at(started_ + interval * static_cast<long>(index + 1),
                      [self = shared_from_this(), index] { self->send(index + 1); });
    }
    sent_[index] = std::chrono::steady_clock::now();
    outcomes_[index].sent_at =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - started_);
    OutgoingRequest request;
    request.method = scenario_.method;
    request.url = url_;
    request.timeout = kRequestTimeout;
    // The answer is counted as the scheduler's work, beside the run's other steps.
    http_.send(std::move(request), [self = shared_from_this(), index](OutgoingResult result) {
        self->scheduler_.post(
            [self, index, status = result.status] { self->answered(index, status); });
    });
}

void ScenarioRun::answered(std::size_t index, int status) {
    if (!done_ || answered_[index]) {
        return;  // after the verdict, or twice
    }
    answered_[index] = true;
    outcomes_[index].status = status;
    outcomes_[index].latency = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - sent_[index]);
    ++answers_;
    finish_if_done();
}

void ScenarioRun::finish_if_done() {
    if (done_ && load_over_ && answers_ == outcomes_.size()) {
        finish();
    }
}

void ScenarioRun::finish() {
    const LoadReport report = summarize(
        outcomes_, std::chrono::duration_cast<std::chrono::milliseconds>(scenario_.duration));
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
