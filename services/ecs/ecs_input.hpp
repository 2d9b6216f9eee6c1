#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/params.hpp"
#include "emulator/protocol/page_token.hpp"
#include "services/ecs/ecs_model.hpp"

// Reading ECS request members below the top level (Params reads the top level): their types,
// answered as the JSON protocol answers a wrong type (SerializationException), and the members
// several operations share (tags, paging).
namespace awsemu::ecs {

[[noreturn]] void throw_wrong_type(std::string_view path, std::string_view expected);

// The member `name` of `object` (nullptr when absent or null), at `path` for messages
// ("containerDefinitions[0]").
const nlohmann::json* json_member(const nlohmann::json& object, std::string_view name);
std::optional<std::string> json_string(const nlohmann::json& object, std::string_view name,
                                       std::string_view path);
std::optional<std::int64_t> json_int(const nlohmann::json& object, std::string_view name,
                                     std::string_view path);
std::optional<bool> json_bool(const nlohmann::json& object, std::string_view name,
                              std::string_view path);
const nlohmann::json* json_array(const nlohmann::json& object, std::string_view name,
                                 std::string_view path);
const nlohmann::json* json_object(const nlohmann::json& object, std::string_view name,
                                  std::string_view path);
std::vector<std::string> json_string_list(const nlohmann::json& object, std::string_view name,
                                          std::string_view path);
// A structure that must be an object (a list entry).
void expect_object(const nlohmann::json& value, std::string_view path);
// "path.name" for messages.
std::string member_path(std::string_view path, std::string_view name);

// A `tags` list (key/value members), checked against the model's constraints: at most 50,
// keys 1-128 and values 0-256 characters (InvalidParameterException, as ECS answers).
std::vector<Tag> tags_param(const nlohmann::json* tags);

// maxResults of a listing: 1-100, default 100 (InvalidParameterException outside).
std::size_t max_results_param(const Params& params, std::size_t limit = 100);
// The position a nextToken names in a listing (0 without one): tokens are the base64 of the
// last key of the page before. InvalidParameterException for one that is not ours.
std::optional<std::string> next_token_key(const Params& params);
// Listings fetch limit + 1 items: this cuts `items` to `limit` and, when one was cut, answers
// the nextToken that continues after the last item kept (`key_of` gives its key).
template <class T, class KeyOf>
std::optional<std::string> cut_page(std::vector<T>& items, std::size_t limit, KeyOf key_of) {
    if (items.size() <= limit) {
        return std::nullopt;
    }
    items.resize(limit);
    return encode_key_token(key_of(items.back()));
}

}  // namespace awsemu::ecs
