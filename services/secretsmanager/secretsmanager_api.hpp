#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/runtime/clock.hpp"
#include "emulator/service.hpp"
#include "emulator/store/database.hpp"

// The narrow interface other services use to read and keep secrets (ECS resolving a task's
// `secrets`, RDS keeping a master user secret). Each call runs Secrets Manager's own operation,
// with its rules and errors, inside a transaction of its own (or the caller's, when one is
// open). Reads count as GetSecretValue calls: they update LastAccessedDate.
namespace awsemu::secretsmanager {

struct SecretValue {
    std::string arn;
    std::string name;
    std::string version_id;
    std::optional<std::string> secret_string;
    std::optional<std::string> secret_binary;  // raw bytes
    std::vector<std::string> version_stages;
    TimePoint created_date;
};

// The value of a secret named by name, full ARN or partial ARN; by version id when one is
// given, else by staging label. nullopt when there is no such secret or version, or the secret
// is scheduled for deletion.
std::optional<SecretValue> get_secret_value(Database& database, const Clock& clock,
                                            const Scope& scope, std::string_view secret_id,
                                            std::string_view version_stage = "AWSCURRENT",
                                            std::string_view version_id = {});

// The same, but a failure is the AwsError GetSecretValue would answer (its code and message
// are what ECS reports in a task's stopped reason).
SecretValue fetch_secret_value(Database& database, const Clock& clock, const Scope& scope,
                               std::string_view secret_id,
                               std::string_view version_stage = "AWSCURRENT",
                               std::string_view version_id = {});

// ECS's `valueFrom` for Secrets Manager: a secret ARN, optionally followed by
// ":json-key:version-stage:version-id" (each part may be empty). Answers the secret string, or
// the named top-level key of it read as a JSON object (strings as they are, other values as
// JSON text). Throws AwsError as GetSecretValue does; a missing key or a value that is not a
// JSON object is an InvalidRequestException.
std::string resolve_value_from(Database& database, const Clock& clock, const Scope& scope,
                               std::string_view value_from);

struct NewSecret {
    std::string name;
    std::optional<std::string> description;
    std::optional<std::string> kms_key_id;
    std::optional<std::string> secret_string;
    std::optional<std::string> secret_binary;  // raw bytes
    std::vector<std::pair<std::string, std::string>> tags;
    std::optional<std::string> owning_service;  // "rds" for a secret RDS manages
};

struct CreatedSecret {
    std::string arn;
    std::string name;
    std::optional<std::string> version_id;
};

// CreateSecret. Throws AwsError as CreateSecret does (ResourceExistsException, ...).
CreatedSecret create_secret(Database& database, const Clock& clock, const Scope& scope,
                            const NewSecret& secret);

// PutSecretValue with a new version that becomes AWSCURRENT; answers its version id.
std::string put_secret_string(Database& database, const Clock& clock, const Scope& scope,
                              std::string_view secret_id, std::string_view secret_string);

// DeleteSecret: without recovery when `recovery_window_days` is nullopt.
void delete_secret(Database& database, const Clock& clock, const Scope& scope,
                   std::string_view secret_id,
                   std::optional<std::int64_t> recovery_window_days = std::nullopt);

}  // namespace awsemu::secretsmanager
