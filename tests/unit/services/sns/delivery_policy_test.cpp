#include "services/sns/delivery_policy.hpp"

#include <catch2/catch.hpp>

#include "emulator/protocol/aws_error.hpp"

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

TEST_CASE("SNS HTTP retries: a topic may forbid subscriptions their own policy", "[sns][unit]") {
    const AttributeMap topic = {
        {"DeliveryPolicy", R"({"http": {"defaultHealthyRetryPolicy": {"numRetries": 1},
                               "disableSubscriptionOverrides": true}})"}};
    CHECK(retry_policy(topic, {{"DeliveryPolicy", R"({"healthyRetryPolicy": {"numRetries": 7}})"}})
              .num_retries == 1);
}

TEST_CASE("SNS delivery policies are checked against AWS's ranges", "[sns][unit]") {
    const auto refusal = [](const std::string& text, bool topic) {
        try {
            validate_delivery_policy(text, topic);
        } catch (const awsemu::AwsError& error) {
            CHECK(error.spec().code == "InvalidParameter");
            return std::string(error.what());
        }
        return std::string();
    };
    CHECK(refusal(R"({"healthyRetryPolicy": {"numRetries": 5, "minDelayTarget": 1}})", false)
              .empty());
    CHECK(refusal(R"({"http": {"defaultHealthyRetryPolicy": {"numRetries": 3}}})", true).empty());
    CHECK(refusal("[1]", false) == "Invalid parameter: DeliveryPolicy: failed to parse JSON.");
    CHECK(refusal(R"({"healthyRetryPolicy": {"numRetries": 101}})", false) ==
          "Invalid parameter: DeliveryPolicy: healthyRetryPolicy.numRetries must be between 0 "
          "and 100");
    CHECK(
        refusal(R"({"healthyRetryPolicy": {"minDelayTarget": 30, "maxDelayTarget": 20}})", false) ==
        "Invalid parameter: DeliveryPolicy: healthyRetryPolicy.minDelayTarget "
        "must be at least 1 and at most maxDelayTarget");
    CHECK(refusal(R"({"healthyRetryPolicy": {"backoffFunction": "cubic"}})", false)
              .ends_with("must be one of linear, arithmetic, geometric, exponential"));
    CHECK(refusal(R"({"healthyRetryPolicy": {"numRetries": 100, "minDelayTarget": 60,
                      "maxDelayTarget": 60}})",
                  false) ==
          "Invalid parameter: DeliveryPolicy: the retries of healthyRetryPolicy "
          "take more than 3600 seconds in all");
    CHECK(refusal(R"({"http": {"defaultThrottlePolicy": {"maxReceivesPerSecond": 0}}})", true) ==
          "Invalid parameter: DeliveryPolicy: http.defaultThrottlePolicy.maxReceivesPerSecond "
          "must be a positive integer");
}
