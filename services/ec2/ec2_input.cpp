#include "services/ec2/ec2_input.hpp"

#include <algorithm>

#include "emulator/protocol/page_token.hpp"
#include "services/ec2/ec2_errors.hpp"

namespace awsemu::ec2 {

std::vector<Filter> read_filters(const Params& in, std::initializer_list<std::string_view> names) {
    std::vector<Filter> filters;
    const nlohmann::json* list = in.optional_array("Filters");
    if (list == nullptr) {
        return filters;
    }
    for (const auto& item : *list) {
        const auto name = item.find("Name");
        const std::string text =
            name != item.end() && name->is_string() ? name->get<std::string>() : "null";
        const bool known = std::find(names.begin(), names.end(), text) != names.end() ||
                           (text.starts_with("tag:") && text.size() > 4);
        if (!known) {
            throw AwsError(errors::InvalidParameterValue, "The filter '" + text + "' is invalid");
        }
        Filter filter{text, {}};
        const auto values = item.find("Values");
        if (values != item.end() && values->is_array()) {
            for (const auto& value : *values) {
                if (value.is_string()) {
                    filter.values.push_back(value.get<std::string>());
                }
            }
        }
        filters.push_back(std::move(filter));
    }
    return filters;
}

std::vector<TagInput> read_tag_list(const nlohmann::json* list, bool for_delete) {
    std::vector<TagInput> tags;
    if (list == nullptr) {
        return tags;
    }
    for (const auto& item : *list) {
        const auto key = item.find("Key");
        if (key == item.end() || !key->is_string()) {
            throw AwsError(errors::InvalidParameterValue,
                           "Tag keys may not be empty or consist of only whitespace.");
        }
        TagInput tag{key->get<std::string>(), std::nullopt};
        if (const auto value = item.find("Value"); value != item.end() && value->is_string()) {
            tag.value = value->get<std::string>();
        }
        if (!for_delete) {
            if (tag.key.starts_with("aws:")) {
                throw AwsError(errors::InvalidParameterValue,
                               "Tag keys starting with 'aws:' are reserved for internal use");
            }
            if (tag.key.size() > 127) {
                throw errors::invalid_value("Tag.Key", tag.key,
                                            "Length of tag key exceeds the maximum of 127.");
            }
            if (tag.value && tag.value->size() > 255) {
                throw errors::invalid_value("Tag.Value", *tag.value,
                                            "Length of tag value exceeds the maximum of 255.");
            }
            if (!tag.value) {
                tag.value = "";
            }
        }
        tags.push_back(std::move(tag));
    }
    if (!for_delete && tags.size() > kMaxTags) {
        throw AwsError(errors::TagLimitExceeded,
                       "The maximum number of Tags for a resource has been reached.");
    }
    return tags;
}

Tags tags_from_specifications(const Params& in, std::string_view resource_type) {
    Tags tags;
    const nlohmann::json* specifications = in.optional_array("TagSpecifications");
    if (specifications == nullptr) {
        return tags;
    }
    for (const auto& specification : *specifications) {
        const std::string type = specification.value("ResourceType", "");
        if (type != resource_type) {
            throw AwsError(
                errors::InvalidParameterValue,
                "'" + type + "' is not a valid taggable resource type for this operation.");
        }
        const auto list = specification.find("Tags");
        for (auto& tag :
             read_tag_list(list != specification.end() ? &*list : nullptr, /*for_delete=*/false)) {
            const auto same = std::find_if(tags.begin(), tags.end(),
                                           [&](const Tag& t) { return t.key == tag.key; });
            if (same != tags.end()) {
                same->value = *tag.value;
            } else {
                tags.push_back({tag.key, *tag.value});
            }
        }
    }
    if (tags.size() > kMaxTags) {
        throw AwsError(errors::TagLimitExceeded,
                       "The maximum number of Tags for a resource has been reached.");
    }
    std::sort(tags.begin(), tags.end(), [](const Tag& a, const Tag& b) { return a.key < b.key; });
    return tags;
}

nlohmann::json tags_json(const Tags& tags) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& tag : tags) {
        list.push_back({{"Key", tag.key}, {"Value", tag.value}});
    }
    return list;
}

std::string resource_arn(const Scope& scope, std::string_view type, const std::string& id) {
    return "arn:aws:ec2:" + scope.region + ":" + scope.account_id + ":" + std::string(type) + "/" +
           id;
}

void write_page(std::vector<std::pair<std::string, nlohmann::json>> items, const Params& in,
                const std::string& list_name, nlohmann::json& result) {
    const auto max_results = in.optional_int("MaxResults");
    if (max_results && (*max_results < 5 || *max_results > 1000)) {
        throw AwsError(errors::InvalidParameterValue,
                       "Value ( " + std::to_string(*max_results) +
                           " ) for parameter maxResults is invalid. Expecting a value greater "
                           "than 5 and less than 1000.");
    }
    const auto token = in.optional_string("NextToken");
    const auto after = decode_key_token(token);
    if (!after) {
        throw AwsError(errors::InvalidPaginationToken,
                       "The specified pagination token is not valid or is expired.");
    }
    nlohmann::json page = nlohmann::json::array();
    std::string last;
    bool more = false;
    for (auto& [id, item] : items) {
        if (!after->empty() && id <= *after) {
            continue;
        }
        if (max_results && page.size() >= static_cast<std::size_t>(*max_results)) {
            more = true;
            break;
        }
        last = id;
        page.push_back(std::move(item));
    }
    result[list_name] = std::move(page);
    if (more) {
        result["NextToken"] = encode_key_token(last);
    }
}

std::optional<bool> attribute_bool(const Params& in, std::string_view name) {
    const nlohmann::json* value = in.optional_object(name);
    if (value == nullptr) {
        return std::nullopt;
    }
    const auto it = value->find("Value");
    if (it == value->end() || !it->is_boolean()) {
        return std::nullopt;
    }
    return it->get<bool>();
}

}  // namespace awsemu::ec2
