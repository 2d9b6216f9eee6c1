#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emulator/service.hpp"
#include "emulator/store/database.hpp"
#include "services/logs/logs_model.hpp"

namespace awsemu::logs {

// A place in a stream's (or group's) event order: events sort by (timestamp, id).
struct Position {
    std::int64_t timestamp_ms = 0;
    std::int64_t id = 0;
};

struct ScopedGroup {
    Scope scope;
    std::string name;
    std::int64_t retention_days = 0;
};

// All of CloudWatch Logs' SQL. Groups are keyed by (account_id, region, name), streams by their
// group and name, events by an ever-growing id and indexed by (group, stream, timestamp, id) for
// GetLogEvents and by (group, timestamp, id) for FilterLogEvents and retention. Callers run
// inside a transaction (the dispatcher's, or logs_api's own).
class LogsStore {
  public:
    explicit LogsStore(Database& database);

    std::optional<LogGroup> find_group(const Scope& scope, std::string_view name);
    // False when the group exists already.
    bool insert_group(const Scope& scope, const LogGroup& group);
    // Deletes the group with its streams, events and tags.
    void delete_group(const Scope& scope, std::string_view name);
    // Groups by name after `after` whose names start with `prefix`; at most `limit`.
    std::vector<LogGroup> list_groups(const Scope& scope, std::string_view after,
                                      std::string_view prefix, std::int64_t limit);
    void set_retention(const Scope& scope, std::string_view name, std::optional<std::int64_t> days);
    // Every group in every scope that has a retention policy.
    std::vector<ScopedGroup> groups_with_retention();

    std::vector<std::pair<std::string, std::string>> tags(const Scope& scope,
                                                          std::string_view group);
    void put_tag(const Scope& scope, std::string_view group, std::string_view key,
                 std::string_view value);
    void remove_tag(const Scope& scope, std::string_view group, std::string_view key);

    std::optional<LogStream> find_stream(const Scope& scope, std::string_view group,
                                         std::string_view name);
    bool insert_stream(const Scope& scope, std::string_view group, const LogStream& stream);
    void delete_stream(const Scope& scope, std::string_view group, std::string_view name);
    // By name, after `after` (before it when descending), starting with `prefix`.
    std::vector<LogStream> list_streams_by_name(const Scope& scope, std::string_view group,
                                                std::string_view prefix, std::string_view after,
                                                bool descending, std::int64_t limit);
    // By last event time (streams without events first), then name, after the key `after`.
    std::vector<LogStream> list_streams_by_time(
        const Scope& scope, std::string_view group,
        const std::optional<std::pair<std::int64_t, std::string>>& after, bool descending,
        std::int64_t limit);

    // Stores events[first, end) in a stream that exists, updating the stream's and the group's
    // figures; answers the id of the last one stored (the stream's previous one when none).
    std::int64_t append_events(const Scope& scope, std::string_view group, std::string_view stream,
                               const std::vector<NewEvent>& events, std::size_t first,
                               std::size_t end, std::int64_t ingestion_ms);
    // A stream's events after `after` with timestamps below `end_ms`, oldest first.
    std::vector<LogEvent> stream_events_after(const Scope& scope, std::string_view group,
                                              std::string_view stream, Position after,
                                              std::int64_t end_ms, std::int64_t limit);
    // A stream's events before `before` with timestamps from `start_ms` on, newest first.
    std::vector<LogEvent> stream_events_before(const Scope& scope, std::string_view group,
                                               std::string_view stream, Position before,
                                               std::int64_t start_ms, std::int64_t limit);
    // A group's events after `after` with timestamps below `end_ms`, in (timestamp, id) order.
    std::vector<LogEvent> group_events_after(const Scope& scope, std::string_view group,
                                             Position after, std::int64_t end_ms,
                                             std::int64_t limit);
    // Deletes a group's events with timestamps below `cutoff_ms`; answers how many.
    std::int64_t delete_events_before(const Scope& scope, std::string_view group,
                                      std::int64_t cutoff_ms);

  private:
    Database& database_;
};

}  // namespace awsemu::logs
