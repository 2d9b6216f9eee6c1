#pragma once

#include <chrono>
#include <cstdint>
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

// How long AWS waits for an HTTP(S) endpoint to answer before counting the attempt as failed.
inline constexpr std::chrono::seconds kRequestTimeout{15};

// How long delivering one message may take in all, from when it is first due: every attempt's
// request timeout plus the delays between the retries. A delivery still waiting when its window
// has passed has spent its policy, however few attempts it got (it waited behind a backlog, or
// the server was down).
std::int64_t retry_window_ms(const RetryPolicy& policy);

// The Content-Type the policy's requestPolicy asks for; AWS's default otherwise.
std::string request_content_type(const AttributeMap& topic_attributes,
                                 const AttributeMap& subscription_attributes);

}  // namespace awsemu::sns
