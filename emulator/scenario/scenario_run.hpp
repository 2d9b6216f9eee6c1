#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "emulator/chaos/api_faults.hpp"
#include "emulator/chaos/zone_outages.hpp"
#include "emulator/http/http_client.hpp"
#include "emulator/runtime/scheduler.hpp"
#include "emulator/scenario/load_report.hpp"
#include "emulator/scenario/scenario_definition.hpp"

// Runs a scenario once its stack is up: sends the load at its rate on the scheduler's timers
// (never a sleeping thread), injects the faults at their moments, and once the load's time is
// over and every answer is in (or given up on), reports what the load met and whether the
// scenario's expectations held. Everything it does runs on the event loop.
namespace awsemu::scenario {

class ScenarioRun : public std::enable_shared_from_this<ScenarioRun> {
  public:
    using Progress = std::function<void(const std::string& line)>;
    using Done = std::function<void(bool held)>;

    ScenarioRun(ScenarioDefinition scenario, std::string url, HttpClient& http,
                Scheduler& scheduler, const Clock& clock, ZoneOutages& zones, ApiFaults& faults,
                Progress progress);

    void start(Done done);

    // How long after the load's time a request may still answer before it counts as failed.
    static constexpr auto kRequestTimeout = std::chrono::seconds(5);

  private:
    void inject(const Fault& fault);
    void send(std::size_t index);
    void answered(std::size_t index, int status);
    void finish_if_done();
    void finish();

    ScenarioDefinition scenario_;
    std::string url_;
    HttpClient& http_;
    Scheduler& scheduler_;
    const Clock& clock_;
    ZoneOutages& zones_;
    ApiFaults& faults_;
    Progress progress_;
    Done done_;
    TimePoint started_;
    bool load_over_ = false;  // the load's time has passed
    std::size_t answers_ = 0;
    std::vector<Outcome> outcomes_;
    std::vector<bool> answered_;
    std::vector<std::chrono::steady_clock::time_point> sent_;  // latency is wall time
};

}  // namespace awsemu::scenario
