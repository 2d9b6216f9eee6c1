#include "services/sns/delivery_policy.hpp"

#include <catch2/catch.hpp>

using namespace awsemu::sns;

TEST_CASE("SNS HTTP retries: AWS's default is three retries twenty seconds apart", "[sns][unit]") {
    const RetryPolicy policy = retry_policy({}, {});
    CHECK(retry_delay_seconds(policy, 1) == 20.0);
    CHECK(retry_delay_seconds(policy, 3) == 20.0);
    CHECK_FALSE(retry_delay_seconds(policy, 4).has_value());
}

TEST_CASE("SNS HTTP retries go through the policy's phases", "[sns][unit]") {
    const RetryPolicy policy = retry_policy({}, {{"DeliveryPolicy", R"({"healthyRetryPolicy": {
            "numRetries": 8, "numNoDelayRetries": 1, "numMinDelayRetries": 2,
            "numMaxDelayRetries": 2, "minDelayTarget": 2, "maxDelayTarget": 10,
            "backoffFunction": "linear"}})"}});
    CHECK(retry_delay_seconds(policy, 1) == 0.0);
    CHECK(retry_delay_seconds(policy, 2) == 2.0);
    CHECK(retry_delay_seconds(policy, 3) == 2.0);
    // Three backoff retries from the minimum to the maximum.
    CHECK(retry_delay_seconds(policy, 4) == 2.0);
    CHECK(retry_delay_seconds(policy, 5) == 6.0);
    CHECK(retry_delay_seconds(policy, 6) == 10.0);
    CHECK(retry_delay_seconds(policy, 7) == 10.0);
    CHECK(retry_delay_seconds(policy, 8) == 10.0);
    CHECK_FALSE(retry_delay_seconds(policy, 9).has_value());
}

TEST_CASE("SNS HTTP retries: the subscription's policy wins over the topic's", "[sns][unit]") {
    const AttributeMap topic = {
        {"DeliveryPolicy", R"({"http": {"defaultHealthyRetryPolicy": {"numRetries": 1},
                               "defaultRequestPolicy": {"headerContentType": "application/json"}}})"}};
    CHECK(retry_policy(topic, {}).num_retries == 1);
    CHECK(retry_policy(topic, {{"DeliveryPolicy", R"({"healthyRetryPolicy": {"numRetries": 7}})"}})
              .num_retries == 7);
    CHECK(request_content_type(topic, {}) == "application/json");
    CHECK(request_content_type({}, {}) == "text/plain; charset=UTF-8");
}
