#include "emulator/request_log.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "emulator/runtime/time_format.hpp"

namespace awsemu {
namespace {

constexpr std::size_t kFlushThreshold = 64 * 1024;

}  // namespace

void Logger::append_timestamp(std::string& line) {
    const auto now = std::chrono::system_clock::now();
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    const long long second = millis / 1000;
    if (second != cached_second_) {
        cached_second_ = second;
        const std::string full = format_iso8601(TimePoint(std::chrono::seconds(second)));
        cached_prefix_ = full.substr(0, full.size() - 1);  // without the 'Z'
    }
    // By hand: snprintf costs as much as the rest of the request line.
    const auto fraction = static_cast<int>(millis % 1000);
    const char tail[] = {'.', static_cast<char>('0' + fraction / 100),
                         static_cast<char>('0' + fraction / 10 % 10),
                         static_cast<char>('0' + fraction % 10), 'Z'};
    line += cached_prefix_;
    line.append(tail, sizeof tail);
}

void Logger::request(const RequestLogEntry& entry) {
    const double millis = std::chrono::duration<double, std::milli>(entry.duration).count();
    std::lock_guard lock(mutex_);
    std::string line;
    line.reserve(160);
    append_timestamp(line);
    if (format_ == LogFormat::Json) {
        const nlohmann::json fields = {
            {"time", line},           {"service", entry.service}, {"operation", entry.operation},
            {"status", entry.status}, {"duration_ms", millis},    {"request_id", entry.request_id}};
        buffer_ += fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
        char numbers[48];
        char* end = numbers;
        *end++ = ' ';
        end = std::to_chars(end, numbers + sizeof numbers, entry.status).ptr;
        *end++ = ' ';
        end = std::to_chars(end, numbers + sizeof numbers - 4, millis, std::chars_format::fixed, 2)
                  .ptr;
        line += ' ';
        line += entry.service;
        line += ' ';
        line += entry.operation;
        line.append(numbers, end);
        line += "ms ";
        line += entry.request_id;
        buffer_ += line;
    }
    buffer_ += '\n';
    if (buffer_.size() >= kFlushThreshold) {
        write_locked("");
    }
}

void Logger::info(std::string_view text) {
    message("info", text);
}

void Logger::error(std::string_view text) {
    message("error", text);
}

void Logger::message(std::string_view level, std::string_view text) {
    std::lock_guard lock(mutex_);
    std::string line;
    append_timestamp(line);
    if (format_ == LogFormat::Json) {
        line = nlohmann::json{{"time", line}, {"level", level}, {"message", text}}.dump(
            -1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
        line += ' ';
        line += level;
        line += ' ';
        line += text;
    }
    write_locked(line + "\n");
}

void Logger::flush() {
    std::lock_guard lock(mutex_);
    write_locked("");
}

void Logger::write_locked(const std::string& line) {
    buffer_ += line;
    if (!buffer_.empty()) {
        std::fwrite(buffer_.data(), 1, buffer_.size(), out_);
        std::fflush(out_);
        buffer_.clear();
    }
}

}  // namespace awsemu
