#include "services/ecs/ecs_store.hpp"

#include <nlohmann/json.hpp>

#include "services/ecs/ecs_arns.hpp"

namespace awsemu::ecs {
namespace {

const std::vector<std::string> kEcsMigrations = {
    R"(
    CREATE TABLE ecs_task_definitions (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        family TEXT NOT NULL,
        revision INTEGER NOT NULL,
        status TEXT NOT NULL,
        body TEXT NOT NULL,
        registered_ms INTEGER NOT NULL,
        deregistered_ms INTEGER,
        delete_requested_ms INTEGER,
        PRIMARY KEY (account_id, region, family, revision)
    ) WITHOUT ROWID;
    CREATE TABLE ecs_clusters (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        arn TEXT NOT NULL,
        status TEXT NOT NULL,
        settings TEXT NOT NULL,
        configuration TEXT,
        service_connect_defaults TEXT,
        capacity_providers TEXT NOT NULL,
        default_strategy TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, name)
    ) WITHOUT ROWID;
    CREATE TABLE ecs_tags (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        resource_arn TEXT NOT NULL,
        tag_key TEXT NOT NULL,
        tag_value TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, resource_arn, tag_key)
    ) WITHOUT ROWID;
    CREATE TABLE ecs_account_settings (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        principal_arn TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (account_id, region, principal_arn, name)
    ) WITHOUT ROWID;
    )"};

constexpr std::string_view kTaskDefinitionColumns =
    "family, revision, status, body, registered_ms, deregistered_ms, delete_requested_ms";

std::string select_task_definitions(std::string_view where) {
    return "SELECT " + std::string(kTaskDefinitionColumns) +
           " FROM ecs_task_definitions WHERE account_id = ? AND region = ? AND " +
           std::string(where);
}

// The stored body is the described task definition; status and its dates live in columns, so
// that deregistering does not rewrite the body.
TaskDefinition read_task_definition(const Query& q) {
    nlohmann::json body = nlohmann::json::parse(q.text(3));
    body["status"] = q.text(2);
    if (const auto deregistered = q.optional_integer(5)) {
        body["deregisteredAt"] = json_timestamp(*deregistered);
    }
    if (const auto delete_requested = q.optional_integer(6)) {
        body["deleteRequestedAt"] = json_timestamp(*delete_requested);
    }
    return task_definition_from_json(body);
}

constexpr std::string_view kClusterColumns =
    "name, arn, status, settings, configuration, service_connect_defaults, capacity_providers, "
    "default_strategy, created_ms";

Cluster read_cluster(const Query& q) {
    Cluster c;
    c.name = q.text(0);
    c.arn = q.text(1);
    c.status = q.text(2);
    for (const auto& setting : nlohmann::json::parse(q.text(3))) {
        c.settings.push_back({setting.value("name", ""), setting.value("value", "")});
    }
    if (const auto configuration = q.optional_text(4)) {
        c.configuration = nlohmann::json::parse(*configuration);
    }
    if (const auto defaults = q.optional_text(5)) {
        c.service_connect_defaults = nlohmann::json::parse(*defaults);
    }
    c.capacity_providers = nlohmann::json::parse(q.text(6)).get<std::vector<std::string>>();
    c.default_capacity_provider_strategy = nlohmann::json::parse(q.text(7));
    c.created_ms = q.integer(8);
    return c;
}

std::optional<std::string> dump(const std::optional<nlohmann::json>& value) {
    if (!value) {
        return std::nullopt;
    }
    return value->dump();
}

}  // namespace

EcsStore::EcsStore(Database& database) : database_(database) {
    database_.migrate("ecs", kEcsMigrations);
}

// --- task definitions ----------------------------------------------------------------------

std::int64_t EcsStore::next_revision(const Scope& scope, std::string_view family) {
    auto q = database_.query(
        "SELECT MAX(revision) FROM ecs_task_definitions WHERE account_id = ? AND region = ? AND "
        "family = ?",
        scope.account_id, scope.region, family);
    if (!q.next() || q.is_null(0)) {
        return 1;
    }
    return q.integer(0) + 1;
}

void EcsStore::insert_task_definition(const Scope& scope, const TaskDefinition& td) {
    nlohmann::json body = td.json;
    body.erase("status");
    body.erase("deregisteredAt");
    body.erase("deleteRequestedAt");
    database_.execute(
        "INSERT INTO ecs_task_definitions (account_id, region, family, revision, status, body, "
        "registered_ms, deregistered_ms, delete_requested_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        scope.account_id, scope.region, td.family, td.revision, td.status, body.dump(),
        td.registered_ms, td.deregistered_ms, td.delete_requested_ms);
}

std::optional<TaskDefinition> EcsStore::find_task_definition(const Scope& scope,
                                                             std::string_view family,
                                                             std::int64_t revision) {
    static const std::string kSql = select_task_definitions("family = ? AND revision = ?");
    auto q = database_.query(kSql, scope.account_id, scope.region, family, revision);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_task_definition(q);
}

