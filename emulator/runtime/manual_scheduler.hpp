#pragma once

#include <map>
#include <utility>
#include <vector>

#include "emulator/runtime/scheduler.hpp"

namespace awsemu {

// A scheduler for unit tests: nothing runs until the test says so. advance() moves the manual
// clock and runs, in time order, the work that came due, each at its own moment.
class ManualScheduler final : public Scheduler {
  public:
    explicit ManualScheduler(ManualClock& clock) : clock_(clock) {}

    TimerId at(TimePoint when, std::function<void()> work) override;
    void cancel(TimerId id) override;
    void post(std::function<void()> work) override;

    // Runs the posted work (and whatever it posts in turn) and the timers already due.
    void run_ready();
    void advance(Duration by);
    std::size_t pending_timers() const { return timers_.size(); }

    // Called after each piece of work this runs: tests check invariants at every step.
    std::function<void()> after_each;

  private:
    ManualClock& clock_;
    TimerId next_id_ = 0;
    std::map<std::pair<TimePoint, TimerId>, std::function<void()>> timers_;
    std::vector<std::function<void()>> posted_;
};

}  // namespace awsemu
