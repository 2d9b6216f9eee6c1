#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/params.hpp"
#include "services/secretsmanager/secretsmanager_model.hpp"

// Reading Secrets Manager's request members: their types (SerializationException) and the
// constraints botocore's model declares for them (ValidationException), plus the identifiers
// the service makes up.
namespace awsemu::secretsmanager {

// The message AWS gives for a secret name (or non-ARN SecretId) with characters it refuses.
inline constexpr std::string_view kInvalidNameMessage =
    "Invalid name. Must be a valid name containing alphanumeric characters, or any of the "
    "following: -/_+=.@!";

// What AWS answers a raw request that leaves out the ClientRequestToken the SDKs fill in.
inline constexpr std::string_view kClientRequestTokenRequired =
    "You must provide a ClientRequestToken value. We recommend a UUID-type value.";

// Versions are immutable: a token that names an existing version cannot carry another value.
inline constexpr std::string_view kVersionExists =
    "You can't modify an existing version, you can only create a new version.";

// A required SecretId-like member: 1-2048 characters, an ARN or a valid name.
std::string secret_id_param(const Params& params, std::string_view member = "SecretId");
// Checks a secret id read from elsewhere (a SecretIdList entry) the same way.
void check_secret_id(const std::string& secret_id, std::string_view wire_member);
// CreateSecret's Name: 1-512 characters of the allowed set ("!" only for a secret another
// service manages).
void check_secret_name(const std::string& name, bool service_managed = false);

// SecretString / SecretBinary (base64 on the wire). Both -> InvalidParameterException; neither
// -> nullopt. Checks the 65536-byte limit.
std::optional<SecretData> secret_data_param(const Params& params);
// ClientRequestToken: 32-64 characters when present.
std::optional<std::string> client_token_param(const Params& params);

std::vector<Tag> tags_param(const nlohmann::json& tags, std::string_view member = "tags");
std::vector<std::string> string_list_param(const nlohmann::json& list, std::string_view member);
RotationRules rotation_rules_param(const nlohmann::json& rules);

// Length and range checks for optional members, reported together.
void check_lengths(const Params& params,
                   const std::vector<std::tuple<std::string_view, std::size_t, std::size_t>>& spec);

[[noreturn]] void throw_wrong_type(std::string_view member, std::string_view expected);

// A version id, as Secrets Manager's own: a random (version 4) UUID.
std::string new_version_id();
// The six random letters and digits that end a secret's ARN.
std::string new_arn_suffix();
// The slice of a listing one request reads: from its NextToken up to max_results items.
struct Page {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::optional<std::string> next_token;  // set when items remain after `end`
};
// `listing` identifies the listing (operation, filters, ...): a token from another listing, or
// one that is not ours, is an InvalidNextTokenException.
Page page_of(const std::optional<std::string>& next_token, std::size_t max_results,
             std::size_t total, const nlohmann::json& listing);

}  // namespace awsemu::secretsmanager
