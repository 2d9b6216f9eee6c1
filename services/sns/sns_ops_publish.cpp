#include <cstdio>

#include "emulator/auth/crypto.hpp"
#include "emulator/protocol/message_attributes.hpp"
#include "emulator/protocol/utf8.hpp"
#include "services/sns/delivery_policy.hpp"
#include "services/sns/filter_policy.hpp"
#include "services/sns/sns_envelope.hpp"
#include "services/sns/sns_errors.hpp"
#include "services/sns/sns_input.hpp"
#include "services/sns/sns_service.hpp"

// Publish and PublishBatch: a message is checked, deduplicated on FIFO topics, and goes to
// every confirmed subscription whose filter policy it passes: to SQS queues at once, inside
// the publishing transaction, and to HTTP(S) endpoints through the outbox.
namespace awsemu::sns {
namespace {

constexpr std::size_t kMaxSubjectLength = 100;
constexpr std::size_t kMaxBatchEntryIdLength = 80;

[[noreturn]] void invalid_attribute(const std::string& message) {
    throw AwsError(errors::ParameterValueInvalid, message);
}

// AWS: UTF-8 text with no line breaks or control characters, under 100 characters (not
// bytes: "Café" is four).
void check_subject(const std::string& subject) {
    const bool printable = std::all_of(subject.begin(), subject.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte >= 0x20 && byte != 0x7f;
    });
    if (subject.empty() || utf8_length(subject) >= kMaxSubjectLength || !printable ||
        subject.front() == ' ') {
        throw errors::invalid_parameter("Subject");
    }
}

MessageAttributes parse_attributes(const nlohmann::json* value) {
    MessageAttributes attributes;
    if (value == nullptr || value->is_null()) {
        return attributes;
    }
    if (!value->is_object()) {
        throw errors::invalid_parameter("MessageAttributes");
    }
    for (const auto& [name, attribute] : value->items()) {
        if (!valid_message_attribute_name(name)) {
            invalid_attribute("The message attribute name '" + name + "' is invalid.");
        }
        const std::string type = attribute.is_object() ? attribute.value("DataType", "") : "";
        const MessageAttributeKind kind = message_attribute_kind(type);
        if (kind == MessageAttributeKind::Unknown) {
            invalid_attribute("The message attribute '" + name +
                              "' has an invalid message attribute type, the set of supported "
                              "type prefixes is Binary, Number, and String.");
        }
        const bool is_binary = kind == MessageAttributeKind::Binary;
        auto text =
            is_binary ? binary_attribute_value(attribute) : string_attribute_value(attribute);
        if (!text && is_binary) {
            invalid_attribute("The message attribute '" + name +
                              "' with type 'Binary' must use field 'Binary'.");
        }
        if (!text) {
            invalid_attribute("The message attribute '" + name +
                              "' must contain non-empty message attribute value for message "
                              "attribute type '" +
                              type + "'.");
        }
        if (kind == MessageAttributeKind::Number && !is_aws_number(*text)) {
            invalid_attribute("Could not cast message attribute '" + name + "' value to number.");
        }
        if (type == "String.Array" && !filterable_value(type, *text)) {
            invalid_attribute("The message attribute '" + name +
                              "' with type 'String.Array' has an invalid value: " + *text);
        }
        attributes.emplace(name, sqs::MessageAttributeValue{type, std::move(*text), is_binary});
    }
    return attributes;
}

std::size_t message_size(const std::string& message, const MessageAttributes& attributes) {
    std::size_t size = message.size();
    for (const auto& [name, value] : attributes) {
        size += name.size() + value.data_type.size() + value.value.size();
    }
    return size;
}

// The attributes as a filter policy sees them.
nlohmann::json filterable_attributes(const MessageAttributes& attributes) {
    nlohmann::json object = nlohmann::json::object();
    for (const auto& [name, value] : attributes) {
        if (auto filterable = filterable_value(value.data_type, value.value)) {
            object[name] = std::move(*filterable);
        }
    }
    return object;
}

bool passes_filter(const Subscription& subscription, const PublishedMessage& message) {
    const auto policy = subscription.attributes.find("FilterPolicy");
    if (policy == subscription.attributes.end()) {
        return true;
    }
    const auto scope = subscription.attributes.find("FilterPolicyScope");
    if (scope != subscription.attributes.end() && scope->second == "MessageBody") {
        const auto body =
            nlohmann::json::parse(message.message_for(subscription.protocol), nullptr, false);
        return FilterPolicy::parse(policy->second, FilterPolicyScope::MessageBody).matches(body);
    }
    return FilterPolicy::parse(policy->second, FilterPolicyScope::MessageAttributes)
        .matches(filterable_attributes(message.attributes));
}

std::string sequence_number_text(std::int64_t sequence) {
    char text[24];
    std::snprintf(text, sizeof text, "1%019lld", static_cast<long long>(sequence));
    return text;
}

bool valid_batch_entry_id(const std::string& id) {
    return !id.empty() && id.size() <= kMaxBatchEntryIdLength &&
           std::all_of(id.begin(), id.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
           });
}

}  // namespace

