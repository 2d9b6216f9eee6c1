#include "services/sns/sns_input.hpp"

#include "emulator/protocol/page_token.hpp"
#include "emulator/protocol/utf8.hpp"
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
        if (key.empty() || utf8_length(key) > kMaxTagKeyLength ||
            utf8_length(value) > kMaxTagValueLength) {
            throw errors::invalid_parameter("Tags Reason: Invalid tag: key or value is too long");
        }
        if (key.starts_with("aws:")) {  // AWS's own tags
            throw errors::invalid_parameter(
                "Tags Reason: Invalid tag: keys may not start with "
                "aws:");
        }
        set_tag(tags, key, value);
    }
    return tags;
}

std::string decode_next_token(const std::optional<std::string>& token) {
    auto last_key = decode_key_token(token);
    if (!last_key) {
        throw errors::invalid_parameter("NextToken");
    }
    return std::move(*last_key);
}

}  // namespace awsemu::sns
