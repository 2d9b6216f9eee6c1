// Versions and their values: GetSecretValue, BatchGetSecretValue, PutSecretValue,
// ListSecretVersionIds and UpdateSecretVersionStage.
#include <algorithm>

#include "services/secretsmanager/secretsmanager_errors.hpp"
#include "services/secretsmanager/secretsmanager_input.hpp"
#include "services/secretsmanager/secretsmanager_service.hpp"

namespace awsemu::secretsmanager {
namespace {

constexpr std::size_t kDefaultVersionsMaxResults = 100;
constexpr std::size_t kDefaultBatchMaxResults = 20;

[[noreturn]] void no_value_for_stage(std::string_view stage) {
    throw AwsError(errors::ResourceNotFoundException,
                   "Secrets Manager can't find the specified secret value for staging label: " +
                       std::string(stage));
}

[[noreturn]] void no_value_for_version(std::string_view version_id) {
    throw AwsError(errors::ResourceNotFoundException,
                   "Secrets Manager can't find the specified secret value for VersionId: " +
                       std::string(version_id));
}

std::vector<std::string> version_stages_param(const Params& params) {
    std::vector<std::string> stages;
    const auto* list = params.optional_array("VersionStages");
    if (list == nullptr) {
        return stages;
    }
    stages = string_list_param(*list, "VersionStages");
    ConstraintCheck check;
    if (stages.empty() || stages.size() > kMaxStagesPerVersion) {
        check.add(
            "Value at 'versionStages' failed to satisfy constraint: Member must have length " +
            std::string(stages.empty() ? "greater than or equal to 1"
                                       : "less than or equal to 20"));
    }
    for (const auto& stage : stages) {
        check.length("versionStages.member", stage, 1, 256);
    }
    check.check();
    return stages;
}

nlohmann::json version_entry(const SecretVersion& version) {
    nlohmann::json entry = {
        {"VersionId", version.version_id},
        {"CreatedDate", json_timestamp(version.created_ms)},
        {"KmsKeyIds",
         nlohmann::json::array({version.kms_key_id.value_or(std::string(kDefaultEncryptionKey))})}};
    if (!version.stages.empty()) {
        entry["VersionStages"] = version.stages;
    }
    if (version.last_accessed_ms) {
        entry["LastAccessedDate"] = json_timestamp(*version.last_accessed_ms);
    }
    return entry;
}

}  // namespace

SecretWithVersion SecretsManagerService::require_value(const RequestContext& context,
                                                       const std::string& secret_id,
                                                       const std::optional<std::string>& version_id,
                                                       const std::optional<std::string>& stage) {
    if (version_id) {
        Secret secret = require_secret(context, secret_id, Access::ReadValue);
        auto version = store_.find_version(context.scope, secret.name, *version_id);
        if (!version) {
            no_value_for_version(*version_id);
        }
        if (stage && !version->has_stage(*stage)) {
            throw AwsError(errors::InvalidRequestException,
                           "You provided a VersionStage that is not associated to the provided "
                           "VersionId.");
        }
        return SecretWithVersion{std::move(secret), std::move(version)};
    }
    const std::string_view label = stage ? std::string_view(*stage) : kAwsCurrent;
    auto found = require_secret_with_stage(context, secret_id, label);
    if (!found.version) {
        no_value_for_stage(label);
    }
    return found;
}

nlohmann::json SecretsManagerService::get_secret_value(const RequestContext& context,
                                                       const Params& params) {
    const std::string secret_id = secret_id_param(params);
    const auto version_id = params.optional_string("VersionId");
    const auto stage = params.optional_string("VersionStage");
    ConstraintCheck check;
    check.length("versionId", version_id, 32, 64);
    check.length("versionStage", stage, 1, 256);
    check.check();
    auto [secret, version] = require_value(context, secret_id, version_id, stage);
    record_access(context.scope, secret, *version, to_epoch_ms(context.now()));
    return value_json(secret, *version);
}

nlohmann::json SecretsManagerService::batch_get_secret_value(const RequestContext& context,
                                                             const Params& params) {
    const auto* id_list = params.optional_array("SecretIdList");
    const auto filters = parse_filters(params);
    const auto max_results = params.optional_int("MaxResults");
    const auto next_token = params.optional_string("NextToken");
    std::vector<std::string> ids;
    ConstraintCheck check;
    if (id_list != nullptr) {
        ids = string_list_param(*id_list, "SecretIdList");
        if (ids.empty() || ids.size() > 20) {
            check.add(
                "Value at 'secretIdList' failed to satisfy constraint: Member must have "
                "length " +
                std::string(ids.empty() ? "greater than or equal to 1"
                                        : "less than or equal to 20"));
        }
    }
    check.range("maxResults", max_results, 1, 20);
    check.length("nextToken", next_token, 1, 4096);
    check.check();
    const bool have_filters = params.optional_array("Filters") != nullptr;
    if ((id_list != nullptr) == have_filters) {
        throw AwsError(errors::InvalidParameterException,
                       "Either 'SecretIdList' or 'Filters' must be provided, but not both.");
    }
    if (max_results && !have_filters) {
        throw AwsError(errors::InvalidParameterException,
                       "'Filters' not specified. 'Filters' must also be specified when "
                       "'MaxResults' is provided.");
    }

    const Scope& scope = context.scope;
    const std::int64_t now = to_epoch_ms(context.now());
    nlohmann::json values = nlohmann::json::array();
    nlohmann::json failures = nlohmann::json::array();
    const auto fetch = [&](const std::string& secret_id) {
        try {
            check_secret_id(secret_id, "secretIdList.member");
            auto [secret, version] = require_value(context, secret_id, std::nullopt, std::nullopt);
            record_access(scope, secret, *version, now);
            values.push_back(value_json(secret, *version));
        } catch (const AwsError& error) {
            failures.push_back({{"SecretId", secret_id},
                                {"ErrorCode", std::string(error.spec().code)},
                                {"Message", error.what()}});
        }
    };
    nlohmann::json out;
    if (id_list != nullptr) {
        for (const auto& id : ids) {
            fetch(id);
        }
    } else {
        store_.purge_expired(scope, now);
        auto secrets = filtered_secrets(scope, filters, /*include_planned_deletion=*/false);
        std::stable_sort(secrets.begin(), secrets.end(), [](const Secret& a, const Secret& b) {
            return std::pair(a.created_ms, a.name) < std::pair(b.created_ms, b.name);
        });
        const Page page =
            page_of(next_token, max_results.value_or(kDefaultBatchMaxResults), secrets.size(),
                    {{"op", "BatchGetSecretValue"},
                     {"filters", params.json().value("Filters", nlohmann::json())}});
        for (std::size_t i = page.begin; i < page.end; ++i) {
            fetch(secrets[i].arn);
        }
        if (page.next_token) {
            out["NextToken"] = *page.next_token;
        }
    }
    out["SecretValues"] = std::move(values);
    out["Errors"] = std::move(failures);
    return out;
}

nlohmann::json SecretsManagerService::put_secret_value(const RequestContext& context,
                                                       const Params& params) {
    const std::string secret_id = secret_id_param(params);
    const auto token = client_token_param(params);
    const auto data = secret_data_param(params);
    auto stages = version_stages_param(params);
    const auto rotation_token = params.optional_string("RotationToken");
    ConstraintCheck check;
    check.length("rotationToken", rotation_token, 36, 256, /*sensitive=*/true);
    check.check();
    if (!token) {
        throw AwsError(errors::InvalidRequestException, std::string(kClientRequestTokenRequired));
    }
    if (!data) {
        throw AwsError(errors::InvalidRequestException,
                       "You must provide either SecretString or SecretBinary.");
    }
    Secret secret = require_secret(context, secret_id, Access::Write);
    const Scope& scope = context.scope;
    nlohmann::json out = {{"ARN", secret.arn}, {"Name", secret.name}, {"VersionId", *token}};
    if (const auto existing = store_.find_version(scope, secret.name, *token)) {
        if (existing->data != *data) {
            throw AwsError(errors::ResourceExistsException, std::string(kVersionExists));
        }
        // The same request again: it already happened.
        out["VersionStages"] = existing->stages;
        return out;
    }
    if (stages.empty()) {
        stages.emplace_back(kAwsCurrent);
    }
    const std::int64_t now = to_epoch_ms(context.now());
    out["VersionStages"] = add_version(scope, secret, *token, *data, stages, now);
    secret.last_changed_ms = now;
    save(scope, secret);
    return out;
}

nlohmann::json SecretsManagerService::list_secret_version_ids(const RequestContext& context,
                                                              const Params& params) {
    const std::string secret_id = secret_id_param(params);
    const auto max_results = params.optional_int("MaxResults");
    const auto next_token = params.optional_string("NextToken");
    const bool include_deprecated = params.optional_bool("IncludeDeprecated").value_or(false);
    ConstraintCheck check;
    check.range("maxResults", max_results, 1, 100);
    check.length("nextToken", next_token, 1, 4096);
    check.check();
    const Secret secret = require_secret(context, secret_id, Access::Read);
    auto versions = store_.versions(context.scope, secret.name);
    if (!include_deprecated) {
        std::erase_if(versions, [](const SecretVersion& v) { return v.stages.empty(); });
    }
    const Page page = page_of(
        next_token, max_results.value_or(kDefaultVersionsMaxResults), versions.size(),
        {{"op", "ListSecretVersionIds"}, {"arn", secret.arn}, {"deprecated", include_deprecated}});
    nlohmann::json entries = nlohmann::json::array();
    for (std::size_t i = page.begin; i < page.end; ++i) {
        entries.push_back(version_entry(versions[i]));
    }
    nlohmann::json out = {{"ARN", secret.arn}, {"Name", secret.name}, {"Versions", entries}};
    if (page.next_token) {
        out["NextToken"] = *page.next_token;
    }
    return out;
}

nlohmann::json SecretsManagerService::update_secret_version_stage(const RequestContext& context,
                                                                  const Params& params) {
    const std::string secret_id = secret_id_param(params);
    const std::string stage = params.required_string("VersionStage");
    const auto remove_from = params.optional_string("RemoveFromVersionId");
    const auto move_to = params.optional_string("MoveToVersionId");
    ConstraintCheck check;
    check.length("versionStage", stage, 1, 256);
    check.length("removeFromVersionId", remove_from, 32, 64);
    check.length("moveToVersionId", move_to, 32, 64);
    check.check();
    Secret secret = require_secret(context, secret_id, Access::Write);
    const Scope& scope = context.scope;
    const std::int64_t now = to_epoch_ms(context.now());

    std::optional<SecretVersion> target;
    if (move_to) {
        target = store_.find_version(scope, secret.name, *move_to);
        if (!target) {
            no_value_for_version(*move_to);
        }
    }
    if (remove_from && !store_.find_version(scope, secret.name, *remove_from)) {
        no_value_for_version(*remove_from);
    }
    const auto holder = store_.find_version_by_stage(scope, secret.name, stage);
    if (remove_from && (!holder || holder->version_id != *remove_from)) {
        throw AwsError(errors::InvalidParameterException,
                       "The staging label " + stage + " is not attached to version " +
                           *remove_from + ", so you can't remove it.");
    }
    if (target) {
        if (holder && holder->version_id != target->version_id && !remove_from) {
            throw AwsError(errors::InvalidParameterException,
                           "The parameter RemoveFromVersionId can't be empty. Staging label " +
                               stage + " is currently attached to version " + holder->version_id +
                               ", so you must explicitly reference that version in "
                               "RemoveFromVersionId.");
        }
        if (!target->has_stage(stage) && target->stages.size() >= kMaxStagesPerVersion) {
            throw AwsError(errors::LimitExceededException,
                           "You can attach at most 20 staging labels to a secret version.");
        }
        move_stage(scope, secret, stage, target->version_id, now);
    } else if (remove_from) {
        if (stage == kAwsCurrent) {
            throw AwsError(errors::InvalidParameterException,
                           "You can only move staging label AWSCURRENT to a different secret "
                           "version. It can't be completely removed.");
        }
        store_.detach_stage(scope, secret.name, stage);
    }
    secret.last_changed_ms = now;
    save(scope, secret);
    return {{"ARN", secret.arn}, {"Name", secret.name}};
}

}  // namespace awsemu::secretsmanager
