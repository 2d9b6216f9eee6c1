#include "services/logs/logs_model.hpp"

#include <algorithm>
#include <array>

#include "services/logs/logs_errors.hpp"

namespace awsemu::logs {
namespace {

constexpr std::array<std::int64_t, 22> kRetentionDays = {
    1,   3,   5,   7,   14,   30,   60,   90,   120,  150,  180,
    365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};

[[noreturn]] void violation(std::string_view value, std::string_view member,
                            std::string_view constraint) {
    throw AwsError(errors::InvalidParameterException,
                   "1 validation error detected: Value '" + std::string(value) + "' at '" +
                       std::string(member) +
                       "' failed to satisfy constraint: " + std::string(constraint));
}

void check_length(std::string_view value, std::string_view member, std::size_t max) {
    if (value.empty()) {
        violation(value, member, "Member must have length greater than or equal to 1");
    }
    if (value.size() > max) {
        violation(value, member,
                  "Member must have length less than or equal to " + std::to_string(max));
    }
}

std::string arn_prefix(const Scope& scope) {
    return "arn:aws:logs:" + scope.region + ":" + scope.account_id + ":log-group:";
}

}  // namespace

std::string log_group_arn(const Scope& scope, std::string_view group) {
    return arn_prefix(scope) + std::string(group);
}

std::string log_group_star_arn(const Scope& scope, std::string_view group) {
    return log_group_arn(scope, group) + ":*";
}

std::string log_stream_arn(const Scope& scope, std::string_view group, std::string_view stream) {
    return log_group_arn(scope, group) + ":log-stream:" + std::string(stream);
}

std::optional<std::string> group_from_arn(const Scope& scope, std::string_view arn) {
    const std::string prefix = arn_prefix(scope);
    if (!arn.starts_with(prefix)) {
        return std::nullopt;
    }
    std::string_view name = arn.substr(prefix.size());
    if (name.ends_with(":*")) {
        name.remove_suffix(2);
    }
    if (name.empty() || name.find(':') != std::string_view::npos) {
        return std::nullopt;
    }
    return std::string(name);
}

std::string upload_sequence_token(std::int64_t sequence) {
    const std::string digits = std::to_string(sequence);
    return "49" + std::string(54 - digits.size(), '0') + digits;
}

void validate_group_name(std::string_view name, std::string_view member) {
    check_length(name, member, 512);
    const bool valid = std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
               c == '/' || c == '#';
    });
    if (!valid) {
        violation(name, member,
                  "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
    }
}

void validate_stream_name(std::string_view name, std::string_view member) {
    check_length(name, member, 512);
    if (name.find_first_of(":*") != std::string_view::npos) {
        violation(name, member, "Member must satisfy regular expression pattern: [^:*]*");
    }
}

void validate_retention(std::int64_t days) {
    if (std::find(kRetentionDays.begin(), kRetentionDays.end(), days) != kRetentionDays.end()) {
        return;
    }
    std::string allowed;
    for (const auto value : kRetentionDays) {
        allowed += (allowed.empty() ? "" : ", ") + std::to_string(value);
    }
    violation(std::to_string(days), "retentionInDays",
              "Member must satisfy enum value set: [" + allowed + "]");
}

void validate_limit(std::int64_t limit, std::int64_t max, std::string_view member) {
    if (limit < 1) {
        violation(std::to_string(limit), member,
                  "Member must have value greater than or equal to 1");
    }
    if (limit > max) {
        violation(std::to_string(limit), member,
                  "Member must have value less than or equal to " + std::to_string(max));
    }
}

void validate_tags(const std::vector<std::pair<std::string, std::string>>& tags) {
    if (tags.size() > 50) {
        throw AwsError(errors::InvalidParameterException,
                       "1 validation error detected: Value at 'tags' failed to satisfy "
                       "constraint: Member must have length less than or equal to 50");
    }
    for (const auto& [key, value] : tags) {
        check_length(key, "tags", 128);
        if (value.size() > 256) {
            violation(value, "tags", "Member must have length less than or equal to 256");
        }
    }
}

void check_batch(const std::vector<NewEvent>& events) {
    if (events.empty()) {
        throw AwsError(errors::InvalidParameterException,
                       "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy "
                       "constraint: Member must have length greater than or equal to 1");
    }
    if (static_cast<std::int64_t>(events.size()) > kMaxBatchEvents) {
        throw AwsError(errors::InvalidParameterException,
                       "1 validation error detected: Value at 'logEvents' failed to satisfy "
                       "constraint: Member must have length less than or equal to 10000");
    }
    std::int64_t total = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto size = static_cast<std::int64_t>(events[i].message.size());
        if (size == 0) {
            throw AwsError(errors::InvalidParameterException,
                           "1 validation error detected: Value '' at 'logEvents." +
                               std::to_string(i + 1) +
                               ".member.message' failed to satisfy constraint: Member must have "
                               "length greater than or equal to 1");
        }
        if (size > kMaxEventBytes) {
            throw AwsError(errors::InvalidParameterException,
                           "Log event too large: " + std::to_string(size) +
                               " bytes exceeds limit of " + std::to_string(kMaxEventBytes));
        }
        total += size + kEventOverheadBytes;
    }
    if (total > kMaxBatchBytes) {
        throw AwsError(errors::InvalidParameterException,
                       "Upload too large: " + std::to_string(total) + " bytes exceeds limit of " +
                           std::to_string(kMaxBatchBytes));
    }
    for (std::size_t i = 1; i < events.size(); ++i) {
        if (events[i].timestamp_ms < events[i - 1].timestamp_ms) {
            throw AwsError(errors::InvalidParameterException,
                           "Log events in a single PutLogEvents request must be in chronological "
                           "order.");
        }
    }
    if (events.back().timestamp_ms - events.front().timestamp_ms > kMaxBatchSpanMs) {
        throw AwsError(errors::InvalidParameterException,
                       "The batch of log events in a single PutLogEvents request cannot span "
                       "more than 24 hours.");
    }
}

BatchVerdict judge_batch(const std::vector<NewEvent>& events, std::int64_t now_ms,
                         std::optional<std::int64_t> retention_days) {
    BatchVerdict verdict;
    const auto count_before = [&](std::int64_t limit) {
        return static_cast<std::int64_t>(
            std::partition_point(events.begin(), events.end(),
                                 [&](const NewEvent& e) { return e.timestamp_ms < limit; }) -
            events.begin());
    };
    const std::int64_t too_old = count_before(now_ms - kMaxEventAgeMs);
    if (too_old > 0) {
        verdict.too_old_end = too_old;
    }
    std::int64_t first = too_old;
    if (retention_days) {
        const std::int64_t expired = count_before(now_ms - *retention_days * kDayMs);
        if (expired > 0) {
            verdict.expired_end = expired;
            first = std::max(first, expired);
        }
    }
    const std::int64_t not_too_new = count_before(now_ms + kMaxEventFutureMs + 1);
    if (not_too_new < static_cast<std::int64_t>(events.size())) {
        verdict.too_new_start = not_too_new;
    }
    verdict.first_accepted = static_cast<std::size_t>(first);
    verdict.end_accepted = static_cast<std::size_t>(std::max(first, not_too_new));
    return verdict;
}

}  // namespace awsemu::logs
