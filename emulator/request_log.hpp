#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
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
// server's own messages. Request lines are buffered and written by flush() (the server calls
// it a few times a second) so that a request costs no write(2); messages are written at once.
class Logger {
  public:
    Logger(LogFormat format, std::FILE* out) : format_(format), out_(out) {}
    ~Logger() { flush(); }

    void request(const RequestLogEntry& entry);
    void info(std::string_view message);
    void error(std::string_view message);
    void flush();

  private:
    void message(std::string_view level, std::string_view text);
    // "2026-11-22T02:40:00.123Z", formatting the date and time once per second.
    void append_timestamp(std::string& line);
    void write_locked(const std::string& line);

    LogFormat format_;
    std::FILE* out_;
    std::mutex mutex_;
    std::string buffer_;
    long long cached_second_ = -1;
    std::string cached_prefix_;
};

}  // namespace awsemu
