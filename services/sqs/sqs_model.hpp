#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "services/sqs/message_digest.hpp"

// Plain SQS facts and pure validation: names, attribute ranges, policies, receipt handles and
// message contents. No I/O.
namespace awsemu::sqs {

inline constexpr int kMaxBatchEntries = 10;
inline constexpr std::int64_t kMaxMessageSize = 1'048'576;  // 1 MiB since August 2025
inline constexpr int kMaxMessageAttributes = 10;
inline constexpr int kMaxWaitTimeSeconds = 20;
inline constexpr int kMaxVisibilityTimeout = 43'200;  // 12 hours
inline constexpr int kMaxDelaySeconds = 900;
inline constexpr std::int64_t kDeduplicationWindowMs = 5 * 60 * 1000;
inline constexpr std::int64_t kPurgeWindowMs = 60 * 1000;
inline constexpr int kMaxQueueTags = 50;

using AttributeMap = std::map<std::string, std::string>;

// What a queue's RedrivePolicy says.
struct RedrivePolicy {
    std::string dead_letter_target_arn;
    int max_receive_count = 0;
};

// The attributes the message semantics read, parsed from the queue's attribute map.
struct QueueSettings {
    int visibility_timeout = 30;
    int delay_seconds = 0;
    std::int64_t maximum_message_size = kMaxMessageSize;
    int message_retention_period = 345'600;
    int receive_wait_time = 0;
    bool fifo = false;
    bool content_based_deduplication = false;
    bool deduplication_per_group = false;  // DeduplicationScope=messageGroup
    std::optional<RedrivePolicy> redrive;
};

struct QueueArn {
    std::string region;
    std::string account_id;
    std::string name;
};

bool is_fifo_name(std::string_view name);
// Throws InvalidParameterValue unless `name` is a valid queue name (with .fifo for FIFO).
void validate_queue_name(std::string_view name, bool fifo);
std::string queue_arn(std::string_view region, std::string_view account_id, std::string_view name);
std::optional<QueueArn> parse_queue_arn(std::string_view arn);

// The attributes a new queue has before any are given, as GetQueueAttributes shows them.
AttributeMap default_attributes(bool fifo);
// Checks attribute names and values given to CreateQueue/SetQueueAttributes (InvalidAttributeName,
// InvalidAttributeValue, InvalidParameterValue) and answers them as they will be stored.
AttributeMap validate_attributes(const AttributeMap& given, bool fifo, bool creating);
// A queue's attributes once the checked `valid` ones are set on `stored`: empty policies and
// keys removed, and the type of server-side encryption chosen last switched on alone.
AttributeMap merge_attributes(AttributeMap stored, const AttributeMap& valid);
// Stored attributes as this awsemu would store them now (policies kept by an older one were
// kept as given).
AttributeMap in_stored_form(AttributeMap attributes);
QueueSettings settings_of(const AttributeMap& attributes);

// Throws InvalidParameterValue unless a queue may carry these tags (at most 50; keys of 1-128
// characters without AWS's "aws:" prefix, values of at most 256).
void validate_tags(const std::string& queue_name, const std::map<std::string, std::string>& tags);

// RedriveAllowPolicy: may the queue `source_arn` use the queue whose policy this is as its DLQ?
bool redrive_allowed(const std::string& redrive_allow_policy, const std::string& source_arn);

// Every attribute name GetQueueAttributes knows, for "All" and for validation.
const std::vector<std::string>& readable_attribute_names();
// The message attribute names ReceiveMessage's AttributeNames/MessageSystemAttributeNames know.
bool is_message_system_attribute_name(std::string_view name);

// A receipt handle names one receive of one message; a later receive gets a new one.
struct ReceiptHandle {
    std::int64_t queue_id = 0;
    std::int64_t seq = 0;
    std::int64_t nonce = 0;
};
std::string encode_receipt_handle(const ReceiptHandle& handle);
std::optional<ReceiptHandle> decode_receipt_handle(std::string_view text);

// Throws InvalidMessageContents for a character outside XML's set (as botocore's model says
// SQS does today) and MissingParameter for an empty body.
void validate_body(std::string_view body);

// Parses and checks MessageAttributes / MessageSystemAttributes from the request's JSON shape
// ({"name": {"DataType": ..., "StringValue" | "BinaryValue": ...}}). Binary values arrive base64.
MessageAttributes parse_message_attributes(const nlohmann::json* value, bool system);
// Attributes as message_attributes_json stored them, read back without the checks their input
// passed (rules tighten; a message kept by an older awsemu must still be delivered).
MessageAttributes stored_message_attributes(const nlohmann::json& stored);
// The JSON shape ReceiveMessage returns them in.
nlohmann::json message_attributes_json(const MessageAttributes& attributes);
// How much of a message's size the attributes count for (names, types and values).
std::int64_t attributes_size(const MessageAttributes& attributes);

// Batch entry ids: 1-80 characters of [A-Za-z0-9_-].
bool is_valid_batch_entry_id(std::string_view id);

}  // namespace awsemu::sqs
