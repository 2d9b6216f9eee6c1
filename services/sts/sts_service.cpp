#include "services/sts/sts_service.hpp"

#include "emulator/auth/crypto.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/sts/sts_errors.hpp"

namespace awsemu::sts {
namespace {

using auth::base64_encode;
using auth::random_bytes;

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// Upper-case letters and digits, as AWS's key ids look.
std::string random_id(std::string_view prefix, std::size_t length) {
    std::string id(prefix);
    for (const char byte : random_bytes(length)) {
        id.push_back(kAlphabet[static_cast<unsigned char>(byte) % kAlphabet.size()]);
    }
    return id;
}

std::string random_secret(std::size_t length) {
    return base64_encode(random_bytes(length)).substr(0, length);
}

[[noreturn]] void validation_error(const std::string& message) {
    throw AwsError(errors::ValidationError, message);
}

}  // namespace

nlohmann::json StsService::get_caller_identity(const RequestContext& context, const Params&) {
    if (auto session = store_.find_session(context.access_key_id)) {
        return {{"UserId", session->assumed_role_id},
                {"Account", session->account_id},
                {"Arn", session->assumed_role_arn}};
    }
    const bool root = context.caller_arn.ends_with(":root");
    return {{"UserId", root ? context.scope.account_id : context.access_key_id},
            {"Account", context.scope.account_id},
            {"Arn", context.caller_arn}};
}

nlohmann::json StsService::assume_role(const RequestContext& context, const Params& params) {
    const std::string role_arn = params.required_string("RoleArn");
    const std::string session_name = params.required_string("RoleSessionName");
    const auto role = parse_role_arn(role_arn);
    if (!role) {
        validation_error(role_arn + " is invalid");
    }
    if (!is_valid_session_name(session_name)) {
        validation_error("1 validation error detected: Value '" + session_name +
                         "' at 'roleSessionName' failed to satisfy constraint: Member must "
                         "satisfy regular expression pattern: [\\w+=,.@-]* and have length "
                         "between 2 and 64");
    }
    const auto duration = params.optional_int("DurationSeconds").value_or(kDefaultDurationSeconds);
    if (duration < kMinDurationSeconds || duration > kMaxDurationSeconds) {
        validation_error("1 validation error detected: Value '" + std::to_string(duration) +
                         "' at 'durationSeconds' failed to satisfy constraint: Member must have "
                         "value " +
                         (duration < kMinDurationSeconds ? "greater than or equal to 900"
                                                         : "less than or equal to 43200"));
    }
    const auto source_identity = params.optional_string("SourceIdentity");
    if (source_identity && !is_valid_session_name(*source_identity)) {
        validation_error(
            "1 validation error detected: Value at 'sourceIdentity' failed to "
            "satisfy constraint: Member must satisfy regular expression pattern: "
            "[\\w+=,.@-]* and have length between 2 and 64");
    }
    std::optional<std::string> policy = params.optional_string("Policy");
    if (policy && nlohmann::json::parse(*policy, nullptr, false).is_discarded()) {
        throw AwsError(errors::MalformedPolicyDocument, "Syntax errors in policy.");
    }

    const std::string role_id = random_id("AROA", 17);
    RoleSession session;
    session.access_key_id = random_id("ASIA", 16);
    session.secret_access_key = random_secret(40);
    session.session_token = base64_encode(random_bytes(96));
    session.account_id = role->account_id;
    session.role_arn = role_arn;
    session.assumed_role_arn = "arn:aws:sts::" + role->account_id + ":assumed-role/" +
                               role->role_name + "/" + session_name;
    session.assumed_role_id = role_id + ":" + session_name;
    session.expiration = context.now() + std::chrono::seconds(duration);
    store_.insert_session(session);

    nlohmann::json result = {
        {"Credentials",
         {{"AccessKeyId", session.access_key_id},
          {"SecretAccessKey", session.secret_access_key},
          {"SessionToken", session.session_token},
          {"Expiration", format_iso8601(session.expiration)}}},
        {"AssumedRoleUser",
         {{"AssumedRoleId", session.assumed_role_id}, {"Arn", session.assumed_role_arn}}}};
    if (policy) {
        // AWS reports the packed size as a percentage of the allowed maximum.
        result["PackedPolicySize"] = static_cast<int>(policy->size() * 100 / 2048);
    }
    if (source_identity) {
        result["SourceIdentity"] = *source_identity;
    }
    return result;
}

std::optional<ResolvedCredential> StsService::find(std::string_view access_key_id) const {
    if (!access_key_id.starts_with("ASIA")) {
        return std::nullopt;
    }
    auto session = store_.find_session(access_key_id);
    if (!session) {
        return std::nullopt;
    }
    return ResolvedCredential{session->secret_access_key, session->account_id,
                              session->assumed_role_arn,  session->assumed_role_id,
                              session->session_token,     session->expiration};
}

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment) {
    auto service = std::make_shared<StsService>(environment.database);
    environment.credentials.add_source(service.get());

    const auto tag_list = QueryShape::list(QueryShape::structure({}));
    ServiceDefinition definition;
    definition.name = "sts";
    definition.signing_name = "sts";
    definition.protocol = Protocol::Query;
    definition.query_version = "2011-06-15";
    definition.xml_namespace = "https://sts.amazonaws.com/doc/2011-06-15/";
    definition.param_errors = {errors::ValidationError, errors::ValidationError};
    definition.operations.emplace(
        "GetCallerIdentity", Operation{bind_operation(service, &StsService::get_caller_identity)});
    definition.operations.emplace(
        "AssumeRole", Operation{bind_operation(service, &StsService::assume_role),
                                QueryShape::structure(
                                    {{"DurationSeconds", QueryShape::integer()},
                                     {"PolicyArns", tag_list},
                                     {"Tags", tag_list},
                                     {"TransitiveTagKeys", QueryShape::list(QueryShape::string())},
                                     {"ProvidedContexts", tag_list}})});
    registry.add(std::move(definition));
}

}  // namespace awsemu::sts
