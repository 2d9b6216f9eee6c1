#include "services/elbv2/elbv2_store.hpp"

namespace awsemu::elbv2 {
namespace {

const std::vector<std::string> kMigrations = {
    R"(
    CREATE TABLE elbv2_resources (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        arn TEXT NOT NULL,
        kind INTEGER NOT NULL,
        name TEXT NOT NULL,
        parent TEXT NOT NULL,
        sort_key INTEGER NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (account_id, region, arn)
    ) WITHOUT ROWID;
    CREATE INDEX elbv2_resources_by_kind
        ON elbv2_resources (account_id, region, kind, parent, sort_key, name);
    CREATE TABLE elbv2_tags (
        seq INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        resource_arn TEXT NOT NULL,
        tag_key TEXT NOT NULL,
        tag_value TEXT NOT NULL
    );
    CREATE UNIQUE INDEX elbv2_tags_by_resource
        ON elbv2_tags (account_id, region, resource_arn, tag_key);
    CREATE TABLE elbv2_targets (
        seq INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        target_group_arn TEXT NOT NULL,
        target_id TEXT NOT NULL,
        port INTEGER NOT NULL,
        availability_zone TEXT NOT NULL,
        registered_ms INTEGER NOT NULL,
        deregistered_ms INTEGER
    );
    CREATE UNIQUE INDEX elbv2_targets_by_group
        ON elbv2_targets (account_id, region, target_group_arn, target_id, port);
    )",
};

constexpr const char* kResourceColumns = "kind, arn, name, parent, sort_key, document";

Resource read_resource(const Query& q) {
    return Resource{static_cast<ResourceKind>(q.integer(0)),
                    q.text(1),
                    q.text(2),
                    q.text(3),
                    q.integer(4),
                    Json::parse(q.text(5))};
}

}  // namespace

Elbv2Store::Elbv2Store(Database& database) : db_(database), tags_(database, "elbv2_tags") {
    db_.migrate("elbv2", kMigrations);
}

void Elbv2Store::put(const Scope& scope, const Resource& resource) {
    db_.execute(
        "INSERT OR REPLACE INTO elbv2_resources (account_id, region, arn, kind, name, parent, "
        "sort_key, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        scope.account_id, scope.region, resource.arn, static_cast<int>(resource.kind),
        resource.name, resource.parent, resource.sort_key, resource.document.dump());
}

std::optional<Resource> Elbv2Store::find(const Scope& scope, const std::string& arn) {
    auto q = db_.query(std::string("SELECT ") + kResourceColumns +
                           " FROM elbv2_resources WHERE account_id = ? AND region = ? AND arn = ?",
                       scope.account_id, scope.region, arn);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_resource(q);
}

std::optional<Resource> Elbv2Store::find_by_name(const Scope& scope, ResourceKind kind,
                                                 const std::string& name) {
    auto q = db_.query(std::string("SELECT ") + kResourceColumns +
                           " FROM elbv2_resources WHERE account_id = ? AND region = ? AND "
                           "kind = ? AND name = ?",
                       scope.account_id, scope.region, static_cast<int>(kind), name);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_resource(q);
}

std::vector<Resource> Elbv2Store::list(const Scope& scope, ResourceKind kind,
                                       const std::optional<std::string>& parent) {
    std::vector<Resource> result;
    auto q = db_.query(std::string("SELECT ") + kResourceColumns +
                           " FROM elbv2_resources WHERE account_id = ? AND region = ? AND "
                           "kind = ? AND (? IS NULL OR parent = ?) ORDER BY sort_key, name, arn",
                       scope.account_id, scope.region, static_cast<int>(kind), parent, parent);
    while (q.next()) {
        result.push_back(read_resource(q));
    }
    return result;
}

std::vector<std::pair<Scope, Resource>> Elbv2Store::all_of_kind(ResourceKind kind) {
    std::vector<std::pair<Scope, Resource>> result;
    auto q = db_.query(std::string("SELECT ") + kResourceColumns +
                           ", account_id, region FROM elbv2_resources WHERE kind = ? ORDER BY "
                           "account_id, region, sort_key, name, arn",
                       static_cast<int>(kind));
    while (q.next()) {
        result.emplace_back(Scope{q.text(6), q.text(7)}, read_resource(q));
    }
    return result;
}

void Elbv2Store::erase(const Scope& scope, const std::string& arn) {
    db_.execute("DELETE FROM elbv2_resources WHERE account_id = ? AND region = ? AND arn = ?",
                scope.account_id, scope.region, arn);
    tags_.remove_all(scope, arn);
    db_.execute(
        "DELETE FROM elbv2_targets WHERE account_id = ? AND region = ? AND target_group_arn = ?",
        scope.account_id, scope.region, arn);
}

std::vector<std::pair<std::string, std::string>> Elbv2Store::tags(const Scope& scope,
                                                                  const std::string& arn) {
    return tags_.tags(scope, arn);
}

void Elbv2Store::set_tag(const Scope& scope, const std::string& arn, const std::string& key,
                         const std::string& value) {
    tags_.set(scope, arn, key, value);
}

void Elbv2Store::remove_tag(const Scope& scope, const std::string& arn, const std::string& key) {
    tags_.remove(scope, arn, key);
}

std::vector<TargetRecord> Elbv2Store::targets(const Scope& scope,
                                              const std::string& target_group_arn) {
    std::vector<TargetRecord> result;
    auto q = db_.query(
        "SELECT target_id, port, availability_zone, registered_ms, deregistered_ms FROM "
        "elbv2_targets WHERE account_id = ? AND region = ? AND target_group_arn = ? ORDER BY "
        "seq",
        scope.account_id, scope.region, target_group_arn);
    while (q.next()) {
        result.push_back(TargetRecord{target_group_arn, q.text(0), static_cast<int>(q.integer(1)),
                                      q.text(2), q.integer(3), q.optional_integer(4)});
    }
    return result;
}

void Elbv2Store::register_target(const Scope& scope, const TargetRecord& target) {
    db_.execute(
        "INSERT INTO elbv2_targets (account_id, region, target_group_arn, target_id, port, "
        "availability_zone, registered_ms, deregistered_ms) VALUES (?, ?, ?, ?, ?, ?, ?, NULL) "
        "ON CONFLICT (account_id, region, target_group_arn, target_id, port) DO UPDATE SET "
        "availability_zone = excluded.availability_zone, registered_ms = CASE WHEN "
        "deregistered_ms IS NULL THEN registered_ms ELSE excluded.registered_ms END, "
        "deregistered_ms = NULL",
        scope.account_id, scope.region, target.target_group_arn, target.id, target.port,
        target.availability_zone, target.registered_ms);
}

void Elbv2Store::set_deregistered(const Scope& scope, const std::string& target_group_arn,
                                  const std::string& id, int port, std::int64_t when_ms) {
    db_.execute(
        "UPDATE elbv2_targets SET deregistered_ms = ? WHERE account_id = ? AND region = ? AND "
        "target_group_arn = ? AND target_id = ? AND port = ? AND deregistered_ms IS NULL",
        when_ms, scope.account_id, scope.region, target_group_arn, id, port);
}

void Elbv2Store::remove_target(const Scope& scope, const std::string& target_group_arn,
                               const std::string& id, int port) {
    db_.execute(
        "DELETE FROM elbv2_targets WHERE account_id = ? AND region = ? AND target_group_arn = ? "
        "AND target_id = ? AND port = ?",
        scope.account_id, scope.region, target_group_arn, id, port);
}

}  // namespace awsemu::elbv2
