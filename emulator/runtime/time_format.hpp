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
// "Sun, 22 Nov 2026 02:40:00 GMT" (HTTP dates: Last-Modified, Expires, If-Modified-Since)
std::string format_http_date(TimePoint time);
// Reads an HTTP date (RFC 1123 form); nullopt when it is not one.
std::optional<TimePoint> parse_http_date(std::string_view text);
// Reads "2026-11-22T02:40:00Z", with or without fractional seconds, 'Z' or "+00:00"; whole
// seconds only are kept. nullopt when it is not that shape.
std::optional<TimePoint> parse_iso8601(std::string_view text);
// Milliseconds since the epoch: how stores keep times.
std::int64_t to_epoch_ms(TimePoint time);
TimePoint from_epoch_ms(std::int64_t ms);

}  // namespace awsemu
