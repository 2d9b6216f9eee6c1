#include "services/rds/rds_store.hpp"

namespace awsemu::rds {
namespace {

const std::vector<std::string> kMigrations = {
    R"(
    CREATE TABLE rds_resources (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        kind INTEGER NOT NULL,
        id TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (account_id, region, kind, id)
    ) WITHOUT ROWID;
    CREATE TABLE rds_tags (
        seq INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        resource_arn TEXT NOT NULL,
        tag_key TEXT NOT NULL,
        tag_value TEXT NOT NULL
    );
    CREATE UNIQUE INDEX rds_tags_by_resource ON rds_tags (account_id, region, resource_arn, tag_key);
    CREATE TABLE rds_events (
        seq INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        source_identifier TEXT NOT NULL,
        source_type TEXT NOT NULL,
        source_arn TEXT NOT NULL,
        message TEXT NOT NULL,
        categories TEXT NOT NULL,
        date_ms INTEGER NOT NULL
    );
    CREATE INDEX rds_events_by_date ON rds_events (account_id, region, date_ms);
    )",
};

}  // namespace

RdsStore::RdsStore(Database& database) : db_(database), tags_(database, "rds_tags") {
    db_.migrate("rds", kMigrations);
}

void RdsStore::put(const Scope& scope, Kind kind, const std::string& id, const Json& document) {
    db_.execute(
        "INSERT OR REPLACE INTO rds_resources (account_id, region, kind, id, document) VALUES "
        "(?, ?, ?, ?, ?)",
        scope.account_id, scope.region, static_cast<int>(kind), id, document.dump());
}

std::optional<Json> RdsStore::find(const Scope& scope, Kind kind, const std::string& id) {
    auto q = db_.query(
        "SELECT document FROM rds_resources WHERE account_id = ? AND region = ? AND kind = ? AND "
        "id = ?",
        scope.account_id, scope.region, static_cast<int>(kind), id);
    if (!q.next()) {
        return std::nullopt;
    }
    return Json::parse(q.text(0));
}

std::vector<Json> RdsStore::list(const Scope& scope, Kind kind) {
    std::vector<Json> result;
    auto q = db_.query(
        "SELECT document FROM rds_resources WHERE account_id = ? AND region = ? AND kind = ? "
        "ORDER BY id",
        scope.account_id, scope.region, static_cast<int>(kind));
    while (q.next()) {
        result.push_back(Json::parse(q.text(0)));
    }
    return result;
}

void RdsStore::erase(const Scope& scope, Kind kind, const std::string& id) {
    db_.execute(
        "DELETE FROM rds_resources WHERE account_id = ? AND region = ? AND kind = ? AND id = ?",
        scope.account_id, scope.region, static_cast<int>(kind), id);
}

std::vector<std::pair<Scope, Json>> RdsStore::all(Kind kind) {
    std::vector<std::pair<Scope, Json>> result;
    auto q = db_.query(
        "SELECT account_id, region, document FROM rds_resources WHERE kind = ? ORDER BY "
        "account_id, region, id",
        static_cast<int>(kind));
    while (q.next()) {
        result.emplace_back(Scope{q.text(0), q.text(1)}, Json::parse(q.text(2)));
    }
    return result;
}

std::vector<std::pair<std::string, std::string>> RdsStore::tags(const Scope& scope,
                                                                const std::string& arn) {
    return tags_.tags(scope, arn);
}

void RdsStore::set_tag(const Scope& scope, const std::string& arn, const std::string& key,
                       const std::string& value) {
    tags_.set(scope, arn, key, value);
}

void RdsStore::remove_tag(const Scope& scope, const std::string& arn, const std::string& key) {
    tags_.remove(scope, arn, key);
}

void RdsStore::remove_tags(const Scope& scope, const std::string& arn) {
    tags_.remove_all(scope, arn);
}

void RdsStore::add_event(const Scope& scope, const Event& event) {
    db_.execute(
        "INSERT INTO rds_events (account_id, region, source_identifier, source_type, source_arn, "
        "message, categories, date_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        scope.account_id, scope.region, event.source_identifier, event.source_type,
        event.source_arn, event.message, Json(event.categories).dump(), event.date_ms);
}

std::vector<Event> RdsStore::events(const Scope& scope, std::int64_t since_ms) {
    std::vector<Event> result;
    auto q = db_.query(
        "SELECT source_identifier, source_type, source_arn, message, categories, date_ms FROM "
        "rds_events WHERE account_id = ? AND region = ? AND date_ms >= ? ORDER BY seq",
        scope.account_id, scope.region, since_ms);
    while (q.next()) {
        result.push_back(Event{q.text(0), q.text(1), q.text(2), q.text(3),
                               Json::parse(q.text(4)).get<std::vector<std::string>>(),
                               q.integer(5)});
    }
    return result;
}

}  // namespace awsemu::rds
