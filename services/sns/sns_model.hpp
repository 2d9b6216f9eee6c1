#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Plain SNS facts and pure validation: ARNs, names, topic and subscription attributes, and the
// policies AWS fills in. No I/O.
namespace awsemu::sns {

inline constexpr std::size_t kMaxMessageBytes = 262'144;  // 256 KiB, attributes included
inline constexpr int kMaxBatchEntries = 10;
inline constexpr int kListPageSize = 100;
inline constexpr std::size_t kMaxTags = 50;
inline constexpr std::int64_t kDeduplicationWindowMs = std::int64_t{5} * 60 * 1000;

using AttributeMap = std::map<std::string, std::string>;
using Tags = std::vector<std::pair<std::string, std::string>>;  // in the order first set
// Sets a tag's value, adding the tag at the end when it is new.
void set_tag(Tags& tags, const std::string& key, const std::string& value);

// arn:aws:sns:REGION:ACCOUNT:TOPIC[:SUBSCRIPTION-ID]
struct SnsArn {
    std::string region;
    std::string account_id;
    std::string topic_name;
    std::string subscription_id;  // empty for a topic ARN
};
std::optional<SnsArn> parse_sns_arn(std::string_view arn);
std::string topic_arn(std::string_view region, std::string_view account_id, std::string_view name);

struct Topic {
    std::string account_id;
    std::string region;
    std::string name;
    AttributeMap attributes;  // as set: DisplayName, Policy, DeliveryPolicy, FifoTopic, ...
    Tags tags;
    std::int64_t created_ms = 0;

    std::string arn() const { return topic_arn(region, account_id, name); }
    bool fifo() const;
    bool content_based_deduplication() const;
    // "1" (SHA1withRSA, the default) or "2" (SHA256withRSA).
    std::string signature_version() const;
};

struct Subscription {
    std::string account_id;
    std::string region;
    std::string arn;
    std::string topic_arn;
    std::string protocol;
    std::string endpoint;
    std::string owner;
    AttributeMap attributes;  // as set: FilterPolicy, RawMessageDelivery, RedrivePolicy, ...
    bool confirmed = false;
    std::string token;  // what ConfirmSubscription must be given while pending

    bool raw_message_delivery() const;
    std::optional<std::string> dead_letter_queue_arn() const;
};

bool is_fifo_name(std::string_view name);
// Throws InvalidParameter unless `name` is a valid (FIFO when `fifo`) topic name.
void validate_topic_name(std::string_view name, bool fifo);

// Whether a topic has an attribute of that name that can be set.
bool is_topic_attribute(const std::string& name);
// Checks the topic attributes given to CreateTopic or SetTopicAttributes; answers them as kept.
AttributeMap validate_topic_attributes(const AttributeMap& given, bool fifo, bool creating);
// What GetTopicAttributes shows besides the attributes set (owner, policy, counts aside).
std::string default_topic_policy(const std::string& topic_arn, const std::string& account_id);
std::string effective_delivery_policy(const AttributeMap& attributes);

// The protocols Subscribe accepts.
bool is_known_protocol(std::string_view protocol);
// Throws InvalidParameter unless `endpoint` suits `protocol`.
void validate_endpoint(std::string_view protocol, const std::string& endpoint);
// Checks one subscription attribute for a subscription of `protocol`; answers the kept value.
std::string validate_subscription_attribute(const std::string& name, const std::string& value,
                                            std::string_view protocol);

}  // namespace awsemu::sns
