#include "services/secretsmanager/secretsmanager_api.hpp"

#include <cmath>

#include "emulator/auth/crypto.hpp"
#include "services/secretsmanager/secretsmanager_errors.hpp"
#include "services/secretsmanager/secretsmanager_input.hpp"
#include "services/secretsmanager/secretsmanager_service.hpp"

namespace awsemu::secretsmanager {
namespace {

// Runs one Secrets Manager operation for another service, as if a client had called it.
template <class Handler>
nlohmann::json call(Database& database, const Clock& clock, const Scope& scope, Handler handler,
                    nlohmann::json input) {
    auto transaction = database.transaction();
    SecretsManagerService service(database);
    const RequestContext context{scope, "internal", "", "", "", &clock};
    nlohmann::json output = (service.*handler)(context, Params(std::move(input), ParamErrors{}));
    transaction.commit();
    return output;
}

SecretValue to_value(const nlohmann::json& output) {
    SecretValue value;
    value.arn = output.at("ARN").get<std::string>();
    value.name = output.at("Name").get<std::string>();
    value.version_id = output.at("VersionId").get<std::string>();
    if (output.contains("SecretString")) {
        value.secret_string = output["SecretString"].get<std::string>();
    }
    if (output.contains("SecretBinary")) {
        value.secret_binary =
            auth::base64_decode(output["SecretBinary"].get<std::string>()).value_or("");
    }
    if (output.contains("VersionStages")) {
        value.version_stages = output["VersionStages"].get<std::vector<std::string>>();
    }
    // Rounded, not truncated: the double holds milliseconds only approximately.
    value.created_date = TimePoint(
        std::chrono::milliseconds(std::llround(output.at("CreatedDate").get<double>() * 1000.0)));
    return value;
}

}  // namespace

SecretValue fetch_secret_value(Database& database, const Clock& clock, const Scope& scope,
                               std::string_view secret_id, std::string_view version_stage,
                               std::string_view version_id) {
    nlohmann::json input = {{"SecretId", secret_id}};
    if (!version_id.empty()) {
        input["VersionId"] = version_id;
    }
    if (!version_stage.empty()) {
        input["VersionStage"] = version_stage;
    }
    return to_value(
        call(database, clock, scope, &SecretsManagerService::get_secret_value, std::move(input)));
}

std::optional<SecretValue> get_secret_value(Database& database, const Clock& clock,
                                            const Scope& scope, std::string_view secret_id,
                                            std::string_view version_stage,
                                            std::string_view version_id) {
    try {
        return fetch_secret_value(database, clock, scope, secret_id, version_stage, version_id);
    } catch (const AwsError&) {
        return std::nullopt;
    }
}

std::string resolve_value_from(Database& database, const Clock& clock, const Scope& scope,
                               std::string_view value_from) {
    std::string secret_id(value_from);
    std::string json_key;
    std::string stage;
    std::string version_id;
    if (value_from.starts_with("arn:")) {
        // arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME[:json-key:version-stage:version-id]
        std::vector<std::string> parts;
        std::size_t start = 0;
        while (true) {
            const auto colon = value_from.find(':', start);
            parts.emplace_back(value_from.substr(start, colon - start));
            if (colon == std::string_view::npos) {
                break;
            }
            start = colon + 1;
        }
        if (parts.size() > 7) {
            secret_id.clear();
            for (std::size_t i = 0; i < 7; ++i) {
                secret_id += (i == 0 ? "" : ":") + parts[i];
            }
            json_key = parts[7];
            stage = parts.size() > 8 ? parts[8] : "";
            version_id = parts.size() > 9 ? parts[9] : "";
        }
    }
    if (stage.empty() && version_id.empty()) {
        stage = std::string(kAwsCurrent);
    }
    const SecretValue value =
        fetch_secret_value(database, clock, scope, secret_id, stage, version_id);
    const std::string text = value.secret_string.value_or(value.secret_binary.value_or(""));
    if (json_key.empty()) {
        return text;
    }
    const auto object = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!object.is_object() || !object.contains(json_key)) {
        throw AwsError(
            errors::InvalidRequestException,
            "retrieved secret from Secrets Manager did not contain json key " + json_key);
    }
    const auto& field = object[json_key];
    return field.is_string() ? field.get<std::string>() : field.dump();
}

CreatedSecret create_secret(Database& database, const Clock& clock, const Scope& scope,
                            const NewSecret& secret) {
    nlohmann::json input = {{"Name", secret.name}};
    if (secret.description) {
        input["Description"] = *secret.description;
    }
    if (secret.kms_key_id) {
        input["KmsKeyId"] = *secret.kms_key_id;
    }
    if (secret.secret_string) {
        input["SecretString"] = *secret.secret_string;
    }
    if (secret.secret_binary) {
        input["SecretBinary"] = auth::base64_encode(*secret.secret_binary);
    }
    if (secret.secret_string || secret.secret_binary) {
        input["ClientRequestToken"] = new_version_id();
    }
    if (!secret.tags.empty()) {
        input["Tags"] = nlohmann::json::array();
        for (const auto& [key, value] : secret.tags) {
            input["Tags"].push_back({{"Key", key}, {"Value", value}});
        }
    }
    auto transaction = database.transaction();
    SecretsManagerService service(database);
    const RequestContext context{scope, "internal", "", "", "", &clock};
    const Params params(std::move(input), ParamErrors{});
    const auto output = secret.owning_service
                            ? service.create_service_secret(context, params, *secret.owning_service)
                            : service.create_secret(context, params);
    transaction.commit();
    CreatedSecret created{output.at("ARN").get<std::string>(), output.at("Name").get<std::string>(),
                          std::nullopt};
    if (output.contains("VersionId")) {
        created.version_id = output["VersionId"].get<std::string>();
    }
    return created;
}

std::string put_secret_string(Database& database, const Clock& clock, const Scope& scope,
                              std::string_view secret_id, std::string_view secret_string) {
    nlohmann::json input = {{"SecretId", secret_id},
                            {"SecretString", secret_string},
                            {"ClientRequestToken", new_version_id()}};
    const auto output =
        call(database, clock, scope, &SecretsManagerService::put_secret_value, std::move(input));
    return output.at("VersionId").get<std::string>();
}

void delete_secret(Database& database, const Clock& clock, const Scope& scope,
                   std::string_view secret_id, std::optional<std::int64_t> recovery_window_days) {
    nlohmann::json input = {{"SecretId", secret_id}};
    if (recovery_window_days) {
        input["RecoveryWindowInDays"] = *recovery_window_days;
    } else {
        input["ForceDeleteWithoutRecovery"] = true;
    }
    call(database, clock, scope, &SecretsManagerService::delete_secret, std::move(input));
}

}  // namespace awsemu::secretsmanager
