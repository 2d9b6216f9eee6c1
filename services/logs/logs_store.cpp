#include "services/logs/logs_store.hpp"

namespace awsemu::logs {
namespace {

const std::vector<std::string> kMigrations = {
    R"(
    CREATE TABLE logs_groups (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        retention_days INTEGER,
        kms_key_id TEXT,
        log_group_class TEXT NOT NULL,
        stored_bytes INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, region, name)
    ) WITHOUT ROWID;
    CREATE TABLE logs_tags (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        group_name TEXT NOT NULL,
        tag_key TEXT NOT NULL,
        tag_value TEXT NOT NULL,
        PRIMARY KEY (account_id, region, group_name, tag_key)
    ) WITHOUT ROWID;
    CREATE TABLE logs_streams (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        group_name TEXT NOT NULL,
        name TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        first_event_ms INTEGER,
        last_event_ms INTEGER,
        last_ingestion_ms INTEGER,
        last_sequence INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, region, group_name, name)
    ) WITHOUT ROWID;
    CREATE TABLE logs_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        group_name TEXT NOT NULL,
        stream_name TEXT NOT NULL,
        timestamp_ms INTEGER NOT NULL,
        ingestion_ms INTEGER NOT NULL,
        message TEXT NOT NULL
    );
    CREATE INDEX logs_events_by_stream
        ON logs_events (account_id, region, group_name, stream_name, timestamp_ms, id);
    CREATE INDEX logs_events_by_group
        ON logs_events (account_id, region, group_name, timestamp_ms, id);
    )"};

#define AWSEMU_LOGS_GROUP_COLUMNS \
    "name, created_ms, retention_days, kms_key_id, log_group_class, stored_bytes"

LogGroup read_group(const Query& q) {
    LogGroup g;
    g.name = q.text(0);
    g.created_ms = q.integer(1);
    g.retention_days = q.optional_integer(2);
    g.kms_key_id = q.optional_text(3);
    g.log_group_class = q.text(4);
    g.stored_bytes = q.integer(5);
    return g;
}

#define AWSEMU_LOGS_STREAM_COLUMNS \
    "name, created_ms, first_event_ms, last_event_ms, last_ingestion_ms, last_sequence"

LogStream read_stream(const Query& q) {
    LogStream s;
    s.name = q.text(0);
    s.created_ms = q.integer(1);
    s.first_event_ms = q.optional_integer(2);
    s.last_event_ms = q.optional_integer(3);
    s.last_ingestion_ms = q.optional_integer(4);
    s.last_sequence = q.integer(5);
    return s;
}

#define AWSEMU_LOGS_EVENT_COLUMNS "id, stream_name, timestamp_ms, ingestion_ms, message"

std::vector<LogEvent> read_events(Query& q) {
    std::vector<LogEvent> events;
    while (q.next()) {
        LogEvent e;
        e.id = q.integer(0);
        e.stream = q.text(1);
        e.timestamp_ms = q.integer(2);
        e.ingestion_ms = q.integer(3);
        e.message = q.text(4);
        events.push_back(std::move(e));
    }
    return events;
}

}  // namespace

LogsStore::LogsStore(Database& database) : database_(database) {
    database_.migrate("logs", kMigrations);
}

std::optional<LogGroup> LogsStore::find_group(const Scope& scope, std::string_view name) {
    auto q = database_.query("SELECT " AWSEMU_LOGS_GROUP_COLUMNS
                             " FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?",
                             scope.account_id, scope.region, name);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_group(q);
}

bool LogsStore::insert_group(const Scope& scope, const LogGroup& group) {
    return database_.execute(
               "INSERT INTO logs_groups (account_id, region, name, created_ms, retention_days, "
               "kms_key_id, log_group_class, stored_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
               "ON CONFLICT DO NOTHING",
               scope.account_id, scope.region, group.name, group.created_ms, group.retention_days,
               group.kms_key_id, group.log_group_class, group.stored_bytes) > 0;
}

