#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/service.hpp"

// CloudWatch Logs' resources as plain structs, and the rules that need no storage: names,
// retention values, ARNs, PutLogEvents' batch limits and event windows.
namespace awsemu::logs {

inline constexpr std::int64_t kMaxBatchEvents = 10'000;
inline constexpr std::int64_t kMaxBatchBytes = 1'048'576;
inline constexpr std::int64_t kEventOverheadBytes = 26;
inline constexpr std::int64_t kMaxEventBytes = 1'048'576 - kEventOverheadBytes;
inline constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;
inline constexpr std::int64_t kMaxEventAgeMs = 14 * kDayMs;
inline constexpr std::int64_t kMaxEventFutureMs = 2LL * 60 * 60 * 1000;
inline constexpr std::int64_t kMaxBatchSpanMs = kDayMs;

struct LogGroup {
    std::string name;
    std::int64_t created_ms = 0;
    std::optional<std::int64_t> retention_days;
    std::optional<std::string> kms_key_id;
    std::string log_group_class = "STANDARD";
    std::int64_t stored_bytes = 0;
};

struct LogStream {
    std::string name;
    std::int64_t created_ms = 0;
    std::optional<std::int64_t> first_event_ms;
    std::optional<std::int64_t> last_event_ms;
    std::optional<std::int64_t> last_ingestion_ms;
    std::int64_t last_sequence = 0;  // the id of the stream's newest event, 0 without events
};

struct LogEvent {
    std::int64_t id = 0;  // ascending in ingestion order, unique in the database
    std::string stream;
    std::int64_t timestamp_ms = 0;
    std::int64_t ingestion_ms = 0;
    std::string message;
};

struct NewEvent {
    std::int64_t timestamp_ms = 0;
    std::string message;
};

// An ARN of a log group: the one without ":*" (logGroupArn, tagging) and with it (arn).
std::string log_group_arn(const Scope& scope, std::string_view group);
std::string log_group_star_arn(const Scope& scope, std::string_view group);
std::string log_stream_arn(const Scope& scope, std::string_view group, std::string_view stream);
// The group an ARN of this scope names ("arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]");
// nullopt for anything else.
std::optional<std::string> group_from_arn(const Scope& scope, std::string_view arn);

// uploadSequenceToken / nextSequenceToken: a 56-digit number, as AWS's look, that grows with
// the stream's newest event. PutLogEvents ignores the token a client sends back.
std::string upload_sequence_token(std::int64_t sequence);

// InvalidParameterException, AWS's "1 validation error detected: ..." wording, when violated.
void validate_group_name(std::string_view name, std::string_view member = "logGroupName");
void validate_stream_name(std::string_view name, std::string_view member = "logStreamName");
void validate_retention(std::int64_t days);
void validate_limit(std::int64_t limit, std::int64_t max, std::string_view member = "limit");
void validate_tags(const std::vector<std::pair<std::string, std::string>>& tags);

// How PutLogEvents takes a batch (already checked for size and order): the events outside
// [first_accepted, end_accepted) are rejected, as rejectedLogEventsInfo reports them.
struct BatchVerdict {
    std::size_t first_accepted = 0;
    std::size_t end_accepted = 0;
    std::optional<std::int64_t> too_old_end;    // exclusive
    std::optional<std::int64_t> too_new_start;  // inclusive
    std::optional<std::int64_t> expired_end;    // exclusive
};
// Throws InvalidParameterException for an oversized batch, an event too large, events out of
// chronological order or a batch spanning more than 24 hours.
void check_batch(const std::vector<NewEvent>& events);
BatchVerdict judge_batch(const std::vector<NewEvent>& events, std::int64_t now_ms,
                         std::optional<std::int64_t> retention_days);

}  // namespace awsemu::logs
