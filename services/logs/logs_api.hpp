#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/runtime/clock.hpp"
#include "emulator/service.hpp"
#include "emulator/store/database.hpp"

// The narrow interface other services use to write logs (ECS's awslogs driver shipping a
// task's stdout and stderr). Each call runs inside a transaction of its own (or the caller's,
// when one is open) and fails with the AwsError CloudWatch Logs would answer.
namespace awsemu::logs {

bool log_group_exists(Database& database, const Scope& scope, std::string_view group);

// CreateLogGroup, unless the group exists (awslogs-create-group).
void create_log_group_if_missing(Database& database, const Clock& clock, const Scope& scope,
                                 std::string_view group);

// CreateLogStream, unless the stream exists; throws ResourceNotFoundException when the group
// is missing.
void create_log_stream_if_missing(Database& database, const Clock& clock, const Scope& scope,
                                  std::string_view group, std::string_view stream);

struct LogLine {
    std::int64_t timestamp_ms;
    std::string message;
};

// Stores the lines as events of the stream, ingested now, in the order given: none of
// PutLogEvents' ordering, age or batch rules, and nothing is created. Throws
// ResourceNotFoundException when the group or the stream is missing.
void append_log_events(Database& database, const Clock& clock, const Scope& scope,
                       std::string_view group, std::string_view stream,
                       const std::vector<LogLine>& lines);

}  // namespace awsemu::logs
