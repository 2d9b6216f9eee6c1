#include <algorithm>
#include <cstdio>
#include <functional>
#include <set>

#include "emulator/auth/crypto.hpp"
#include "services/sqs/sqs_errors.hpp"
#include "services/sqs/sqs_input.hpp"
#include "services/sqs/sqs_service.hpp"

namespace awsemu::sqs {
namespace {

constexpr std::string_view kNotForThisQueueType =
    " is invalid. Reason: The request include parameter that is not valid for this queue type.";

// FIFO sequence numbers: 20 digits, increasing within the queue.
std::string sequence_number(std::int64_t seq) {
    char text[32];
    std::snprintf(text, sizeof text, "%020lld", static_cast<long long>(seq));
    return text;
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// ReceiveMessage's MessageAttributeNames: "All", ".*", "prefix.*" or exact names.
bool attribute_requested(const std::vector<std::string>& requested, const std::string& name) {
    return std::any_of(requested.begin(), requested.end(), [&](const std::string& pattern) {
        if (pattern == "All" || pattern == ".*") {
            return true;
        }
        if (pattern.ends_with(".*")) {
            return name.starts_with(pattern.substr(0, pattern.size() - 1));
        }
        return pattern == name;
    });
}

// MessageGroupId, MessageDeduplicationId and ReceiveRequestAttemptId: 1-128 characters,
// alphanumerics and punctuation.
void validate_fifo_id(std::string_view parameter, const std::string& value) {
    const bool valid = !value.empty() && value.size() <= 128 &&
                       std::all_of(value.begin(), value.end(), [](char c) {
                           return std::isalnum(static_cast<unsigned char>(c)) ||
                                  std::ispunct(static_cast<unsigned char>(c));
                       });
    if (!valid) {
        throw AwsError(errors::InvalidParameterValue,
                       "Value " + value + " for parameter " + std::string(parameter) +
                           " is invalid. Reason: " + std::string(parameter) +
                           " can only include alphanumeric and punctuation characters. 1 to 128 "
                           "in length.");
    }
}

// The checks AWS makes on a whole batch; each entry then runs on its own and fails alone.
nlohmann::json run_batch(const Params& in, std::string_view entry_shape,
                         const ParamErrors& param_errors,
                         const std::function<nlohmann::json(const Params&)>& run_entry) {
    const nlohmann::json* entries = in.optional_array("Entries");
    if (entries == nullptr || entries->empty()) {
        throw AwsError(
            errors::EmptyBatchRequest,
            "There should be at least one " + std::string(entry_shape) + " in the request.");
    }
    if (entries->size() > static_cast<std::size_t>(kMaxBatchEntries)) {
        throw AwsError(errors::TooManyEntriesInBatchRequest,
                       "Maximum number of entries per request are 10. You have sent " +
                           std::to_string(entries->size()) + ".");
    }
    std::set<std::string> ids;
    for (const auto& entry : *entries) {
        const auto id = entry.is_object() ? entry.value("Id", nlohmann::json()) : nlohmann::json();
        if (!id.is_string() || !is_valid_batch_entry_id(id.get<std::string>())) {
            throw AwsError(errors::InvalidBatchEntryId,
                           "A batch entry id can only contain alphanumeric characters, hyphens "
                           "and underscores. It can be at most 80 letters long.");
        }
        if (!ids.insert(id.get<std::string>()).second) {
            throw AwsError(errors::BatchEntryIdsNotDistinct,
                           "Id " + id.get<std::string>() + " repeated.");
        }
    }
    nlohmann::json successful = nlohmann::json::array();
    nlohmann::json failed = nlohmann::json::array();
    for (const auto& entry : *entries) {
        const std::string id = entry["Id"].get<std::string>();
        try {
            nlohmann::json result = run_entry(Params(entry, param_errors));
            result["Id"] = id;
            successful.push_back(std::move(result));
        } catch (const AwsError& error) {
            failed.push_back({{"Id", id},
                              {"SenderFault", error.spec().fault == Fault::Sender},
                              {"Code", error.spec().code},
                              {"Message", error.what()}});
        }
    }
    return {{"Successful", std::move(successful)}, {"Failed", std::move(failed)}};
}

// A FIFO batch in which an entry lacks its group or deduplication id fails as a whole.
void check_fifo_batch(const Params& in, const QueueSettings& settings) {
    const nlohmann::json* entries = in.optional_array("Entries");
    if (entries == nullptr) {
        return;
    }
    for (const auto& entry : *entries) {
        if (!entry.is_object()) {
            continue;
        }
        if (!entry.contains("MessageGroupId")) {
            throw AwsError(errors::InvalidParameterValue,
                           "The request must contain the parameter MessageGroupId.");
        }
        if (!entry.contains("MessageDeduplicationId") && !settings.content_based_deduplication) {
            throw AwsError(errors::InvalidParameterValue,
                           "The queue should either have ContentBasedDeduplication enabled or "
                           "MessageDeduplicationId provided explicitly");
        }
    }
}

const ParamErrors kEntryErrors{errors::MissingParameter, awsemu::errors::SerializationException,
                               true};

}  // namespace

nlohmann::json SqsService::send_one(const RequestContext& ctx, const Queue& queue,
                                    const Params& in) {
    const std::string body = in.required_string("MessageBody");
    validate_body(body);
    const MessageAttributes attributes =
        parse_message_attributes(in.optional_object("MessageAttributes"), false);
    const MessageAttributes system =
        parse_message_attributes(in.optional_object("MessageSystemAttributes"), true);
    const QueueSettings& settings = queue.settings;
    const std::int64_t size = static_cast<std::int64_t>(body.size()) + attributes_size(attributes);
    if (size > settings.maximum_message_size) {
        throw AwsError(errors::InvalidParameterValue,
                       "One or more parameters are invalid. Reason: Message must be shorter than " +
                           std::to_string(settings.maximum_message_size) + " bytes.");
    }
    const auto delay = bounded_int(in, "DelaySeconds", 0, kMaxDelaySeconds);
    // FIFO queues take no per-message delay; an explicit 0 is no delay, and accepted.
    if (settings.fifo && delay && *delay != 0) {
        throw AwsError(errors::InvalidParameterValue, "Value " + std::to_string(*delay) +
                                                          " for parameter DelaySeconds" +
                                                          std::string(kNotForThisQueueType));
    }
    const auto group = in.optional_string("MessageGroupId");
    auto dedup = in.optional_string("MessageDeduplicationId");
    if (group) {
        validate_fifo_id("MessageGroupId", *group);
    }
    if (dedup) {
        validate_fifo_id("MessageDeduplicationId", *dedup);
    }
    const std::int64_t now = request_ms(ctx);
    std::string dedup_key;
    if (settings.fifo) {
        if (!group) {
            throw AwsError(errors::MissingParameter,
                           "The request must contain the parameter MessageGroupId.");
        }
        if (!dedup) {
            if (!settings.content_based_deduplication) {
                throw AwsError(errors::InvalidParameterValue,
                               "The queue should either have ContentBasedDeduplication enabled or "
                               "MessageDeduplicationId provided explicitly");
            }
            dedup = auth::sha256_hex(body);
        }
        dedup_key = settings.deduplication_per_group ? *group + "\n" + *dedup : *dedup;
    } else if (dedup) {
        throw AwsError(errors::InvalidParameterValue, "Value " + *dedup +
                                                          " for parameter MessageDeduplicationId" +
                                                          std::string(kNotForThisQueueType));
    }

    nlohmann::json result = {{"MD5OfMessageBody", md5_of_body(body)}};
    if (!attributes.empty()) {
        result["MD5OfMessageAttributes"] = md5_of_attributes(attributes);
    }
    if (!system.empty()) {
        result["MD5OfMessageSystemAttributes"] = md5_of_attributes(system);
    }
    if (settings.fifo) {
        // A duplicate within five minutes is acknowledged as the original and not enqueued.
        if (const auto original = store_.find_duplicate(queue.id, dedup_key, now)) {
            result["MessageId"] = original->message_id;
            result["SequenceNumber"] = sequence_number(original->seq);
            return result;
        }
    }
    StoredMessage message;
    message.queue_id = queue.id;
    message.message_id = auth::fast_uuid_v4();
    message.body = body;
    message.body_md5 = result["MD5OfMessageBody"].get<std::string>();
    if (!attributes.empty()) {
        message.attributes = message_attributes_json(attributes).dump();
    }
    if (!system.empty()) {
        message.system_attributes = message_attributes_json(system).dump();
    }
    const int delay_seconds =
        settings.fifo ? settings.delay_seconds : delay.value_or(settings.delay_seconds);
    message.sent_ms = now;
    message.visible_ms = now + delay_seconds * 1000LL;
    message.expires_ms = now + settings.message_retention_period * 1000LL;
    message.group_id = group;
    if (settings.fifo) {
        message.dedup_id = dedup;
    }
    message.sender_id = ctx.scope.account_id;
    result["MessageId"] = message.message_id;
    const std::int64_t visible_ms = message.visible_ms;
    const std::int64_t seq = store_.insert_message(std::move(message));
    if (settings.fifo) {
        store_.remember_deduplication(queue.id, dedup_key,
                                      {result["MessageId"].get<std::string>(), seq},
                                      now + kDeduplicationWindowMs);
        result["SequenceNumber"] = sequence_number(seq);
    }
    if (delay_seconds == 0) {
        long_poll_.notify(queue.id);
    } else if (long_poll_.has_waiters(queue.id)) {
        long_poll_.notify_at(queue.id, from_epoch_ms(visible_ms));
    }
    return result;
}

nlohmann::json SqsService::send_message(const RequestContext& ctx, const Params& in) {
    const Queue queue = require_queue(ctx, in);
    return send_one(ctx, queue, in);
}

nlohmann::json SqsService::send_message_batch(const RequestContext& ctx, const Params& in) {
    const Queue queue = require_queue(ctx, in);
    std::int64_t total = 0;
    if (const nlohmann::json* entries = in.optional_array("Entries")) {
        for (const auto& entry : *entries) {
            if (entry.is_object() && entry.contains("MessageBody") &&
                entry["MessageBody"].is_string()) {
                total += static_cast<std::int64_t>(
                    entry["MessageBody"].get_ref<const std::string&>().size());
            }
            if (entry.is_object() && entry.contains("MessageAttributes")) {
                // Counted as a single message's are (names, types and values); an entry whose
                // attributes are invalid fails on its own below.
                try {
                    total += attributes_size(
                        parse_message_attributes(&entry["MessageAttributes"], false));
                } catch (const AwsError&) {
                }
            }
        }
    }
    if (queue.settings.fifo) {
        check_fifo_batch(in, queue.settings);
    }
    if (total > kMaxMessageSize) {
        throw AwsError(errors::BatchRequestTooLong,
                       "Batch requests cannot be longer than " + std::to_string(kMaxMessageSize) +
                           " bytes. You have sent " + std::to_string(total) + " bytes.");
    }
    return run_batch(in, "SendMessageBatchRequestEntry", kEntryErrors,
                     [&](const Params& entry) { return send_one(ctx, queue, entry); });
}

void SqsService::receive_message(const RequestContext& ctx, const Params& in,
                                 OperationReply reply) {
    const Queue queue = require_queue(ctx, in);
    ReceiveRequest request;
    request.max_messages = bounded_int(in, "MaxNumberOfMessages", 1, kMaxBatchEntries).value_or(1);
    request.visibility_timeout = bounded_int(in, "VisibilityTimeout", 0, kMaxVisibilityTimeout);
    request.wait_seconds = bounded_int(in, "WaitTimeSeconds", 0, kMaxWaitTimeSeconds)
                               .value_or(queue.settings.receive_wait_time);
    for (const char* member : {"AttributeNames", "MessageSystemAttributeNames"}) {
        for (auto& name : in.string_list(member)) {
            if (!is_message_system_attribute_name(name) &&
                !(std::string_view(member) == "AttributeNames" &&
                  std::find(readable_attribute_names().begin(), readable_attribute_names().end(),
                            name) != readable_attribute_names().end())) {
                throw AwsError(errors::InvalidAttributeName, "Unknown Attribute " + name + ".");
            }
            request.system_attribute_names.push_back(std::move(name));
        }
    }
    request.message_attribute_names = in.string_list("MessageAttributeNames");
    request.attempt_id = in.optional_string("ReceiveRequestAttemptId");
    if (request.attempt_id) {
        validate_fifo_id("ReceiveRequestAttemptId", *request.attempt_id);
    }

    nlohmann::json result = receive_now(ctx, queue, request);
    if (result.contains("Messages") || request.wait_seconds == 0) {
        reply(std::move(result));
        return;
    }
    const TimePoint deadline = ctx.now() + std::chrono::seconds(request.wait_seconds);
    const std::int64_t queue_id = queue.id;
    ReceiveRequest polled = request;
    polled.polling = true;
    auto attempt = [this, ctx, request = std::move(polled), reply, queue_id]() -> bool {
        try {
            auto transaction = db_.transaction();
            const auto current = store_.find_queue_by_id(queue_id);
            nlohmann::json found =
                current ? receive_now(ctx, *current, request) : nlohmann::json::object();
            transaction.commit();
            if (current && !found.contains("Messages")) {
                return false;
            }
            reply(std::move(found));
        } catch (const AwsError& error) {
            reply(error);
        } catch (const std::exception&) {
            reply(AwsError(awsemu::errors::InternalFailure,
                           "The request processing has failed because of an unknown error, "
                           "exception or failure."));
        }
        return true;
    };
    long_poll_.wait(queue_id, deadline, std::move(attempt),
                    [reply] { reply(nlohmann::json::object()); });
    // A message already in the queue but invisible (delayed or in flight) may surface first.
    if (const auto next = store_.next_visible_after(queue_id, request_ms(ctx))) {
        if (from_epoch_ms(*next) < deadline) {
            long_poll_.notify_at(queue_id, from_epoch_ms(*next));
        }
    }
}

nlohmann::json SqsService::receive_now(const RequestContext& ctx, const Queue& queue,
                                       const ReceiveRequest& request) {
    const std::int64_t now = request_ms(ctx);
    const bool remember_attempt = queue.settings.fifo && request.attempt_id;
    if (remember_attempt) {
        // A retried FIFO receive answers the same messages while that receive holds them.
        if (const auto handles = store_.find_receive_attempt(queue.id, *request.attempt_id, now)) {
            nlohmann::json messages = nlohmann::json::array();
            for (const auto& text : nlohmann::json::parse(*handles)) {
                const auto handle = decode_receipt_handle(text.get<std::string>());
                const auto message =
                    handle ? store_.find_message(queue.id, handle->seq) : std::nullopt;
                if (message && message->nonce == handle->nonce && message->visible_ms > now) {
                    messages.push_back(message_json(queue, *message, text, request));
                }
            }
            if (!messages.empty()) {
                return {{"Messages", std::move(messages)}};
            }
        }
    }
    const int visibility = request.visibility_timeout.value_or(queue.settings.visibility_timeout);
    nlohmann::json messages = nlohmann::json::array();
    nlohmann::json handles = nlohmann::json::array();
    // Candidates that turn out expired or due for the dead-letter queue leave the queue; then
    // the next ones are read, until the request has its messages or the queue none ready.
    for (bool skipped = true; skipped && messages.size() < std::size_t(request.max_messages);) {
        skipped = false;
        const int wanted = request.max_messages - static_cast<int>(messages.size());
        auto candidates = queue.settings.fifo ? store_.ready_fifo_messages(queue.id, now, wanted)
                                              : store_.ready_messages(queue.id, now, wanted);
        for (auto& message : candidates) {
            if (message.expires_ms <= now) {
                store_.delete_message(queue.id, message.seq);
                skipped = true;
                continue;
            }
            const auto& redrive = queue.settings.redrive;
            if (redrive && message.receive_count >= redrive->max_receive_count) {
                const auto target = parse_queue_arn(redrive->dead_letter_target_arn);
                const auto dlq =
                    store_.find_queue(target->account_id, target->region, target->name);
                if (dlq) {
                    // Keeps its original enqueue time: retention counts from the first send.
                    store_.move_message(
                        queue.id, message.seq, dlq->id, now,
                        message.sent_ms + dlq->settings.message_retention_period * 1000LL,
                        queue.arn());
                    long_poll_.notify(dlq->id);
                    skipped = true;
                    continue;
                }
            }
            const std::int64_t nonce = auth::fast_random_int();
            store_.mark_received(message, now + visibility * 1000LL, nonce, now);
            message.receive_count += 1;
            message.first_receive_ms = message.first_receive_ms.value_or(now);
            message.nonce = nonce;
            const std::string handle = encode_receipt_handle({queue.id, message.seq, nonce});
            messages.push_back(message_json(queue, message, handle, request));
            handles.push_back(handle);
        }
    }
    if (messages.empty()) {
        return nlohmann::json::object();
    }
    // Another consumer long polling gets these messages back when their visibility times out
    // (or, on a FIFO queue, their group's next ones), without waiting out its own poll.
    if (long_poll_.waiting(queue.id) > (request.polling ? 1U : 0U)) {
        long_poll_.notify_at(queue.id, from_epoch_ms(now + visibility * 1000LL));
    }
    if (remember_attempt) {
        store_.remember_receive_attempt(queue.id, *request.attempt_id, handles.dump(),
                                        now + kDeduplicationWindowMs);
    }
    return {{"Messages", std::move(messages)}};
}

nlohmann::json SqsService::message_json(const Queue& queue, const StoredMessage& message,
                                        const std::string& receipt_handle,
                                        const ReceiveRequest& request) const {
    nlohmann::json out = {{"MessageId", message.message_id},
                          {"ReceiptHandle", receipt_handle},
                          {"MD5OfBody", message.body_md5},
                          {"Body", message.body}};
    const auto& names = request.system_attribute_names;
    const bool all = contains(names, "All");
    const auto wanted = [&](std::string_view name) { return all || contains(names, name); };
    nlohmann::json attributes = nlohmann::json::object();
    if (wanted("SenderId")) {
        attributes["SenderId"] = message.sender_id;
    }
    if (wanted("SentTimestamp")) {
        attributes["SentTimestamp"] = std::to_string(message.sent_ms);
    }
    if (wanted("ApproximateReceiveCount")) {
        attributes["ApproximateReceiveCount"] = std::to_string(message.receive_count);
    }
    if (wanted("ApproximateFirstReceiveTimestamp") && message.first_receive_ms) {
        attributes["ApproximateFirstReceiveTimestamp"] = std::to_string(*message.first_receive_ms);
    }
    if (queue.settings.fifo && wanted("SequenceNumber")) {
        attributes["SequenceNumber"] = sequence_number(message.seq);
    }
    if (message.dedup_id && wanted("MessageDeduplicationId")) {
        attributes["MessageDeduplicationId"] = *message.dedup_id;
    }
    if (message.group_id && wanted("MessageGroupId")) {
        attributes["MessageGroupId"] = *message.group_id;
    }
    if (message.dead_letter_source_arn && wanted("DeadLetterQueueSourceArn")) {
        attributes["DeadLetterQueueSourceArn"] = *message.dead_letter_source_arn;
    }
    if (!message.system_attributes.empty() && wanted("AWSTraceHeader")) {
        const auto system = nlohmann::json::parse(message.system_attributes);
        if (system.contains("AWSTraceHeader")) {
            attributes["AWSTraceHeader"] = system["AWSTraceHeader"].value("StringValue", "");
        }
    }
    if (!attributes.empty()) {
        out["Attributes"] = std::move(attributes);
    }
    if (!message.attributes.empty() && !request.message_attribute_names.empty()) {
        nlohmann::json selected = nlohmann::json::object();
        const auto stored = nlohmann::json::parse(message.attributes);
        for (const auto& [name, value] : stored.items()) {
            if (attribute_requested(request.message_attribute_names, name)) {
                selected[name] = value;
            }
        }
        if (!selected.empty()) {
            out["MD5OfMessageAttributes"] = md5_of_attributes(stored_message_attributes(selected));
            out["MessageAttributes"] = std::move(selected);
        }
    }
    return out;
}

namespace {

[[noreturn]] void invalid_receipt_handle(const std::string& text) {
    throw AwsError(errors::ReceiptHandleIsInvalid,
                   "The input receipt handle \"" + text + "\" is not a valid receipt handle.");
}

ReceiptHandle require_handle(const Queue& queue, const std::string& text) {
    const auto handle = decode_receipt_handle(text);
    if (!handle || handle->queue_id != queue.id) {
        invalid_receipt_handle(text);
    }
    return *handle;
}

}  // namespace

void SqsService::delete_by_handle(const RequestContext& ctx, const Queue& queue,
                                  const std::string& text) {
    const ReceiptHandle handle = require_handle(queue, text);
    if (!queue.settings.fifo) {
        // A handle from an earlier receive is accepted but deletes nothing, as AWS documents.
        store_.delete_received(queue.id, handle.seq, handle.nonce);
        return;
    }
    // FIFO refuses a handle whose receive is over, and frees the message's group at once.
    const auto message = store_.find_message(queue.id, handle.seq);
    if (message && (message->nonce != handle.nonce || message->visible_ms <= request_ms(ctx))) {
        throw AwsError(errors::InvalidParameterValue,
                       "Value " + text +
                           " for parameter ReceiptHandle is invalid. Reason: The receipt handle "
                           "has expired.");
    }
    if (message) {
        store_.delete_message(queue.id, handle.seq);
        long_poll_.notify(queue.id);
    }
}

nlohmann::json SqsService::delete_message(const RequestContext& ctx, const Params& in) {
    const Queue queue = require_queue(ctx, in);
    delete_by_handle(ctx, queue, in.required_string("ReceiptHandle"));
    return nlohmann::json::object();
}

nlohmann::json SqsService::delete_message_batch(const RequestContext& ctx, const Params& in) {
    const Queue queue = require_queue(ctx, in);
    return run_batch(in, "DeleteMessageBatchRequestEntry", kEntryErrors, [&](const Params& entry) {
        delete_by_handle(ctx, queue, entry.required_string("ReceiptHandle"));
        return nlohmann::json::object();
    });
}

void SqsService::change_visibility(const RequestContext& ctx, const Queue& queue,
                                   const std::string& text, std::int64_t timeout) {
    const ReceiptHandle handle = require_handle(queue, text);
    if (timeout < 0 || timeout > kMaxVisibilityTimeout) {
        throw AwsError(errors::InvalidParameterValue,
                       "Value " + std::to_string(timeout) +
                           " for parameter VisibilityTimeout is invalid. Reason: Must be between "
                           "0 and 43200, if provided.");
    }
    const std::int64_t now = request_ms(ctx);
    const auto message = store_.find_message(queue.id, handle.seq);
    if (!message || message->nonce != handle.nonce) {
        throw AwsError(errors::InvalidParameterValue,
                       "Value " + text +
                           " for parameter ReceiptHandle is invalid. Reason: Message does not "
                           "exist or is not available for visibility timeout change.");
    }
    if (message->visible_ms <= now) {
        throw AwsError(errors::MessageNotInflight, "Message is not in flight.");
    }
    const std::int64_t visible = now + timeout * 1000;
    if (visible - message->last_receive_ms.value_or(now) > kMaxVisibilityTimeout * 1000LL) {
        throw AwsError(errors::InvalidParameterValue,
                       "Value " + std::to_string(timeout) +
                           " for parameter VisibilityTimeout is invalid. Reason: Total "
                           "VisibilityTimeout for the message is beyond the limit [43200 "
                           "seconds]");
    }
    store_.set_visible_at(queue.id, message->seq, visible);
    if (timeout == 0) {
        long_poll_.notify(queue.id);
    } else if (long_poll_.has_waiters(queue.id)) {
        long_poll_.notify_at(queue.id, from_epoch_ms(visible));
    }
}

nlohmann::json SqsService::change_message_visibility(const RequestContext& ctx, const Params& in) {
    const Queue queue = require_queue(ctx, in);
    const std::string text = in.required_string("ReceiptHandle");
    const auto timeout = in.optional_int("VisibilityTimeout");
    if (!timeout) {
        throw AwsError(errors::MissingParameter,
                       "The request must contain the parameter VisibilityTimeout.");
    }
    change_visibility(ctx, queue, text, *timeout);
    return nlohmann::json::object();
}

nlohmann::json SqsService::change_message_visibility_batch(const RequestContext& ctx,
                                                           const Params& in) {
    const Queue queue = require_queue(ctx, in);
    return run_batch(in, "ChangeMessageVisibilityBatchRequestEntry", kEntryErrors,
                     [&](const Params& entry) {
                         const auto timeout = entry.optional_int("VisibilityTimeout");
                         change_visibility(ctx, queue, entry.required_string("ReceiptHandle"),
                                           timeout.value_or(0));
                         return nlohmann::json::object();
                     });
}

}  // namespace awsemu::sqs
