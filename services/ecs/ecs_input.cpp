#include "services/ecs/ecs_input.hpp"

#include "emulator/protocol/page_token.hpp"
#include "services/ecs/ecs_errors.hpp"

namespace awsemu::ecs {

void throw_wrong_type(std::string_view path, std::string_view expected) {
    throw AwsError(errors::SerializationException, "Invalid type for parameter " +
                                                       std::string(path) + ", expected " +
                                                       std::string(expected) + ".");
}

std::string member_path(std::string_view path, std::string_view name) {
    if (path.empty()) {
        return std::string(name);
    }
    return std::string(path) + "." + std::string(name);
}

const nlohmann::json* json_member(const nlohmann::json& object, std::string_view name) {
    if (!object.is_object()) {
        return nullptr;
    }
    const auto it = object.find(name);
    if (it == object.end() || it->is_null()) {
        return nullptr;
    }
    return &*it;
}

std::optional<std::string> json_string(const nlohmann::json& object, std::string_view name,
                                       std::string_view path) {
    const auto* m = json_member(object, name);
    if (m == nullptr) {
        return std::nullopt;
    }
    if (!m->is_string()) {
        throw_wrong_type(member_path(path, name), "a string");
    }
    return m->get<std::string>();
}

std::optional<std::int64_t> json_int(const nlohmann::json& object, std::string_view name,
                                     std::string_view path) {
    const auto* m = json_member(object, name);
    if (m == nullptr) {
        return std::nullopt;
    }
    if (!m->is_number_integer()) {
        throw_wrong_type(member_path(path, name), "an integer");
    }
    return m->get<std::int64_t>();
}

std::optional<bool> json_bool(const nlohmann::json& object, std::string_view name,
                              std::string_view path) {
    const auto* m = json_member(object, name);
    if (m == nullptr) {
        return std::nullopt;
    }
    if (!m->is_boolean()) {
        throw_wrong_type(member_path(path, name), "a boolean");
    }
    return m->get<bool>();
}

const nlohmann::json* json_array(const nlohmann::json& object, std::string_view name,
                                 std::string_view path) {
    const auto* m = json_member(object, name);
    if (m != nullptr && !m->is_array()) {
        throw_wrong_type(member_path(path, name), "a list");
    }
    return m;
}

const nlohmann::json* json_object(const nlohmann::json& object, std::string_view name,
                                  std::string_view path) {
    const auto* m = json_member(object, name);
    if (m != nullptr && !m->is_object()) {
        throw_wrong_type(member_path(path, name), "a structure");
    }
    return m;
}

std::vector<std::string> json_string_list(const nlohmann::json& object, std::string_view name,
                                          std::string_view path) {
    std::vector<std::string> out;
    const auto* list = json_array(object, name, path);
    if (list == nullptr) {
        return out;
    }
    for (const auto& item : *list) {
        if (!item.is_string()) {
            throw_wrong_type(member_path(path, name), "a list of strings");
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

void expect_object(const nlohmann::json& value, std::string_view path) {
    if (!value.is_object()) {
        throw_wrong_type(path, "a structure");
    }
}

std::vector<Tag> tags_param(const nlohmann::json* tags) {
    std::vector<Tag> out;
    if (tags == nullptr) {
        return out;
    }
    if (!tags->is_array()) {
        throw_wrong_type("tags", "a list");
    }
    if (tags->size() > kMaxTags) {
        throw AwsError(errors::InvalidParameterException,
                       "Too many tags: at most 50 tags may be attached to a resource.");
    }
    for (std::size_t i = 0; i < tags->size(); ++i) {
        const auto& entry = (*tags)[i];
        const std::string path = "tags[" + std::to_string(i) + "]";
        expect_object(entry, path);
        Tag tag;
        tag.key = json_string(entry, "key", path).value_or("");
        tag.value = json_string(entry, "value", path).value_or("");
        if (const auto problem = tag_problem(tag)) {
            throw AwsError(errors::InvalidParameterException, *problem);
        }
        out.push_back(std::move(tag));
    }
    return out;
}

std::size_t max_results_param(const Params& params, std::size_t limit) {
    const auto value = params.optional_int("maxResults");
    if (!value) {
        return limit;
    }
    if (*value < 1 || *value > static_cast<std::int64_t>(limit)) {
        throw AwsError(errors::InvalidParameterException,
                       "maxResults must be between 1 and " + std::to_string(limit) + ".");
    }
    return static_cast<std::size_t>(*value);
}

std::optional<std::string> next_token_key(const Params& params) {
    const auto token = params.optional_string("nextToken");
    if (!token || token->empty()) {
        return std::nullopt;
    }
    auto key = decode_key_token(token);
    if (!key || key->empty()) {
        throw AwsError(errors::InvalidParameterException, "Invalid nextToken.");
    }
    return key;
}

}  // namespace awsemu::ecs