PublishedMessage SnsService::accept_message(const RequestContext& ctx, const Topic& topic,
                                            const Params& in) {
    PublishedMessage message;
    message.message_id = auth::fast_uuid_v4();
    message.topic_arn = topic.arn();
    message.timestamp = ctx.now();
    message.message = in.required_string("Message");
    if (message.message.empty()) {
        throw errors::invalid_parameter("Empty message");
    }
    if (const auto subject = in.optional_string("Subject")) {
        check_subject(*subject);
        message.subject = *subject;
    }
    message.attributes = parse_attributes(in.optional_object("MessageAttributes"));
    if (message_size(message.message, message.attributes) > kMaxMessageBytes) {
        throw errors::invalid_parameter("Message too long");
    }
    if (const auto structure = in.optional_string("MessageStructure")) {
        if (*structure != "json") {
            throw errors::invalid_parameter("MessageStructure");
        }
        auto per_protocol = nlohmann::json::parse(message.message, nullptr, false);
        if (per_protocol.is_discarded() || !per_protocol.is_object()) {
            throw errors::invalid_parameter(
                "Message Structure - JSON message body failed to parse");
        }
        const auto fallback = per_protocol.find("default");
        if (fallback == per_protocol.end() || !fallback->is_string()) {
            throw errors::invalid_parameter(
                "Message Structure - No default entry in JSON message body");
        }
        message.message = fallback->get<std::string>();
        message.per_protocol = std::move(per_protocol);
    }
    message.group_id = in.optional_string("MessageGroupId");
    message.deduplication_id = in.optional_string("MessageDeduplicationId");
    if (topic.fifo()) {
        if (!message.group_id) {
            throw errors::invalid_parameter(
                "The MessageGroupId parameter is required for FIFO topics");
        }
        if (!message.deduplication_id) {
            if (!topic.content_based_deduplication()) {
                throw errors::invalid_parameter(
                    "The topic should either have ContentBasedDeduplication enabled or "
                    "MessageDeduplicationId provided explicitly");
            }
            message.deduplication_id = auth::sha256_hex(message.message);
        }
    } else if (message.deduplication_id) {
        throw errors::invalid_parameter(
            "MessageDeduplicationId Reason: The request includes MessageDeduplicationId "
            "parameter that is not valid for this topic type");
    }
    return message;
}

