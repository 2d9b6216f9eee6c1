#include "emulator/runtime/time_format.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace awsemu {
namespace {

std::string format(TimePoint time, bool with_millis) {
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
    const auto seconds = static_cast<std::time_t>(std::floor(static_cast<double>(millis) / 1000.0));
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[40];
    const auto length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
    if (with_millis) {
        std::snprintf(buffer + length, sizeof buffer - length, ".%03dZ",
                      static_cast<int>(millis - static_cast<long long>(seconds) * 1000));
    } else {
        std::snprintf(buffer + length, sizeof buffer - length, "Z");
    }
    return buffer;
}

}  // namespace

std::string format_iso8601_millis(TimePoint time) {
    return format(time, true);
}

std::string format_iso8601(TimePoint time) {
    return format(time, false);
}

double epoch_seconds(TimePoint time) {
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
    return static_cast<double>(millis) / 1000.0;
}

TimePoint from_epoch_seconds(double seconds) {
    return TimePoint(std::chrono::milliseconds(std::llround(seconds * 1000.0)));
}

std::int64_t to_epoch_ms(TimePoint time) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

TimePoint from_epoch_ms(std::int64_t ms) {
    return TimePoint(std::chrono::duration_cast<Duration>(std::chrono::milliseconds(ms)));
}

std::string format_http_date(TimePoint time) {
    const auto seconds = std::chrono::system_clock::to_time_t(
        std::chrono::time_point_cast<std::chrono::seconds>(time));
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[40];
    std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    return buffer;
}

std::optional<TimePoint> parse_http_date(std::string_view text) {
    std::tm utc{};
    const std::string copy(text);
    const char* end = strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
    if (end == nullptr || *end != '\0') {
        return std::nullopt;
    }
    return std::chrono::system_clock::from_time_t(timegm(&utc));
}

std::optional<TimePoint> parse_iso8601(std::string_view text) {
    std::tm utc{};
    const std::string copy(text);
    const char* end = strptime(copy.c_str(), "%Y-%m-%dT%H:%M:%S", &utc);
    if (end == nullptr) {
        return std::nullopt;
    }
    std::string_view rest(end);
    if (rest.starts_with('.')) {
        rest.remove_prefix(1);
        const auto digits = rest.find_first_not_of("0123456789");
        if (digits == 0 || digits == std::string_view::npos) {
            return std::nullopt;
        }
        rest.remove_prefix(digits);
    }
    if (rest != "Z" && rest != "+00:00") {
        return std::nullopt;
    }
    return std::chrono::system_clock::from_time_t(timegm(&utc));
}

}  // namespace awsemu
