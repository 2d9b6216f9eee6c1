#include <catch2/catch.hpp>

#include "tests/unit/services/sns/sns_test_support.hpp"

using namespace awsemu;
using namespace awsemu::sns::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Subscribes an HTTP endpoint and confirms it with the token its confirmation carried.
std::string confirmed_http_subscription(SnsFixture& f, const std::string& topic,
                                        const json& attributes = json::object(),
                                        const std::string& endpoint = "http://subscriber/") {
    json input = {{"TopicArn", topic},
                  {"Protocol", "http"},
                  {"Endpoint", endpoint},
                  {"ReturnSubscriptionArn", true}};
    if (!attributes.empty()) {
        input["Attributes"] = attributes;
    }
    const std::size_t before = f.http.sent.size();
    const std::string arn = f.sns("Subscribe", input)["SubscriptionArn"];
    f.scheduler.run_ready();
    REQUIRE(f.http.sent.size() == before + 1);
    CHECK(f.http.sent[before].request.headers.get("x-amz-sns-message-type") ==
          "SubscriptionConfirmation");
    const json confirmation = json::parse(f.http.sent[before].request.body);
    f.http.answer(before, 200);
    f.sns("ConfirmSubscription", {{"TopicArn", topic}, {"Token", confirmation["Token"]}});
    return arn;
}

}  // namespace

TEST_CASE("SNS delivers to SQS inside the publishing transaction", "[sns][unit]") {
    SnsFixture f;
    const std::string topic = f.sns("CreateTopic", {{"Name", "t"}})["TopicArn"];
    const auto [queue_arn, queue_url] = f.create_queue("q");
    f.sns("Subscribe", {{"TopicArn", topic}, {"Protocol", "sqs"}, {"Endpoint", queue_arn}});
    {
        auto transaction = f.database.transaction();
        f.sns("Publish", {{"TopicArn", topic}, {"Message", "rolled back"}});
        // No commit: the publication and its delivery go together.
    }
    CHECK(f.visible_messages(queue_url) == 0);
    f.sns("Publish", {{"TopicArn", topic}, {"Message", "kept"}});
    CHECK(f.visible_messages(queue_url) == 1);
}

TEST_CASE("SNS sends HTTP notifications after the publication, with AWS's headers", "[sns][unit]") {
    SnsFixture f;
    const std::string topic = f.sns("CreateTopic", {{"Name", "t"}})["TopicArn"];
    const std::string subscription = confirmed_http_subscription(f, topic);
    const json published = f.sns("Publish", {{"TopicArn", topic}, {"Message", "hi"}});
    CHECK(f.http.sent.size() == 1);  // nothing leaves before the publishing request is done
    f.scheduler.run_ready();
    REQUIRE(f.http.sent.size() == 2);
    const auto& request = f.http.sent[1].request;
    CHECK(request.url == "http://subscriber/");
    CHECK(request.headers.get("x-amz-sns-message-type") == "Notification");
    CHECK(request.headers.get("x-amz-sns-message-id") == published["MessageId"]);
    CHECK(request.headers.get("x-amz-sns-topic-arn") == topic);
    CHECK(request.headers.get("x-amz-sns-subscription-arn") == subscription);
    CHECK(json::parse(request.body)["Message"] == "hi");
    f.http.answer(1, 200);
    f.clock.advance(1h);
    f.scheduler.run_ready();
    CHECK(f.http.sent.size() == 2);  // delivered: never sent again
}

TEST_CASE("SNS sends nothing of a Publish before the batch it is in commits", "[sns][unit]") {
    SnsFixture f;
    const std::string topic = f.sns("CreateTopic", {{"Name", "t"}})["TopicArn"];
    confirmed_http_subscription(f, topic);
    {
        // The group commit's batch: other work may run on the loop before it commits.
        auto batch = f.database.transaction();
        f.sns("Publish", {{"TopicArn", topic}, {"Message", "kept"}});
        f.scheduler.run_ready();
        CHECK(f.http.sent.size() == 1);
        batch.commit();
    }
    f.scheduler.run_ready();
    REQUIRE(f.http.sent.size() == 2);
    CHECK(json::parse(f.http.sent[1].request.body)["Message"] == "kept");
    {
        auto batch = f.database.transaction();
        f.sns("Publish", {{"TopicArn", topic}, {"Message", "undone"}});
        f.scheduler.run_ready();
    }  // rolled back: the Publish never happened
    f.scheduler.run_ready();
    CHECK(f.http.sent.size() == 2);
}

