#include "emulator/runtime/clock.hpp"

namespace awsemu {

ScaledSystemClock::ScaledSystemClock(double time_scale)
    : time_scale_(time_scale), real_start_(std::chrono::system_clock::now()) {}

TimePoint ScaledSystemClock::now() const {
    const auto real_now = std::chrono::system_clock::now();
    if (time_scale_ == 1.0) {
        return real_now;
    }
    const auto elapsed = std::chrono::duration<double>(real_now - real_start_).count();
    return real_start_ + std::chrono::duration_cast<Duration>(
                             std::chrono::duration<double>(elapsed / time_scale_));
}

Duration ScaledSystemClock::to_real(Duration emulated) const {
    return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(emulated) *
                                                time_scale_);
}

}  // namespace awsemu
