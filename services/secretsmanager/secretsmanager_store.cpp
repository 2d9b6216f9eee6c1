#include "services/secretsmanager/secretsmanager_store.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "emulator/auth/crypto.hpp"

namespace awsemu::secretsmanager {
namespace {

const std::vector<std::string> kMigrations = {
    R"(
    CREATE TABLE secretsmanager_secrets (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        arn TEXT NOT NULL,
        description TEXT,
        kms_key_id TEXT,
        secret_type TEXT,
        owning_service TEXT,
        created_ms INTEGER NOT NULL,
        last_changed_ms INTEGER NOT NULL,
        last_accessed_ms INTEGER,
        last_rotated_ms INTEGER,
        deleted_ms INTEGER,
        deletion_ms INTEGER,
        rotation_enabled INTEGER,
        rotation_lambda_arn TEXT,
        rotation_rules TEXT,
        next_rotation_ms INTEGER,
        external_rotation_metadata TEXT,
        external_rotation_role_arn TEXT,
        resource_policy TEXT,
        tags_set INTEGER NOT NULL DEFAULT 0,
        primary_region TEXT,
        PRIMARY KEY (account_id, region, name)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX secretsmanager_secrets_by_arn
        ON secretsmanager_secrets (account_id, region, arn);
    CREATE INDEX secretsmanager_secrets_by_deletion
        ON secretsmanager_secrets (account_id, region, deletion_ms);
    CREATE TABLE secretsmanager_versions (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        secret_name TEXT NOT NULL,
        version_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        secret_string TEXT,
        secret_binary TEXT,
        kms_key_id TEXT,
        created_ms INTEGER NOT NULL,
        last_accessed_ms INTEGER,
        PRIMARY KEY (account_id, region, secret_name, version_id),
        FOREIGN KEY (account_id, region, secret_name)
            REFERENCES secretsmanager_secrets (account_id, region, name) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE TABLE secretsmanager_version_stages (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        secret_name TEXT NOT NULL,
        stage TEXT NOT NULL,
        version_id TEXT NOT NULL,
        PRIMARY KEY (account_id, region, secret_name, stage),
        FOREIGN KEY (account_id, region, secret_name, version_id)
            REFERENCES secretsmanager_versions (account_id, region, secret_name, version_id)
            ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE TABLE secretsmanager_tags (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        secret_name TEXT NOT NULL,
        tag_key TEXT NOT NULL,
        tag_value TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, secret_name, tag_key),
        FOREIGN KEY (account_id, region, secret_name)
            REFERENCES secretsmanager_secrets (account_id, region, name) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE TABLE secretsmanager_replicas (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        secret_name TEXT NOT NULL,
        replica_region TEXT NOT NULL,
        kms_key_id TEXT,
        status TEXT NOT NULL,
        status_message TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, secret_name, replica_region),
        FOREIGN KEY (account_id, region, secret_name)
            REFERENCES secretsmanager_secrets (account_id, region, name) ON DELETE CASCADE
    ) WITHOUT ROWID;
    )"};

constexpr std::string_view kSecretColumns =
    "name, arn, description, kms_key_id, secret_type, owning_service, created_ms, "
    "last_changed_ms, last_accessed_ms, last_rotated_ms, deleted_ms, deletion_ms, "
    "rotation_enabled, rotation_lambda_arn, rotation_rules, next_rotation_ms, "
    "external_rotation_metadata, external_rotation_role_arn, resource_policy, tags_set, "
    "primary_region";

std::string select_secrets(std::string_view where) {
    return "SELECT " + std::string(kSecretColumns) + " FROM secretsmanager_secrets WHERE " +
           std::string(where);
}

std::optional<std::string> rules_to_text(const std::optional<RotationRules>& rules) {
    if (!rules) {
        return std::nullopt;
    }
    nlohmann::json json = nlohmann::json::object();
    if (rules->automatically_after_days) {
        json["AutomaticallyAfterDays"] = *rules->automatically_after_days;
    }
    if (rules->duration) {
        json["Duration"] = *rules->duration;
    }
    if (rules->schedule_expression) {
        json["ScheduleExpression"] = *rules->schedule_expression;
    }
    return json.dump();
}

std::optional<RotationRules> rules_from_text(const std::optional<std::string>& text) {
    if (!text) {
        return std::nullopt;
    }
    const auto json = nlohmann::json::parse(*text);
    RotationRules rules;
    if (json.contains("AutomaticallyAfterDays")) {
        rules.automatically_after_days = json["AutomaticallyAfterDays"].get<std::int64_t>();
    }
    if (json.contains("Duration")) {
        rules.duration = json["Duration"].get<std::string>();
    }
    if (json.contains("ScheduleExpression")) {
        rules.schedule_expression = json["ScheduleExpression"].get<std::string>();
    }
    return rules;
}

Secret read_secret(const Query& q) {
    Secret s;
    s.name = q.text(0);
    s.arn = q.text(1);
    s.description = q.optional_text(2);
    s.kms_key_id = q.optional_text(3);
    s.type = q.optional_text(4);
    s.owning_service = q.optional_text(5);
    s.created_ms = q.integer(6);
    s.last_changed_ms = q.integer(7);
    s.last_accessed_ms = q.optional_integer(8);
    s.last_rotated_ms = q.optional_integer(9);
    s.deleted_ms = q.optional_integer(10);
    s.deletion_ms = q.optional_integer(11);
    if (const auto enabled = q.optional_integer(12)) {
        s.rotation_enabled = *enabled != 0;
    }
    s.rotation_lambda_arn = q.optional_text(13);
    s.rotation_rules = rules_from_text(q.optional_text(14));
    s.next_rotation_ms = q.optional_integer(15);
    s.external_rotation_metadata = q.optional_text(16);
    s.external_rotation_role_arn = q.optional_text(17);
    s.resource_policy = q.optional_text(18);
    s.tags_set = q.integer(19) != 0;
    s.primary_region = q.optional_text(20);
    return s;
}

std::optional<std::int64_t> enabled_flag(const std::optional<bool>& enabled) {
    if (!enabled) {
        return std::nullopt;
    }
    return *enabled ? 1 : 0;
}

std::optional<std::string> encode_binary(const std::optional<std::string>& bytes) {
    if (!bytes) {
        return std::nullopt;
    }
    return auth::base64_encode(*bytes);
}

std::optional<std::string> decode_binary(const std::optional<std::string>& text) {
    if (!text) {
        return std::nullopt;
    }
    return auth::base64_decode(*text).value_or(std::string());
}

constexpr std::string_view kVersionColumns =
    "version_id, secret_string, secret_binary, kms_key_id, created_ms, last_accessed_ms";

// kVersionColumns from column `at` on.
SecretVersion read_version(const Query& q, int at = 0) {
    SecretVersion v;
    v.version_id = q.text(at);
    v.data.string = q.optional_text(at + 1);
    v.data.binary = decode_binary(q.optional_text(at + 2));
    v.kms_key_id = q.optional_text(at + 3);
    v.created_ms = q.integer(at + 4);
    v.last_accessed_ms = q.optional_integer(at + 5);
    return v;
}

// A version's columns and its staging labels, joined with the unit separator (which no label
// contains in practice; a literal, as char(31) is a function call per execution), as one result
// column. The account and region are the parameters ?1 and ?2 of every statement that uses it:
// SQLite copies a column it compares into a register, an allocation per value, while a
// parameter is used in place.
constexpr std::string_view kVersionWithStagesColumns =
    "v.version_id, v.secret_string, v.secret_binary, v.kms_key_id, v.created_ms, "
    "v.last_accessed_ms, (SELECT group_concat(s.stage, '\x1f') FROM "
    "secretsmanager_version_stages s WHERE s.account_id = ?1 AND s.region = ?2 "
    "AND s.secret_name = v.secret_name AND s.version_id = v.version_id)";

// One version and its staging labels in one statement.
const std::string kSelectVersionWithStages =
    "SELECT " + std::string(kVersionWithStagesColumns) +
    " FROM secretsmanager_versions v WHERE v.account_id = ?1 AND v.region = ?2 AND "
    "v.secret_name = ?3 AND ";

// GetSecretValue's read in one statement: a secret (`where` names it by ?3), and the version
// carrying the stage ?4 with its labels, or NULLs when no version carries it.
std::string select_secret_with_stage(std::string_view where) {
    // The versions table shares column names with the secrets table: qualify the secret's.
    std::string sql = "SELECT x.";
    for (const char c : kSecretColumns) {
        sql += c;
        if (c == ' ') {
            sql += "x.";
        }
    }
    return sql + ", " + std::string(kVersionWithStagesColumns) +
           " FROM secretsmanager_secrets x LEFT JOIN secretsmanager_version_stages c ON "
           "c.account_id = ?1 AND c.region = ?2 AND c.secret_name = x.name AND c.stage = ?4 "
           "LEFT JOIN secretsmanager_versions v ON v.account_id = ?1 AND v.region = ?2 AND "
           "v.secret_name = x.name AND v.version_id = c.version_id WHERE x.account_id = ?1 AND "
           "x.region = ?2 AND x." +
           std::string(where);
}

// kVersionWithStagesColumns from column `at` on.
SecretVersion read_version_with_stages(const Query& q, int at = 0) {
    SecretVersion version = read_version(q, at);
    const std::string stages = q.text(at + 6);
    std::size_t start = 0;
    while (start < stages.size()) {
        const auto end = std::min(stages.find('\x1f', start), stages.size());
        version.stages.push_back(stages.substr(start, end - start));
        start = end + 1;
    }
    std::sort(version.stages.begin(), version.stages.end());
    return version;
}

std::optional<SecretWithVersion> read_secret_with_version(Query& q) {
    if (!q.next()) {
        return std::nullopt;
    }
    constexpr int kFirstVersionColumn = 21;
    SecretWithVersion found{read_secret(q), std::nullopt};
    if (!q.is_null(kFirstVersionColumn)) {
        found.version = read_version_with_stages(q, kFirstVersionColumn);
    }
    return found;
}

}  // namespace

SecretsManagerStore::SecretsManagerStore(Database& database) : database_(database) {
    database_.migrate("secretsmanager", kMigrations);
}

void SecretsManagerStore::purge_expired(const Scope& scope, std::int64_t now_ms) {
    // Looked for first, so that a read stays a read-only transaction.
    {
        auto due = database_.query(
            "SELECT 1 FROM secretsmanager_secrets WHERE account_id = ? AND region = ? AND "
            "deletion_ms IS NOT NULL AND deletion_ms <= ? LIMIT 1",
            scope.account_id, scope.region, now_ms);
        if (!due.next()) {
            return;
        }
    }
    database_.execute(
        "DELETE FROM secretsmanager_secrets WHERE account_id = ? AND region = ? AND "
        "deletion_ms IS NOT NULL AND deletion_ms <= ?",
        scope.account_id, scope.region, now_ms);
}

std::optional<Secret> SecretsManagerStore::find_by_name(const Scope& scope, std::string_view name) {
    static const std::string kSql = select_secrets("account_id = ? AND region = ? AND name = ?");
    auto q = database_.query(kSql, scope.account_id, scope.region, name);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_secret(q);
}

std::optional<Secret> SecretsManagerStore::find_by_arn(const Scope& scope, std::string_view arn) {
    static const std::string kSql = select_secrets("account_id = ? AND region = ? AND arn = ?");
    auto q = database_.query(kSql, scope.account_id, scope.region, arn);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_secret(q);
}

std::optional<SecretWithVersion> SecretsManagerStore::find_by_name_with_stage(
    const Scope& scope, std::string_view name, std::string_view stage) {
    static const std::string kSql = select_secret_with_stage("name = ?3");
    auto q = database_.query(kSql, scope.account_id, scope.region, name, stage);
    return read_secret_with_version(q);
}

std::optional<SecretWithVersion> SecretsManagerStore::find_by_arn_with_stage(
    const Scope& scope, std::string_view arn, std::string_view stage) {
    static const std::string kSql = select_secret_with_stage("arn = ?3");
    auto q = database_.query(kSql, scope.account_id, scope.region, arn, stage);
    return read_secret_with_version(q);
}

std::vector<Secret> SecretsManagerStore::list_secrets(const Scope& scope) {
    std::vector<Secret> secrets;
    static const std::string kSql = select_secrets("account_id = ? AND region = ? ORDER BY name");
    auto q = database_.query(kSql, scope.account_id, scope.region);
    while (q.next()) {
        secrets.push_back(read_secret(q));
    }
    return secrets;
}

void SecretsManagerStore::insert_secret(const Scope& scope, const Secret& s) {
    database_.execute(
        "INSERT INTO secretsmanager_secrets (account_id, region, " + std::string(kSecretColumns) +
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        scope.account_id, scope.region, s.name, s.arn, s.description, s.kms_key_id, s.type,
        s.owning_service, s.created_ms, s.last_changed_ms, s.last_accessed_ms, s.last_rotated_ms,
        s.deleted_ms, s.deletion_ms, enabled_flag(s.rotation_enabled), s.rotation_lambda_arn,
        rules_to_text(s.rotation_rules), s.next_rotation_ms, s.external_rotation_metadata,
        s.external_rotation_role_arn, s.resource_policy, s.tags_set, s.primary_region);
}

void SecretsManagerStore::update_secret(const Scope& scope, const Secret& s) {
    database_.execute(
        "UPDATE secretsmanager_secrets SET description = ?, kms_key_id = ?, secret_type = ?, "
        "owning_service = ?, last_changed_ms = ?, last_accessed_ms = ?, last_rotated_ms = ?, "
        "deleted_ms = ?, deletion_ms = ?, rotation_enabled = ?, rotation_lambda_arn = ?, "
        "rotation_rules = ?, next_rotation_ms = ?, external_rotation_metadata = ?, "
        "external_rotation_role_arn = ?, resource_policy = ?, tags_set = ?, primary_region = ? "
        "WHERE account_id = ? AND region = ? AND name = ?",
        s.description, s.kms_key_id, s.type, s.owning_service, s.last_changed_ms,
        s.last_accessed_ms, s.last_rotated_ms, s.deleted_ms, s.deletion_ms,
        enabled_flag(s.rotation_enabled), s.rotation_lambda_arn, rules_to_text(s.rotation_rules),
        s.next_rotation_ms, s.external_rotation_metadata, s.external_rotation_role_arn,
        s.resource_policy, s.tags_set, s.primary_region, scope.account_id, scope.region, s.name);
}

void SecretsManagerStore::delete_secret(const Scope& scope, std::string_view name) {
    database_.execute(
        "DELETE FROM secretsmanager_secrets WHERE account_id = ? AND region = ? AND name = ?",
        scope.account_id, scope.region, name);
}

std::vector<Tag> SecretsManagerStore::tags(const Scope& scope, std::string_view name) {
    std::vector<Tag> tags;
    auto q = database_.query(
        "SELECT tag_key, tag_value FROM secretsmanager_tags WHERE account_id = ? AND region = ? "
        "AND secret_name = ? ORDER BY position",
        scope.account_id, scope.region, name);
    while (q.next()) {
        tags.push_back(Tag{q.text(0), q.text(1)});
    }
    return tags;
}

void SecretsManagerStore::replace_tags(const Scope& scope, std::string_view name,
                                       const std::vector<Tag>& tags) {
    database_.execute(
        "DELETE FROM secretsmanager_tags WHERE account_id = ? AND region = ? AND secret_name = ?",
        scope.account_id, scope.region, name);
    std::int64_t position = 0;
    for (const auto& tag : tags) {
        database_.execute(
            "INSERT INTO secretsmanager_tags (account_id, region, secret_name, tag_key, tag_value, "
            "position) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, region, secret_name, "
            "tag_key) DO UPDATE SET tag_value = excluded.tag_value",
            scope.account_id, scope.region, name, tag.key, tag.value, position++);
    }
}

std::vector<SecretVersion> SecretsManagerStore::versions(const Scope& scope,
                                                         std::string_view name) {
    std::vector<SecretVersion> versions;
    {
        auto q = database_.query("SELECT " + std::string(kVersionColumns) +
                                     " FROM secretsmanager_versions WHERE account_id = ? AND "
                                     "region = ? AND secret_name = ? ORDER BY seq",
                                 scope.account_id, scope.region, name);
        while (q.next()) {
            versions.push_back(read_version(q));
        }
    }
    auto q = database_.query(
        "SELECT version_id, stage FROM secretsmanager_version_stages WHERE account_id = ? AND "
        "region = ? AND secret_name = ? ORDER BY stage",
        scope.account_id, scope.region, name);
    while (q.next()) {
        const std::string version_id = q.text(0);
        const auto it = std::find_if(versions.begin(), versions.end(), [&](const SecretVersion& v) {
            return v.version_id == version_id;
        });
        if (it != versions.end()) {
            it->stages.push_back(q.text(1));
        }
    }
    return versions;
}

std::optional<SecretVersion> SecretsManagerStore::find_version(const Scope& scope,
                                                               std::string_view name,
                                                               std::string_view version_id) {
    static const std::string kSql = kSelectVersionWithStages + "v.version_id = ?4";
    auto q = database_.query(kSql, scope.account_id, scope.region, name, version_id);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_version_with_stages(q);
}

std::optional<SecretVersion> SecretsManagerStore::find_version_by_stage(const Scope& scope,
                                                                        std::string_view name,
                                                                        std::string_view stage) {
    static const std::string kSql =
        kSelectVersionWithStages +
        "v.version_id = (SELECT version_id FROM secretsmanager_version_stages WHERE account_id = "
        "?1 AND region = ?2 AND secret_name = ?3 AND stage = ?4)";
    auto q = database_.query(kSql, scope.account_id, scope.region, name, stage);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_version_with_stages(q);
}

void SecretsManagerStore::insert_version(const Scope& scope, std::string_view name,
                                         const SecretVersion& v) {
    database_.execute(
        "INSERT INTO secretsmanager_versions (account_id, region, secret_name, version_id, seq, "
        "secret_string, secret_binary, kms_key_id, created_ms, last_accessed_ms) "
        "VALUES (?1, ?2, ?3, ?4, (SELECT COALESCE(MAX(seq), 0) + 1 FROM secretsmanager_versions "
        "WHERE account_id = ?1 AND region = ?2 AND secret_name = ?3), ?5, ?6, ?7, ?8, ?9)",
        scope.account_id, scope.region, name, v.version_id, v.data.string,
        encode_binary(v.data.binary), v.kms_key_id, v.created_ms, v.last_accessed_ms);
}

void SecretsManagerStore::attach_stage(const Scope& scope, std::string_view name,
                                       std::string_view stage, std::string_view version_id) {
    database_.execute(
        "INSERT INTO secretsmanager_version_stages (account_id, region, secret_name, stage, "
        "version_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, region, secret_name, stage) "
        "DO UPDATE SET version_id = excluded.version_id",
        scope.account_id, scope.region, name, stage, version_id);
}

void SecretsManagerStore::detach_stage(const Scope& scope, std::string_view name,
                                       std::string_view stage) {
    database_.execute(
        "DELETE FROM secretsmanager_version_stages WHERE account_id = ? AND region = ? AND "
        "secret_name = ? AND stage = ?",
        scope.account_id, scope.region, name, stage);
}

void SecretsManagerStore::set_version_accessed(const Scope& scope, std::string_view name,
                                               std::string_view version_id, std::int64_t day_ms) {
    database_.execute(
        "UPDATE secretsmanager_versions SET last_accessed_ms = ? WHERE account_id = ? AND "
        "region = ? AND secret_name = ? AND version_id = ?",
        day_ms, scope.account_id, scope.region, name, version_id);
}

void SecretsManagerStore::set_versions_kms_key(const Scope& scope, std::string_view name,
                                               const std::optional<std::string>& kms_key_id,
                                               const std::vector<std::string_view>& stages) {
    for (const auto stage : stages) {
        database_.execute(
            "UPDATE secretsmanager_versions SET kms_key_id = ? WHERE account_id = ? AND "
            "region = ? AND secret_name = ? AND version_id IN (SELECT version_id FROM "
            "secretsmanager_version_stages WHERE account_id = ? AND region = ? AND "
            "secret_name = ? AND stage = ?)",
            kms_key_id, scope.account_id, scope.region, name, scope.account_id, scope.region, name,
            stage);
    }
}

void SecretsManagerStore::prune_deprecated_versions(const Scope& scope, std::string_view name,
                                                    std::size_t keep, std::int64_t now_ms) {
    database_.execute(
        "DELETE FROM secretsmanager_versions WHERE account_id = ?1 AND region = ?2 AND "
        "secret_name = ?3 AND created_ms <= ?4 AND version_id IN ("
        "  SELECT v.version_id FROM secretsmanager_versions v WHERE v.account_id = ?1 AND "
        "  v.region = ?2 AND v.secret_name = ?3 AND NOT EXISTS (SELECT 1 FROM "
        "  secretsmanager_version_stages s WHERE s.account_id = ?1 AND s.region = ?2 AND "
        "  s.secret_name = ?3 AND s.version_id = v.version_id) ORDER BY v.seq DESC LIMIT -1 "
        "  OFFSET ?5)",
        scope.account_id, scope.region, name, now_ms - kMillisecondsPerDay,
        static_cast<std::int64_t>(keep));
}

std::vector<ReplicaStatus> SecretsManagerStore::replicas(const Scope& scope,
                                                         std::string_view name) {
    std::vector<ReplicaStatus> replicas;
    auto q = database_.query(
        "SELECT replica_region, kms_key_id, status, status_message FROM secretsmanager_replicas "
        "WHERE account_id = ? AND region = ? AND secret_name = ? ORDER BY position",
        scope.account_id, scope.region, name);
    while (q.next()) {
        replicas.push_back(ReplicaStatus{q.text(0), q.optional_text(1), q.text(2), q.text(3)});
    }
    return replicas;
}

void SecretsManagerStore::upsert_replica(const Scope& scope, std::string_view name,
                                         const ReplicaStatus& r) {
    database_.execute(
        "INSERT INTO secretsmanager_replicas (account_id, region, secret_name, replica_region, "
        "kms_key_id, status, status_message, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        "(SELECT COALESCE(MAX(position), 0) + 1 FROM secretsmanager_replicas WHERE "
        "account_id = ?1 AND region = ?2 AND secret_name = ?3)) ON CONFLICT (account_id, region, "
        "secret_name, replica_region) DO UPDATE SET kms_key_id = excluded.kms_key_id, "
        "status = excluded.status, status_message = excluded.status_message",
        scope.account_id, scope.region, name, r.region, r.kms_key_id, r.status, r.status_message);
}

void SecretsManagerStore::delete_replica(const Scope& scope, std::string_view name,
                                         std::string_view region) {
    database_.execute(
        "DELETE FROM secretsmanager_replicas WHERE account_id = ? AND region = ? AND "
        "secret_name = ? AND replica_region = ?",
        scope.account_id, scope.region, name, region);
}

void SecretsManagerStore::copy_secret_contents(const Scope& from, const Scope& to,
                                               std::string_view name) {
    database_.execute(
        "UPDATE secretsmanager_secrets AS r SET description = p.description, "
        "secret_type = p.secret_type, owning_service = p.owning_service, "
        "last_changed_ms = p.last_changed_ms, last_rotated_ms = p.last_rotated_ms, "
        "rotation_enabled = p.rotation_enabled, rotation_lambda_arn = p.rotation_lambda_arn, "
        "rotation_rules = p.rotation_rules, next_rotation_ms = p.next_rotation_ms, "
        "external_rotation_metadata = p.external_rotation_metadata, "
        "external_rotation_role_arn = p.external_rotation_role_arn, "
        "resource_policy = p.resource_policy, tags_set = p.tags_set "
        "FROM secretsmanager_secrets AS p WHERE p.account_id = ?1 AND p.region = ?2 AND "
        "p.name = ?3 AND r.account_id = ?1 AND r.region = ?4 AND r.name = ?3",
        from.account_id, from.region, name, to.region);
    database_.execute(
        "DELETE FROM secretsmanager_versions WHERE account_id = ? AND region = ? AND "
        "secret_name = ?",
        to.account_id, to.region, name);
    database_.execute(
        "INSERT INTO secretsmanager_versions (account_id, region, secret_name, version_id, seq, "
        "secret_string, secret_binary, kms_key_id, created_ms, last_accessed_ms) SELECT "
        "account_id, ?4, secret_name, version_id, seq, secret_string, secret_binary, kms_key_id, "
        "created_ms, last_accessed_ms FROM secretsmanager_versions WHERE account_id = ?1 AND "
        "region = ?2 AND secret_name = ?3",
        from.account_id, from.region, name, to.region);
    database_.execute(
        "INSERT INTO secretsmanager_version_stages (account_id, region, secret_name, stage, "
        "version_id) SELECT account_id, ?4, secret_name, stage, version_id FROM "
        "secretsmanager_version_stages WHERE account_id = ?1 AND region = ?2 AND secret_name = ?3",
        from.account_id, from.region, name, to.region);
    replace_tags(to, name, tags(from, name));
}

}  // namespace awsemu::secretsmanager