std::optional<TaskDefinition> EcsStore::latest_active_task_definition(const Scope& scope,
                                                                      std::string_view family) {
    static const std::string kSql =
        select_task_definitions("family = ? AND status = 'ACTIVE' ORDER BY revision DESC LIMIT 1");
    auto q = database_.query(kSql, scope.account_id, scope.region, family);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_task_definition(q);
}

std::optional<TaskDefinition> EcsStore::find_task_definition(const Scope& scope,
                                                             std::string_view reference) {
    const auto ref = parse_task_definition_ref(reference);
    if (!ref) {
        return std::nullopt;
    }
    if (reference.starts_with("arn:")) {
        const auto arn = parse_ecs_arn(reference);
        if (!arn || arn->region != scope.region || arn->account_id != scope.account_id) {
            return std::nullopt;
        }
    }
    if (ref->revision) {
        return find_task_definition(scope, ref->family, *ref->revision);
    }
    return latest_active_task_definition(scope, ref->family);
}

void EcsStore::set_task_definition_status(const Scope& scope, std::string_view family,
                                          std::int64_t revision, std::string_view status,
                                          std::int64_t at_ms) {
    if (status == "INACTIVE") {
        database_.execute(
            "UPDATE ecs_task_definitions SET status = ?, deregistered_ms = ? WHERE account_id = ? "
            "AND region = ? AND family = ? AND revision = ?",
            status, at_ms, scope.account_id, scope.region, family, revision);
    } else if (status == "DELETE_IN_PROGRESS") {
        database_.execute(
            "UPDATE ecs_task_definitions SET status = ?, delete_requested_ms = ? WHERE "
            "account_id = ? AND region = ? AND family = ? AND revision = ?",
            status, at_ms, scope.account_id, scope.region, family, revision);
    } else {
        database_.execute(
            "UPDATE ecs_task_definitions SET status = ? WHERE account_id = ? AND region = ? AND "
            "family = ? AND revision = ?",
            status, scope.account_id, scope.region, family, revision);
    }
}

std::vector<TaskDefinitionKey> EcsStore::list_task_definitions(
    const Scope& scope, std::string_view family, std::string_view status, bool ascending,
    const std::optional<TaskDefinitionKey>& after, std::size_t limit) {
    // ?3: family ('' for all), ?4: status, ?5/?6: the last key of the page before.
    static const std::string kAscending =
        "SELECT family, revision FROM ecs_task_definitions WHERE account_id = ?1 AND region = ?2 "
        "AND (?3 = '' OR family = ?3) AND status = ?4 AND (?5 IS NULL OR family > ?5 OR "
        "(family = ?5 AND revision > ?6)) ORDER BY family, revision LIMIT ?7";
    static const std::string kDescending =
        "SELECT family, revision FROM ecs_task_definitions WHERE account_id = ?1 AND region = ?2 "
        "AND (?3 = '' OR family = ?3) AND status = ?4 AND (?5 IS NULL OR family < ?5 OR "
        "(family = ?5 AND revision < ?6)) ORDER BY family DESC, revision DESC LIMIT ?7";
    std::optional<std::string> after_family;
    std::int64_t after_revision = 0;
    if (after) {
        after_family = after->family;
        after_revision = after->revision;
    }
    auto q = database_.query(ascending ? kAscending : kDescending, scope.account_id, scope.region,
                             family, status, after_family, after_revision,
                             static_cast<std::int64_t>(limit));
    std::vector<TaskDefinitionKey> out;
    while (q.next()) {
        out.push_back({q.text(0), q.integer(1)});
    }
    return out;
}

std::vector<std::string> EcsStore::list_families(const Scope& scope, std::string_view prefix,
                                                 std::string_view status, std::string_view after,
                                                 std::size_t limit) {
    // ?3: prefix, ?4: status, ?5: the last family of the page before.
    static const std::string kSql =
        "SELECT family, MAX(status = 'ACTIVE') FROM ecs_task_definitions WHERE account_id = ?1 "
        "AND region = ?2 AND substr(family, 1, length(?3)) = ?3 AND family > ?5 GROUP BY family "
        "HAVING ?4 = 'ALL' OR (?4 = 'ACTIVE') = (MAX(status = 'ACTIVE') = 1) ORDER BY family "
        "LIMIT ?6";
    auto q = database_.query(kSql, scope.account_id, scope.region, prefix, status, after,
                             static_cast<std::int64_t>(limit));
    std::vector<std::string> out;
    while (q.next()) {
        out.push_back(q.text(0));
    }
    return out;
}

// --- clusters ------------------------------------------------------------------------------

std::optional<Cluster> EcsStore::find_cluster(const Scope& scope, std::string_view name) {
    static const std::string kSql = "SELECT " + std::string(kClusterColumns) +
                                    " FROM ecs_clusters WHERE account_id = ? AND region = ? AND "
                                    "name = ?";
    auto q = database_.query(kSql, scope.account_id, scope.region, name);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_cluster(q);
}

