#pragma once

#include <cstdint>
#include <functional>

#include "emulator/runtime/clock.hpp"

namespace awsemu {

// Runs work later on the server's event loop: at a moment of the emulated clock (visibility
// and delay expiries, long-poll deadlines, move-task steps) or as soon as the current request
// is done (waking long polls after a send commits). Never blocks a thread while it waits.
class Scheduler {
  public:
    using TimerId = std::uint64_t;

    virtual ~Scheduler() = default;
    // Runs `work` once the clock reaches `when` (at once when it already has).
    virtual TimerId at(TimePoint when, std::function<void()> work) = 0;
    // Forgets a timer; harmless when it already ran or was cancelled.
    virtual void cancel(TimerId id) = 0;
    // Runs `work` soon, after whatever is running now.
    virtual void post(std::function<void()> work) = 0;
};

}  // namespace awsemu
