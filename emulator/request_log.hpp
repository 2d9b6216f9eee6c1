#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string_view>

namespace awsemu {

enum class LogFormat { Text, Json };

struct RequestLogEntry {
    std::string_view service;
    std::string_view operation;
    int status;
    std::chrono::nanoseconds duration;
    std::string_view request_id;
};

// One line per request: time, service, operation, status, duration, request id; and the
// server's own messages.
class Logger {
  public:
    Logger(LogFormat format, std::FILE* out) : format_(format), out_(out) {}

    void request(const RequestLogEntry& entry);
    void info(std::string_view message);
    void error(std::string_view message);

  private:
    void message(std::string_view level, std::string_view text);
    void write(const std::string& line);

    LogFormat format_;
    std::FILE* out_;
    std::mutex mutex_;
};

}  // namespace awsemu
