#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/params.hpp"
#include "emulator/service.hpp"
#include "services/ec2/ec2_model.hpp"

// Reading EC2's parameter shapes that Params has no accessor for, and writing the shapes every
// resource shares (tags, pages).
namespace awsemu::ec2 {

inline constexpr std::size_t kMaxTags = 50;

// Filters ([{Name, Values}]), each name one of `names` or "tag:KEY"; InvalidParameterValue for
// any other name.
std::vector<Filter> read_filters(const Params& in, std::initializer_list<std::string_view> names);

// A list of {Key, Value}, checked as CreateTags checks it; `require_value` false for DeleteTags,
// whose tags may name a key only. A tag without a value there is {key, nullopt}.
struct TagInput {
    std::string key;
    std::optional<std::string> value;
};
std::vector<TagInput> read_tag_list(const nlohmann::json* list, bool for_delete);

// The tags TagSpecifications give a resource of `resource_type` ("vpc", "subnet",
// "security-group", "security-group-rule"); InvalidParameterValue for a specification of
// another type.
Tags tags_from_specifications(const Params& in, std::string_view resource_type);

nlohmann::json tags_json(const Tags& tags);

// "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0abc..."
std::string resource_arn(const Scope& scope, std::string_view type, const std::string& id);

// One page of `items` (in id order) as EC2 answers it: at most MaxResults after the NextToken's
// id, with a NextToken when more follow. Writes the page under `list_name` in `result`.
void write_page(std::vector<std::pair<std::string, nlohmann::json>> items, const Params& in,
                const std::string& list_name, nlohmann::json& result);

// AttributeBooleanValue members ({Value: bool}); nullopt when absent.
std::optional<bool> attribute_bool(const Params& in, std::string_view name);

}  // namespace awsemu::ec2
