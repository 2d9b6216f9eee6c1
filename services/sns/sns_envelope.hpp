#pragma once

#include <string>

#include "services/sns/message_signer.hpp"
#include "services/sns/sns_message.hpp"
#include "services/sns/sns_model.hpp"

// The signed JSON documents SNS sends: notifications (to SQS without RawMessageDelivery, to
// HTTP(S) and email-json subscribers) and subscription confirmations, laid out as AWS lays them
// out.
namespace awsemu::sns {

inline constexpr std::string_view kQueryVersion = "2010-03-31";

// `endpoint`: scheme://host[:port] of awsemu as the publisher called it, for the URLs inside.
// Signs through `message.signatures`.
std::string notification_envelope(PublishedMessage& message, const Subscription& subscription,
                                  const Topic& topic, const MessageSigner& signer,
                                  const std::string& endpoint);

std::string subscribe_url(const std::string& endpoint, const std::string& topic_arn,
                          const std::string& token);

std::string confirmation_envelope(const std::string& message_id, const Subscription& subscription,
                                  const Topic& topic, TimePoint timestamp,
                                  const MessageSigner& signer, const std::string& endpoint);

}  // namespace awsemu::sns