TEST_CASE("SNS retries a failing HTTP endpoint on the clock, then dead-letters", "[sns][unit]") {
    SnsFixture f;
    const std::string topic = f.sns("CreateTopic", {{"Name", "t"}})["TopicArn"];
    const auto [dlq_arn, dlq_url] = f.create_queue("dlq");
    confirmed_http_subscription(f, topic,
                                {{"RedrivePolicy", json{{"deadLetterTargetArn", dlq_arn}}.dump()}});
    f.sns("Publish", {{"TopicArn", topic}, {"Message", "doomed"}});
    f.scheduler.run_ready();
    REQUIRE(f.http.sent.size() == 2);
    f.http.answer(1, 500);
    // AWS's default policy: three retries, twenty seconds apart.
    for (std::size_t attempt = 2; attempt <= 4; ++attempt) {
        f.scheduler.advance(19s);
        CHECK(f.http.sent.size() == attempt);
        f.scheduler.advance(1s);
        REQUIRE(f.http.sent.size() == attempt + 1);
        CHECK(f.visible_messages(dlq_url) == 0);
        f.http.answer(attempt, 502);
    }
    CHECK(f.visible_messages(dlq_url) == 1);
    f.scheduler.advance(1h);
    CHECK(f.http.sent.size() == 5);
}

TEST_CASE("SNS does not retry an HTTP endpoint that refuses with 4xx", "[sns][unit]") {
    SnsFixture f;
    const std::string topic = f.sns("CreateTopic", {{"Name", "t"}})["TopicArn"];
    const auto [dlq_arn, dlq_url] = f.create_queue("dlq");
    confirmed_http_subscription(f, topic,
                                {{"RedrivePolicy", json{{"deadLetterTargetArn", dlq_arn}}.dump()}});
    f.sns("Publish", {{"TopicArn", topic}, {"Message", "refused"}});
    f.scheduler.run_ready();
    f.http.answer(1, 404);
    CHECK(f.visible_messages(dlq_url) == 1);
    f.scheduler.advance(1h);
    CHECK(f.http.sent.size() == 2);
}

TEST_CASE("SNS FIFO topics deduplicate within five minutes and number messages", "[sns][unit]") {
    SnsFixture f;
    const std::string topic = f.sns(
        "CreateTopic", {{"Name", "t.fifo"}, {"Attributes", {{"FifoTopic", "true"}}}})["TopicArn"];
    const json message = {{"TopicArn", topic},
                          {"Message", "m"},
                          {"MessageGroupId", "g"},
                          {"MessageDeduplicationId", "d"}};
    const json first = f.sns("Publish", message);
    CHECK(f.sns("Publish", message)["MessageId"] == first["MessageId"]);
    f.clock.advance(5min);
    const json later = f.sns("Publish", message);
    CHECK(later["MessageId"] != first["MessageId"]);
    CHECK(later["SequenceNumber"].get<std::string>() > first["SequenceNumber"].get<std::string>());
}

TEST_CASE("SNS FIFO topics forget deduplication ids once their window has passed", "[sns][unit]") {
    SnsFixture f;
    const std::string topic = f.sns(
        "CreateTopic", {{"Name", "t.fifo"}, {"Attributes", {{"FifoTopic", "true"}}}})["TopicArn"];
    const auto publish = [&](const std::string& dedup_id) {
        f.sns("Publish", {{"TopicArn", topic},
                          {"Message", "m"},
                          {"MessageGroupId", "g"},
                          {"MessageDeduplicationId", dedup_id}});
    };
    const auto remembered = [&] { return f.count("SELECT COUNT(*) FROM sns_deduplication"); };
    for (int i = 0; i < 10; ++i) {
        publish("old-" + std::to_string(i));
    }
    CHECK(remembered() == 10);
    f.clock.advance(4min);
    publish("recent");
    CHECK(remembered() == 11);
    f.clock.advance(1min);
    publish("new");
    CHECK(remembered() == 2);  // "recent" and "new"
}

TEST_CASE("SNS keeps a slow subscriber's backlog from crowding out the others", "[sns][unit]") {
    SnsFixture f;
    const std::string slow_topic = f.sns("CreateTopic", {{"Name", "slow"}})["TopicArn"];
    const std::string other_topic = f.sns("CreateTopic", {{"Name", "other"}})["TopicArn"];
    confirmed_http_subscription(f, slow_topic, json::object(), "http://slow/");
    confirmed_http_subscription(f, other_topic, json::object(), "http://other/");
    const auto sent_to = [&](const std::string& url) {
        return std::count_if(f.http.sent.begin(), f.http.sent.end(), [&](const auto& sent) {
            return sent.request.url == url &&
                   sent.request.headers.get("x-amz-sns-message-type") == "Notification";
        });
    };
    for (int i = 0; i < 40; ++i) {
        f.sns("Publish", {{"TopicArn", slow_topic}, {"Message", "m" + std::to_string(i)}});
    }
    f.scheduler.run_ready();
    constexpr auto kCap = sns::HttpDeliverer::kMaxInFlightPerSubscription;
    CHECK(sent_to("http://slow/") == kCap);
    // Another subscriber is served at once.
    f.sns("Publish", {{"TopicArn", other_topic}, {"Message", "not held up"}});
    f.scheduler.run_ready();
    CHECK(sent_to("http://other/") == 1);
    // Each answer lets one more of the backlog go.
    for (std::size_t i = 0; i < f.http.sent.size(); ++i) {
        if (f.http.sent[i].request.url == "http://slow/" && !f.http.sent[i].answered) {
            f.http.answer(i, 200);
            break;
        }
    }
    f.scheduler.run_ready();
    CHECK(sent_to("http://slow/") == kCap + 1);
}

