#include "services/secretsmanager/secretsmanager_input.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "emulator/auth/crypto.hpp"
#include "emulator/protocol/common_errors.hpp"
#include "services/secretsmanager/secretsmanager_errors.hpp"

namespace awsemu::secretsmanager {
namespace {

std::string wire_name(std::string_view member) {
    std::string name(member);
    if (!name.empty()) {
        name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
    }
    return name;
}

std::string required_member_string(const nlohmann::json& object, std::string_view key,
                                   std::string_view context) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        throw AwsError(errors::ValidationException,
                       "1 validation error detected: Value null at '" + std::string(context) +
                           "' failed to satisfy constraint: Member must not be null");
    }
    if (!it->is_string()) {
        throw_wrong_type(key, "a string");
    }
    return it->get<std::string>();
}

}  // namespace

void throw_wrong_type(std::string_view member, std::string_view expected) {
    throw AwsError(awsemu::errors::SerializationException, "Invalid type for parameter " +
                                                               std::string(member) + ", expected " +
                                                               std::string(expected) + ".");
}

void check_secret_id(const std::string& secret_id, std::string_view wire_member) {
    ConstraintCheck check;
    check.length(wire_member, secret_id, 1, 2048);
    check.check();
    if (!secret_id.starts_with("arn:") && !is_valid_secret_name(secret_id, /*allow_bang=*/true)) {
        throw AwsError(errors::ValidationException, std::string(kInvalidNameMessage));
    }
}

std::string secret_id_param(const Params& params, std::string_view member) {
    std::string secret_id = params.required_string(member);
    check_secret_id(secret_id, wire_name(member));
    return secret_id;
}

void check_secret_name(const std::string& name, bool service_managed) {
    ConstraintCheck check;
    check.length("name", name, 1, 512);
    check.check();
    if (!is_valid_secret_name(name, service_managed)) {
        throw AwsError(errors::ValidationException, std::string(kInvalidNameMessage));
    }
}

std::optional<SecretData> secret_data_param(const Params& params) {
    const auto string = params.optional_string("SecretString");
    const auto binary_text = params.optional_string("SecretBinary");
    if (string && binary_text) {
        throw AwsError(errors::InvalidParameterException,
                       "You can't specify both a binary secret value and a string secret value "
                       "in the same secret.");
    }
    if (!string && !binary_text) {
        return std::nullopt;
    }
    SecretData data;
    ConstraintCheck check;
    if (string) {
        check.length("secretString", string, 1, kMaxSecretValueBytes, /*sensitive=*/true);
        data.string = std::move(string);
    } else {
        auto bytes = auth::base64_decode(*binary_text);
        if (!bytes) {
            throw AwsError(awsemu::errors::SerializationException,
                           "Invalid base64 value for parameter SecretBinary.");
        }
        check.length("secretBinary", bytes, 1, kMaxSecretValueBytes, /*sensitive=*/true);
        data.binary = std::move(bytes);
    }
    check.check();
    return data;
}

std::optional<std::string> client_token_param(const Params& params) {
    auto token = params.optional_string("ClientRequestToken");
    ConstraintCheck check;
    check.length("clientRequestToken", token, 32, 64);
    check.check();
    return token;
}

std::vector<Tag> tags_param(const nlohmann::json& tags, std::string_view member) {
    if (!tags.is_array()) {
        throw_wrong_type("Tags", "a list");
    }
    std::vector<Tag> result;
    ConstraintCheck check;
    std::size_t index = 0;
    for (const auto& entry : tags) {
        ++index;
        if (!entry.is_object()) {
            throw_wrong_type("Tags", "a structure");
        }
        const std::string path = std::string(member) + "." + std::to_string(index) + ".member";
        Tag tag;
        tag.key = required_member_string(entry, "Key", path + ".key");
        if (const auto value = entry.find("Value"); value != entry.end() && !value->is_null()) {
            if (!value->is_string()) {
                throw_wrong_type("Value", "a string");
            }
            tag.value = value->get<std::string>();
        }
        check.length(path + ".key", tag.key, 1, 128);
        check.length(path + ".value", tag.value, 0, 256);
        result.push_back(std::move(tag));
    }
    check.check();
    return result;
}

std::vector<std::string> string_list_param(const nlohmann::json& list, std::string_view member) {
    if (!list.is_array()) {
        throw_wrong_type(member, "a list");
    }
    std::vector<std::string> result;
    for (const auto& item : list) {
        if (!item.is_string()) {
            throw_wrong_type(member, "a string");
        }
        result.push_back(item.get<std::string>());
    }
    return result;
}

RotationRules rotation_rules_param(const nlohmann::json& rules) {
    if (!rules.is_object()) {
        throw_wrong_type("RotationRules", "a structure");
    }
    RotationRules result;
    ConstraintCheck check;
    if (const auto days = rules.find("AutomaticallyAfterDays");
        days != rules.end() && !days->is_null()) {
        if (!days->is_number_integer()) {
            throw_wrong_type("AutomaticallyAfterDays", "an integer");
        }
        result.automatically_after_days = days->get<std::int64_t>();
        check.range("rotationRules.automaticallyAfterDays", result.automatically_after_days, 1,
                    1000);
    }
    for (const auto& [key, target, min, max] :
         {std::tuple{"Duration", &result.duration, 2, 3},
          std::tuple{"ScheduleExpression", &result.schedule_expression, 1, 256}}) {
        const auto it = rules.find(key);
        if (it == rules.end() || it->is_null()) {
            continue;
        }
        if (!it->is_string()) {
            throw_wrong_type(key, "a string");
        }
        *target = it->get<std::string>();
        check.length("rotationRules." + wire_name(key), *target, static_cast<std::size_t>(min),
                     static_cast<std::size_t>(max));
    }
    check.check();
    return result;
}

void check_lengths(
    const Params& params,
    const std::vector<std::tuple<std::string_view, std::size_t, std::size_t>>& spec) {
    ConstraintCheck check;
    for (const auto& [member, min, max] : spec) {
        check.length(wire_name(member), params.optional_string(member), min, max);
    }
    check.check();
}

std::string new_version_id() {
    return auth::uuid_v4(auth::random_bytes(16));
}

std::string new_arn_suffix() {
    constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string suffix;
    while (suffix.size() < 6) {
        for (const char byte : auth::random_bytes(16)) {
            // 248 = 4 * 62: rejecting the rest keeps every character equally likely.
            const auto value = static_cast<unsigned char>(byte);
            if (value < 248 && suffix.size() < 6) {
                suffix.push_back(kAlphabet[value % kAlphabet.size()]);
            }
        }
    }
    return suffix;
}

Page page_of(const std::optional<std::string>& next_token, std::size_t max_results,
             std::size_t total, const nlohmann::json& listing) {
    const std::string fingerprint = auth::sha256_hex(listing.dump()).substr(0, 16);
    Page page;
    if (next_token) {
        const auto offset = decode_page_token(*next_token, fingerprint);
        if (!offset || *offset > total) {
            throw AwsError(errors::InvalidNextTokenException, "The NextToken value is invalid.");
        }
        page.begin = *offset;
    }
    page.end = std::min(total, page.begin + max_results);
    if (page.end < total) {
        page.next_token = encode_page_token(page.end, fingerprint);
    }
    return page;
}

}  // namespace awsemu::secretsmanager
