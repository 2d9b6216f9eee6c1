#include "services/secretsmanager/secretsmanager_model.hpp"

#include <algorithm>
#include <charconv>

#include "emulator/auth/crypto.hpp"
#include "emulator/protocol/aws_error.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/secretsmanager/secretsmanager_errors.hpp"

namespace awsemu::secretsmanager {
namespace {

constexpr std::string_view kTokenPrefix = "sm1:";

bool is_name_character(char c, bool allow_bang) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
           std::string_view("/_+=.@-").find(c) != std::string_view::npos ||
           (allow_bang && c == '!');
}

std::string member_prefix(std::string_view member, const std::optional<std::string>& value,
                          bool sensitive) {
    if (sensitive || !value) {
        return "Value at '" + std::string(member) + "'";
    }
    return "Value '" + *value + "' at '" + std::string(member) + "'";
}

constexpr std::string_view kConstraint = " failed to satisfy constraint: Member must ";

}  // namespace

bool SecretVersion::has_stage(std::string_view stage) const {
    return std::find(stages.begin(), stages.end(), stage) != stages.end();
}

bool is_valid_secret_name(std::string_view name, bool allow_bang) {
    return !name.empty() && std::all_of(name.begin(), name.end(),
                                        [&](char c) { return is_name_character(c, allow_bang); });
}

std::string secret_arn(std::string_view region, std::string_view account_id, std::string_view name,
                       std::string_view suffix) {
    std::string arn = "arn:aws:secretsmanager:";
    arn.append(region).append(":").append(account_id).append(":secret:").append(name);
    arn.append("-").append(suffix);
    return arn;
}

std::string arn_in_region(std::string_view arn, std::string_view region) {
    const auto parts = parse_secret_arn(arn);
    if (!parts) {
        return std::string(arn);
    }
    const auto service_end =
        arn.find(":secretsmanager:") + std::string_view(":secretsmanager:").size();
    std::string result(arn.substr(0, service_end));
    result.append(region).append(arn.substr(service_end + parts->region.size()));
    return result;
}

std::optional<SecretIdParts> parse_secret_arn(std::string_view id) {
    // arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:RESOURCE
    if (!id.starts_with("arn:")) {
        return std::nullopt;
    }
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (int i = 0; i < 6; ++i) {
        const auto colon = id.find(':', start);
        if (colon == std::string_view::npos) {
            return std::nullopt;
        }
        fields.push_back(id.substr(start, colon - start));
        start = colon + 1;
    }
    if (fields[2] != "secretsmanager" || fields[5] != "secret" || start >= id.size()) {
        return std::nullopt;
    }
    return SecretIdParts{std::string(fields[3]), std::string(fields[4]),
                         std::string(id.substr(start))};
}

void ConstraintCheck::length(std::string_view member, const std::optional<std::string>& value,
                             std::size_t min, std::size_t max, bool sensitive) {
    if (!value) {
        return;
    }
    if (value->size() < min) {
        add(member_prefix(member, value, sensitive) + std::string(kConstraint) +
            "have length greater than or equal to " + std::to_string(min));
    } else if (value->size() > max) {
        add(member_prefix(member, value, sensitive) + std::string(kConstraint) +
            "have length less than or equal to " + std::to_string(max));
    }
}

void ConstraintCheck::range(std::string_view member, const std::optional<std::int64_t>& value,
                            std::int64_t min, std::int64_t max) {
    if (!value) {
        return;
    }
    const std::optional<std::string> text = std::to_string(*value);
    if (*value < min) {
        add(member_prefix(member, text, false) + std::string(kConstraint) +
            "have value greater than or equal to " + std::to_string(min));
    } else if (*value > max) {
        add(member_prefix(member, text, false) + std::string(kConstraint) +
            "have value less than or equal to " + std::to_string(max));
    }
}

void ConstraintCheck::pattern(std::string_view member, const std::string& value,
                              std::string_view pattern, bool matches) {
    if (!matches) {
        add(member_prefix(member, value, false) + std::string(kConstraint) +
            "satisfy regular expression pattern: " + std::string(pattern));
    }
}

void ConstraintCheck::one_of(std::string_view member, const std::string& value,
                             const std::vector<std::string_view>& allowed) {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) {
        return;
    }
    std::string set;
    for (const auto& item : allowed) {
        set += (set.empty() ? "" : ", ") + std::string(item);
    }
    add(member_prefix(member, value, false) + std::string(kConstraint) +
        "satisfy enum value set: [" + set + "]");
}

void ConstraintCheck::check() const {
    if (violations_.empty()) {
        return;
    }
    std::string message = std::to_string(violations_.size()) +
                          (violations_.size() == 1 ? " validation error detected: "
                                                   : " validation errors detected: ");
    for (std::size_t i = 0; i < violations_.size(); ++i) {
        message += (i == 0 ? "" : "; ") + violations_[i];
    }
    throw AwsError(errors::ValidationException, message);
}

std::string encode_page_token(std::size_t offset, std::string_view fingerprint) {
    std::string plain(kTokenPrefix);
    plain.append(std::to_string(offset)).append(":").append(fingerprint);
    return auth::base64_encode(plain);
}

std::optional<std::size_t> decode_page_token(std::string_view token, std::string_view fingerprint) {
    const auto plain = auth::base64_decode(token);
    if (!plain || !plain->starts_with(kTokenPrefix)) {
        return std::nullopt;
    }
    const std::string_view rest = std::string_view(*plain).substr(kTokenPrefix.size());
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos || rest.substr(colon + 1) != fingerprint) {
        return std::nullopt;
    }
    std::size_t offset = 0;
    const auto digits = rest.substr(0, colon);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), offset);
    if (error != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
        return std::nullopt;
    }
    return offset;
}

std::int64_t day_start_ms(std::int64_t ms) {
    const std::int64_t days =
        ms >= 0 ? ms / kMillisecondsPerDay : (ms - kMillisecondsPerDay + 1) / kMillisecondsPerDay;
    return days * kMillisecondsPerDay;
}

double json_timestamp(std::int64_t ms) {
    return static_cast<double>(ms) / 1000.0;
}

}  // namespace awsemu::secretsmanager
