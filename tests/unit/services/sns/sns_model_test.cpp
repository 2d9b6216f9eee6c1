#include "services/sns/sns_model.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/aws_error_capture.hpp"

using namespace awsemu;
using namespace awsemu::sns;
using awsemu::testing::thrown_aws_error;

TEST_CASE("SNS ARNs name a topic or a subscription", "[sns][unit]") {
    const auto topic = parse_sns_arn("arn:aws:sns:eu-west-1:123456789012:orders");
    REQUIRE(topic);
    CHECK(topic->region == "eu-west-1");
    CHECK(topic->account_id == "123456789012");
    CHECK(topic->topic_name == "orders");
    CHECK(topic->subscription_id.empty());
    const auto subscription = parse_sns_arn("arn:aws:sns:eu-west-1:123456789012:orders:abc-1");
    REQUIRE(subscription);
    CHECK(subscription->subscription_id == "abc-1");
    for (const char* bad : {"", "orders", "arn:aws:sqs:eu-west-1:123456789012:q",
                            "arn:aws:sns:eu-west-1:12345:orders", "arn:aws:sns:eu-west-1::x",
                            "arn:aws:sns:eu-west-1:123456789012:orders:"}) {
        INFO(bad);
        CHECK_FALSE(parse_sns_arn(bad).has_value());
    }
    CHECK(topic_arn("us-east-1", "000000000000", "t") == "arn:aws:sns:us-east-1:000000000000:t");
}

TEST_CASE("SNS topic names: 1-256 of [A-Za-z0-9_-], FIFO ones ending in .fifo", "[sns][unit]") {
    CHECK_NOTHROW(validate_topic_name("orders-1_a", false));
    CHECK_NOTHROW(validate_topic_name("orders.fifo", true));
    CHECK_NOTHROW(validate_topic_name(std::string(256, 't'), false));
    const std::vector<std::string> bad_names = {"", "a b", "a.b", std::string(257, 't')};
    for (const auto& bad : bad_names) {
        INFO(bad);
        CHECK(std::string(thrown_aws_error([&] { validate_topic_name(bad, false); }).what()) ==
              "Invalid parameter: Topic Name");
    }
    CHECK(thrown_aws_error([] { validate_topic_name("orders", true); }).spec().code ==
          "InvalidParameter");
}

TEST_CASE("SNS topic attributes are checked by name and value", "[sns][unit]") {
    CHECK(validate_topic_attributes({{"DisplayName", "x"}}, false, true).at("DisplayName") == "x");
    CHECK(thrown_aws_error([] {
              validate_topic_attributes({{"Nope", "x"}}, false, true);
          })
              .spec()
              .code == "InvalidParameter");
    CHECK_THROWS_AS(validate_topic_attributes({{"FifoTopic", "true"}}, true, false), AwsError);
    CHECK_THROWS_AS(validate_topic_attributes({{"ContentBasedDeduplication", "true"}}, false, true),
                    AwsError);
    CHECK_THROWS_AS(validate_topic_attributes({{"Policy", "{"}}, false, true), AwsError);
    CHECK_THROWS_AS(validate_topic_attributes({{"SignatureVersion", "3"}}, false, true), AwsError);
}

TEST_CASE("SNS subscription endpoints and attributes", "[sns][unit]") {
    CHECK_NOTHROW(validate_endpoint("http", "http://host/x"));
    CHECK_THROWS_AS(validate_endpoint("http", "https://host/x"), AwsError);
    CHECK_NOTHROW(validate_endpoint("sqs", "arn:aws:sqs:us-east-1:000000000000:q"));
    CHECK_THROWS_AS(validate_endpoint("sqs", "http://queue"), AwsError);
    CHECK_THROWS_AS(validate_endpoint("email", "nobody"), AwsError);
    CHECK(validate_subscription_attribute("RawMessageDelivery", "true", "sqs") == "true");
    CHECK_THROWS_AS(validate_subscription_attribute("RawMessageDelivery", "yes", "sqs"), AwsError);
    CHECK_THROWS_AS(validate_subscription_attribute("RawMessageDelivery", "true", "email"),
                    AwsError);
    CHECK_THROWS_AS(validate_subscription_attribute("RedrivePolicy", R"({"x": 1})", "sqs"),
                    AwsError);
    CHECK_THROWS_AS(validate_subscription_attribute("FilterPolicyScope", "Both", "sqs"), AwsError);
    CHECK_THROWS_AS(validate_subscription_attribute("Unknown", "x", "sqs"), AwsError);
    Subscription subscription;
    subscription.attributes["RedrivePolicy"] =
        R"({"deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:dlq"})";
    CHECK(subscription.dead_letter_queue_arn() == "arn:aws:sqs:us-east-1:000000000000:dlq");
}
