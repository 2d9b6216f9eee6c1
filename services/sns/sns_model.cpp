#include "services/sns/sns_model.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "emulator/ascii.hpp"
#include "services/sns/delivery_policy.hpp"
#include "services/sns/sns_errors.hpp"

namespace awsemu::sns {
namespace {

constexpr std::size_t kMaxTopicNameLength = 256;

bool is_name_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

bool is_boolean_text(const std::string& value) {
    return value == "true" || value == "false";
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) {
            return parts;
        }
        start = end + 1;
    }
}

const std::vector<std::string>& settable_topic_attributes() {
    static const std::vector<std::string> kNames = {
        "ArchivePolicy",
        "ContentBasedDeduplication",
        "DataProtectionPolicy",
        "DeliveryPolicy",
        "DisplayName",
        "FifoThroughputScope",
        "FifoTopic",
        "KmsMasterKeyId",
        "Policy",
        "SignatureVersion",
        "TracingConfig",
        // Delivery status logging, per protocol.
        "ApplicationSuccessFeedbackRoleArn",
        "ApplicationSuccessFeedbackSampleRate",
        "ApplicationFailureFeedbackRoleArn",
        "FirehoseSuccessFeedbackRoleArn",
        "FirehoseSuccessFeedbackSampleRate",
        "FirehoseFailureFeedbackRoleArn",
        "HTTPSuccessFeedbackRoleArn",
        "HTTPSuccessFeedbackSampleRate",
        "HTTPFailureFeedbackRoleArn",
        "LambdaSuccessFeedbackRoleArn",
        "LambdaSuccessFeedbackSampleRate",
        "LambdaFailureFeedbackRoleArn",
        "SQSSuccessFeedbackRoleArn",
        "SQSSuccessFeedbackSampleRate",
        "SQSFailureFeedbackRoleArn",
    };
    return kNames;
}

void check_json_document(const std::string& name, const std::string& value) {
    if (value.empty()) {
        return;  // clears it
    }
    if (nlohmann::json::parse(value, nullptr, false).is_discarded()) {
        throw errors::invalid_parameter("Attributes Reason: " + name + ": failed to parse JSON.");
    }
}

}  // namespace

void set_tag(Tags& tags, const std::string& key, const std::string& value) {
    const auto existing =
        std::find_if(tags.begin(), tags.end(), [&](const auto& tag) { return tag.first == key; });
    if (existing != tags.end()) {
        existing->second = value;
    } else {
        tags.emplace_back(key, value);
    }
}

