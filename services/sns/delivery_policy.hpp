#pragma once

#include <optional>
#include <string>

#include "services/sns/sns_model.hpp"

// How often and when SNS retries an HTTP(S) delivery that failed: the healthyRetryPolicy of the
// subscription's DeliveryPolicy, else of the topic's (its "http" section), else AWS's default
// (3 retries, 20 seconds apart).
namespace awsemu::sns {

struct RetryPolicy {
    int num_retries = 3;
    int min_delay_target = 20;  // seconds
    int max_delay_target = 20;
    int num_no_delay_retries = 0;
    int num_min_delay_retries = 0;
    int num_max_delay_retries = 0;
    std::string backoff_function = "linear";  // arithmetic, geometric, exponential
};

// The policy that applies: the subscription's, unless the topic's disableSubscriptionOverrides.
RetryPolicy retry_policy(const AttributeMap& topic_attributes,
                         const AttributeMap& subscription_attributes);

// Throws InvalidParameter unless `text` is a DeliveryPolicy AWS accepts: a subscription's
// ({"healthyRetryPolicy": ..., "throttlePolicy": ..., "requestPolicy": ...}) or a topic's
// ({"http": {"defaultHealthyRetryPolicy": ..., ...}}), with AWS's ranges.
void validate_delivery_policy(const std::string& text, bool topic);

// Seconds to wait before retry `retry` (1 for the first); nullopt when the retries are spent.
// The retries go: without delay, then at the minimum delay, then backing off from the minimum
// to the maximum, then at the maximum.
std::optional<double> retry_delay_seconds(const RetryPolicy& policy, int retry);

// The Content-Type the policy's requestPolicy asks for; AWS's default otherwise.
std::string request_content_type(const AttributeMap& topic_attributes,
                                 const AttributeMap& subscription_attributes);

}  // namespace awsemu::sns
