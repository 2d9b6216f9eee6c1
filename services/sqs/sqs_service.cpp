#include "services/sqs/sqs_service.hpp"

#include <algorithm>

#include "emulator/protocol/page_token.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/sqs/sqs_errors.hpp"
#include "services/sqs/sqs_input.hpp"
#include "services/sqs/sqs_spec.hpp"

namespace awsemu::sqs {
namespace {

constexpr int kMaxListResults = 1000;

[[noreturn]] void queue_does_not_exist() {
    throw AwsError(errors::QueueDoesNotExist, "The specified queue does not exist.");
}

// http(s)://host[:port]/ACCOUNT/NAME -> {ACCOUNT, NAME}; whatever host the client used.
std::optional<std::pair<std::string, std::string>> parse_queue_url(const std::string& url) {
    const auto name_slash = url.rfind('/');
    if (name_slash == std::string::npos || name_slash == 0) {
        return std::nullopt;
    }
    const auto account_slash = url.rfind('/', name_slash - 1);
    if (account_slash == std::string::npos) {
        return std::nullopt;
    }
    return std::make_pair(url.substr(account_slash + 1, name_slash - account_slash - 1),
                          url.substr(name_slash + 1));
}

// Whether a request's path is /ACCOUNT/NAME, as a queue URL's is.
bool is_queue_path(const std::string& path) {
    const auto parts = parse_queue_url(path);
    return parts && !parts->first.empty() && !parts->second.empty() &&
           std::count(path.begin(), path.end(), '/') == 2;
}

}  // namespace

SqsService::SqsService(Database& database, const Clock& clock, Scheduler& scheduler,
                       const std::string& data_dir)
    : db_(database),
      store_(database, data_dir.empty() ? std::string() : data_dir + "/sqs-messages.log"),
      clock_(clock),
      scheduler_(scheduler),
      long_poll_(scheduler) {}

Queue SqsService::require_queue(const RequestContext& ctx, const Params& in) {
    // AWS takes the queue URL as the endpoint of queue-level actions: the Java SDK v1 sends
    // them to /ACCOUNT/NAME without a QueueUrl. A bare "/" still lacks the parameter.
    const bool path_names_queue = !in.has("QueueUrl") && is_queue_path(ctx.path);
    const std::string url = path_names_queue ? ctx.path : in.required_string("QueueUrl");
    const auto parts = parse_queue_url(url);
    if (!parts) {
        queue_does_not_exist();
    }
    auto queue = store_.find_queue(parts->first, ctx.scope.region, parts->second);
    if (!queue) {
        queue_does_not_exist();
    }
    return std::move(*queue);
}

std::string SqsService::queue_url(const RequestContext& ctx, const Queue& queue) const {
    return ctx.endpoint + "/" + queue.account_id + "/" + queue.name;
}

void SqsService::check_redrive(const Scope& scope, const Queue* source,
                               const std::string& source_name, const AttributeMap& attributes) {
    const auto it = attributes.find("RedrivePolicy");
    if (it == attributes.end() || it->second.empty()) {
        return;
    }
    const QueueSettings settings = settings_of(attributes);
    const auto target = parse_queue_arn(settings.redrive->dead_letter_target_arn);
    const auto fail = [&](const std::string& reason) {
        throw AwsError(errors::InvalidParameterValue, "Value " + it->second +
                                                          " for parameter RedrivePolicy is "
                                                          "invalid. Reason: " +
                                                          reason);
    };
    std::optional<Queue> dlq;
    if (target && target->account_id == scope.account_id && target->region == scope.region) {
        dlq = store_.find_queue(target->account_id, target->region, target->name);
    }
    if (!dlq) {
        fail("Dead letter target does not exist.");
    }
    if (dlq->settings.fifo != is_fifo_name(source_name)) {
        fail("Dead-letter queue must be same type of queue as the source.");
    }
    if (source != nullptr && dlq->id == source->id) {
        fail("Dead-letter queue cannot be the source queue itself.");
    }
    const auto dlq_attributes = dlq->attributes();
    const auto allow = dlq_attributes.find("RedriveAllowPolicy");
    if (allow != dlq_attributes.end() &&
        !redrive_allowed(allow->second, queue_arn(scope.region, scope.account_id, source_name))) {
        fail("Queue " + queue_arn(scope.region, scope.account_id, source_name) +
             " is not allowed by the RedriveAllowPolicy of " +
             settings.redrive->dead_letter_target_arn + ".");
    }
}

nlohmann::json SqsService::create_queue(const RequestContext& ctx, const Params& in) {
    const std::string name = in.required_string("QueueName");
    const auto given = in.string_map("Attributes");
    const bool fifo =
        is_fifo_name(name) && given.contains("FifoQueue") && given.at("FifoQueue") == "true";
    validate_queue_name(name,
                        fifo || (given.contains("FifoQueue") && given.at("FifoQueue") == "true"));
    if (is_fifo_name(name) && !fifo) {
        validate_queue_name(name, true);  // a .fifo name needs FifoQueue=true
        throw AwsError(errors::InvalidParameterValue,
                       "The name of a FIFO queue can only include alphanumeric characters, "
                       "hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in "
                       "length.");
    }
    const AttributeMap valid = validate_attributes(given, fifo, /*creating=*/true);
    const auto tags = in.string_map("tags");
    validate_tags(name, tags);
    if (auto existing = store_.find_queue(ctx.scope.account_id, ctx.scope.region, name)) {
        // The same queue, unless an attribute asked for would change it ("" for a policy
        // the queue has none of changes nothing).
        const AttributeMap current = in_stored_form(existing->attributes());
        for (const auto& [attribute, value] : valid) {
            if (merge_attributes(current, {{attribute, value}}) != current) {
                throw AwsError(errors::QueueNameExists,
                               "A queue already exists with the same name and a different value "
                               "for attribute " +
                                   attribute);
            }
        }
        return {{"QueueUrl", queue_url(ctx, *existing)}};
    }
    check_redrive(ctx.scope, nullptr, name, valid);
    const Queue queue = store_.create_queue(
        ctx.scope, name, merge_attributes(default_attributes(fifo), valid), tags, request_ms(ctx));
    return {{"QueueUrl", queue_url(ctx, queue)}};
}

nlohmann::json SqsService::delete_queue(const RequestContext& ctx, const Params& in) {
    const Queue queue = require_queue(ctx, in);
    store_.delete_queue(queue.id);
    long_poll_.notify(queue.id);  // its waiters find no queue and answer empty
    return nlohmann::json::object();
}

nlohmann::json SqsService::get_queue_url(const RequestContext& ctx, const Params& in) {
    const std::string name = in.required_string("QueueName");
    const std::string account =
        in.optional_string("QueueOwnerAWSAccountId").value_or(ctx.scope.account_id);
    const auto queue = store_.find_queue(account, ctx.scope.region, name);
    if (!queue) {
        queue_does_not_exist();
    }
    return {{"QueueUrl", queue_url(ctx, *queue)}};
}

nlohmann::json SqsService::list_queues(const RequestContext& ctx, const Params& in) {
    const auto max_results = bounded_int(in, "MaxResults", 1, kMaxListResults);
    const std::string prefix = in.optional_string("QueueNamePrefix").value_or("");
    const std::string after = decode_next_token(in.optional_string("NextToken"));
    const int limit = max_results.value_or(kMaxListResults);
    auto names = store_.list_queue_names(ctx.scope, prefix, after, limit + 1);
    nlohmann::json result = nlohmann::json::object();
    // AWS pages only when asked to (MaxResults); otherwise it answers the first 1000.
    if (max_results && static_cast<int>(names.size()) > limit) {
        names.resize(static_cast<std::size_t>(limit));
        result["NextToken"] = encode_key_token(names.back());
    } else if (static_cast<int>(names.size()) > limit) {
        names.resize(static_cast<std::size_t>(limit));
    }
    if (!names.empty()) {
        nlohmann::json urls = nlohmann::json::array();
        for (const auto& name : names) {
            urls.push_back(ctx.endpoint + "/" + ctx.scope.account_id + "/" + name);
        }
        result["QueueUrls"] = std::move(urls);
    }
    return result;
}

nlohmann::json SqsService::get_queue_attributes(const RequestContext& ctx, const Params& in) {
    const Queue queue = require_queue(ctx, in);
    const auto requested = in.string_list("AttributeNames");
    const auto& known = readable_attribute_names();
    bool all = false;
    for (const auto& name : requested) {
        if (name == "All") {
            all = true;
        } else if (std::find(known.begin(), known.end(), name) == known.end()) {
            throw AwsError(errors::InvalidAttributeName, "Unknown Attribute " + name + ".");
        }
    }
    const auto wanted = [&](const std::string& name) {
        return all || std::find(requested.begin(), requested.end(), name) != requested.end();
    };
    const std::int64_t now = request_ms(ctx);
    store_.delete_expired(queue.id, now);
    const MessageCounts counts = store_.counts(queue.id, now);
    AttributeMap values = queue.attributes();
    values["ApproximateNumberOfMessages"] = std::to_string(counts.visible);
    values["ApproximateNumberOfMessagesNotVisible"] = std::to_string(counts.not_visible);
    values["ApproximateNumberOfMessagesDelayed"] = std::to_string(counts.delayed);
    values["CreatedTimestamp"] = std::to_string(queue.created_ms / 1000);
    values["LastModifiedTimestamp"] = std::to_string(queue.modified_ms / 1000);
    values["QueueArn"] = queue.arn();
    nlohmann::json attributes = nlohmann::json::object();
    for (const auto& [name, value] : values) {
        if (wanted(name)) {
            attributes[name] = value;
        }
    }
    if (attributes.empty()) {
        return nlohmann::json::object();
    }
    return {{"Attributes", std::move(attributes)}};
}

nlohmann::json SqsService::set_queue_attributes(const RequestContext& ctx, const Params& in) {
    const Queue queue = require_queue(ctx, in);
    if (!in.has("Attributes")) {
        throw AwsError(errors::MissingParameter,
                       "The request must contain the parameter Attributes.");
    }
    const AttributeMap valid =
        validate_attributes(in.string_map("Attributes"), queue.settings.fifo, false);
    check_redrive(ctx.scope, &queue, queue.name, valid);
    store_.update_attributes(queue.id, merge_attributes(queue.attributes(), valid),
                             request_ms(ctx));
    return nlohmann::json::object();
}

nlohmann::json SqsService::purge_queue(const RequestContext& ctx, const Params& in) {
    const Queue queue = require_queue(ctx, in);
    const std::int64_t now = request_ms(ctx);
    if (queue.purged_ms && now - *queue.purged_ms < kPurgeWindowMs) {
        throw AwsError(
            errors::PurgeQueueInProgress,
            "Only one PurgeQueue operation on " + queue.name + " is allowed every 60 seconds.");
    }
    store_.purge_messages(queue.id);
    store_.set_purged(queue.id, now);
    return nlohmann::json::object();
}

nlohmann::json SqsService::tag_queue(const RequestContext& ctx, const Params& in) {
    const Queue queue = require_queue(ctx, in);
    if (!in.has("Tags")) {
        throw AwsError(errors::MissingParameter, "The request must contain the parameter Tags.");
    }
    auto tags = store_.tags(queue.id);
    for (const auto& [key, value] : in.string_map("Tags")) {
        tags[key] = value;
    }
    validate_tags(queue.name, tags);
    store_.set_tags(queue.id, tags);
    return nlohmann::json::object();
}

nlohmann::json SqsService::untag_queue(const RequestContext& ctx, const Params& in) {
    const Queue queue = require_queue(ctx, in);
    if (!in.has("TagKeys")) {
        throw AwsError(errors::MissingParameter, "The request must contain the parameter TagKeys.");
    }
    auto tags = store_.tags(queue.id);
    for (const auto& key : in.string_list("TagKeys")) {
        tags.erase(key);
    }
    store_.set_tags(queue.id, tags);
    return nlohmann::json::object();
}

nlohmann::json SqsService::list_queue_tags(const RequestContext& ctx, const Params& in) {
    const Queue queue = require_queue(ctx, in);
    const auto tags = store_.tags(queue.id);
    if (tags.empty()) {
        return nlohmann::json::object();
    }
    return {{"Tags", tags}};
}

nlohmann::json SqsService::list_dead_letter_source_queues(const RequestContext& ctx,
                                                          const Params& in) {
    const Queue queue = require_queue(ctx, in);
    const auto max_results = bounded_int(in, "MaxResults", 1, kMaxListResults);
    const std::string after = decode_next_token(in.optional_string("NextToken"));
    const int limit = max_results.value_or(kMaxListResults);
    auto names = store_.dead_letter_source_names(ctx.scope, queue.arn(), after, limit + 1);
    nlohmann::json result = {{"queueUrls", nlohmann::json::array()}};
    if (static_cast<int>(names.size()) > limit) {
        names.resize(static_cast<std::size_t>(limit));
        if (max_results) {
            result["NextToken"] = encode_key_token(names.back());
        }
    }
    for (const auto& name : names) {
        result["queueUrls"].push_back(ctx.endpoint + "/" + ctx.scope.account_id + "/" + name);
    }
    return result;
}

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment) {
    auto service = std::make_shared<SqsService>(environment.database, environment.clock,
                                                environment.scheduler, environment.data_dir);
    service->resume_move_tasks();
    // Stored as the interface, so that readers cast back to exactly that type.
    environment.apis["sqs"] = std::shared_ptr<SqsApi>(service);
    ServiceDefinition definition;
    definition.name = "sqs";
    definition.signing_name = "sqs";
    definition.protocol = Protocol::AwsJson10;
    definition.json_target_prefix = "AmazonSQS";
    definition.query_version = "2012-11-05";
    definition.xml_namespace = "http://queue.amazonaws.com/doc/2012-11-05/";
    definition.query_compatible = true;
    definition.param_errors =
        ParamErrors{errors::MissingParameter, awsemu::errors::SerializationException,
                    /*query_style_missing=*/true};
    using S = SqsService;
    const std::pair<const char*, nlohmann::json (S::*)(const RequestContext&, const Params&)>
        operations[] = {
            {"AddPermission", &S::add_permission},
            {"CancelMessageMoveTask", &S::cancel_message_move_task},
            {"ChangeMessageVisibility", &S::change_message_visibility},
            {"ChangeMessageVisibilityBatch", &S::change_message_visibility_batch},
            {"CreateQueue", &S::create_queue},
            {"DeleteMessage", &S::delete_message},
            {"DeleteMessageBatch", &S::delete_message_batch},
            {"DeleteQueue", &S::delete_queue},
            {"GetQueueAttributes", &S::get_queue_attributes},
            {"GetQueueUrl", &S::get_queue_url},
            {"ListDeadLetterSourceQueues", &S::list_dead_letter_source_queues},
            {"ListMessageMoveTasks", &S::list_message_move_tasks},
            {"ListQueueTags", &S::list_queue_tags},
            {"ListQueues", &S::list_queues},
            {"PurgeQueue", &S::purge_queue},
            {"RemovePermission", &S::remove_permission},
            {"SendMessage", &S::send_message},
            {"SendMessageBatch", &S::send_message_batch},
            {"SetQueueAttributes", &S::set_queue_attributes},
            {"StartMessageMoveTask", &S::start_message_move_task},
            {"TagQueue", &S::tag_queue},
            {"UntagQueue", &S::untag_queue},
        };
    for (const auto& [name, method] : operations) {
        definition.operations.emplace(
            name, Operation{bind_operation(service, method), query_input_shape(name),
                            query_output_shape(name)});
    }
    Operation receive;
    receive.deferred_handler = bind_operation(service, &S::receive_message);
    receive.input_shape = query_input_shape("ReceiveMessage");
    receive.output_shape = query_output_shape("ReceiveMessage");
    definition.operations.emplace("ReceiveMessage", std::move(receive));
    registry.add(std::move(definition));
}

}  // namespace awsemu::sqs