std::optional<SnsArn> parse_sns_arn(std::string_view arn) {
    const auto parts = split(arn, ':');
    if ((parts.size() != 6 && parts.size() != 7) || parts[0] != "arn" || parts[2] != "sns" ||
        parts[1].empty() || parts[3].empty() || parts[4].size() != 12 || parts[5].empty() ||
        !std::all_of(parts[4].begin(), parts[4].end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    SnsArn result{std::string(parts[3]), std::string(parts[4]), std::string(parts[5]), {}};
    if (parts.size() == 7) {
        if (parts[6].empty()) {
            return std::nullopt;
        }
        result.subscription_id = parts[6];
    }
    return result;
}

std::string topic_arn(std::string_view region, std::string_view account_id, std::string_view name) {
    return "arn:aws:sns:" + std::string(region) + ":" + std::string(account_id) + ":" +
           std::string(name);
}

bool Topic::fifo() const {
    const auto it = attributes.find("FifoTopic");
    return it != attributes.end() && it->second == "true";
}

bool Topic::content_based_deduplication() const {
    const auto it = attributes.find("ContentBasedDeduplication");
    return it != attributes.end() && it->second == "true";
}

std::string Topic::signature_version() const {
    const auto it = attributes.find("SignatureVersion");
    return it == attributes.end() ? "1" : it->second;
}

bool Subscription::raw_message_delivery() const {
    const auto it = attributes.find("RawMessageDelivery");
    return it != attributes.end() && it->second == "true";
}

std::optional<std::string> Subscription::dead_letter_queue_arn() const {
    const auto it = attributes.find("RedrivePolicy");
    if (it == attributes.end()) {
        return std::nullopt;
    }
    const auto policy = nlohmann::json::parse(it->second, nullptr, false);
    if (!policy.is_object() || !policy.contains("deadLetterTargetArn") ||
        !policy["deadLetterTargetArn"].is_string()) {
        return std::nullopt;
    }
    return policy["deadLetterTargetArn"].get<std::string>();
}

bool is_fifo_name(std::string_view name) {
    return name.ends_with(".fifo");
}

void validate_topic_name(std::string_view name, bool fifo) {
    const std::string_view base =
        fifo && is_fifo_name(name) ? name.substr(0, name.size() - 5) : name;
    const bool valid = !base.empty() && name.size() <= kMaxTopicNameLength &&
                       std::all_of(base.begin(), base.end(), is_name_character);
    if (fifo && (!valid || !is_fifo_name(name))) {
        throw errors::invalid_parameter(
            "Fifo Topic names must end with .fifo and must be made up of only uppercase and "
            "lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 "
            "and 256 characters long.");
    }
    if (!valid) {
        throw errors::invalid_parameter("Topic Name");
    }
}

bool is_topic_attribute(const std::string& name) {
    const auto& known = settable_topic_attributes();
    return std::find(known.begin(), known.end(), name) != known.end();
}

AttributeMap validate_topic_attributes(const AttributeMap& given, bool fifo, bool creating) {
    for (const auto& [name, value] : given) {
        if (!is_topic_attribute(name)) {
            throw errors::invalid_parameter("Attributes Reason: Unknown attribute " + name);
        }
        if (name == "FifoTopic") {
            if (!is_boolean_text(value)) {
                throw errors::invalid_parameter("Attributes Reason: FifoTopic: Invalid value [" +
                                                value + "]. Must be true or false.");
            }
            if (!creating) {
                throw errors::invalid_parameter(
                    "AttributeName Reason: FifoTopic can only be set when the topic is created");
            }
        }
        if (name == "ContentBasedDeduplication") {
            if (!fifo) {
                throw errors::invalid_parameter(
                    "ContentBasedDeduplication Reason: Content-based deduplication can only be "
                    "set for FIFO topics");
            }
            if (!is_boolean_text(value)) {
                throw errors::invalid_parameter(
                    "Attributes Reason: ContentBasedDeduplication: Invalid value [" + value +
                    "]. Must be true or false.");
            }
        }
        if (name == "FifoThroughputScope" &&
            (!fifo || (value != "Topic" && value != "MessageGroup"))) {
            throw errors::invalid_parameter(
                "Attributes Reason: FifoThroughputScope: Invalid value [" + value +
                "]. Please use either Topic or MessageGroup");
        }
        if (name == "SignatureVersion" && value != "1" && value != "2") {
            throw errors::invalid_parameter("Attributes Reason: SignatureVersion: Invalid value [" +
                                            value + "]. Please use either 1 or 2");
        }
        if (name == "TracingConfig" && value != "Active" && value != "PassThrough") {
            throw errors::invalid_parameter("Attributes Reason: TracingConfig: Invalid value [" +
                                            value + "]. Please use either Active or PassThrough");
        }
        if (name == "Policy" || name == "DataProtectionPolicy" || name == "ArchivePolicy") {
            check_json_document(name, value);
        }
        if (name == "DeliveryPolicy" && !value.empty()) {
            validate_delivery_policy(value, /*topic=*/true);
        }
    }
    return given;
}

std::string default_topic_policy(const std::string& topic_arn, const std::string& account_id) {
    const nlohmann::ordered_json policy = {
        {"Version", "2008-10-17"},
        {"Id", "__default_policy_ID"},
        {"Statement",
         {{{"Sid", "__default_statement_ID"},
           {"Effect", "Allow"},
           {"Principal", {{"AWS", "*"}}},
           {"Action",
            {"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
             "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
             "SNS:ListSubscriptionsByTopic", "SNS:Publish"}},
           {"Resource", topic_arn},
           {"Condition", {{"StringEquals", {{"AWS:SourceOwner", account_id}}}}}}}}};
    return policy.dump();
}

std::string effective_delivery_policy(const AttributeMap& attributes) {
    nlohmann::ordered_json policy = {
        {"http",
         {{"defaultHealthyRetryPolicy",
           {{"minDelayTarget", 20},
            {"maxDelayTarget", 20},
            {"numRetries", 3},
            {"numMaxDelayRetries", 0},
            {"numNoDelayRetries", 0},
            {"numMinDelayRetries", 0},
            {"backoffFunction", "linear"}}},
          {"disableSubscriptionOverrides", false},
          {"defaultRequestPolicy", {{"headerContentType", "text/plain; charset=UTF-8"}}}}}};
    const auto it = attributes.find("DeliveryPolicy");
    if (it != attributes.end()) {
        const auto given = nlohmann::ordered_json::parse(it->second, nullptr, false);
        if (given.is_object()) {
            policy.merge_patch(given);
        }
    }
    return policy.dump();
}

bool is_known_protocol(std::string_view protocol) {
    static constexpr std::string_view kProtocols[] = {
        "http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"};
    return std::find(std::begin(kProtocols), std::end(kProtocols), protocol) !=
           std::end(kProtocols);
}

void validate_endpoint(std::string_view protocol, const std::string& endpoint) {
    const auto fail = [&] { throw errors::invalid_parameter("Endpoint"); };
    if (protocol == "http" || protocol == "https") {
        const std::string scheme = std::string(protocol) + "://";
        if (!endpoint.starts_with(scheme) || endpoint.size() == scheme.size()) {
            throw errors::invalid_parameter("Endpoint must match the specified protocol");
        }
    } else if (protocol == "sqs") {
        if (!endpoint.starts_with("arn:aws:sqs:") ||
            std::count(endpoint.begin(), endpoint.end(), ':') != 5) {
            throw errors::invalid_parameter("SQS endpoint ARN");
        }
    } else if (protocol == "email" || protocol == "email-json") {
        const auto at = endpoint.find('@');
        if (at == std::string::npos || at == 0 || at + 1 == endpoint.size()) {
            throw errors::invalid_parameter("Email address");
        }
    } else if (protocol == "sms") {
        if (endpoint.empty() ||
            !std::all_of(endpoint.begin() + (endpoint.front() == '+' ? 1 : 0), endpoint.end(),
                         [](char c) { return (c >= '0' && c <= '9') || c == '-'; })) {
            throw errors::invalid_parameter("Invalid SMS endpoint: " + endpoint);
        }
    } else if (protocol == "lambda" || protocol == "firehose" || protocol == "application") {
        if (!endpoint.starts_with("arn:")) {
            fail();
        }
    }
}

std::string validate_subscription_attribute(const std::string& name, const std::string& value,
                                            std::string_view protocol) {
    if (name == "RawMessageDelivery") {
        // Any case ("True", as Python's str(True) gives); stored as AWS returns it.
        const std::string lowered = ascii_lower(value);
        if (!is_boolean_text(lowered)) {
            throw errors::invalid_parameter(
                "Attributes Reason: RawMessageDelivery: Invalid value [" + value +
                "]. Must be true or false.");
        }
        if (protocol != "sqs" && protocol != "http" && protocol != "https" &&
            protocol != "firehose") {
            throw errors::invalid_parameter("Attributes Reason: Delivery protocol [" +
                                            std::string(protocol) +
                                            "] does not support raw message delivery.");
        }
        return lowered;
    }
    if (name == "FilterPolicyScope") {
        if (value != "MessageAttributes" && value != "MessageBody") {
            throw errors::invalid_parameter(
                "Attributes Reason: FilterPolicyScope: Invalid value [" + value +
                "]. Please use either MessageBody or MessageAttributes");
        }
        return value;
    }
    if (name == "RedrivePolicy") {
        const auto policy = nlohmann::json::parse(value, nullptr, false);
        if (value.empty()) {
            return value;
        }
        if (!policy.is_object()) {
            throw errors::invalid_parameter("RedrivePolicy: failed to parse JSON.");
        }
        if (!policy.contains("deadLetterTargetArn") || !policy["deadLetterTargetArn"].is_string()) {
            throw errors::invalid_parameter("RedrivePolicy: deadLetterTargetArn is missing");
        }
        const std::string target = policy["deadLetterTargetArn"].get<std::string>();
        if (!target.starts_with("arn:aws:sqs:") ||
            std::count(target.begin(), target.end(), ':') != 5) {
            throw errors::invalid_parameter("RedrivePolicy: deadLetterTargetArn is an invalid arn");
        }
        return value;
    }
    if (name == "DeliveryPolicy") {
        if (protocol != "http" && protocol != "https") {
            throw errors::invalid_parameter("DeliveryPolicy: Delivery protocol [" +
                                            std::string(protocol) +
                                            "] does not support delivery policies.");
        }
        if (!value.empty()) {
            validate_delivery_policy(value, /*topic=*/false);
        }
        return value;
    }
    if (name == "ReplayPolicy") {
        if (!value.empty() && !nlohmann::json::parse(value, nullptr, false).is_object()) {
            throw errors::invalid_parameter(name + ": failed to parse JSON.");
        }
        return value;
    }
    if (name == "FilterPolicy" || name == "SubscriptionRoleArn") {
        return value;  // FilterPolicy is checked with its scope by the caller
    }
    throw errors::invalid_parameter("AttributeName");
}

}  // namespace awsemu::sns
