#include "services/logs/logs_api.hpp"

#include "emulator/runtime/time_format.hpp"
#include "services/logs/logs_errors.hpp"
#include "services/logs/logs_store.hpp"

namespace awsemu::logs {

bool log_group_exists(Database& database, const Scope& scope, std::string_view group) {
    auto transaction = database.transaction();
    LogsStore store(database);
    const bool exists = store.find_group(scope, group).has_value();
    transaction.commit();
    return exists;
}

void create_log_group_if_missing(Database& database, const Clock& clock, const Scope& scope,
                                 std::string_view group) {
    validate_group_name(group);
    auto transaction = database.transaction();
    LogsStore store(database);
    LogGroup created;
    created.name = std::string(group);
    created.created_ms = to_epoch_ms(clock.now());
    store.insert_group(scope, created);
    transaction.commit();
}

void create_log_stream_if_missing(Database& database, const Clock& clock, const Scope& scope,
                                  std::string_view group, std::string_view stream) {
    validate_stream_name(stream);
    auto transaction = database.transaction();
    LogsStore store(database);
    if (!store.find_group(scope, group)) {
        throw AwsError(errors::ResourceNotFoundException,
                       "The specified log group does not exist.");
    }
    LogStream created;
    created.name = std::string(stream);
    created.created_ms = to_epoch_ms(clock.now());
    store.insert_stream(scope, group, created);
    transaction.commit();
}

void append_log_events(Database& database, const Clock& clock, const Scope& scope,
                       std::string_view group, std::string_view stream,
                       const std::vector<LogLine>& lines) {
    auto transaction = database.transaction();
    LogsStore store(database);
    if (!store.find_group(scope, group)) {
        throw AwsError(errors::ResourceNotFoundException,
                       "The specified log group does not exist.");
    }
    if (!store.find_stream(scope, group, stream)) {
        throw AwsError(errors::ResourceNotFoundException,
                       "The specified log stream does not exist.");
    }
    std::vector<NewEvent> events;
    events.reserve(lines.size());
    for (const auto& line : lines) {
        events.push_back({line.timestamp_ms, line.message});
    }
    store.append_events(scope, group, stream, events, 0, events.size(), to_epoch_ms(clock.now()));
    transaction.commit();
}

}  // namespace awsemu::logs