void LogsStore::delete_group(const Scope& scope, std::string_view name) {
    database_.execute(
        "DELETE FROM logs_events WHERE account_id = ? AND region = ? AND group_name = ?",
        scope.account_id, scope.region, name);
    database_.execute(
        "DELETE FROM logs_streams WHERE account_id = ? AND region = ? AND group_name = ?",
        scope.account_id, scope.region, name);
    database_.execute(
        "DELETE FROM logs_tags WHERE account_id = ? AND region = ? AND group_name = ?",
        scope.account_id, scope.region, name);
    database_.execute("DELETE FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?",
                      scope.account_id, scope.region, name);
}

std::vector<LogGroup> LogsStore::list_groups(const Scope& scope, std::string_view after,
                                             std::string_view prefix, std::int64_t limit) {
    auto q = database_.query("SELECT " AWSEMU_LOGS_GROUP_COLUMNS
                             " FROM logs_groups WHERE account_id = ? AND region = ? AND name > ? "
                             "AND substr(name, 1, length(?)) = ? ORDER BY name LIMIT ?",
                             scope.account_id, scope.region, after, prefix, prefix, limit);
    std::vector<LogGroup> groups;
    while (q.next()) {
        groups.push_back(read_group(q));
    }
    return groups;
}

void LogsStore::set_retention(const Scope& scope, std::string_view name,
                              std::optional<std::int64_t> days) {
    database_.execute(
        "UPDATE logs_groups SET retention_days = ? WHERE account_id = ? AND region = ? AND "
        "name = ?",
        days, scope.account_id, scope.region, name);
}

