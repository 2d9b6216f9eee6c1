#include "emulator/request_log.hpp"

#include "emulator/runtime/time_format.hpp"

#include <string>

#include <nlohmann/json.hpp>

namespace awsemu {

void Logger::request(const RequestLogEntry& entry) {
    const auto now = format_iso8601_millis(std::chrono::system_clock::now());
    const double millis = std::chrono::duration<double, std::milli>(entry.duration).count();
    if (format_ == LogFormat::Json) {
        const nlohmann::json line = {{"time", now},
                                     {"service", entry.service},
                                     {"operation", entry.operation},
                                     {"status", entry.status},
                                     {"duration_ms", millis},
                                     {"request_id", entry.request_id}};
        write(line.dump() + "\n");
        return;
    }
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.2fms", millis);
    write(now + " " + std::string(entry.service) + " " + std::string(entry.operation) + " " +
          std::to_string(entry.status) + " " + duration + " " + std::string(entry.request_id) +
          "\n");
}

void Logger::info(std::string_view text) {
    message("info", text);
}

void Logger::error(std::string_view text) {
    message("error", text);
}

void Logger::message(std::string_view level, std::string_view text) {
    const auto now = format_iso8601_millis(std::chrono::system_clock::now());
    if (format_ == LogFormat::Json) {
        const nlohmann::json line = {{"time", now}, {"level", level}, {"message", text}};
        write(line.dump() + "\n");
        return;
    }
    write(now + " " + std::string(level) + " " + std::string(text) + "\n");
}

void Logger::write(const std::string& line) {
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fflush(out_);
}

}  // namespace awsemu