void EcsStore::put_cluster(const Scope& scope, const Cluster& cluster) {
    nlohmann::json settings = nlohmann::json::array();
    for (const auto& s : cluster.settings) {
        settings.push_back({{"name", s.name}, {"value", s.value}});
    }
    database_.execute(
        "INSERT OR REPLACE INTO ecs_clusters (account_id, region, name, arn, status, settings, "
        "configuration, service_connect_defaults, capacity_providers, default_strategy, "
        "created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        scope.account_id, scope.region, cluster.name, cluster.arn, cluster.status, settings.dump(),
        dump(cluster.configuration), dump(cluster.service_connect_defaults),
        nlohmann::json(cluster.capacity_providers).dump(),
        cluster.default_capacity_provider_strategy.dump(), cluster.created_ms);
}

std::vector<Cluster> EcsStore::list_active_clusters(const Scope& scope, std::string_view after,
                                                    std::size_t limit) {
    static const std::string kSql = "SELECT " + std::string(kClusterColumns) +
                                    " FROM ecs_clusters WHERE account_id = ? AND region = ? AND "
                                    "status = 'ACTIVE' AND name > ? ORDER BY name LIMIT ?";
    auto q = database_.query(kSql, scope.account_id, scope.region, after,
                             static_cast<std::int64_t>(limit));
    std::vector<Cluster> out;
    while (q.next()) {
        out.push_back(read_cluster(q));
    }
    return out;
}

// --- tags ----------------------------------------------------------------------------------

std::vector<Tag> EcsStore::tags_of(const Scope& scope, std::string_view resource_arn) {
    auto q = database_.query(
        "SELECT tag_key, tag_value FROM ecs_tags WHERE account_id = ? AND region = ? AND "
        "resource_arn = ? ORDER BY position",
        scope.account_id, scope.region, resource_arn);
    std::vector<Tag> out;
    while (q.next()) {
        out.push_back({q.text(0), q.text(1)});
    }
    return out;
}

void EcsStore::put_tags(const Scope& scope, std::string_view resource_arn,
                        const std::vector<Tag>& tags) {
    for (const auto& tag : tags) {
        const int updated = database_.execute(
            "UPDATE ecs_tags SET tag_value = ? WHERE account_id = ? AND region = ? AND "
            "resource_arn = ? AND tag_key = ?",
            tag.value, scope.account_id, scope.region, resource_arn, tag.key);
        if (updated == 0) {
            database_.execute(
                "INSERT INTO ecs_tags (account_id, region, resource_arn, tag_key, tag_value, "
                "position) VALUES (?1, ?2, ?3, ?4, ?5, (SELECT COALESCE(MAX(position), 0) + 1 "
                "FROM ecs_tags WHERE account_id = ?1 AND region = ?2 AND resource_arn = ?3))",
                scope.account_id, scope.region, resource_arn, tag.key, tag.value);
        }
    }
}

void EcsStore::remove_tags(const Scope& scope, std::string_view resource_arn,
                           const std::vector<std::string>& keys) {
    for (const auto& key : keys) {
        database_.execute(
            "DELETE FROM ecs_tags WHERE account_id = ? AND region = ? AND resource_arn = ? AND "
            "tag_key = ?",
            scope.account_id, scope.region, resource_arn, key);
    }
}

void EcsStore::delete_tags_of(const Scope& scope, std::string_view resource_arn) {
    database_.execute(
        "DELETE FROM ecs_tags WHERE account_id = ? AND region = ? AND resource_arn = ?",
        scope.account_id, scope.region, resource_arn);
}

// --- account settings ----------------------------------------------------------------------

std::vector<AccountSetting> EcsStore::account_settings(const Scope& scope,
                                                       std::string_view principal_arn) {
    auto q = database_.query(
        "SELECT name, value FROM ecs_account_settings WHERE account_id = ? AND region = ? AND "
        "principal_arn = ? ORDER BY name",
        scope.account_id, scope.region, principal_arn);
    std::vector<AccountSetting> out;
    while (q.next()) {
        out.push_back({q.text(0), q.text(1), std::string(principal_arn), "user"});
    }
    return out;
}

std::optional<AccountSetting> EcsStore::find_account_setting(const Scope& scope,
                                                             std::string_view principal_arn,
                                                             std::string_view name) {
    auto q = database_.query(
        "SELECT value FROM ecs_account_settings WHERE account_id = ? AND region = ? AND "
        "principal_arn = ? AND name = ?",
        scope.account_id, scope.region, principal_arn, name);
    if (!q.next()) {
        return std::nullopt;
    }
    return AccountSetting{std::string(name), q.text(0), std::string(principal_arn), "user"};
}

void EcsStore::put_account_setting(const Scope& scope, const AccountSetting& setting) {
    database_.execute(
        "INSERT OR REPLACE INTO ecs_account_settings (account_id, region, principal_arn, name, "
        "value) VALUES (?, ?, ?, ?, ?)",
        scope.account_id, scope.region, setting.principal_arn, setting.name, setting.value);
}

void EcsStore::delete_account_setting(const Scope& scope, std::string_view principal_arn,
                                      std::string_view name) {
    database_.execute(
        "DELETE FROM ecs_account_settings WHERE account_id = ? AND region = ? AND "
        "principal_arn = ? AND name = ?",
        scope.account_id, scope.region, principal_arn, name);
}

}  // namespace awsemu::ecs
