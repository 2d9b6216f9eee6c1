#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/service.hpp"
#include "emulator/store/database.hpp"
#include "services/secretsmanager/secretsmanager_model.hpp"

namespace awsemu::secretsmanager {

struct SecretWithVersion {
    Secret secret;
    std::optional<SecretVersion> version;
};

// All of Secrets Manager's SQL. Secrets are keyed by (account_id, region, name): a name is
// unique in a region until the secret is purged, and the ARN suffix tells its incarnations
// apart. Versions, their staging labels, tags and replica statuses hang off the secret and go
// with it. Callers run inside a transaction (the dispatcher's, or secretsmanager_api's own).
class SecretsManagerStore {
  public:
    explicit SecretsManagerStore(Database& database);

    // Secrets whose recovery window ended by `now_ms` are deleted for good, lazily, whenever the
    // scope is next looked at.
    void purge_expired(const Scope& scope, std::int64_t now_ms);

    std::optional<Secret> find_by_name(const Scope& scope, std::string_view name);
    std::optional<Secret> find_by_arn(const Scope& scope, std::string_view arn);
    // A secret with the version that carries `stage` (none when no version does), read in one
    // statement: GetSecretValue's hot path.
    std::optional<SecretWithVersion> find_by_name_with_stage(const Scope& scope,
                                                             std::string_view name,
                                                             std::string_view stage);
    std::optional<SecretWithVersion> find_by_arn_with_stage(const Scope& scope,
                                                            std::string_view arn,
                                                            std::string_view stage);
    std::vector<Secret> list_secrets(const Scope& scope);
    void insert_secret(const Scope& scope, const Secret& secret);
    // Writes every mutable field of the secret named secret.name.
    void update_secret(const Scope& scope, const Secret& secret);
    void delete_secret(const Scope& scope, std::string_view name);

    std::vector<Tag> tags(const Scope& scope, std::string_view name);
    void replace_tags(const Scope& scope, std::string_view name, const std::vector<Tag>& tags);

    // Oldest first, with their staging labels.
    std::vector<SecretVersion> versions(const Scope& scope, std::string_view name);
    std::optional<SecretVersion> find_version(const Scope& scope, std::string_view name,
                                              std::string_view version_id);
    std::optional<SecretVersion> find_version_by_stage(const Scope& scope, std::string_view name,
                                                       std::string_view stage);
    // Inserts the version without labels; attach them with attach_stage.
    void insert_version(const Scope& scope, std::string_view name, const SecretVersion& version);
    // Moves `stage` to `version_id`, wherever it was.
    void attach_stage(const Scope& scope, std::string_view name, std::string_view stage,
                      std::string_view version_id);
    void detach_stage(const Scope& scope, std::string_view name, std::string_view stage);
    void set_version_accessed(const Scope& scope, std::string_view name,
                              std::string_view version_id, std::int64_t day_ms);
    // Re-encrypting: the versions that carry any of `stages` now name `kms_key_id`.
    void set_versions_kms_key(const Scope& scope, std::string_view name,
                              const std::optional<std::string>& kms_key_id,
                              const std::vector<std::string_view>& stages);
    // Versions without labels beyond the newest `keep`, except those younger than a day.
    void prune_deprecated_versions(const Scope& scope, std::string_view name, std::size_t keep,
                                   std::int64_t now_ms);

    std::vector<ReplicaStatus> replicas(const Scope& scope, std::string_view name);
    void upsert_replica(const Scope& scope, std::string_view name, const ReplicaStatus& replica);
    void delete_replica(const Scope& scope, std::string_view name, std::string_view region);
    // Makes the secret `name` in `to` a copy of the one in `from` (metadata, versions, labels and
    // tags), keeping the copy's own ARN, KMS key, access dates and primary region.
    void copy_secret_contents(const Scope& from, const Scope& to, std::string_view name);

  private:
    Database& database_;
};

}  // namespace awsemu::secretsmanager
