#include <cstdio>

#include "emulator/protocol/rest_xml_codec.hpp"
#include "emulator/protocol/url_encoding.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/s3/s3_errors.hpp"
#include "services/s3/s3_service.hpp"

// Event notifications: a bucket's NotificationConfiguration names SQS queues and SNS topics
// (Lambda functions are kept, not invoked) for event types, with prefix/suffix key filters;
// matching object events go to them with AWS's event JSON.
namespace awsemu::s3 {
namespace {

// S3 publishes to topics with this subject.
constexpr const char* kTopicSubject = "Amazon S3 Notification";

struct Target {
    std::string id;
    std::string arn;  // a queue's or a topic's
    bool topic = false;
    std::vector<std::string> events;  // "s3:ObjectCreated:*", ...
    std::string prefix;
    std::string suffix;
};

std::vector<Target> targets_of(const std::string& document) {
    std::vector<Target> targets;
    const auto xml = parse_xml_body(document);
    const auto configuration = xml.child("NotificationConfiguration");
    for (const auto& [element, arn_element] :
         {std::pair{"QueueConfiguration", "Queue"}, std::pair{"TopicConfiguration", "Topic"}}) {
        for (const auto config : configuration.children(element)) {
            Target target{config.child_value("Id"),
                          config.child_value(arn_element),
                          std::string_view(arn_element) == "Topic",
                          {},
                          {},
                          {}};
            for (const auto event : config.children("Event")) {
                target.events.emplace_back(event.child_value());
            }
            for (const auto rule : config.child("Filter").child("S3Key").children("FilterRule")) {
                const std::string name = rule.child_value("Name");
                (name == "prefix" || name == "Prefix" ? target.prefix : target.suffix) =
                    rule.child_value("Value");
            }
            targets.push_back(std::move(target));
        }
    }
    return targets;
}

// One event to one queue or topic of the configuration.
void send(const RequestContext& ctx, const Target& target, const std::string& event,
          sqs::SqsApi* sqs, sns::SnsApi* sns) {
    try {
        if (target.topic && sns != nullptr) {
            sns->publish(ctx, target.arn, kTopicSubject, event);
        } else if (!target.topic && sqs != nullptr) {
            sqs->deliver(ctx, {target.arn, event});
        }
    } catch (const AwsError&) {
        // A destination deleted since the configuration was checked: AWS drops the event too.
    }
}

bool event_matches(std::string_view pattern, std::string_view event) {
    return pattern.ends_with('*') ? event.starts_with(pattern.substr(0, pattern.size() - 1))
                                  : pattern == event;
}

}  // namespace

void S3Service::notify(const S3Call& call, const Bucket& bucket, std::string_view event,
                       const std::string& key, const ObjectVersion* object) {
    const auto document = store_.config(bucket.name, "notification");
    if (!document) {
        return;
    }
    const std::string full_event = "s3:" + std::string(event);
    for (const auto& target : targets_of(*document)) {
        const bool wanted =
            std::any_of(target.events.begin(), target.events.end(),
                        [&](const auto& p) { return event_matches(p, full_event); });
        if (!wanted || !key.starts_with(target.prefix) || !key.ends_with(target.suffix)) {
            continue;
        }
        char sequencer[24];
        std::snprintf(sequencer, sizeof sequencer, "%016llX",
                      static_cast<unsigned long long>(to_epoch_ms(call.ctx.now())) * 1000 +
                          (++sequencer_ % 1000));
        nlohmann::json s3_object = {{"key", uri_encode(key, /*keep_slash=*/true)},
                                    {"sequencer", sequencer}};
        if (object != nullptr && !object->delete_marker) {
            s3_object["size"] = object->size;
            s3_object["eTag"] = object->etag.substr(1, object->etag.size() - 2);
        }
        if (object != nullptr && object->version_id != "null") {
            s3_object["versionId"] = object->version_id;
        }
        const nlohmann::json record = {
            {"eventVersion", "2.1"},
            {"eventSource", "aws:s3"},
            {"awsRegion", bucket.region},
            {"eventTime", format_iso8601_millis(call.ctx.now())},
            {"eventName", event},
            {"userIdentity", {{"principalId", "AWS:" + call.ctx.scope.account_id}}},
            {"requestParameters", {{"sourceIPAddress", call.request.remote_address}}},
            {"responseElements",
             {{"x-amz-request-id", call.ctx.request_id}, {"x-amz-id-2", call.ctx.request_id}}},
            {"s3",
             {{"s3SchemaVersion", "1.0"},
              {"configurationId", target.id},
              {"bucket",
               {{"name", bucket.name},
                {"ownerIdentity", {{"principalId", canonical_user_id(bucket.account_id)}}},
                {"arn", "arn:aws:s3:::" + bucket.name}}},
              {"object", std::move(s3_object)}}}};
        send(call.ctx, target, nlohmann::json{{"Records", {record}}}.dump(), sqs_.get(),
             sns_.get());
    }
}

void S3Service::check_notification_configuration(const S3Call& call, const Bucket& bucket,
                                                 const std::string& document) {
    const auto targets = targets_of(document);
    for (const auto& target : targets) {
        const bool exists = target.topic ? sns_ && sns_->topic_exists(target.arn)
                                         : sqs_ && sqs_->queue_exists(target.arn);
        if (!exists) {
            throw AwsError(errors::InvalidArgument,
                           "Unable to validate the following destination configurations")
                .with("ArgumentName1", target.arn)
                .with("ArgumentValue1", target.topic ? "The destination topic does not exist"
                                                     : "The destination queue does not exist");
        }
    }
    for (const auto& target : targets) {
        const nlohmann::json test_event = {{"Service", "Amazon S3"},
                                           {"Event", "s3:TestEvent"},
                                           {"Time", format_iso8601_millis(call.ctx.now())},
                                           {"Bucket", bucket.name},
                                           {"RequestId", call.ctx.request_id},
                                           {"HostId", call.ctx.request_id}};
        send(call.ctx, target, test_event.dump(), sqs_.get(), sns_.get());
    }
}

}  // namespace awsemu::s3
