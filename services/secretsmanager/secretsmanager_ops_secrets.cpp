// The secret as a resource: create, describe, update, delete and restore, list, tags, resource
// policies; and GetRandomPassword, which belongs to no secret.
#include <algorithm>

#include "services/secretsmanager/random_password.hpp"
#include "services/secretsmanager/secretsmanager_errors.hpp"
#include "services/secretsmanager/secretsmanager_input.hpp"
#include "services/secretsmanager/secretsmanager_service.hpp"

namespace awsemu::secretsmanager {
namespace {

constexpr std::size_t kDefaultListMaxResults = 100;

nlohmann::json arn_and_name(const Secret& secret) {
    return {{"ARN", secret.arn}, {"Name", secret.name}};
}

// A policy document as IAM parses it: a JSON object with a Statement (one or a list), each
// statement with an Effect of Allow or Deny.
bool is_well_formed_policy(const nlohmann::json& policy) {
    if (!policy.is_object() || !policy.contains("Statement")) {
        return false;
    }
    if (const auto version = policy.find("Version"); version != policy.end()) {
        if (!version->is_string() || (*version != "2012-10-17" && *version != "2008-10-17")) {
            return false;
        }
    }
    const auto& statements = policy["Statement"];
    const auto well_formed = [](const nlohmann::json& statement) {
        if (!statement.is_object()) {
            return false;
        }
        const auto effect = statement.find("Effect");
        return effect != statement.end() && effect->is_string() &&
               (*effect == "Allow" || *effect == "Deny");
    };
    if (statements.is_array()) {
        return !statements.empty() &&
               std::all_of(statements.begin(), statements.end(), well_formed);
    }
    return well_formed(statements);
}

bool is_wildcard_principal(const nlohmann::json& principal) {
    if (principal.is_string()) {
        return principal == "*";
    }
    if (principal.is_array()) {
        return std::any_of(principal.begin(), principal.end(), is_wildcard_principal);
    }
    if (principal.is_object()) {
        const auto aws = principal.find("AWS");
        return aws != principal.end() && is_wildcard_principal(*aws);
    }
    return false;
}

// Broad access as BlockPublicPolicy means it: an unconditioned Allow for any principal.
bool grants_public_access(const nlohmann::json& policy) {
    const auto& statements = policy["Statement"];
    const auto is_public = [](const nlohmann::json& statement) {
        const auto principal = statement.find("Principal");
        return statement["Effect"] == "Allow" && principal != statement.end() &&
               is_wildcard_principal(*principal) && !statement.contains("Condition");
    };
    if (statements.is_array()) {
        return std::any_of(statements.begin(), statements.end(), is_public);
    }
    return is_public(statements);
}

nlohmann::json parse_policy(const Params& params) {
    const std::string document = params.required_string("ResourcePolicy");
    ConstraintCheck check;
    check.length("resourcePolicy", document, 1, 20480);
    check.check();
    auto policy = nlohmann::json::parse(document, nullptr, /*allow_exceptions=*/false);
    if (policy.is_discarded() || !is_well_formed_policy(policy)) {
        throw AwsError(errors::MalformedPolicyDocumentException,
                       "This resource policy contains a syntax error.");
    }
    return policy;
}

}  // namespace

nlohmann::json SecretsManagerService::create_secret(const RequestContext& context,
                                                    const Params& params) {
    return create(context, params, std::nullopt);
}

nlohmann::json SecretsManagerService::create_service_secret(const RequestContext& context,
                                                            const Params& params,
                                                            const std::string& owning_service) {
    return create(context, params, owning_service);
}

nlohmann::json SecretsManagerService::create(const RequestContext& context, const Params& params,
                                             const std::optional<std::string>& owning_service) {
    const std::string name = params.required_string("Name");
    check_secret_name(name, owning_service.has_value());
    check_lengths(params, {{"Description", 0, 2048}, {"KmsKeyId", 0, 2048}, {"Type", 0, 256}});
    const auto token = client_token_param(params);
    const auto data = secret_data_param(params);
    std::optional<std::vector<Tag>> tags;
    if (const auto* list = params.optional_array("Tags")) {
        tags = tags_param(*list);
    }
    const nlohmann::json* replica_regions = params.optional_array("AddReplicaRegions");
    const bool force_overwrite =
        params.optional_bool("ForceOverwriteReplicaSecret").value_or(false);
    if (data && !token) {
        throw AwsError(errors::InvalidRequestException, std::string(kClientRequestTokenRequired));
    }

    const Scope& scope = context.scope;
    const std::int64_t now = to_epoch_ms(context.now());
    store_.purge_expired(scope, now);
    if (const auto existing = store_.find_by_name(scope, name)) {
        if (existing->is_deleted()) {
            throw AwsError(errors::InvalidRequestException,
                           "You can't create this secret because a secret with this name is "
                           "already scheduled for deletion.");
        }
        // A retry of the request that created it (same token, same value) succeeds again.
        if (token && data) {
            const auto version = store_.find_version(scope, name, *token);
            if (version && version->data == *data) {
                auto out = arn_and_name(*existing);
                out["VersionId"] = *token;
                return out;
            }
        }
        throw AwsError(errors::ResourceExistsException,
                       "The operation failed because the secret " + name + " already exists.");
    }

    Secret secret;
    secret.name = name;
    secret.arn = secret_arn(scope.region, scope.account_id, name, new_arn_suffix());
    secret.description = params.optional_string("Description");
    secret.kms_key_id = params.optional_string("KmsKeyId");
    secret.type = params.optional_string("Type");
    secret.owning_service = owning_service;
    secret.created_ms = now;
    secret.last_changed_ms = now;
    secret.tags_set = tags.has_value();
    store_.insert_secret(scope, secret);
    if (tags) {
        store_.replace_tags(scope, name, *tags);
    }
    auto out = arn_and_name(secret);
    if (data) {
        add_version(scope, secret, *token, *data, {std::string(kAwsCurrent)}, now);
        out["VersionId"] = *token;
    }
    if (replica_regions != nullptr) {
        out["ReplicationStatus"] = replicate_to(context, secret, *replica_regions, force_overwrite);
    }
    return out;
}

nlohmann::json SecretsManagerService::describe_secret(const RequestContext& context,
                                                      const Params& params) {
    const Secret secret = require_secret(context, secret_id_param(params), Access::Read);
    return describe_json(context.scope, secret, /*list_entry=*/false);
}

nlohmann::json SecretsManagerService::update_secret(const RequestContext& context,
                                                    const Params& params) {
    const std::string secret_id = secret_id_param(params);
    check_lengths(params, {{"Description", 0, 2048}, {"KmsKeyId", 0, 2048}, {"Type", 0, 256}});
    const auto token = client_token_param(params);
    const auto data = secret_data_param(params);
    if (data && !token) {
        throw AwsError(errors::InvalidRequestException, std::string(kClientRequestTokenRequired));
    }
    Secret secret = require_secret(context, secret_id, Access::Write);
    const Scope& scope = context.scope;
    const std::int64_t now = to_epoch_ms(context.now());
    if (data) {
        if (const auto existing = store_.find_version(scope, secret.name, *token)) {
            if (existing->data != *data) {
                throw AwsError(errors::ResourceExistsException, std::string(kVersionExists));
            }
            // A retry of the same request (the SDK reuses its idempotency token): it happened.
            auto out = arn_and_name(secret);
            out["VersionId"] = *token;
            return out;
        }
    }
    if (auto description = params.optional_string("Description")) {
        secret.description = std::move(description);
    }
    if (auto type = params.optional_string("Type")) {
        secret.type = std::move(type);
    }
    if (auto kms_key_id = params.optional_string("KmsKeyId")) {
        // An empty key id goes back to the AWS managed key.
        secret.kms_key_id = kms_key_id->empty() ? std::nullopt : std::move(kms_key_id);
        // Secrets Manager re-encrypts the labelled versions with the new key.
        store_.set_versions_kms_key(scope, secret.name, secret.kms_key_id,
                                    {kAwsCurrent, kAwsPending, kAwsPrevious});
    }
    secret.last_changed_ms = now;
    auto out = arn_and_name(secret);
    if (data) {
        add_version(scope, secret, *token, *data, {std::string(kAwsCurrent)}, now);
        out["VersionId"] = *token;
    }
    save(scope, secret);
    return out;
}

nlohmann::json SecretsManagerService::delete_secret(const RequestContext& context,
                                                    const Params& params) {
    const std::string secret_id = secret_id_param(params);
    const auto window = params.optional_int("RecoveryWindowInDays");
    const bool force = params.optional_bool("ForceDeleteWithoutRecovery").value_or(false);
    if (window && force) {
        throw AwsError(errors::InvalidParameterException,
                       "You can't use ForceDeleteWithoutRecovery in conjunction with "
                       "RecoveryWindowInDays.");
    }
    if (window && (*window < kMinRecoveryWindowDays || *window > kMaxRecoveryWindowDays)) {
        throw AwsError(errors::InvalidParameterException,
                       "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
    }
    Secret secret = require_secret(context, secret_id, Access::WriteWhenDeleted);
    const Scope& scope = context.scope;
    const auto replicas = store_.replicas(scope, secret.name);
    if (!replicas.empty()) {
        std::string regions;
        for (const auto& replica : replicas) {
            regions += (regions.empty() ? "" : ",") + replica.region;
        }
        throw AwsError(errors::InvalidParameterException, "You can't delete secret " + secret.name +
                                                              " that still has replica regions [" +
                                                              regions + "]");
    }
    if (secret.is_deleted() && !force) {
        throw AwsError(errors::InvalidRequestException,
                       "You tried to perform the operation on a secret that's currently marked "
                       "deleted.");
    }
    const std::int64_t now = to_epoch_ms(context.now());
    std::int64_t deletion_ms = now;
    if (force) {
        store_.delete_secret(scope, secret.name);
    } else {
        deletion_ms = now + window.value_or(kDefaultRecoveryWindowDays) * kMillisecondsPerDay;
        secret.deleted_ms = now;
        secret.deletion_ms = deletion_ms;
        store_.update_secret(scope, secret);
    }
    auto out = arn_and_name(secret);
    out["DeletionDate"] = json_timestamp(deletion_ms);
    return out;
}

nlohmann::json SecretsManagerService::restore_secret(const RequestContext& context,
                                                     const Params& params) {
    Secret secret = require_secret(context, secret_id_param(params), Access::WriteWhenDeleted);
    if (secret.is_deleted()) {
        secret.deleted_ms.reset();
        secret.deletion_ms.reset();
        save(context.scope, secret);
    }
    return arn_and_name(secret);
}

nlohmann::json SecretsManagerService::list_secrets(const RequestContext& context,
                                                   const Params& params) {
    const bool include_deleted = params.optional_bool("IncludePlannedDeletion").value_or(false);
    const auto max_results = params.optional_int("MaxResults");
    const auto next_token = params.optional_string("NextToken");
    const auto sort_order = params.optional_string("SortOrder");
    const auto sort_by = params.optional_string("SortBy");
    ConstraintCheck check;
    check.range("maxResults", max_results, 1, 100);
    check.length("nextToken", next_token, 1, 4096);
    if (sort_order) {
        check.one_of("sortOrder", *sort_order, {"asc", "desc"});
    }
    if (sort_by) {
        check.one_of("sortBy", *sort_by,
                     {"created-date", "last-accessed-date", "last-changed-date", "name"});
    }
    check.check();
    const auto filters = parse_filters(params);

    const Scope& scope = context.scope;
    store_.purge_expired(scope, to_epoch_ms(context.now()));
    auto secrets = filtered_secrets(scope, filters, include_deleted);
    const std::string by = sort_by.value_or("created-date");
    const bool descending = sort_order.value_or("asc") == "desc";
    std::stable_sort(secrets.begin(), secrets.end(), [&](const Secret& a, const Secret& b) {
        if (by == "name") {
            return descending ? b.name < a.name : a.name < b.name;
        }
        const auto key = [&](const Secret& s) -> std::pair<std::int64_t, const std::string&> {
            if (by == "last-accessed-date") {
                return {s.last_accessed_ms.value_or(0), s.name};
            }
            if (by == "last-changed-date") {
                return {s.last_changed_ms, s.name};
            }
            return {s.created_ms, s.name};
        };
        return descending ? key(b) < key(a) : key(a) < key(b);
    });

    const Page page =
        page_of(next_token, max_results.value_or(kDefaultListMaxResults), secrets.size(),
                {{"op", "ListSecrets"},
                 {"filters", params.json().value("Filters", nlohmann::json())},
                 {"deleted", include_deleted},
                 {"by", by},
                 {"descending", descending}});
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = page.begin; i < page.end; ++i) {
        list.push_back(describe_json(scope, secrets[i], /*list_entry=*/true));
    }
    nlohmann::json out = {{"SecretList", std::move(list)}};
    if (page.next_token) {
        out["NextToken"] = *page.next_token;
    }
    return out;
}

nlohmann::json SecretsManagerService::tag_resource(const RequestContext& context,
                                                   const Params& params) {
    const std::string secret_id = secret_id_param(params);
    const auto added = tags_param(params.required_array("Tags"));
    Secret secret = require_secret(context, secret_id, Access::Write);
    auto tags = store_.tags(context.scope, secret.name);
    for (const auto& tag : added) {
        const auto it = std::find_if(tags.begin(), tags.end(),
                                     [&](const Tag& existing) { return existing.key == tag.key; });
        if (it != tags.end()) {
            it->value = tag.value;
        } else {
            tags.push_back(tag);
        }
    }
    store_.replace_tags(context.scope, secret.name, tags);
    secret.tags_set = true;
    secret.last_changed_ms = to_epoch_ms(context.now());
    save(context.scope, secret);
    return nlohmann::json::object();
}

nlohmann::json SecretsManagerService::untag_resource(const RequestContext& context,
                                                     const Params& params) {
    const std::string secret_id = secret_id_param(params);
    const auto keys = string_list_param(params.required_array("TagKeys"), "TagKeys");
    Secret secret = require_secret(context, secret_id, Access::Write);
    auto tags = store_.tags(context.scope, secret.name);
    std::erase_if(tags, [&](const Tag& tag) {
        return std::find(keys.begin(), keys.end(), tag.key) != keys.end();
    });
    store_.replace_tags(context.scope, secret.name, tags);
    secret.tags_set = true;
    secret.last_changed_ms = to_epoch_ms(context.now());
    save(context.scope, secret);
    return nlohmann::json::object();
}

nlohmann::json SecretsManagerService::get_resource_policy(const RequestContext& context,
                                                          const Params& params) {
    const Secret secret = require_secret(context, secret_id_param(params), Access::Read);
    auto out = arn_and_name(secret);
    if (secret.resource_policy) {
        out["ResourcePolicy"] = *secret.resource_policy;
    }
    return out;
}

nlohmann::json SecretsManagerService::put_resource_policy(const RequestContext& context,
                                                          const Params& params) {
    const std::string secret_id = secret_id_param(params);
    const auto policy = parse_policy(params);
    if (params.optional_bool("BlockPublicPolicy").value_or(false) && grants_public_access(policy)) {
        throw AwsError(errors::PublicPolicyException,
                       "You can't attach a resource-based policy that allows broad access to the "
                       "secret.");
    }
    Secret secret = require_secret(context, secret_id, Access::Write);
    secret.resource_policy = params.required_string("ResourcePolicy");
    secret.last_changed_ms = to_epoch_ms(context.now());
    save(context.scope, secret);
    return arn_and_name(secret);
}

nlohmann::json SecretsManagerService::delete_resource_policy(const RequestContext& context,
                                                             const Params& params) {
    Secret secret = require_secret(context, secret_id_param(params), Access::Write);
    if (secret.resource_policy) {
        secret.resource_policy.reset();
        secret.last_changed_ms = to_epoch_ms(context.now());
        save(context.scope, secret);
    }
    return arn_and_name(secret);
}

nlohmann::json SecretsManagerService::validate_resource_policy(const RequestContext& context,
                                                               const Params& params) {
    if (params.has("SecretId")) {
        require_secret(context, secret_id_param(params), Access::Read);
    }
    parse_policy(params);
    return {{"PolicyValidationPassed", true}, {"ValidationErrors", nlohmann::json::array()}};
}

nlohmann::json SecretsManagerService::get_random_password(const RequestContext&,
                                                          const Params& params) {
    PasswordOptions options;
    const auto length = params.optional_int("PasswordLength");
    ConstraintCheck check;
    check.range("passwordLength", length, 1, 4096);
    const auto exclude = params.optional_string("ExcludeCharacters");
    check.length("excludeCharacters", exclude, 0, 4096);
    check.check();
    options.length = length.value_or(options.length);
    options.exclude_characters = exclude.value_or("");
    options.exclude_numbers = params.optional_bool("ExcludeNumbers").value_or(false);
    options.exclude_punctuation = params.optional_bool("ExcludePunctuation").value_or(false);
    options.exclude_uppercase = params.optional_bool("ExcludeUppercase").value_or(false);
    options.exclude_lowercase = params.optional_bool("ExcludeLowercase").value_or(false);
    options.include_space = params.optional_bool("IncludeSpace").value_or(false);
    options.require_each_included_type =
        params.optional_bool("RequireEachIncludedType").value_or(true);
    return {{"RandomPassword", generate_random_password(options)}};
}

}  // namespace awsemu::secretsmanager
