// RotateSecret and CancelRotateSecret.
//
// awsemu runs no Lambda functions, so a rotation stops where AWS would hand over to the rotation
// function: RotateSecret records the configuration (RotationEnabled, RotationLambdaARN,
// RotationRules, NextRotationDate) and, when rotating immediately, does what the function's
// createSecret step does: it creates the version named by ClientRequestToken with the label
// AWSPENDING. Having no way to generate a credential for an arbitrary target, the pending value
// is a copy of AWSCURRENT's. The rotation is then in progress, as on AWS while a function runs:
// a second RotateSecret fails until it completes, which happens when AWSCURRENT is moved onto the
// pending version (UpdateSecretVersionStage, the function's finishSecret step); that sets
// LastRotatedDate.
#include "services/secretsmanager/secretsmanager_errors.hpp"
#include "services/secretsmanager/secretsmanager_input.hpp"
#include "services/secretsmanager/secretsmanager_service.hpp"

namespace awsemu::secretsmanager {
namespace {

std::optional<std::string> external_rotation_metadata_param(const Params& params) {
    const auto* list = params.optional_array("ExternalSecretRotationMetadata");
    if (list == nullptr) {
        return std::nullopt;
    }
    ConstraintCheck check;
    std::size_t index = 0;
    for (const auto& item : *list) {
        ++index;
        if (!item.is_object()) {
            throw_wrong_type("ExternalSecretRotationMetadata", "a structure");
        }
        const std::string path =
            "externalSecretRotationMetadata." + std::to_string(index) + ".member";
        for (const auto& [key, max] : {std::pair{"Key", 256}, std::pair{"Value", 2048}}) {
            const auto it = item.find(key);
            if (it == item.end() || it->is_null()) {
                continue;
            }
            if (!it->is_string()) {
                throw_wrong_type(key, "a string");
            }
            check.length(path + "." + (std::string(key) == "Key" ? "key" : "value"),
                         it->get<std::string>(), 1, static_cast<std::size_t>(max));
        }
    }
    check.check();
    return list->dump();
}

}  // namespace

nlohmann::json SecretsManagerService::rotate_secret(const RequestContext& context,
                                                    const Params& params) {
    const std::string secret_id = secret_id_param(params);
    const auto token = client_token_param(params);
    const auto lambda_arn = params.optional_string("RotationLambdaARN");
    const auto role_arn = params.optional_string("ExternalSecretRotationRoleArn");
    ConstraintCheck check;
    check.length("rotationLambdaARN", lambda_arn, 0, 2048);
    check.length("externalSecretRotationRoleArn", role_arn, 20, 2048);
    check.check();
    std::optional<RotationRules> rules;
    if (const auto* object = params.optional_object("RotationRules")) {
        rules = rotation_rules_param(*object);
    }
    const auto metadata = external_rotation_metadata_param(params);
    const bool immediately = params.optional_bool("RotateImmediately").value_or(true);
    if (!token) {
        // What AWS answers for this operation, unlike the others (InvalidRequestException).
        throw AwsError(errors::InvalidParameterException, std::string(kClientRequestTokenRequired));
    }
    if (rules) {
        if (const auto problem = rotation_rules_problem(*rules)) {
            throw AwsError(errors::InvalidParameterException, *problem);
        }
    }
    Secret secret = require_secret(context, secret_id, Access::Write);
    const Scope& scope = context.scope;
    if (lambda_arn && !lambda_arn->empty()) {
        secret.rotation_lambda_arn = lambda_arn;
    }
    if (role_arn) {
        secret.external_rotation_role_arn = role_arn;
    }
    if (metadata) {
        secret.external_rotation_metadata = metadata;
    }
    if (!secret.rotation_lambda_arn && !secret.owning_service &&
        !secret.external_rotation_role_arn) {
        throw AwsError(errors::InvalidRequestException,
                       "No Lambda rotation function ARN is associated with this secret.");
    }
    if (rules) {
        secret.rotation_rules = rules;
    }
    const std::int64_t now = to_epoch_ms(context.now());
    nlohmann::json out = {{"ARN", secret.arn}, {"Name", secret.name}};
    // AWSPENDING on a version other than AWSCURRENT's means a rotation is under way; AWS then
    // refuses RotateSecret, even one that only changes the schedule (a retry of the request that
    // started it, with its token, is fine).
    const auto pending = store_.find_version_by_stage(scope, secret.name, kAwsPending);
    const bool in_progress = pending && !pending->has_stage(kAwsCurrent);
    if (in_progress && pending->version_id != *token) {
        throw AwsError(errors::InvalidRequestException,
                       "A previous rotation isn't complete. That rotation will be reattempted.");
    }
    if (immediately) {
        const auto current = store_.find_version_by_stage(scope, secret.name, kAwsCurrent);
        if (!in_progress && current && !store_.find_version(scope, secret.name, *token)) {
            add_version(scope, secret, *token, current->data, {std::string(kAwsPending)}, now);
        }
        out["VersionId"] = *token;
    }
    secret.rotation_enabled = true;
    secret.next_rotation_ms =
        secret.rotation_rules ? next_rotation_ms(*secret.rotation_rules, now) : std::nullopt;
    secret.last_changed_ms = now;
    save(scope, secret);
    return out;
}

nlohmann::json SecretsManagerService::cancel_rotate_secret(const RequestContext& context,
                                                           const Params& params) {
    Secret secret = require_secret(context, secret_id_param(params), Access::Write);
    const Scope& scope = context.scope;
    nlohmann::json out = {{"ARN", secret.arn}, {"Name", secret.name}};
    // A rotation in progress is abandoned where it stands; its AWSPENDING version stays, as on
    // AWS, for the caller to clean up.
    const auto pending = store_.find_version_by_stage(scope, secret.name, kAwsPending);
    if (pending && !pending->has_stage(kAwsCurrent)) {
        out["VersionId"] = pending->version_id;
    }
    secret.rotation_enabled = false;
    secret.next_rotation_ms.reset();
    secret.last_changed_ms = to_epoch_ms(context.now());
    save(scope, secret);
    return out;
}

}  // namespace awsemu::secretsmanager