TEST_CASE("SNS serves a subscriber at once however large another's backlog", "[sns][unit]") {
    SnsFixture f;
    const std::string slow_topic = f.sns("CreateTopic", {{"Name", "slow"}})["TopicArn"];
    const std::string other_topic = f.sns("CreateTopic", {{"Name", "other"}})["TopicArn"];
    confirmed_http_subscription(f, slow_topic, {{"RawMessageDelivery", "true"}}, "http://slow/");
    confirmed_http_subscription(f, other_topic, json::object(), "http://other/");
    constexpr int kBacklog = 5000;
    for (int i = 0; i < kBacklog; ++i) {
        f.sns("Publish", {{"TopicArn", slow_topic}, {"Message", "m" + std::to_string(i)}});
    }
    f.scheduler.run_ready();
    constexpr std::size_t kCap = sns::HttpDeliverer::kMaxInFlightPerSubscription;
    REQUIRE(f.http.sent.size() == 2 + kCap);
    f.clock.advance(10s);
    // The backlog, due earlier, waits for the slow subscriber; each message to the other one
    // goes out as soon as it is published, and its answer lets the next one go.
    for (int i = 0; i < 20; ++i) {
        f.sns("Publish", {{"TopicArn", other_topic}, {"Message", "n" + std::to_string(i)}});
        f.scheduler.run_ready();
        REQUIRE(f.http.sent.size() == 2 + kCap + i + 1);
        CHECK(f.http.sent.back().request.url == "http://other/");
        f.http.answer(f.http.sent.size() - 1, 200);
        f.scheduler.run_ready();
    }
    CHECK(f.count("SELECT COUNT(*) FROM sns_outbox") == kBacklog);
}

TEST_CASE("SNS gives up on a dead endpoint's backlog when its retry window passes", "[sns][unit]") {
    SnsFixture f;
    const std::string topic = f.sns("CreateTopic", {{"Name", "t"}})["TopicArn"];
    const auto [dlq_arn, dlq_url] = f.create_queue("dlq");
    confirmed_http_subscription(f, topic,
                                {{"RedrivePolicy", json{{"deadLetterTargetArn", dlq_arn}}.dump()}});
    constexpr int kPublished = 40;
    for (int i = 0; i < kPublished; ++i) {
        f.sns("Publish", {{"TopicArn", topic}, {"Message", "m" + std::to_string(i)}});
    }
    f.scheduler.run_ready();
    constexpr std::size_t kCap = sns::HttpDeliverer::kMaxInFlightPerSubscription;
    REQUIRE(f.http.sent.size() == 1 + kCap);  // none answers
    const auto outbox = [&] { return f.count("SELECT COUNT(*) FROM sns_outbox"); };
    // AWS's default policy: three retries 20 seconds apart and 15 seconds for each of the four
    // attempts, 120 seconds in all.
    f.scheduler.advance(119s);
    CHECK(f.visible_messages(dlq_url) == 0);
    CHECK(outbox() == kPublished);
    f.scheduler.advance(1s);
    CHECK(f.visible_messages(dlq_url) == kPublished - static_cast<int>(kCap));
    CHECK(outbox() == static_cast<std::int64_t>(kCap));
    // The requests out time out: no retry fits in their window any more.
    for (std::size_t i = 1; i <= kCap; ++i) {
        f.http.answer(i, 0);
    }
    CHECK(f.visible_messages(dlq_url) == kPublished);
    CHECK(outbox() == 0);
    f.scheduler.advance(1h);
    CHECK(f.http.sent.size() == 1 + kCap);
}