std::vector<ScopedGroup> LogsStore::groups_with_retention() {
    auto q = database_.query(
        "SELECT account_id, region, name, retention_days FROM logs_groups "
        "WHERE retention_days IS NOT NULL");
    std::vector<ScopedGroup> out;
    while (q.next()) {
        out.push_back({Scope{q.text(0), q.text(1)}, q.text(2), q.integer(3)});
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> LogsStore::tags(const Scope& scope,
                                                                 std::string_view group) {
    auto q = database_.query(
        "SELECT tag_key, tag_value FROM logs_tags WHERE account_id = ? AND region = ? AND "
        "group_name = ? ORDER BY tag_key",
        scope.account_id, scope.region, group);
    std::vector<std::pair<std::string, std::string>> out;
    while (q.next()) {
        out.emplace_back(q.text(0), q.text(1));
    }
    return out;
}

void LogsStore::put_tag(const Scope& scope, std::string_view group, std::string_view key,
                        std::string_view value) {
    database_.execute(
        "INSERT INTO logs_tags (account_id, region, group_name, tag_key, tag_value) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET tag_value = excluded.tag_value",
        scope.account_id, scope.region, group, key, value);
}

void LogsStore::remove_tag(const Scope& scope, std::string_view group, std::string_view key) {
    database_.execute(
        "DELETE FROM logs_tags WHERE account_id = ? AND region = ? AND group_name = ? AND "
        "tag_key = ?",
        scope.account_id, scope.region, group, key);
}

std::optional<LogStream> LogsStore::find_stream(const Scope& scope, std::string_view group,
                                                std::string_view name) {
    auto q = database_.query("SELECT " AWSEMU_LOGS_STREAM_COLUMNS
                             " FROM logs_streams WHERE account_id = ? AND region = ? AND "
                             "group_name = ? AND name = ?",
                             scope.account_id, scope.region, group, name);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_stream(q);
}

bool LogsStore::insert_stream(const Scope& scope, std::string_view group, const LogStream& stream) {
    return database_.execute(
               "INSERT INTO logs_streams (account_id, region, group_name, name, created_ms) "
               "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
               scope.account_id, scope.region, group, stream.name, stream.created_ms) > 0;
}

void LogsStore::delete_stream(const Scope& scope, std::string_view group, std::string_view name) {
    // The group keeps counting what the stream held: AWS updates storedBytes lazily too.
    database_.execute(
        "DELETE FROM logs_events WHERE account_id = ? AND region = ? AND group_name = ? AND "
        "stream_name = ?",
        scope.account_id, scope.region, group, name);
    database_.execute(
        "DELETE FROM logs_streams WHERE account_id = ? AND region = ? AND group_name = ? AND "
        "name = ?",
        scope.account_id, scope.region, group, name);
}

std::vector<LogStream> LogsStore::list_streams_by_name(const Scope& scope, std::string_view group,
                                                       std::string_view prefix,
                                                       std::string_view after, bool descending,
                                                       std::int64_t limit) {
    std::vector<LogStream> out;
    const auto read = [&](Query& q) {
        while (q.next()) {
            out.push_back(read_stream(q));
        }
    };
    if (descending) {
        auto q = database_.query(
            "SELECT " AWSEMU_LOGS_STREAM_COLUMNS
            " FROM logs_streams WHERE account_id = ? AND region = ? AND group_name = ? AND "
            "(? = '' OR name < ?) AND substr(name, 1, length(?)) = ? ORDER BY name DESC LIMIT ?",
            scope.account_id, scope.region, group, after, after, prefix, prefix, limit);
        read(q);
    } else {
        auto q = database_.query(
            "SELECT " AWSEMU_LOGS_STREAM_COLUMNS
            " FROM logs_streams WHERE account_id = ? AND region = ? AND group_name = ? AND "
            "name > ? AND substr(name, 1, length(?)) = ? ORDER BY name LIMIT ?",
            scope.account_id, scope.region, group, after, prefix, prefix, limit);
        read(q);
    }
    return out;
}

std::vector<LogStream> LogsStore::list_streams_by_time(
    const Scope& scope, std::string_view group,
    const std::optional<std::pair<std::int64_t, std::string>>& after, bool descending,
    std::int64_t limit) {
    std::vector<LogStream> out;
    const std::int64_t key = after ? after->first : 0;
    const std::string name = after ? after->second : std::string();
    const bool has_after = after.has_value();
    const auto read = [&](Query& q) {
        while (q.next()) {
            out.push_back(read_stream(q));
        }
    };
    if (descending) {
        auto q = database_.query(
            "SELECT " AWSEMU_LOGS_STREAM_COLUMNS
            " FROM logs_streams WHERE account_id = ? AND region = ? AND group_name = ? AND "
            "(NOT ? OR (COALESCE(last_event_ms, 0), name) < (?, ?)) "
            "ORDER BY COALESCE(last_event_ms, 0) DESC, name DESC LIMIT ?",
            scope.account_id, scope.region, group, has_after, key, name, limit);
        read(q);
    } else {
        auto q = database_.query(
            "SELECT " AWSEMU_LOGS_STREAM_COLUMNS
            " FROM logs_streams WHERE account_id = ? AND region = ? AND group_name = ? AND "
            "(NOT ? OR (COALESCE(last_event_ms, 0), name) > (?, ?)) "
            "ORDER BY COALESCE(last_event_ms, 0), name LIMIT ?",
            scope.account_id, scope.region, group, has_after, key, name, limit);
        read(q);
    }
    return out;
}

std::int64_t LogsStore::append_events(const Scope& scope, std::string_view group,
                                      std::string_view stream, const std::vector<NewEvent>& events,
                                      std::size_t first, std::size_t end,
                                      std::int64_t ingestion_ms) {
    std::int64_t bytes = 0;
    std::int64_t last_id = 0;
    std::optional<std::int64_t> min_ts;
    std::optional<std::int64_t> max_ts;
    for (std::size_t i = first; i < end; ++i) {
        const NewEvent& e = events[i];
        database_.execute(
            "INSERT INTO logs_events (account_id, region, group_name, stream_name, timestamp_ms, "
            "ingestion_ms, message) VALUES (?, ?, ?, ?, ?, ?, ?)",
            scope.account_id, scope.region, group, stream, e.timestamp_ms, ingestion_ms, e.message);
        last_id = database_.last_insert_rowid();
        bytes += static_cast<std::int64_t>(e.message.size());
        min_ts = std::min(min_ts.value_or(e.timestamp_ms), e.timestamp_ms);
        max_ts = std::max(max_ts.value_or(e.timestamp_ms), e.timestamp_ms);
    }
    if (last_id == 0) {
        const auto existing = find_stream(scope, group, stream);
        return existing ? existing->last_sequence : 0;
    }
    database_.execute(
        "UPDATE logs_streams SET first_event_ms = MIN(COALESCE(first_event_ms, ?1), ?1), "
        "last_event_ms = MAX(COALESCE(last_event_ms, ?2), ?2), last_ingestion_ms = ?3, "
        "last_sequence = ?4 WHERE account_id = ?5 AND region = ?6 AND group_name = ?7 AND "
        "name = ?8",
        *min_ts, *max_ts, ingestion_ms, last_id, scope.account_id, scope.region, group, stream);
    database_.execute(
        "UPDATE logs_groups SET stored_bytes = stored_bytes + ? WHERE account_id = ? AND "
        "region = ? AND name = ?",
        bytes, scope.account_id, scope.region, group);
    return last_id;
}

std::vector<LogEvent> LogsStore::stream_events_after(const Scope& scope, std::string_view group,
                                                     std::string_view stream, Position after,
                                                     std::int64_t end_ms, std::int64_t limit) {
    auto q = database_.query(
        "SELECT " AWSEMU_LOGS_EVENT_COLUMNS
        " FROM logs_events WHERE account_id = ? AND region = ? AND group_name = ? AND "
        "stream_name = ? AND (timestamp_ms, id) > (?, ?) AND timestamp_ms < ? "
        "ORDER BY timestamp_ms, id LIMIT ?",
        scope.account_id, scope.region, group, stream, after.timestamp_ms, after.id, end_ms, limit);
    return read_events(q);
}

std::vector<LogEvent> LogsStore::stream_events_before(const Scope& scope, std::string_view group,
                                                      std::string_view stream, Position before,
                                                      std::int64_t start_ms, std::int64_t limit) {
    auto q = database_.query(
        "SELECT " AWSEMU_LOGS_EVENT_COLUMNS
        " FROM logs_events WHERE account_id = ? AND region = ? AND group_name = ? AND "
        "stream_name = ? AND (timestamp_ms, id) < (?, ?) AND timestamp_ms >= ? "
        "ORDER BY timestamp_ms DESC, id DESC LIMIT ?",
        scope.account_id, scope.region, group, stream, before.timestamp_ms, before.id, start_ms,
        limit);
    return read_events(q);
}

std::vector<LogEvent> LogsStore::group_events_after(const Scope& scope, std::string_view group,
                                                    Position after, std::int64_t end_ms,
                                                    std::int64_t limit) {
    auto q = database_.query(
        "SELECT " AWSEMU_LOGS_EVENT_COLUMNS
        " FROM logs_events WHERE account_id = ? AND region = ? AND group_name = ? AND "
        "(timestamp_ms, id) > (?, ?) AND timestamp_ms < ? ORDER BY timestamp_ms, id LIMIT ?",
        scope.account_id, scope.region, group, after.timestamp_ms, after.id, end_ms, limit);
    return read_events(q);
}

std::int64_t LogsStore::delete_events_before(const Scope& scope, std::string_view group,
                                             std::int64_t cutoff_ms) {
    std::int64_t bytes = 0;
    {
        auto sum = database_.query(
            "SELECT COALESCE(SUM(length(CAST(message AS BLOB))), 0) FROM logs_events "
            "WHERE account_id = ? AND region = ? AND group_name = ? AND timestamp_ms < ?",
            scope.account_id, scope.region, group, cutoff_ms);
        bytes = sum.next() ? sum.integer(0) : 0;
    }
    const int deleted = database_.execute(
        "DELETE FROM logs_events WHERE account_id = ? AND region = ? AND group_name = ? AND "
        "timestamp_ms < ?",
        scope.account_id, scope.region, group, cutoff_ms);
    if (deleted > 0) {
        database_.execute(
            "UPDATE logs_groups SET stored_bytes = MAX(stored_bytes - ?, 0) WHERE "
            "account_id = ? AND region = ? AND name = ?",
            bytes, scope.account_id, scope.region, group);
    }
    return deleted;
}

}  // namespace awsemu::logs