nlohmann::json SnsService::publish_message(const RequestContext& ctx, const Topic& topic,
                                           PublishedMessage message) {
    if (topic.fifo()) {
        const std::int64_t now = request_ms(ctx);
        // With FifoThroughputScope MessageGroup, deduplication is per message group.
        const auto scope = topic.attributes.find("FifoThroughputScope");
        const bool per_group = scope != topic.attributes.end() && scope->second == "MessageGroup";
        const std::string dedup_key =
            per_group ? message.group_id.value_or("") + "\n" + *message.deduplication_id
                      : *message.deduplication_id;
        if (auto earlier = store_.duplicate_of(topic, dedup_key, now)) {
            return {{"MessageId", *earlier}};
        }
        store_.remember_deduplication(topic, dedup_key, message.message_id, now);
        message.sequence_number = sequence_number_text(store_.next_sequence_number(topic));
    }
    bool queued_http = false;
    for (const auto& subscription : store_.confirmed_subscriptions(topic)) {
        if (!passes_filter(subscription, message)) {
            continue;
        }
        if (subscription.protocol == "sqs") {
            deliver_to_queue(ctx, topic, message, subscription);
        } else if (subscription.protocol == "http" || subscription.protocol == "https") {
            PendingDelivery delivery;
            delivery.account_id = subscription.account_id;
            delivery.region = subscription.region;
            delivery.subscription_arn = subscription.arn;
            delivery.endpoint = subscription.endpoint;
            delivery.message_type = "Notification";
            delivery.message_id = message.message_id;
            delivery.topic_arn = topic.arn();
            delivery.body =
                subscription.raw_message_delivery()
                    ? message.message_for(subscription.protocol)
                    : notification_envelope(message, subscription, topic, signer_, ctx.endpoint);
            delivery.due_ms = request_ms(ctx);
            delivery.expires_ms = delivery.due_ms + retry_window_ms(retry_policy(
                                                        topic.attributes, subscription.attributes));
            store_.enqueue_delivery(delivery);
            queued_http = true;
        }
        // email, email-json, sms, lambda, firehose and application subscriptions are kept but
        // sent nothing: awsemu reaches no mail server, phone, function or stream.
    }
    if (queued_http) {
        http_.wake();
    }
    nlohmann::json result = {{"MessageId", message.message_id}};
    if (message.sequence_number) {
        result["SequenceNumber"] = *message.sequence_number;
    }
    return result;
}

void SnsService::deliver_to_queue(const RequestContext& ctx, const Topic& topic,
                                  PublishedMessage& message, const Subscription& subscription) {
    const std::string body =
        subscription.raw_message_delivery()
            ? message.message_for("sqs")
            : notification_envelope(message, subscription, topic, signer_, ctx.endpoint);
    // FIFO queues get the group and deduplication ids; standard queues need none.
    const auto delivery_to = [&](const std::string& queue_arn) {
        sqs::Delivery delivery{queue_arn, body};
        if (subscription.raw_message_delivery()) {
            delivery.attributes = message.attributes;
        }
        if (queue_arn.ends_with(".fifo")) {
            delivery.group_id = message.group_id;
            delivery.deduplication_id = message.deduplication_id;
        }
        return delivery;
    };
    if (try_deliver(ctx, delivery_to(subscription.endpoint))) {
        return;
    }
    // The queue is gone or refuses the message: the dead-letter queue gets it, if there is one
    // (and it is there: otherwise the message is lost, as on AWS).
    if (const auto dead_letter = subscription.dead_letter_queue_arn()) {
        try_deliver(ctx, delivery_to(*dead_letter));
    }
}

bool SnsService::try_deliver(const RequestContext& ctx, const sqs::Delivery& delivery) {
    if (!sqs_) {
        return false;
    }
    // A savepoint: a delivery that fails half-way leaves nothing behind.
    auto transaction = db_.transaction();
    try {
        sqs_->deliver(ctx, delivery);
    } catch (const AwsError&) {
        return false;
    }
    transaction.commit();
    return true;
}

