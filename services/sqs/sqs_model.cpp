#include "services/sqs/sqs_model.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "emulator/auth/crypto.hpp"
#include "emulator/protocol/message_attributes.hpp"
#include "emulator/protocol/utf8.hpp"
#include "services/sqs/sqs_errors.hpp"

namespace awsemu::sqs {
namespace {

constexpr std::string_view kFifoSuffix = ".fifo";

std::optional<std::int64_t> parse_integer(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

[[noreturn]] void invalid_attribute_value(std::string_view name) {
    throw AwsError(errors::InvalidAttributeValue,
                   "Invalid value for the parameter " + std::string(name) + ".");
}

void check_range(const std::string& name, const std::string& value, std::int64_t low,
                 std::int64_t high) {
    const auto number = parse_integer(value);
    if (!number || *number < low || *number > high) {
        invalid_attribute_value(name);
    }
}

void check_boolean(const std::string& name, const std::string& value) {
    if (value != "true" && value != "false") {
        invalid_attribute_value(name);
    }
}

// "Value <policy> for parameter RedrivePolicy is invalid. Reason: ..."
[[noreturn]] void invalid_redrive(const std::string& value, std::string_view reason) {
    throw AwsError(errors::InvalidParameterValue, "Value " + value +
                                                      " for parameter RedrivePolicy is invalid. "
                                                      "Reason: " +
                                                      std::string(reason));
}

std::optional<RedrivePolicy> parse_redrive_policy(const std::string& value) {
    if (value.empty()) {
        return std::nullopt;
    }
    const auto json = nlohmann::json::parse(value, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        invalid_redrive(value, "Redrive policy is not a valid JSON map.");
    }
    RedrivePolicy policy;
    const auto arn = json.find("deadLetterTargetArn");
    if (arn == json.end() || !arn->is_string() || !parse_queue_arn(arn->get<std::string>())) {
        invalid_redrive(value, "Invalid value for deadLetterTargetArn.");
    }
    policy.dead_letter_target_arn = arn->get<std::string>();
    const auto count = json.find("maxReceiveCount");
    std::optional<std::int64_t> number;
    if (count != json.end() && count->is_number_integer()) {
        number = count->get<std::int64_t>();
    } else if (count != json.end() && count->is_string()) {
        number = parse_integer(count->get<std::string>());
    }
    if (!number || *number < 1 || *number > 1000) {
        invalid_redrive(value, "Invalid value for maxReceiveCount: " +
                                   (count == json.end() ? std::string("null") : count->dump()) +
                                   ", valid values are from 1 to 1000 both inclusive.");
    }
    policy.max_receive_count = static_cast<int>(*number);
    return policy;
}

void validate_redrive_allow_policy(const std::string& value) {
    const auto json = nlohmann::json::parse(value, nullptr, false);
    const auto fail = [&](std::string_view reason) {
        throw AwsError(errors::InvalidParameterValue,
                       "Value " + value + " for parameter RedriveAllowPolicy is invalid. Reason: " +
                           std::string(reason));
    };
    if (json.is_discarded() || !json.is_object()) {
        fail("Amazon SQS can't create the redrive allow policy, as it’s in an unsupported format.");
    }
    const auto permission = json.value("redrivePermission", std::string());
    if (permission != "allowAll" && permission != "denyAll" && permission != "byQueue") {
        fail("Amazon SQS can't create the redrive allow policy, as it’s in an unsupported format.");
    }
    const auto sources = json.find("sourceQueueArns");
    if (permission == "byQueue") {
        if (sources == json.end() || !sources->is_array() || sources->empty() ||
            sources->size() > 10) {
            fail(
                "Amazon SQS can't create the redrive allow policy. When you specify the byQueue "
                "permission type, you must also specify one or more sourceQueueArns values.");
        }
    } else if (sources != json.end()) {
        fail(
            "Amazon SQS can't create the redrive allow policy. To specify one or more source "
            "queue ARNs, you must set redrivePermission to byQueue.");
    }
}

void validate_one(const std::string& name, const std::string& value, bool fifo) {
    if (name == "DelaySeconds") {
        check_range(name, value, 0, kMaxDelaySeconds);
    } else if (name == "MaximumMessageSize") {
        check_range(name, value, 1024, kMaxMessageSize);
    } else if (name == "MessageRetentionPeriod") {
        check_range(name, value, 60, 1'209'600);
    } else if (name == "ReceiveMessageWaitTimeSeconds") {
        check_range(name, value, 0, kMaxWaitTimeSeconds);
    } else if (name == "VisibilityTimeout") {
        check_range(name, value, 0, kMaxVisibilityTimeout);
    } else if (name == "KmsDataKeyReusePeriodSeconds") {
        check_range(name, value, 60, 86'400);
    } else if (name == "SqsManagedSseEnabled") {
        check_boolean(name, value);
    } else if (name == "Policy") {
        const auto json = nlohmann::json::parse(value, nullptr, false);
        if (!value.empty() && (json.is_discarded() || !json.is_object())) {
            invalid_attribute_value(name);
        }
    } else if (name == "RedrivePolicy") {
        parse_redrive_policy(value);
    } else if (name == "RedriveAllowPolicy") {
        if (!value.empty()) {
            validate_redrive_allow_policy(value);
        }
    } else if (name == "FifoQueue") {
        check_boolean(name, value);
        if (value == "true" && !fifo) {
            throw AwsError(errors::InvalidParameterValue,
                           "The name of a FIFO queue can only include alphanumeric characters, "
                           "hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in "
                           "length.");
        }
    } else if (name == "ContentBasedDeduplication") {
        check_boolean(name, value);
    } else if (name == "DeduplicationScope") {
        if (value != "messageGroup" && value != "queue") {
            invalid_attribute_value(name);
        }
    } else if (name == "FifoThroughputLimit") {
        if (value != "perQueue" && value != "perMessageGroupId") {
            invalid_attribute_value(name);
        }
    }
}

// The form AWS keeps a valid value in, which GetQueueAttributes shows and CreateQueue compares:
// policies as compact JSON, a maxReceiveCount given as a string a number.
std::string stored_form(const std::string& name, const std::string& value) {
    if (value.empty()) {
        return value;  // an empty policy removes it
    }
    // A value that does not parse (kept by an older awsemu) stays as it is.
    if (name == "RedrivePolicy") {
        const auto policy = parse_redrive_policy(value);
        return policy ? nlohmann::json{{"deadLetterTargetArn", policy->dead_letter_target_arn},
                                       {"maxReceiveCount", policy->max_receive_count}}
                            .dump()
                      : value;
    }
    if (name == "RedriveAllowPolicy") {
        const auto policy = nlohmann::json::parse(value, nullptr, false);
        return policy.is_discarded() ? value : policy.dump();
    }
    return value;
}

// SQS-managed SSE and SSE-KMS exclude each other; AWS refuses a request that asks for both.
void check_one_encryption(const AttributeMap& given) {
    const auto kms_key = given.find("KmsMasterKeyId");
    const auto managed = given.find("SqsManagedSseEnabled");
    if (kms_key != given.end() && !kms_key->second.empty() && managed != given.end() &&
        managed->second == "true") {
        throw AwsError(errors::InvalidAttributeValue,
                       "Invalid value for the parameter SqsManagedSseEnabled. Reason: You can use "
                       "one type of server-side encryption (SSE) at one time. You can either "
                       "enable KMS SSE or SQS SSE.");
    }
}

bool is_settable(std::string_view name, bool fifo) {
    static const std::vector<std::string_view> kCommon = {"DelaySeconds",
                                                          "MaximumMessageSize",
                                                          "MessageRetentionPeriod",
                                                          "Policy",
                                                          "ReceiveMessageWaitTimeSeconds",
                                                          "VisibilityTimeout",
                                                          "RedrivePolicy",
                                                          "RedriveAllowPolicy",
                                                          "KmsMasterKeyId",
                                                          "KmsDataKeyReusePeriodSeconds",
                                                          "SqsManagedSseEnabled",
                                                          "FifoQueue"};
    static const std::vector<std::string_view> kFifoOnly = {
        "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"};
    return std::find(kCommon.begin(), kCommon.end(), name) != kCommon.end() ||
           (fifo && std::find(kFifoOnly.begin(), kFifoOnly.end(), name) != kFifoOnly.end());
}

bool allowed_in_message(long point) {
    return point == 0x9 || point == 0xA || point == 0xD || (point >= 0x20 && point <= 0xD7FF) ||
           (point >= 0xE000 && point <= 0xFFFD) || (point >= 0x10000 && point <= 0x10FFFF);
}

// Throws InvalidMessageContents for a character outside SQS's set; `where` names the text.
void check_message_characters(std::string_view text, std::string_view where) {
    for (std::size_t at = 0; at < text.size();) {
        const auto byte = static_cast<unsigned char>(text[at]);
        if (byte >= 0x20 && byte < 0x80) {
            ++at;  // printable ASCII, most of a usual body: allowed, no decoding needed
            continue;
        }
        const long point = next_code_point(text, at);
        if (point < 0 || !allowed_in_message(point)) {
            char hex[32];
            std::snprintf(hex, sizeof hex, "#x%lX", point < 0 ? 0xFFFDL : point);
            throw AwsError(errors::InvalidMessageContents,
                           std::string("Invalid binary character '") + hex + "' was found in " +
                               std::string(where) +
                               ", the set of allowed characters is #x9 | #xA | #xD | #x20 to "
                               "#xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
        }
    }
}

}  // namespace

bool is_fifo_name(std::string_view name) {
    return name.ends_with(kFifoSuffix);
}

void validate_queue_name(std::string_view name, bool fifo) {
    const std::string_view base =
        fifo && is_fifo_name(name) ? name.substr(0, name.size() - kFifoSuffix.size()) : name;
    const bool valid =
        !base.empty() && name.size() <= 80 && (!fifo || is_fifo_name(name)) &&
        std::all_of(base.begin(), base.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
        });
    if (!valid) {
        throw AwsError(errors::InvalidParameterValue,
                       fifo ? "The name of a FIFO queue can only include alphanumeric characters, "
                              "hyphens, or underscores, must end with .fifo suffix and be 1 to 80 "
                              "in length."
                            : "Can only include alphanumeric characters, hyphens, or underscores. "
                              "1 to 80 in length");
    }
}

std::string queue_arn(std::string_view region, std::string_view account_id, std::string_view name) {
    return "arn:aws:sqs:" + std::string(region) + ":" + std::string(account_id) + ":" +
           std::string(name);
}

std::optional<QueueArn> parse_queue_arn(std::string_view arn) {
    // arn:aws:sqs:REGION:ACCOUNT:NAME
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (int i = 0; i < 5; ++i) {
        const auto colon = arn.find(':', start);
        if (colon == std::string_view::npos) {
            return std::nullopt;
        }
        parts.push_back(arn.substr(start, colon - start));
        start = colon + 1;
    }
    const std::string_view name = arn.substr(start);
    if (parts[0] != "arn" || parts[2] != "sqs" || parts[3].empty() || parts[4].empty() ||
        name.empty()) {
        return std::nullopt;
    }
    return QueueArn{std::string(parts[3]), std::string(parts[4]), std::string(name)};
}

AttributeMap default_attributes(bool fifo) {
    AttributeMap attributes{{"DelaySeconds", "0"},
                            {"MaximumMessageSize", std::to_string(kMaxMessageSize)},
                            {"MessageRetentionPeriod", "345600"},
                            {"ReceiveMessageWaitTimeSeconds", "0"},
                            {"VisibilityTimeout", "30"},
                            {"SqsManagedSseEnabled", "true"}};
    if (fifo) {
        attributes["FifoQueue"] = "true";
        attributes["ContentBasedDeduplication"] = "false";
        attributes["DeduplicationScope"] = "queue";
        attributes["FifoThroughputLimit"] = "perQueue";
    }
    return attributes;
}

AttributeMap validate_attributes(const AttributeMap& given, bool fifo, bool creating) {
    AttributeMap result;
    for (const auto& [name, value] : given) {
        if (!is_settable(name, fifo)) {
            throw AwsError(errors::InvalidAttributeName, "Unknown Attribute " + name + ".");
        }
        if (name == "FifoQueue" && !creating && !(fifo && value == "true")) {
            if (!fifo) {
                throw AwsError(errors::InvalidAttributeName, "Unknown Attribute " + name + ".");
            }
            throw AwsError(errors::InvalidAttributeValue,
                           "Invalid value for the parameter FifoQueue. Reason: Modifying queue "
                           "type is not supported.");
        }
        validate_one(name, value, fifo);
        result[name] = stored_form(name, value);
    }
    check_one_encryption(given);
    if (fifo && creating && !given.contains("FifoQueue")) {
        throw AwsError(errors::InvalidParameterValue,
                       "The name of a FIFO queue can only include alphanumeric characters, "
                       "hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in "
                       "length.");
    }
    return result;
}

AttributeMap in_stored_form(AttributeMap attributes) {
    for (auto& [name, value] : attributes) {
        value = stored_form(name, value);
    }
    return attributes;
}

AttributeMap merge_attributes(AttributeMap stored, const AttributeMap& valid) {
    for (const auto& [name, value] : valid) {
        // An empty policy or key removes it, as on AWS.
        if (value.empty() && (name == "Policy" || name == "RedrivePolicy" ||
                              name == "RedriveAllowPolicy" || name == "KmsMasterKeyId")) {
            stored.erase(name);
        } else {
            stored[name] = value;
        }
    }
    // Choosing one type of encryption turns the other off.
    if (valid.contains("KmsMasterKeyId") && stored.contains("KmsMasterKeyId")) {
        stored["SqsManagedSseEnabled"] = "false";
        stored.try_emplace("KmsDataKeyReusePeriodSeconds", "300");
    }
    if (valid.contains("SqsManagedSseEnabled") && stored["SqsManagedSseEnabled"] == "true") {
        stored.erase("KmsMasterKeyId");
    }
    return stored;
}

QueueSettings settings_of(const AttributeMap& attributes) {
    QueueSettings settings;
    const auto integer = [&](const char* name, auto fallback) {
        const auto it = attributes.find(name);
        if (it == attributes.end()) {
            return static_cast<decltype(fallback)>(fallback);
        }
        return static_cast<decltype(fallback)>(parse_integer(it->second).value_or(fallback));
    };
    const auto flag = [&](const char* name) {
        const auto it = attributes.find(name);
        return it != attributes.end() && it->second == "true";
    };
    settings.visibility_timeout = integer("VisibilityTimeout", 30);
    settings.delay_seconds = integer("DelaySeconds", 0);
    settings.maximum_message_size = integer("MaximumMessageSize", kMaxMessageSize);
    settings.message_retention_period = integer("MessageRetentionPeriod", 345'600);
    settings.receive_wait_time = integer("ReceiveMessageWaitTimeSeconds", 0);
    settings.fifo = flag("FifoQueue");
    settings.content_based_deduplication = flag("ContentBasedDeduplication");
    const auto scope = attributes.find("DeduplicationScope");
    settings.deduplication_per_group = scope != attributes.end() && scope->second == "messageGroup";
    const auto redrive = attributes.find("RedrivePolicy");
    if (redrive != attributes.end()) {
        settings.redrive = parse_redrive_policy(redrive->second);
    }
    return settings;
}

void validate_tags(const std::string& queue_name, const std::map<std::string, std::string>& tags) {
    if (tags.size() > static_cast<std::size_t>(kMaxQueueTags)) {
        throw AwsError(errors::InvalidParameterValue,
                       "Too many tags added for queue " + queue_name + ".");
    }
    for (const auto& [key, value] : tags) {
        if (key.empty() || utf8_length(key) > 128) {
            throw AwsError(errors::InvalidParameterValue,
                           "Tag key must be between 1 and 128 characters in length.");
        }
        if (key.starts_with("aws:")) {
            throw AwsError(errors::InvalidParameterValue,
                           "Tag key " + key +
                               " is invalid. Reason: the aws: prefix is reserved "
                               "for AWS use.");
        }
        if (utf8_length(value) > 256) {
            throw AwsError(
                errors::InvalidParameterValue,
                "Tag value for key " + key + " must be at most 256 characters in length.");
        }
    }
}

bool redrive_allowed(const std::string& redrive_allow_policy, const std::string& source_arn) {
    if (redrive_allow_policy.empty()) {
        return true;
    }
    const auto json = nlohmann::json::parse(redrive_allow_policy, nullptr, false);
    const auto permission = json.value("redrivePermission", std::string("allowAll"));
    if (permission == "denyAll") {
        return false;
    }
    if (permission == "byQueue") {
        const auto sources = json.value("sourceQueueArns", nlohmann::json::array());
        return std::find(sources.begin(), sources.end(), source_arn) != sources.end();
    }
    return true;
}

const std::vector<std::string>& readable_attribute_names() {
    static const std::vector<std::string> kNames = {"ApproximateNumberOfMessages",
                                                    "ApproximateNumberOfMessagesDelayed",
                                                    "ApproximateNumberOfMessagesNotVisible",
                                                    "ContentBasedDeduplication",
                                                    "CreatedTimestamp",
                                                    "DeduplicationScope",
                                                    "DelaySeconds",
                                                    "FifoQueue",
                                                    "FifoThroughputLimit",
                                                    "KmsDataKeyReusePeriodSeconds",
                                                    "KmsMasterKeyId",
                                                    "LastModifiedTimestamp",
                                                    "MaximumMessageSize",
                                                    "MessageRetentionPeriod",
                                                    "Policy",
                                                    "QueueArn",
                                                    "ReceiveMessageWaitTimeSeconds",
                                                    "RedriveAllowPolicy",
                                                    "RedrivePolicy",
                                                    "SqsManagedSseEnabled",
                                                    "VisibilityTimeout"};
    return kNames;
}

bool is_message_system_attribute_name(std::string_view name) {
    static const std::vector<std::string_view> kNames = {"All",
                                                         "SenderId",
                                                         "SentTimestamp",
                                                         "ApproximateReceiveCount",
                                                         "ApproximateFirstReceiveTimestamp",
                                                         "SequenceNumber",
                                                         "MessageDeduplicationId",
                                                         "MessageGroupId",
                                                         "AWSTraceHeader",
                                                         "DeadLetterQueueSourceArn"};
    return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

std::string encode_receipt_handle(const ReceiptHandle& handle) {
    return auth::base64_encode(std::to_string(handle.queue_id) + ":" + std::to_string(handle.seq) +
                               ":" + std::to_string(handle.nonce));
}

std::optional<ReceiptHandle> decode_receipt_handle(std::string_view text) {
    const auto bytes = auth::base64_decode(text);
    if (!bytes) {
        return std::nullopt;
    }
    const std::string_view plain(*bytes);
    const auto first = plain.find(':');
    const auto second = plain.find(':', first == std::string_view::npos ? 0 : first + 1);
    if (first == std::string_view::npos || second == std::string_view::npos) {
        return std::nullopt;
    }
    const auto queue_id = parse_integer(plain.substr(0, first));
    const auto seq = parse_integer(plain.substr(first + 1, second - first - 1));
    const auto nonce = parse_integer(plain.substr(second + 1));
    if (!queue_id || !seq || !nonce) {
        return std::nullopt;
    }
    return ReceiptHandle{*queue_id, *seq, *nonce};
}

void validate_body(std::string_view body) {
    if (body.empty()) {
        throw AwsError(errors::MissingParameter,
                       "The request must contain the parameter MessageBody.");
    }
    check_message_characters(body, "the message body");
}

MessageAttributes parse_message_attributes(const nlohmann::json* value, bool system) {
    MessageAttributes attributes;
    if (value == nullptr || value->is_null()) {
        return attributes;
    }
    if (!value->is_object()) {
        throw AwsError(errors::InvalidParameterValue, "Message attributes must be a map.");
    }
    if (!system && value->size() > static_cast<std::size_t>(kMaxMessageAttributes)) {
        throw AwsError(errors::InvalidParameterValue, "Number of message attributes [" +
                                                          std::to_string(value->size()) +
                                                          "] exceeds the allowed maximum [10].");
    }
    for (const auto& [name, attribute] : value->items()) {
        if (system && name != "AWSTraceHeader") {
            throw AwsError(errors::InvalidParameterValue,
                           "Message system attribute name '" + name + "' is invalid.");
        }
        if (!system && !valid_message_attribute_name(name)) {
            throw AwsError(errors::InvalidParameterValue,
                           "Message (user) attribute '" + name + "' has an invalid name.");
        }
        if (!attribute.is_object()) {
            throw AwsError(errors::InvalidParameterValue,
                           "The message attribute '" + name + "' must be a structure.");
        }
        const auto type = attribute.find("DataType");
        if (type == attribute.end() || !type->is_string() ||
            type->get_ref<const std::string&>().empty()) {
            throw AwsError(errors::InvalidParameterValue,
                           "The message attribute '" + name +
                               "' must contain non-empty message attribute type.");
        }
        const std::string& data_type = type->get_ref<const std::string&>();
        const MessageAttributeKind kind = message_attribute_kind(data_type);
        const bool is_binary = kind == MessageAttributeKind::Binary;
        if (kind == MessageAttributeKind::Unknown || data_type.size() > 256 ||
            (system && kind != MessageAttributeKind::String)) {
            throw AwsError(errors::InvalidParameterValue,
                           "The message attribute '" + name +
                               "' has an invalid message attribute type, the set of supported "
                               "type prefixes is Binary, Number, and String.");
        }
        MessageAttributeValue parsed{data_type, "", is_binary};
        if (is_binary) {
            auto bytes = binary_attribute_value(attribute);
            if (!bytes) {
                throw AwsError(errors::InvalidParameterValue,
                               "The message attribute '" + name +
                                   "' with type 'Binary' must use field 'Binary'.");
            }
            parsed.value = std::move(*bytes);
        } else {
            auto text = string_attribute_value(attribute);
            if (!text) {
                throw AwsError(errors::InvalidParameterValue,
                               "Message (user) attribute '" + name +
                                   "' must contain a non-empty value of type '" +
                                   data_type.substr(0, data_type.find('.')) + "'.");
            }
            parsed.value = std::move(*text);
            check_message_characters(parsed.value, std::string("the value of message ") +
                                                       (system ? "system" : "(user)") +
                                                       " attribute '" + name + "'");
            if (kind == MessageAttributeKind::Number && !is_aws_number(parsed.value)) {
                throw AwsError(
                    errors::InvalidParameterValue,
                    "Can't cast the value of message (user) attribute '" + name + "' to a number.");
            }
        }
        attributes.emplace(name, std::move(parsed));
    }
    return attributes;
}

MessageAttributes stored_message_attributes(const nlohmann::json& stored) {
    MessageAttributes attributes;
    for (const auto& [name, attribute] : stored.items()) {
        const std::string data_type = attribute.value("DataType", "");
        const bool binary = message_attribute_kind(data_type) == MessageAttributeKind::Binary;
        auto value = binary ? binary_attribute_value(attribute) : string_attribute_value(attribute);
        attributes.emplace(name, MessageAttributeValue{data_type, value.value_or(""), binary});
    }
    return attributes;
}

nlohmann::json message_attributes_json(const MessageAttributes& attributes) {
    nlohmann::json json = nlohmann::json::object();
    for (const auto& [name, attribute] : attributes) {
        nlohmann::json value = {{"DataType", attribute.data_type}};
        if (attribute.binary) {
            value["BinaryValue"] = auth::base64_encode(attribute.value);
        } else {
            value["StringValue"] = attribute.value;
        }
        json[name] = std::move(value);
    }
    return json;
}

std::int64_t attributes_size(const MessageAttributes& attributes) {
    std::int64_t size = 0;
    for (const auto& [name, attribute] : attributes) {
        size += static_cast<std::int64_t>(name.size() + attribute.data_type.size() +
                                          attribute.value.size());
    }
    return size;
}

bool is_valid_batch_entry_id(std::string_view id) {
    return !id.empty() && id.size() <= 80 && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
}

}  // namespace awsemu::sqs
