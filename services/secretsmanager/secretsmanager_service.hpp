#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"
#include "services/secretsmanager/secretsmanager_store.hpp"

namespace awsemu::secretsmanager {

// AWS Secrets Manager (JSON 1.1, target prefix "secretsmanager"). Handlers take decoded
// parameters and answer the response structure; the store holds the state. Handlers are split
// by resource: secretsmanager_ops_secrets.cpp (the secret itself, tags, policies),
// secretsmanager_ops_values.cpp (versions and values), secretsmanager_ops_rotation.cpp and
// secretsmanager_ops_replication.cpp.
class SecretsManagerService {
  public:
    explicit SecretsManagerService(Database& database) : store_(database) {}

    // The secret itself
    nlohmann::json create_secret(const RequestContext& context, const Params& params);
    // CreateSecret on behalf of another service, which owns the secret (OwningService).
    nlohmann::json create_service_secret(const RequestContext& context, const Params& params,
                                         const std::string& owning_service);
    nlohmann::json describe_secret(const RequestContext& context, const Params& params);
    nlohmann::json update_secret(const RequestContext& context, const Params& params);
    nlohmann::json delete_secret(const RequestContext& context, const Params& params);
    nlohmann::json restore_secret(const RequestContext& context, const Params& params);
    nlohmann::json list_secrets(const RequestContext& context, const Params& params);
    nlohmann::json tag_resource(const RequestContext& context, const Params& params);
    nlohmann::json untag_resource(const RequestContext& context, const Params& params);
    nlohmann::json get_resource_policy(const RequestContext& context, const Params& params);
    nlohmann::json put_resource_policy(const RequestContext& context, const Params& params);
    nlohmann::json delete_resource_policy(const RequestContext& context, const Params& params);
    nlohmann::json validate_resource_policy(const RequestContext& context, const Params& params);
    nlohmann::json get_random_password(const RequestContext& context, const Params& params);

    // Versions and values
    nlohmann::json get_secret_value(const RequestContext& context, const Params& params);
    nlohmann::json batch_get_secret_value(const RequestContext& context, const Params& params);
    nlohmann::json put_secret_value(const RequestContext& context, const Params& params);
    nlohmann::json list_secret_version_ids(const RequestContext& context, const Params& params);
    nlohmann::json update_secret_version_stage(const RequestContext& context, const Params& params);

    // Rotation
    nlohmann::json rotate_secret(const RequestContext& context, const Params& params);
    nlohmann::json cancel_rotate_secret(const RequestContext& context, const Params& params);

    // Replication
    nlohmann::json replicate_secret_to_regions(const RequestContext& context, const Params& params);
    nlohmann::json remove_regions_from_replication(const RequestContext& context,
                                                   const Params& params);
    nlohmann::json stop_replication_to_replica(const RequestContext& context, const Params& params);

    SecretsManagerStore& store() { return store_; }

  private:
    // What an operation may do with a secret it looks up.
    enum class Access {
        Read,              // allowed while the secret is scheduled for deletion and on replicas
        ReadValue,         // not while scheduled for deletion
        Write,             // neither on replicas nor while scheduled for deletion
        WriteWhenDeleted,  // not on replicas
    };
    // The secret named by a name, full ARN or partial ARN in the request's region; throws
    // ResourceNotFoundException, or InvalidRequestException when `access` forbids its state.
    Secret require_secret(const RequestContext& context, const std::string& secret_id,
                          Access access);
    std::optional<Secret> find_secret(const Scope& scope, const std::string& secret_id);
    // Throws as require_secret does when `secret` is missing (or purged here because its
    // recovery window has ended) or `access` forbids its state.
    void check_access(const RequestContext& context, std::optional<Secret>& secret, Access access);
    // require_secret(Access::ReadValue) and the version that carries `stage`, if any, in one
    // query.
    SecretWithVersion require_secret_with_stage(const RequestContext& context,
                                                const std::string& secret_id,
                                                std::string_view stage);
    // The secret and the version GetSecretValue means: by id (and then the stage must be on
    // it), else by stage, else AWSCURRENT.
    SecretWithVersion require_value(const RequestContext& context, const std::string& secret_id,
                                    const std::optional<std::string>& version_id,
                                    const std::optional<std::string>& stage);
    nlohmann::json create(const RequestContext& context, const Params& params,
                          const std::optional<std::string>& owning_service);

    nlohmann::json describe_json(const Scope& scope, const Secret& secret, bool list_entry);
    nlohmann::json replication_status_json(const Scope& scope, const Secret& secret);
    std::optional<std::string> primary_region_of(const Scope& scope, const Secret& secret);
    std::vector<Filter> parse_filters(const Params& params);
    std::vector<Secret> filtered_secrets(const Scope& scope, const std::vector<Filter>& filters,
                                         bool include_planned_deletion);

    // Creates a version holding `data` and moves `stages` to it (AWSCURRENT's previous holder
    // becomes AWSPREVIOUS; a secret's first version is always AWSCURRENT). Answers its labels.
    std::vector<std::string> add_version(const Scope& scope, Secret& secret,
                                         const std::string& version_id, const SecretData& data,
                                         std::vector<std::string> stages, std::int64_t now_ms);
    // Moves `stage` onto `version_id`, with AWSCURRENT's rules: the previous AWSCURRENT becomes
    // AWSPREVIOUS, and moving it onto the AWSPENDING version completes a rotation.
    void move_stage(const Scope& scope, Secret& secret, std::string_view stage,
                    const std::string& version_id, std::int64_t now_ms);
    // Marks the day of a read on the secret and the version (only when the day changed).
    void record_access(const Scope& scope, Secret& secret, const SecretVersion& version,
                       std::int64_t now_ms);
    nlohmann::json value_json(const Secret& secret, const SecretVersion& version);
    // Writes the secret and refreshes its replicas.
    void save(const Scope& scope, const Secret& secret);
    void sync_replicas(const Scope& scope, const Secret& secret);
    nlohmann::json replicate_to(const RequestContext& context, Secret& secret,
                                const nlohmann::json& regions, bool force_overwrite);

    SecretsManagerStore store_;
};

// The operation table, for the registry and for tests.
ServiceDefinition make_service_definition(Database& database);

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment);

}  // namespace awsemu::secretsmanager
