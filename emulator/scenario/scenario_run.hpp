#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "emulator/chaos/zone_outages.hpp"
#include "emulator/http/http_client.hpp"
#include "emulator/runtime/scheduler.hpp"
#include "emulator/scenario/load_report.hpp"
#include "emulator/scenario/scenario_definition.hpp"

// Runs a scenario once its stack is up: sends the load at its rate on the scheduler's timers
// (never a sleeping thread), injects the faults at their moments, and once the last answer is
// in, reports what the load met and whether the scenario's expectations held.
namespace awsemu::scenario {

class ScenarioRun : public std::enable_shared_from_this<ScenarioRun> {
  public:
    using Progress = std::function<void(const std::string& line)>;
    using Done = std::function<void(bool held)>;

    ScenarioRun(ScenarioDefinition scenario, std::string url, HttpClient& http,
                Scheduler& scheduler, const Clock& clock, ZoneOutages& zones, Progress progress);

    void start(Done done);

  private:
    void send(std::size_t index);
    void answered(std::size_t index, int status);
    void finish_if_done();

    ScenarioDefinition scenario_;
    std::string url_;
    HttpClient& http_;
    Scheduler& scheduler_;
    const Clock& clock_;
    ZoneOutages& zones_;
    Progress progress_;
    Done done_;
    TimePoint started_;
    std::size_t total_ = 0;  // requests the load sends
    std::size_t answers_ = 0;
    std::vector<Outcome> outcomes_;
    std::vector<TimePoint> sent_;
};

}  // namespace awsemu::scenario
