#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/runtime/clock.hpp"
#include "emulator/runtime/time_format.hpp"

// Secrets Manager's resources as plain structs, and the pure rules about them: names, ARNs,
// constraint messages, list filters, page tokens, dates. No I/O here.
namespace awsemu::secretsmanager {

inline constexpr std::string_view kAwsCurrent = "AWSCURRENT";
inline constexpr std::string_view kAwsPrevious = "AWSPREVIOUS";
inline constexpr std::string_view kAwsPending = "AWSPENDING";
// What ListSecretVersionIds shows for a version encrypted with the AWS managed key.
inline constexpr std::string_view kDefaultEncryptionKey = "DefaultEncryptionKey";

inline constexpr std::size_t kMaxSecretValueBytes = 65536;
inline constexpr std::size_t kMaxStagesPerVersion = 20;
// Versions without a staging label that Secrets Manager keeps before removing the oldest ones.
inline constexpr std::size_t kMaxDeprecatedVersions = 100;
inline constexpr std::int64_t kDefaultRecoveryWindowDays = 30;
inline constexpr std::int64_t kMinRecoveryWindowDays = 7;
inline constexpr std::int64_t kMaxRecoveryWindowDays = 30;
inline constexpr std::int64_t kMillisecondsPerDay = 86'400'000;

struct Tag {
    std::string key;
    std::string value;
    bool operator==(const Tag&) const = default;
};

struct RotationRules {
    std::optional<std::int64_t> automatically_after_days;
    std::optional<std::string> duration;             // "2h"
    std::optional<std::string> schedule_expression;  // "rate(10 days)", "cron(0 16 1,15 * ? *)"
};

// A secret's state in one region. A replica is a secret whose primary_region names the region
// it is copied from; a primary lists its replicas in ReplicaStatus rows.
struct Secret {
    std::string name;
    std::string arn;
    std::optional<std::string> description;
    std::optional<std::string> kms_key_id;
    std::optional<std::string> type;
    std::optional<std::string> owning_service;
    std::int64_t created_ms = 0;
    std::int64_t last_changed_ms = 0;
    std::optional<std::int64_t> last_accessed_ms;  // midnight UTC of the day of the last read
    std::optional<std::int64_t> last_rotated_ms;
    std::optional<std::int64_t> deleted_ms;   // when DeleteSecret was called
    std::optional<std::int64_t> deletion_ms;  // when the recovery window ends
    std::optional<bool> rotation_enabled;     // absent until rotation is first configured
    std::optional<std::string> rotation_lambda_arn;
    std::optional<RotationRules> rotation_rules;
    std::optional<std::int64_t> next_rotation_ms;
    std::optional<std::string> external_rotation_metadata;  // the JSON list as given
    std::optional<std::string> external_rotation_role_arn;
    std::optional<std::string> resource_policy;
    bool tags_set = false;  // once tags were given, Tags is returned even when empty
    std::optional<std::string> primary_region;  // set on replicas only

    bool is_deleted() const { return deleted_ms.has_value(); }
    bool is_replica() const { return primary_region.has_value(); }
};

// The secret value of a version: exactly one of the two is set.
struct SecretData {
    std::optional<std::string> string;
    std::optional<std::string> binary;  // raw bytes
    bool operator==(const SecretData&) const = default;
};

struct SecretVersion {
    std::string version_id;
    SecretData data;
    std::vector<std::string> stages;  // sorted
    std::int64_t created_ms = 0;
    std::optional<std::int64_t> last_accessed_ms;
    std::optional<std::string> kms_key_id;

    bool has_stage(std::string_view stage) const;
};

struct ReplicaStatus {
    std::string region;
    std::optional<std::string> kms_key_id;
    std::string status;  // InSync | Failed | InProgress
    std::string status_message;
};

struct Filter {
    std::string key;
    std::vector<std::string> values;
};

// What the ListSecrets filters look at.
struct FilterSubject {
    const Secret& secret;
    const std::vector<Tag>& tags;
    std::optional<std::string> primary_region;  // set when the secret takes part in replication
};

// --- names and ARNs ---------------------------------------------------------------------------

// ASCII letters, digits and /_+=.@- (the length is checked separately). Names of secrets that
// other services manage also contain "!" ("rds!db-..."), so a secret id may.
bool is_valid_secret_name(std::string_view name, bool allow_bang = false);
// "arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-SUFFIX"
std::string secret_arn(std::string_view region, std::string_view account_id, std::string_view name,
                       std::string_view suffix);
// The same secret's ARN in another region (replicas keep the suffix).
std::string arn_in_region(std::string_view arn, std::string_view region);

struct SecretIdParts {
    std::string region;
    std::string account_id;
    std::string resource;  // NAME-SUFFIX, or NAME for a partial ARN
};
// The parts of a Secrets Manager secret ARN; nullopt when `id` is not one.
std::optional<SecretIdParts> parse_secret_arn(std::string_view id);

// --- constraints -------------------------------------------------------------------------------

// Collects violations of the model's constraints and reports them the way AWS's request
// validation does: "2 validation errors detected: Value 'x' at 'name' failed to satisfy
// constraint: Member must have length less than or equal to 512; Value ...".
class ConstraintCheck {
  public:
    // `member` is the wire name (lower camel case: "secretId", "filters.1.member.key").
    void length(std::string_view member, const std::optional<std::string>& value, std::size_t min,
                std::size_t max, bool sensitive = false);
    void range(std::string_view member, const std::optional<std::int64_t>& value, std::int64_t min,
               std::int64_t max);
    void pattern(std::string_view member, const std::string& value, std::string_view pattern,
                 bool matches);
    void one_of(std::string_view member, const std::string& value,
                const std::vector<std::string_view>& allowed);
    void add(std::string message) { violations_.push_back(std::move(message)); }
    // Throws ValidationException if anything was violated.
    void check() const;

  private:
    std::vector<std::string> violations_;
};

// --- list filters ------------------------------------------------------------------------------

inline constexpr std::string_view kFilterKeys[] = {
    "description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"};

// Words as the "all" filter sees them: runs of letters or digits, split where a lower-case
// letter is followed by an upper-case one and where letters meet digits.
std::vector<std::string> split_words(std::string_view text);
// Every filter must match (AND); within a filter, any of its values (OR). A value starting
// with "!" matches when the rest does not match.
bool matches_filters(const FilterSubject& subject, const std::vector<Filter>& filters);

// --- page tokens ------------------------------------------------------------------------------

// An opaque token for the item at `offset` of a listing identified by `fingerprint` (a digest of
// the request's filters), so a token is refused when used with another listing.
std::string encode_page_token(std::size_t offset, std::string_view fingerprint);
// nullopt when the token is not one of ours or belongs to another listing.
std::optional<std::size_t> decode_page_token(std::string_view token, std::string_view fingerprint);

// --- dates -------------------------------------------------------------------------------------

// Midnight UTC of the day `ms` falls in.
std::int64_t day_start_ms(std::int64_t ms);
// A stored time as AWS JSON protocols send it (epoch seconds with milliseconds).
double json_timestamp(std::int64_t ms);

// --- rotation ----------------------------------------------------------------------------------

// The reason the rules are not acceptable, for InvalidParameterException; nullopt when valid.
std::optional<std::string> rotation_rules_problem(const RotationRules& rules);
// When rotation next falls due after `from_ms`, or nullopt when the rules give no schedule.
std::optional<std::int64_t> next_rotation_ms(const RotationRules& rules, std::int64_t from_ms);

}  // namespace awsemu::secretsmanager
