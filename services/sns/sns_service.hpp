#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"
#include "services/sns/http_delivery.hpp"
#include "services/sns/message_signer.hpp"
#include "services/sns/sns_api.hpp"
#include "services/sns/sns_message.hpp"
#include "services/sns/sns_store.hpp"
#include "services/sqs/sqs_api.hpp"

namespace awsemu::sns {

// Amazon SNS: topics (standard and FIFO), subscriptions with filter policies, and Publish,
// delivering to SQS inside the publishing transaction and to HTTP(S) through a durable outbox.
// Handlers take decoded parameters and answer JSON; the query codec does the wire.
class SnsService final : public SnsApi {
  public:
    explicit SnsService(ServiceEnvironment& environment);

    // SnsApi (sns_ops_publish.cpp)
    void publish(const RequestContext& ctx, const std::string& topic_arn,
                 const std::optional<std::string>& subject, const std::string& message) override;
    bool topic_exists(const std::string& topic_arn) override;

    // Topics (sns_service.cpp)
    nlohmann::json create_topic(const RequestContext& ctx, const Params& in);
    nlohmann::json delete_topic(const RequestContext& ctx, const Params& in);
    nlohmann::json list_topics(const RequestContext& ctx, const Params& in);
    nlohmann::json get_topic_attributes(const RequestContext& ctx, const Params& in);
    nlohmann::json set_topic_attributes(const RequestContext& ctx, const Params& in);
    nlohmann::json get_data_protection_policy(const RequestContext& ctx, const Params& in);
    nlohmann::json put_data_protection_policy(const RequestContext& ctx, const Params& in);
    // Tags and permissions (sns_ops_tags.cpp)
    nlohmann::json tag_resource(const RequestContext& ctx, const Params& in);
    nlohmann::json untag_resource(const RequestContext& ctx, const Params& in);
    nlohmann::json list_tags_for_resource(const RequestContext& ctx, const Params& in);
    nlohmann::json add_permission(const RequestContext& ctx, const Params& in);
    nlohmann::json remove_permission(const RequestContext& ctx, const Params& in);
    // Subscriptions (sns_ops_subscriptions.cpp)
    nlohmann::json subscribe(const RequestContext& ctx, const Params& in);
    nlohmann::json confirm_subscription(const RequestContext& ctx, const Params& in);
    nlohmann::json unsubscribe(const RequestContext& ctx, const Params& in);
    nlohmann::json list_subscriptions(const RequestContext& ctx, const Params& in);
    nlohmann::json list_subscriptions_by_topic(const RequestContext& ctx, const Params& in);
    nlohmann::json get_subscription_attributes(const RequestContext& ctx, const Params& in);
    nlohmann::json set_subscription_attributes(const RequestContext& ctx, const Params& in);
    // Messages (sns_ops_publish.cpp)
    nlohmann::json publish(const RequestContext& ctx, const Params& in);
    nlohmann::json publish_batch(const RequestContext& ctx, const Params& in);

    const MessageSigner& signer() const { return signer_; }
    // Sends what a previous run left in the HTTP outbox.
    void resume_deliveries() { http_.resume(); }

  private:
    // The topic an ARN names; InvalidParameter for a malformed ARN (naming `parameter`),
    // NotFound for none.
    Topic require_topic(const std::string& arn, const std::string& parameter = "TopicArn");
    Subscription require_subscription(const std::string& arn);
    // Checks one message (Publish or a batch entry) for the topic; answers it ready to send.
    PublishedMessage accept_message(const RequestContext& ctx, const Topic& topic,
                                    const Params& in);
    // Answers {MessageId, SequenceNumber} (an earlier message's id for a FIFO duplicate).
    nlohmann::json publish_message(const RequestContext& ctx, const Topic& topic,
                                   PublishedMessage message);
    void deliver_to_queue(const RequestContext& ctx, const Topic& topic, PublishedMessage& message,
                          const Subscription& subscription);
    // Sends to SQS; false (and nothing written) when SQS refuses, e.g. the queue is gone.
    bool try_deliver(const RequestContext& ctx, const sqs::Delivery& delivery);
    nlohmann::json list_subscriptions_of(const RequestContext& ctx, const std::string* topic_arn,
                                         const Params& in);

    Database& db_;
    SnsStore store_;
    std::shared_ptr<sqs::SqsApi> sqs_;
    MessageSigner signer_;
    HttpDeliverer http_;
};

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment);

}  // namespace awsemu::sns
