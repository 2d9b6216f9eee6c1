#pragma once

#include <chrono>
#include <mutex>

namespace awsemu {

using TimePoint = std::chrono::system_clock::time_point;
using Duration = std::chrono::system_clock::duration;

// The one clock every AWS timing rule reads (visibility timeouts, recovery windows, health-check
// intervals, ...). Emulated time may run faster than real time (--time-scale).
class Clock {
  public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    // How long a wait of `emulated` lasts in real time, for timers.
    virtual Duration to_real(Duration emulated) const = 0;
};

// Wall-clock time; with time_scale 0.1 every emulated interval passes ten times faster, so the
// clock runs ahead of the wall clock from the moment the server started.
class ScaledSystemClock final : public Clock {
  public:
    explicit ScaledSystemClock(double time_scale);
    TimePoint now() const override;
    Duration to_real(Duration emulated) const override;

  private:
    double time_scale_;
    TimePoint real_start_;
};

// A clock that moves only when told to: for unit tests.
class ManualClock final : public Clock {
  public:
    explicit ManualClock(TimePoint start = TimePoint(std::chrono::seconds(1'700'000'000)))
        : now_(start) {}
    TimePoint now() const override {
        std::lock_guard lock(mutex_);
        return now_;
    }
    Duration to_real(Duration emulated) const override { return emulated; }
    void advance(Duration by) {
        std::lock_guard lock(mutex_);
        now_ += by;
    }

  private:
    mutable std::mutex mutex_;
    TimePoint now_;
};

}  // namespace awsemu
