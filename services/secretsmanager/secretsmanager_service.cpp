#include "services/secretsmanager/secretsmanager_service.hpp"

#include <algorithm>

#include "emulator/auth/crypto.hpp"
#include "services/secretsmanager/secretsmanager_errors.hpp"
#include "services/secretsmanager/secretsmanager_input.hpp"

namespace awsemu::secretsmanager {
namespace {

constexpr std::string_view kMarkedForDeletion =
    "You can't perform this operation on the secret because it was marked for deletion.";
constexpr std::string_view kReplicaMessage =
    "Operation not permitted on a replica secret. Call must be made in primary secret's region.";

// A secret id is a name, a full ARN or a partial ARN (the ARN without the random suffix, which
// ends at the name). An ARN of another region or account names no secret here.
template <class ByName, class ByArn>
auto find_by_id(const Scope& scope, const std::string& secret_id, ByName by_name, ByArn by_arn)
    -> decltype(by_name(std::string_view())) {
    const auto arn = parse_secret_arn(secret_id);
    if (!arn) {
        return by_name(secret_id);
    }
    if (arn->region != scope.region || arn->account_id != scope.account_id) {
        return std::nullopt;
    }
    if (auto found = by_arn(secret_id)) {
        return found;
    }
    return by_name(arn->resource);
}

}  // namespace

std::optional<Secret> SecretsManagerService::find_secret(const Scope& scope,
                                                         const std::string& secret_id) {
    return find_by_id(
        scope, secret_id, [&](std::string_view name) { return store_.find_by_name(scope, name); },
        [&](std::string_view arn) { return store_.find_by_arn(scope, arn); });
}

void SecretsManagerService::check_access(const RequestContext& context,
                                         std::optional<Secret>& secret, Access access) {
    // A secret whose recovery window has passed is gone: purged on the first look after it
    // ends (looking only at the secret asked for keeps the hot read path one query shorter).
    if (secret && secret->deletion_ms) {
        const std::int64_t now = to_epoch_ms(context.now());
        if (*secret->deletion_ms <= now) {
            store_.purge_expired(context.scope, now);
            secret.reset();
        }
    }
    if (!secret) {
        throw AwsError(errors::ResourceNotFoundException,
                       "Secrets Manager can't find the specified secret.");
    }
    if ((access == Access::Write || access == Access::WriteWhenDeleted) && secret->is_replica()) {
        throw AwsError(errors::InvalidRequestException, std::string(kReplicaMessage));
    }
    if ((access == Access::Write || access == Access::ReadValue) && secret->is_deleted()) {
        throw AwsError(errors::InvalidRequestException, std::string(kMarkedForDeletion));
    }
}

Secret SecretsManagerService::require_secret(const RequestContext& context,
                                             const std::string& secret_id, Access access) {
    auto secret = find_secret(context.scope, secret_id);
    check_access(context, secret, access);
    return std::move(*secret);
}

SecretWithVersion SecretsManagerService::require_secret_with_stage(const RequestContext& context,
                                                                   const std::string& secret_id,
                                                                   std::string_view stage) {
    const Scope& scope = context.scope;
    auto found = find_by_id(
        scope, secret_id,
        [&](std::string_view name) { return store_.find_by_name_with_stage(scope, name, stage); },
        [&](std::string_view arn) { return store_.find_by_arn_with_stage(scope, arn, stage); });
    std::optional<Secret> secret;
    if (found) {
        secret = std::move(found->secret);
    }
    check_access(context, secret, Access::ReadValue);
    return SecretWithVersion{std::move(*secret), std::move(found->version)};
}

std::optional<std::string> SecretsManagerService::primary_region_of(const Scope& scope,
                                                                    const Secret& secret) {
    if (secret.primary_region) {
        return secret.primary_region;
    }
    if (!store_.replicas(scope, secret.name).empty()) {
        return scope.region;
    }
    return std::nullopt;
}

nlohmann::json SecretsManagerService::replication_status_json(const Scope& scope,
                                                              const Secret& secret) {
    nlohmann::json statuses = nlohmann::json::array();
    for (const auto& replica : store_.replicas(scope, secret.name)) {
        nlohmann::json status = {{"Region", replica.region},
                                 {"Status", replica.status},
                                 {"StatusMessage", replica.status_message}};
        if (replica.kms_key_id) {
            status["KmsKeyId"] = *replica.kms_key_id;
        }
        statuses.push_back(std::move(status));
    }
    return statuses;
}

nlohmann::json SecretsManagerService::describe_json(const Scope& scope, const Secret& secret,
                                                    bool list_entry) {
    nlohmann::json out = {{"ARN", secret.arn},
                          {"Name", secret.name},
                          {"CreatedDate", json_timestamp(secret.created_ms)},
                          {"LastChangedDate", json_timestamp(secret.last_changed_ms)}};
    const auto optional_string = [&](const char* key, const std::optional<std::string>& value) {
        if (value) {
            out[key] = *value;
        }
    };
    const auto optional_date = [&](const char* key, const std::optional<std::int64_t>& value) {
        if (value) {
            out[key] = json_timestamp(*value);
        }
    };
    optional_string("Description", secret.description);
    optional_string("KmsKeyId", secret.kms_key_id);
    optional_string("Type", secret.type);
    optional_string("OwningService", secret.owning_service);
    optional_string("RotationLambdaARN", secret.rotation_lambda_arn);
    optional_string("ExternalSecretRotationRoleArn", secret.external_rotation_role_arn);
    optional_date("LastAccessedDate", secret.last_accessed_ms);
    optional_date("LastRotatedDate", secret.last_rotated_ms);
    optional_date("DeletedDate", secret.deleted_ms);
    if (secret.rotation_enabled) {
        out["RotationEnabled"] = *secret.rotation_enabled;
        if (*secret.rotation_enabled) {
            optional_date("NextRotationDate", secret.next_rotation_ms);
        }
    }
    if (secret.rotation_rules) {
        nlohmann::json rules = nlohmann::json::object();
        if (secret.rotation_rules->automatically_after_days) {
            rules["AutomaticallyAfterDays"] = *secret.rotation_rules->automatically_after_days;
        }
        if (secret.rotation_rules->duration) {
            rules["Duration"] = *secret.rotation_rules->duration;
        }
        if (secret.rotation_rules->schedule_expression) {
            rules["ScheduleExpression"] = *secret.rotation_rules->schedule_expression;
        }
        out["RotationRules"] = std::move(rules);
    }
    if (secret.external_rotation_metadata) {
        out["ExternalSecretRotationMetadata"] =
            nlohmann::json::parse(*secret.external_rotation_metadata);
    }
    if (secret.tags_set) {
        nlohmann::json tags = nlohmann::json::array();
        for (const auto& tag : store_.tags(scope, secret.name)) {
            tags.push_back({{"Key", tag.key}, {"Value", tag.value}});
        }
        out["Tags"] = std::move(tags);
    }
    nlohmann::json stages = nlohmann::json::object();
    for (const auto& version : store_.versions(scope, secret.name)) {
        if (!version.stages.empty()) {
            stages[version.version_id] = version.stages;
        }
    }
    if (!stages.empty()) {
        out[list_entry ? "SecretVersionsToStages" : "VersionIdsToStages"] = std::move(stages);
    }
    if (const auto primary = primary_region_of(scope, secret)) {
        out["PrimaryRegion"] = *primary;
        if (!list_entry && !secret.is_replica()) {
            out["ReplicationStatus"] = replication_status_json(scope, secret);
        }
    }
    return out;
}

std::vector<Filter> SecretsManagerService::parse_filters(const Params& params) {
    std::vector<Filter> filters;
    const nlohmann::json* list = params.optional_array("Filters");
    if (list == nullptr) {
        return filters;
    }
    ConstraintCheck check;
    if (list->size() > 10) {
        check.add(
            "Value at 'filters' failed to satisfy constraint: Member must have length less "
            "than or equal to 10");
    }
    std::size_t index = 0;
    for (const auto& entry : *list) {
        ++index;
        if (!entry.is_object()) {
            throw_wrong_type("Filters", "a structure");
        }
        const std::string path = "filters." + std::to_string(index) + ".member";
        Filter filter;
        if (const auto key = entry.find("Key"); key != entry.end() && !key->is_null()) {
            if (!key->is_string()) {
                throw_wrong_type("Key", "a string");
            }
            filter.key = key->get<std::string>();
            check.one_of(
                path + ".key", filter.key,
                std::vector<std::string_view>(std::begin(kFilterKeys), std::end(kFilterKeys)));
        } else {
            throw AwsError(errors::InvalidParameterException, "Invalid filter key");
        }
        if (const auto values = entry.find("Values"); values != entry.end() && !values->is_null()) {
            filter.values = string_list_param(*values, "Values");
        }
        if (filter.values.empty() || filter.values.size() > 10) {
            check.add("Value at '" + path +
                      ".values' failed to satisfy constraint: Member must have length " +
                      (filter.values.empty() ? "greater than or equal to 1"
                                             : "less than or equal to 10"));
        }
        for (const auto& value : filter.values) {
            constexpr std::string_view kAllowed = " :_@/+=.-!";
            const bool valid = value.size() <= 512 &&
                               std::all_of(value.begin() + (value.starts_with("!") ? 1 : 0),
                                           value.end(), [&](char c) {
                                               return std::isalnum(static_cast<unsigned char>(c)) ||
                                                      kAllowed.find(c) != std::string_view::npos;
                                           });
            check.pattern(path + ".values", value, "^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$",
                          valid);
        }
        filters.push_back(std::move(filter));
    }
    check.check();
    return filters;
}

std::vector<Secret> SecretsManagerService::filtered_secrets(const Scope& scope,
                                                            const std::vector<Filter>& filters,
                                                            bool include_planned_deletion) {
    std::vector<Secret> result;
    for (auto& secret : store_.list_secrets(scope)) {
        if (secret.is_deleted() && !include_planned_deletion) {
            continue;
        }
        if (!filters.empty()) {
            const auto tags = store_.tags(scope, secret.name);
            if (!matches_filters({secret, tags, primary_region_of(scope, secret)}, filters)) {
                continue;
            }
        }
        result.push_back(std::move(secret));
    }
    return result;
}

std::vector<std::string> SecretsManagerService::add_version(const Scope& scope, Secret& secret,
                                                            const std::string& version_id,
                                                            const SecretData& data,
                                                            std::vector<std::string> stages,
                                                            std::int64_t now_ms) {
    const bool first = store_.versions(scope, secret.name).empty();
    if (first && std::find(stages.begin(), stages.end(), kAwsCurrent) == stages.end()) {
        stages.emplace_back(kAwsCurrent);
    }
    SecretVersion version;
    version.version_id = version_id;
    version.data = data;
    version.created_ms = now_ms;
    version.kms_key_id = secret.kms_key_id;
    store_.insert_version(scope, secret.name, version);
    // AWSCURRENT last, so that its AWSPREVIOUS rule wins over an explicit AWSPREVIOUS.
    std::stable_partition(stages.begin(), stages.end(),
                          [](const std::string& stage) { return stage != kAwsCurrent; });
    for (const auto& stage : stages) {
        move_stage(scope, secret, stage, version_id, now_ms);
    }
    store_.prune_deprecated_versions(scope, secret.name, kMaxDeprecatedVersions, now_ms);
    std::sort(stages.begin(), stages.end());
    stages.erase(std::unique(stages.begin(), stages.end()), stages.end());
    return stages;
}

void SecretsManagerService::move_stage(const Scope& scope, Secret& secret, std::string_view stage,
                                       const std::string& version_id, std::int64_t now_ms) {
    const auto holder = store_.find_version_by_stage(scope, secret.name, stage);
    if (holder && holder->version_id == version_id) {
        return;
    }
    if (stage == kAwsCurrent) {
        const auto target = store_.find_version(scope, secret.name, version_id);
        if (target && target->has_stage(kAwsPending)) {
            // Moving AWSCURRENT onto the pending version is the last step of a rotation.
            secret.last_rotated_ms = now_ms;
            if (secret.rotation_enabled.value_or(false) && secret.rotation_rules) {
                secret.next_rotation_ms = next_rotation_ms(*secret.rotation_rules, now_ms);
            }
        }
        if (holder) {
            store_.attach_stage(scope, secret.name, kAwsPrevious, holder->version_id);
        }
    }
    store_.attach_stage(scope, secret.name, stage, version_id);
}

void SecretsManagerService::record_access(const Scope& scope, Secret& secret,
                                          const SecretVersion& version, std::int64_t now_ms) {
    const std::int64_t today = day_start_ms(now_ms);
    if (version.last_accessed_ms != today) {
        store_.set_version_accessed(scope, secret.name, version.version_id, today);
    }
    if (secret.last_accessed_ms != today) {
        secret.last_accessed_ms = today;
        store_.update_secret(scope, secret);
    }
}

nlohmann::json SecretsManagerService::value_json(const Secret& secret,
                                                 const SecretVersion& version) {
    // Member by member: an initializer list builds and copies a [key, value] array per member,
    // which costs GetSecretValue, the hottest operation, more than the members themselves.
    nlohmann::json out = nlohmann::json::object();
    out["ARN"] = secret.arn;
    out["Name"] = secret.name;
    out["VersionId"] = version.version_id;
    out["CreatedDate"] = json_timestamp(version.created_ms);
    if (!version.stages.empty()) {
        out["VersionStages"] = version.stages;
    }
    if (version.data.string) {
        out["SecretString"] = *version.data.string;
    }
    if (version.data.binary) {
        out["SecretBinary"] = auth::base64_encode(*version.data.binary);
    }
    return out;
}

void SecretsManagerService::save(const Scope& scope, const Secret& secret) {
    store_.update_secret(scope, secret);
    sync_replicas(scope, secret);
}

void SecretsManagerService::sync_replicas(const Scope& scope, const Secret& secret) {
    for (const auto& replica : store_.replicas(scope, secret.name)) {
        if (replica.status != "InSync") {
            continue;
        }
        store_.copy_secret_contents(scope, Scope{scope.account_id, replica.region}, secret.name);
    }
}

ServiceDefinition make_service_definition(Database& database) {
    auto service = std::make_shared<SecretsManagerService>(database);
    ServiceDefinition definition;
    definition.name = "secretsmanager";
    definition.signing_name = "secretsmanager";
    definition.protocol = Protocol::AwsJson11;
    definition.json_target_prefix = "secretsmanager";
    using S = SecretsManagerService;
    const std::pair<const char*, nlohmann::json (S::*)(const RequestContext&, const Params&)>
        operations[] = {
            {"BatchGetSecretValue", &S::batch_get_secret_value},
            {"CancelRotateSecret", &S::cancel_rotate_secret},
            {"CreateSecret", &S::create_secret},
            {"DeleteResourcePolicy", &S::delete_resource_policy},
            {"DeleteSecret", &S::delete_secret},
            {"DescribeSecret", &S::describe_secret},
            {"GetRandomPassword", &S::get_random_password},
            {"GetResourcePolicy", &S::get_resource_policy},
            {"GetSecretValue", &S::get_secret_value},
            {"ListSecretVersionIds", &S::list_secret_version_ids},
            {"ListSecrets", &S::list_secrets},
            {"PutResourcePolicy", &S::put_resource_policy},
            {"PutSecretValue", &S::put_secret_value},
            {"RemoveRegionsFromReplication", &S::remove_regions_from_replication},
            {"ReplicateSecretToRegions", &S::replicate_secret_to_regions},
            {"RestoreSecret", &S::restore_secret},
            {"RotateSecret", &S::rotate_secret},
            {"StopReplicationToReplica", &S::stop_replication_to_replica},
            {"TagResource", &S::tag_resource},
            {"UntagResource", &S::untag_resource},
            {"UpdateSecret", &S::update_secret},
            {"UpdateSecretVersionStage", &S::update_secret_version_stage},
            {"ValidateResourcePolicy", &S::validate_resource_policy},
        };
    for (const auto& [name, method] : operations) {
        definition.operations.emplace(name, Operation{bind_operation(service, method)});
    }
    return definition;
}

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment) {
    registry.add(make_service_definition(environment.database));
}

}  // namespace awsemu::secretsmanager