nlohmann::json SnsService::publish(const RequestContext& ctx, const Params& in) {
    const auto topic_arn = in.optional_string("TopicArn");
    const auto target_arn = in.optional_string("TargetArn");
    if (!topic_arn && !target_arn) {
        if (const auto phone = in.optional_string("PhoneNumber")) {
            // E.164: '+' and up to fifteen digits.
            const bool e164 = phone->size() >= 2 && phone->size() <= 16 && phone->front() == '+' &&
                              std::all_of(phone->begin() + 1, phone->end(),
                                          [](char c) { return c >= '0' && c <= '9'; });
            if (!e164) {
                throw errors::invalid_parameter("PhoneNumber Reason: " + *phone +
                                                " is not valid to publish to");
            }
            in.required_string("Message");
            return {{"MessageId", auth::fast_uuid_v4()}};  // SMS: recorded nowhere, sent nowhere
        }
        throw errors::invalid_parameter(
            "TopicArn or TargetArn Reason: no value for required parameter");
    }
    if (topic_arn && target_arn) {
        throw errors::invalid_parameter(
            "TopicArn or TargetArn Reason: Only one of TopicArn and TargetArn may be given");
    }
    if (!topic_arn && target_arn->find(":endpoint/") != std::string::npos) {
        // A mobile push endpoint: awsemu has none (sns_unsupported.hpp).
        throw AwsError(errors::NotFound, "Endpoint does not exist");
    }
    const Topic topic =
        require_topic(topic_arn ? *topic_arn : *target_arn, topic_arn ? "TopicArn" : "TargetArn");
    return publish_message(ctx, topic, accept_message(ctx, topic, in));
}

void SnsService::publish(const RequestContext& ctx, const std::string& topic_arn,
                         const std::optional<std::string>& subject, const std::string& message) {
    const Topic topic = require_topic(topic_arn);
    nlohmann::json input = {{"Message", message}};
    if (subject) {
        input["Subject"] = *subject;
    }
    if (topic.fifo()) {
        input["MessageGroupId"] = "default";
        input["MessageDeduplicationId"] = auth::fast_uuid_v4();
    }
    publish_message(ctx, topic, accept_message(ctx, topic, Params(std::move(input), {})));
}

nlohmann::json SnsService::publish_batch(const RequestContext& ctx, const Params& in) {
    const Topic topic = require_topic(in.required_string("TopicArn"));
    const nlohmann::json& entries = in.required_array("PublishBatchRequestEntries");
    if (entries.empty()) {
        throw AwsError(errors::EmptyBatchRequest, "The batch request doesn't contain any entries");
    }
    if (entries.size() > static_cast<std::size_t>(kMaxBatchEntries)) {
        throw AwsError(errors::TooManyEntriesInBatchRequest,
                       "The batch request contains more entries than permissible.");
    }
    std::vector<std::string> ids;
    std::size_t total = 0;
    for (const auto& entry : entries) {
        const std::string id = entry.is_object() ? entry.value("Id", "") : "";
        if (!valid_batch_entry_id(id)) {
            throw AwsError(errors::InvalidBatchEntryId,
                           "A batch entry id can only contain alphanumeric characters, hyphens "
                           "and underscores. It can be at most 80 letters long.");
        }
        if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
            throw AwsError(errors::BatchEntryIdsNotDistinct,
                           "Two or more batch entries in the request have the same Id.");
        }
        ids.push_back(id);
        total += entry.value("Message", "").size();
    }
    if (total > kMaxMessageBytes) {
        throw AwsError(errors::BatchRequestTooLong,
                       "The length of all the messages put together is more than the limit.");
    }
    nlohmann::json successful = nlohmann::json::array();
    nlohmann::json failed = nlohmann::json::array();
    for (const auto& entry : entries) {
        const Params entry_in(entry,
                              ParamErrors{errors::ValidationError, errors::InvalidParameter});
        try {
            nlohmann::json result =
                publish_message(ctx, topic, accept_message(ctx, topic, entry_in));
            result["Id"] = entry["Id"];
            successful.push_back(std::move(result));
        } catch (const AwsError& error) {
            failed.push_back({{"Id", entry["Id"]},
                              {"Code", error.spec().code},
                              {"Message", error.what()},
                              {"SenderFault", error.spec().fault == Fault::Sender}});
        }
    }
    return {{"Successful", std::move(successful)}, {"Failed", std::move(failed)}};
}

}  // namespace awsemu::sns
