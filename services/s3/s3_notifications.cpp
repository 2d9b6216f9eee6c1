#include <cstdio>

#include "emulator/protocol/rest_xml_codec.hpp"
#include "emulator/protocol/url_encoding.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/s3/s3_errors.hpp"
#include "services/s3/s3_service.hpp"

// Event notifications: a bucket's NotificationConfiguration names SQS queues (and SNS topics,
// kept until SNS delivers) for event types, with prefix/suffix key filters; matching object
// events go to them with AWS's event JSON.
namespace awsemu::s3 {
namespace {

struct QueueTarget {
    std::string id;
    std::string queue_arn;
    std::vector<std::string> events;  // "s3:ObjectCreated:*", ...
    std::string prefix;
    std::string suffix;
};

std::vector<QueueTarget> queue_targets(const std::string& document) {
    std::vector<QueueTarget> targets;
    const auto xml = parse_xml_body(document);
    for (const auto config :
         xml.child("NotificationConfiguration").children("QueueConfiguration")) {
        QueueTarget target{config.child_value("Id"), config.child_value("Queue"), {}, {}, {}};
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
    return targets;
}

bool event_matches(std::string_view pattern, std::string_view event) {
    return pattern.ends_with('*') ? event.starts_with(pattern.substr(0, pattern.size() - 1))
                                  : pattern == event;
}

}  // namespace

void S3Service::notify(const S3Call& call, const Bucket& bucket, std::string_view event,
                       const std::string& key, const ObjectVersion* object) {
    if (!sqs_) {
        return;
    }
    const auto document = store_.config(bucket.name, "notification");
    if (!document) {
        return;
    }
    const std::string full_event = "s3:" + std::string(event);
    for (const auto& target : queue_targets(*document)) {
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
        try {
            sqs_->deliver(call.ctx,
                          {target.queue_arn, nlohmann::json{{"Records", {record}}}.dump()});
        } catch (const AwsError&) {
            // A queue deleted since the configuration was checked: AWS drops the event too.
        }
    }
}

void S3Service::check_notification_configuration(const S3Call& call, const Bucket& bucket,
                                                 const std::string& document) {
    const auto targets = queue_targets(document);
    for (const auto& target : targets) {
        if (!sqs_ || !sqs_->queue_exists(target.queue_arn)) {
            throw AwsError(errors::InvalidArgument,
                           "Unable to validate the following destination configurations")
                .with("ArgumentName1", target.queue_arn)
                .with("ArgumentValue1", "The destination queue does not exist");
        }
    }
    for (const auto& target : targets) {
        const nlohmann::json test_event = {{"Service", "Amazon S3"},
                                           {"Event", "s3:TestEvent"},
                                           {"Time", format_iso8601_millis(call.ctx.now())},
                                           {"Bucket", bucket.name},
                                           {"RequestId", call.ctx.request_id},
                                           {"HostId", call.ctx.request_id}};
        sqs_->deliver(call.ctx, {target.queue_arn, test_event.dump()});
    }
}

}  // namespace awsemu::s3
