#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/runtime/clock.hpp"

namespace awsemu {

// "2026-11-22T02:40:00.123Z" (query protocol and XML timestamps, logs)
std::string format_iso8601_millis(TimePoint time);
// "2026-11-22T02:40:00Z"
std::string format_iso8601(TimePoint time);
// Seconds since the epoch with milliseconds, as AWS JSON protocols send timestamps.
double epoch_seconds(TimePoint time);
TimePoint from_epoch_seconds(double seconds);
// Milliseconds since the epoch: how stores keep times.
std::int64_t to_epoch_ms(TimePoint time);
TimePoint from_epoch_ms(std::int64_t ms);

}  // namespace awsemu