TEST_CASE("SNS gives up, after a restart, on what was due while the server was down",
          "[sns][unit]") {
    SnsFixture f;
    const std::string topic = f.sns("CreateTopic", {{"Name", "t"}})["TopicArn"];
    const auto [dlq_arn, dlq_url] = f.create_queue("dlq");
    confirmed_http_subscription(f, topic,
                                {{"RedrivePolicy", json{{"deadLetterTargetArn", dlq_arn}}.dump()}});
    f.sns("Publish", {{"TopicArn", topic}, {"Message", "a"}});
    f.sns("Publish", {{"TopicArn", topic}, {"Message", "b"}});
    f.scheduler.run_ready();
    REQUIRE(f.http.sent.size() == 3);  // in flight when the server stops
    f.clock.advance(100s);
    f.sns("Publish", {{"TopicArn", topic}, {"Message", "c"}});  // never sent: the server stops
    f.clock.advance(30s);  // past the 120-second window of "a" and "b", within that of "c"
    // Another server on the same database; the first one never runs again.
    ManualScheduler scheduler{f.clock};
    FakeHttpClient http;
    ServiceEnvironment environment{f.database, f.clock, scheduler, f.credentials, "123456789012"};
    environment.http_client = &http;
    ServiceRegistry registry;
    sqs::register_service(registry, environment);
    sns::register_service(registry, environment);
    scheduler.run_ready();
    REQUIRE(http.sent.size() == 1);
    CHECK(json::parse(http.sent[0].request.body)["Message"] == "c");
    f.serving = &registry;  // a standard queue's messages are the SQS service's own (no rows)
    CHECK(f.visible_messages(dlq_url) == 2);
    http.answer(0, 200);
    CHECK(f.count("SELECT COUNT(*) FROM sns_outbox") == 0);
}

TEST_CASE("SNS subscription attributes as clients send them", "[sns][unit]") {
    SnsFixture f;
    const std::string topic = f.sns("CreateTopic", {{"Name", "attrs"}})["TopicArn"];
    const auto [queue_arn, queue_url] = f.create_queue("attrs-q");
    const std::string arn =
        f.sns("Subscribe",
              {{"TopicArn", topic},
               {"Protocol", "sqs"},
               {"Endpoint", queue_arn},
               {"Attributes",
                {{"RawMessageDelivery", "True"}, {"FilterPolicy", R"({"kind": ["a"]})"}}}})
            .at("SubscriptionArn");
    const auto attributes = [&] {
        return f.sns("GetSubscriptionAttributes", {{"SubscriptionArn", arn}}).at("Attributes");
    };
    CHECK(attributes().at("RawMessageDelivery") == "true");  // any case in, AWS's case out
    f.sns("Publish", {{"TopicArn", topic}, {"Message", "filtered out"}});
    CHECK(f.visible_messages(queue_url) == 0);

    // "{}" removes the policy, as AWS documents (Terraform sends it when one is removed).
    f.sns("SetSubscriptionAttributes",
          {{"SubscriptionArn", arn}, {"AttributeName", "FilterPolicy"}, {"AttributeValue", "{}"}});
    CHECK_FALSE(attributes().contains("FilterPolicy"));
    f.sns("Publish", {{"TopicArn", topic}, {"Message", "delivered"}});
    CHECK(f.visible_messages(queue_url) == 1);

    // Unsubscribing twice succeeds both times.
    f.sns("Unsubscribe", {{"SubscriptionArn", arn}});
    CHECK(f.sns("Unsubscribe", {{"SubscriptionArn", arn}}).empty());
}

TEST_CASE("SNS subjects are UTF-8 under 100 characters", "[sns][unit]") {
    SnsFixture f;
    const std::string topic = f.sns("CreateTopic", {{"Name", "subjects"}})["TopicArn"];
    const auto publish = [&](const std::string& subject) {
        return f.sns("Publish", {{"TopicArn", topic}, {"Message", "m"}, {"Subject", subject}});
    };
    CHECK(publish("Café ☕ 注文").contains("MessageId"));
    std::string accented;
    for (int i = 0; i < 99; ++i) {
        accented += "é";  // 99 characters, 198 bytes
    }
    CHECK(publish(accented).contains("MessageId"));
    CHECK_THROWS_AS(publish(accented + "é"), AwsError);
    CHECK_THROWS_AS(publish("line\nbreak"), AwsError);
}

TEST_CASE("SNS FIFO topics scoped by message group deduplicate within each group", "[sns][unit]") {
    SnsFixture f;
    const auto topic_with = [&](const std::string& name, const std::string& scope) {
        return f
            .sns("CreateTopic",
                 {{"Name", name},
                  {"Attributes", {{"FifoTopic", "true"}, {"FifoThroughputScope", scope}}}})
            .at("TopicArn")
            .get<std::string>();
    };
    const auto publish = [&](const std::string& topic, const std::string& group) {
        return f
            .sns("Publish", {{"TopicArn", topic},
                             {"Message", "m"},
                             {"MessageGroupId", group},
                             {"MessageDeduplicationId", "same"}})
            .at("MessageId");
    };
    const std::string per_group = topic_with("per-group.fifo", "MessageGroup");
    CHECK(publish(per_group, "a") != publish(per_group, "b"));  // two messages
    const std::string per_topic = topic_with("per-topic.fifo", "Topic");
    CHECK(publish(per_topic, "a") == publish(per_topic, "b"));  // one, deduplicated
}
