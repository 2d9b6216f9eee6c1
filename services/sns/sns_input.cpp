#include "services/sns/sns_input.hpp"

#include "emulator/auth/crypto.hpp"
#include "services/sns/sns_errors.hpp"

namespace awsemu::sns {
namespace {

constexpr std::size_t kMaxTagKeyLength = 128;
constexpr std::size_t kMaxTagValueLength = 256;

}  // namespace

Tags tag_list(const Params& in, std::string_view name) {
    Tags tags;
    const nlohmann::json* array = in.optional_array(name);
    if (array == nullptr) {
        return tags;
    }
    for (const auto& tag : *array) {
        if (!tag.is_object() || !tag.contains("Key") || !tag["Key"].is_string()) {
            throw AwsError(errors::ValidationError,
                           "1 validation error detected: Value null at 'tags.member.key' failed "
                           "to satisfy constraint: Member must not be null");
        }
        if (!tag.contains("Value") || !tag["Value"].is_string()) {
            throw AwsError(errors::ValidationError,
                           "1 validation error detected: Value null at 'tags.member.value' "
                           "failed to satisfy constraint: Member must not be null");
        }
        const std::string key = tag["Key"].get<std::string>();
        const std::string value = tag["Value"].get<std::string>();
        if (key.empty() || key.size() > kMaxTagKeyLength || value.size() > kMaxTagValueLength) {
            throw errors::invalid_parameter("Tags Reason: Invalid tag: key or value is too long");
        }
        set_tag(tags, key, value);
    }
    return tags;
}

std::string encode_next_token(const std::string& last_key) {
    return auth::base64_encode(last_key);
}

std::string decode_next_token(const std::optional<std::string>& token) {
    if (!token || token->empty()) {
        return {};
    }
    const auto decoded = auth::base64_decode(*token);
    if (!decoded) {
        throw errors::invalid_parameter("NextToken");
    }
    return *decoded;
}

}  // namespace awsemu::sns
