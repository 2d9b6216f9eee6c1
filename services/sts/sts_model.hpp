#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "emulator/runtime/clock.hpp"

namespace awsemu::sts {

// A set of temporary credentials issued by AssumeRole, and the role session they act as.
struct RoleSession {
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token;
    std::string account_id;  // the role's account: requests signed with the key act in it
    std::string role_arn;
    std::string assumed_role_arn;  // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION
    std::string assumed_role_id;   // AROA...:SESSION
    TimePoint expiration;
};

struct RoleArn {
    std::string account_id;
    std::string role_name;  // the last path segment of the role's name
};

inline constexpr int kMinDurationSeconds = 900;
inline constexpr int kMaxDurationSeconds = 43200;
inline constexpr int kDefaultDurationSeconds = 3600;

// arn:aws:iam::123456789012:role/path/name -> {123456789012, name}; nullopt when malformed.
std::optional<RoleArn> parse_role_arn(std::string_view arn);
// 2-64 characters of [A-Za-z0-9_+=,.@-]
bool is_valid_session_name(std::string_view name);

}  // namespace awsemu::sts
