#include "services/s3/lifecycle_rules.hpp"

#include <charconv>
#include <set>

#include <pugixml.hpp>

#include "emulator/protocol/rest_xml_codec.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/s3/s3_errors.hpp"

namespace awsemu::s3 {
namespace {

constexpr auto kDay = std::chrono::hours(24);

[[noreturn]] void malformed() {
    throw AwsError(errors::MalformedXML,
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema");
}

std::int64_t integer_of(const pugi::xml_node node) {
    const std::string_view text = node.child_value();
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
        malformed();
    }
    return value;
}

// A count of days (or versions) an action names: a positive integer, or AWS's InvalidArgument.
std::optional<int> positive(const pugi::xml_node parent, const char* element,
                            std::string_view action) {
    const auto node = parent.child(element);
    if (!node) {
        return std::nullopt;
    }
    const std::int64_t value = integer_of(node);
    if (value <= 0 || value > 2'147'483'647) {
        throw AwsError(errors::InvalidArgument, "'" + std::string(element) + "' for " +
                                                    std::string(action) +
                                                    " action must be a positive integer");
    }
    return static_cast<int>(value);
}

void read_tag(const pugi::xml_node tag, LifecycleFilter& filter) {
    if (!tag.child("Key") || !tag.child("Value")) {
        malformed();
    }
    filter.tags.emplace_back(tag.child_value("Key"), tag.child_value("Value"));
}

void read_size_bounds(const pugi::xml_node node, LifecycleFilter& filter) {
    if (const auto greater = node.child("ObjectSizeGreaterThan")) {
        filter.size_greater_than = integer_of(greater);
    }
    if (const auto less = node.child("ObjectSizeLessThan")) {
        filter.size_less_than = integer_of(less);
    }
    if (filter.size_greater_than && filter.size_less_than &&
        *filter.size_greater_than >= *filter.size_less_than) {
        throw AwsError(errors::InvalidRequest,
                       "ObjectSizeGreaterThan must be less than ObjectSizeLessThan in a filter");
    }
}

// <Filter> holds one of Prefix, Tag, ObjectSizeGreaterThan, ObjectSizeLessThan or And; the
// rule-level <Prefix> is the older form of the same thing.
LifecycleFilter read_filter(const pugi::xml_node rule) {
    LifecycleFilter filter;
    const auto node = rule.child("Filter");
    if (rule.child("Prefix")) {
        if (node) {
            malformed();
        }
        filter.prefix = rule.child_value("Prefix");
        return filter;
    }
    if (!node) {
        return filter;
    }
    int conditions = 0;
    for (const auto child : node.children()) {
        if (child.type() != pugi::node_element) {
            continue;
        }
        ++conditions;
        const std::string_view name = child.name();
        if (name == "Prefix") {
            filter.prefix = child.child_value();
        } else if (name == "Tag") {
            read_tag(child, filter);
        } else if (name == "ObjectSizeGreaterThan" || name == "ObjectSizeLessThan") {
            read_size_bounds(node, filter);
        } else if (name == "And") {
            filter.prefix = child.child_value("Prefix");
            for (const auto tag : child.children("Tag")) {
                read_tag(tag, filter);
            }
            read_size_bounds(child, filter);
        } else {
            malformed();
        }
    }
    // Both size bounds at the top level would be two conditions: AWS wants them under <And>.
    if (conditions > 1) {
        malformed();
    }
    return filter;
}

LifecycleRule read_rule(const pugi::xml_node node) {
    LifecycleRule rule;
    rule.id = node.child_value("ID");
    if (rule.id.size() > 255) {
        throw AwsError(errors::InvalidArgument, "ID length should not exceed allowed limit of 255");
    }
    const std::string_view status = node.child_value("Status");
    if (status != "Enabled" && status != "Disabled") {
        malformed();
    }
    rule.enabled = status == "Enabled";
    rule.filter = read_filter(node);

    if (const auto expiration = node.child("Expiration")) {
        rule.expiration_days = positive(expiration, "Days", "Expiration");
        if (const auto date = expiration.child("Date")) {
            const auto when = parse_iso8601(date.child_value());
            if (!when) {
                malformed();
            }
            if (when->time_since_epoch() % kDay != Duration::zero()) {
                throw AwsError(errors::InvalidArgument, "'Date' must be at midnight GMT");
            }
            rule.expiration_date = when;
        }
        if (const auto marker = expiration.child("ExpiredObjectDeleteMarker")) {
            const std::string_view value = marker.child_value();
            if (value != "true" && value != "false") {
                malformed();
            }
            rule.expired_object_delete_marker = value == "true";
        }
        const int given = int(rule.expiration_days.has_value()) +
                          int(rule.expiration_date.has_value()) +
                          int(expiration.child("ExpiredObjectDeleteMarker") ? 1 : 0);
        if (given != 1) {
            malformed();
        }
        if (rule.expired_object_delete_marker && rule.filter.has_tags()) {
            throw AwsError(errors::InvalidRequest,
                           "ExpiredObjectDeleteMarker cannot be specified with tags.");
        }
    }
    if (const auto noncurrent = node.child("NoncurrentVersionExpiration")) {
        rule.noncurrent_days =
            positive(noncurrent, "NoncurrentDays", "NoncurrentVersionExpiration");
        rule.newer_noncurrent_versions =
            positive(noncurrent, "NewerNoncurrentVersions", "NoncurrentVersionExpiration");
        if (!rule.noncurrent_days) {
            malformed();
        }
    }
    if (const auto abort = node.child("AbortIncompleteMultipartUpload")) {
        rule.abort_incomplete_upload_days =
            positive(abort, "DaysAfterInitiation", "AbortIncompleteMultipartUpload");
        if (!rule.abort_incomplete_upload_days) {
            malformed();
        }
        if (rule.filter.has_tags()) {
            throw AwsError(errors::InvalidRequest,
                           "AbortIncompleteMultipartUpload cannot be specified with tags.");
        }
    }
    const bool transitions = node.child("Transition") || node.child("NoncurrentVersionTransition");
    if (!node.child("Expiration") && !node.child("NoncurrentVersionExpiration") &&
        !node.child("AbortIncompleteMultipartUpload") && !transitions) {
        throw AwsError(errors::InvalidRequest,
                       "At least one action needs to be specified in a rule");
    }
    return rule;
}

}  // namespace

bool LifecycleFilter::matches(std::string_view key, std::int64_t size,
                              const nlohmann::json& object_tags) const {
    if (!key.starts_with(prefix)) {
        return false;
    }
    if ((size_greater_than && size <= *size_greater_than) ||
        (size_less_than && size >= *size_less_than)) {
        return false;
    }
    for (const auto& [name, value] : tags) {
        const auto it = object_tags.find(name);
        if (it == object_tags.end() || !it->is_string() || it->get<std::string>() != value) {
            return false;
        }
    }
    return true;
}

std::vector<LifecycleRule> parse_lifecycle_configuration(std::string_view document) {
    const auto xml = parse_xml_body(document);
    const auto root = xml.child("LifecycleConfiguration");
    if (!root || !root.child("Rule")) {
        malformed();
    }
    std::vector<LifecycleRule> rules;
    std::set<std::string> ids;
    for (const auto node : root.children("Rule")) {
        rules.push_back(read_rule(node));
        const std::string& id = rules.back().id;
        if (!id.empty() && !ids.insert(id).second) {
            throw AwsError(errors::InvalidArgument,
                           "Rule ID must be unique. Found same ID for more than one rule");
        }
    }
    if (rules.size() > 1000) {
        malformed();
    }
    return rules;
}

TimePoint next_midnight_utc(TimePoint t) {
    const auto since_epoch = t.time_since_epoch();
    auto midnight = since_epoch - since_epoch % kDay;
    if (since_epoch < Duration::zero() && since_epoch % kDay != Duration::zero()) {
        midnight -= kDay;
    }
    return TimePoint(midnight + kDay);
}

TimePoint lifecycle_due(TimePoint since, int days) {
    return next_midnight_utc(since + days * kDay);
}

}  // namespace awsemu::s3
