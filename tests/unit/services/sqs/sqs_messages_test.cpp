#include <catch2/catch.hpp>

#include "tests/unit/services/sqs/sqs_test_support.hpp"

using namespace awsemu;
using namespace awsemu::sqs::testing;
using namespace std::chrono_literals;
using nlohmann::json;

TEST_CASE("SQS hides a received message for the visibility timeout, then shows it again",
          "[sqs][unit]") {
    SqsFixture f;
    const auto url = f.create_queue("jobs", {{"VisibilityTimeout", "30"}});
    f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "job-1"}});
    const auto first = f.receive({{"QueueUrl", url}, {"AttributeNames", {"All"}}});
    REQUIRE(first.size() == 1);
    CHECK(first[0]["Body"] == "job-1");
    CHECK(first[0]["Attributes"]["ApproximateReceiveCount"] == "1");
    CHECK(f.receive({{"QueueUrl", url}}).empty());
    CHECK(f.attributes(url)["ApproximateNumberOfMessagesNotVisible"] == "1");
    f.clock.advance(29s);
    CHECK(f.receive({{"QueueUrl", url}}).empty());
    f.clock.advance(1s);
    const auto second = f.receive({{"QueueUrl", url}, {"AttributeNames", {"All"}}});
    REQUIRE(second.size() == 1);
    CHECK(second[0]["Attributes"]["ApproximateReceiveCount"] == "2");
    CHECK(second[0]["ReceiptHandle"] != first[0]["ReceiptHandle"]);

    // The earlier receive's handle is accepted but deletes nothing.
    f.call("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", first[0]["ReceiptHandle"]}});
    CHECK(f.attributes(url)["ApproximateNumberOfMessagesNotVisible"] == "1");
    f.call("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", second[0]["ReceiptHandle"]}});
    CHECK(f.attributes(url)["ApproximateNumberOfMessagesNotVisible"] == "0");
    f.clock.advance(60s);
    CHECK(f.receive({{"QueueUrl", url}}).empty());
}

TEST_CASE("SQS per-receive visibility timeout and ChangeMessageVisibility", "[sqs][unit]") {
    SqsFixture f;
    const auto url = f.create_queue("jobs");
    f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "b"}});
    const auto got = f.receive({{"QueueUrl", url}, {"VisibilityTimeout", 5}});
    REQUIRE(got.size() == 1);
    const std::string handle = got[0]["ReceiptHandle"];
    f.call("ChangeMessageVisibility",
           {{"QueueUrl", url}, {"ReceiptHandle", handle}, {"VisibilityTimeout", 100}});
    f.clock.advance(99s);
    CHECK(f.receive({{"QueueUrl", url}}).empty());
    const auto beyond =
        f.error("ChangeMessageVisibility",
                {{"QueueUrl", url}, {"ReceiptHandle", handle}, {"VisibilityTimeout", 43200}});
    CHECK(beyond.code == "InvalidParameterValue");
    CHECK(beyond.message.find("[43200 seconds]") != std::string::npos);
    f.clock.advance(1s);
    const auto not_in_flight =
        f.error("ChangeMessageVisibility",
                {{"QueueUrl", url}, {"ReceiptHandle", handle}, {"VisibilityTimeout", 10}});
    CHECK(not_in_flight.code == "MessageNotInflight");
    CHECK(f.receive({{"QueueUrl", url}}).size() == 1);
}

TEST_CASE("SQS delays messages by the queue's or the message's DelaySeconds", "[sqs][unit]") {
    SqsFixture f;
    const auto url = f.create_queue("later", {{"DelaySeconds", "10"}});
    f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "queue-delay"}});
    f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "no-delay"}, {"DelaySeconds", 0}});
    CHECK(f.attributes(url)["ApproximateNumberOfMessagesDelayed"] == "1");
    const auto now = f.receive({{"QueueUrl", url}, {"MaxNumberOfMessages", 10}});
    REQUIRE(now.size() == 1);
    CHECK(now[0]["Body"] == "no-delay");
    f.clock.advance(10s);
    const auto later = f.receive({{"QueueUrl", url}, {"MaxNumberOfMessages", 10}});
    REQUIRE(later.size() == 1);
    CHECK(later[0]["Body"] == "queue-delay");
}

TEST_CASE("SQS drops messages older than the retention period", "[sqs][unit]") {
    SqsFixture f;
    const auto url = f.create_queue("short", {{"MessageRetentionPeriod", "60"}});
    f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "old"}});
    f.clock.advance(60s);
    CHECK(f.receive({{"QueueUrl", url}}).empty());
    CHECK(f.attributes(url)["ApproximateNumberOfMessages"] == "0");
}

TEST_CASE("SQS long poll answers when a message arrives, without waiting for the deadline",
          "[sqs][unit]") {
    SqsFixture f;
    const auto url = f.create_queue("waiting");
    auto pending = f.start_receive({{"QueueUrl", url}, {"WaitTimeSeconds", 20}});
    CHECK_FALSE(pending.answered());
    f.scheduler.advance(5s);
    CHECK_FALSE(pending.answered());
    f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "wake up"}});
    f.scheduler.run_ready();  // the send's commit is done: waiters try again
    REQUIRE(pending.answered());
    const auto messages = pending.messages();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0]["Body"] == "wake up");
    CHECK(f.scheduler.pending_timers() == 0);
}

TEST_CASE("SQS long poll answers empty at its deadline and wakes for a delayed message",
          "[sqs][unit]") {
    SqsFixture f;
    const auto url = f.create_queue("waiting", {{"ReceiveMessageWaitTimeSeconds", "10"}});
    auto empty = f.start_receive({{"QueueUrl", url}});  // the queue's default wait
    f.scheduler.advance(9s);
    CHECK_FALSE(empty.answered());
    f.scheduler.advance(1s);
    REQUIRE(empty.answered());
    CHECK(empty.messages().empty());

    f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "soon"}, {"DelaySeconds", 3}});
    auto delayed = f.start_receive({{"QueueUrl", url}, {"WaitTimeSeconds", 20}});
    f.scheduler.advance(2s);
    CHECK_FALSE(delayed.answered());
    f.scheduler.advance(1s);
    REQUIRE(delayed.answered());
    REQUIRE(delayed.messages().size() == 1);
    CHECK(delayed.messages()[0]["Body"] == "soon");
}

TEST_CASE("SQS moves a message to the dead-letter queue on the receive after maxReceiveCount",
          "[sqs][unit]") {
    SqsFixture f;
    const auto dlq_url = f.create_queue("dead");
    const std::string dlq_arn = f.attributes(dlq_url)["QueueArn"];
    const auto url = f.create_queue(
        "work",
        {{"VisibilityTimeout", "1"},
         {"RedrivePolicy", json{{"deadLetterTargetArn", dlq_arn}, {"maxReceiveCount", 2}}.dump()}});
    f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "poison"}});
    for (int i = 0; i < 2; ++i) {
        CHECK(f.receive({{"QueueUrl", url}}).size() == 1);
        f.clock.advance(1s);
    }
    CHECK(f.receive({{"QueueUrl", url}}).empty());
    const auto dead = f.receive({{"QueueUrl", dlq_url}, {"AttributeNames", {"All"}}});
    REQUIRE(dead.size() == 1);
    CHECK(dead[0]["Body"] == "poison");
    CHECK(dead[0]["Attributes"]["DeadLetterQueueSourceArn"] == f.attributes(url)["QueueArn"]);
    CHECK(dead[0]["Attributes"]["ApproximateReceiveCount"] == "1");
    const auto sources = f.call("ListDeadLetterSourceQueues", {{"QueueUrl", dlq_url}});
    CHECK(sources["queueUrls"] == json{url});
}

TEST_CASE("SQS RedriveAllowPolicy decides which queues may use a queue as their DLQ",
          "[sqs][unit]") {
    SqsFixture f;
    const auto deny_url =
        f.create_queue("deny", {{"RedriveAllowPolicy", R"({"redrivePermission":"denyAll"})"}});
    const std::string deny_arn = f.attributes(deny_url)["QueueArn"];
    const auto policy = json{{"deadLetterTargetArn", deny_arn}, {"maxReceiveCount", 3}}.dump();
    const auto denied =
        f.error("CreateQueue", {{"QueueName", "src"}, {"Attributes", {{"RedrivePolicy", policy}}}});
    CHECK(denied.code == "InvalidParameterValue");

    const std::string allowed_source = "arn:aws:sqs:us-east-1:123456789012:chosen";
    const auto by_queue_url = f.create_queue(
        "byqueue",
        {{"RedriveAllowPolicy",
          json{{"redrivePermission", "byQueue"}, {"sourceQueueArns", {allowed_source}}}.dump()}});
    const std::string by_queue_arn = f.attributes(by_queue_url)["QueueArn"];
    const auto to_by_queue =
        json{{"deadLetterTargetArn", by_queue_arn}, {"maxReceiveCount", 3}}.dump();
    CHECK(f.error("CreateQueue",
                  {{"QueueName", "other"}, {"Attributes", {{"RedrivePolicy", to_by_queue}}}})
              .code == "InvalidParameterValue");
    CHECK_NOTHROW(f.create_queue("chosen", {{"RedrivePolicy", to_by_queue}}));
}

TEST_CASE("SQS FIFO keeps a group in order and blocks it while a message is in flight",
          "[sqs][unit]") {
    SqsFixture f;
    const auto url = f.create_queue("orders.fifo", {{"FifoQueue", "true"},
                                                    {"ContentBasedDeduplication", "true"},
                                                    {"VisibilityTimeout", "30"}});
    for (const auto* body : {"a1", "a2", "a3"}) {
        f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", body}, {"MessageGroupId", "a"}});
    }
    f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "b1"}, {"MessageGroupId", "b"}});
    const auto first = f.receive({{"QueueUrl", url}});
    REQUIRE(first.size() == 1);
    CHECK(first[0]["Body"] == "a1");
    // Group a is blocked while a1 is out; b is free.
    const auto second = f.receive({{"QueueUrl", url}, {"MaxNumberOfMessages", 10}});
    REQUIRE(second.size() == 1);
    CHECK(second[0]["Body"] == "b1");
    f.call("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", first[0]["ReceiptHandle"]}});
    const auto rest = f.receive({{"QueueUrl", url}, {"MaxNumberOfMessages", 10}});
    REQUIRE(rest.size() == 2);
    CHECK(rest[0]["Body"] == "a2");
    CHECK(rest[1]["Body"] == "a3");
}

TEST_CASE("SQS FIFO deduplicates within five minutes", "[sqs][unit]") {
    SqsFixture f;
    const auto url = f.create_queue("dedup.fifo", {{"FifoQueue", "true"}});
    const json message = {{"QueueUrl", url},
                          {"MessageBody", "pay"},
                          {"MessageGroupId", "g"},
                          {"MessageDeduplicationId", "payment-1"}};
    const auto original = f.call("SendMessage", message);
    const auto duplicate = f.call("SendMessage", message);
    CHECK(duplicate["MessageId"] == original["MessageId"]);
    CHECK(duplicate["SequenceNumber"] == original["SequenceNumber"]);
    CHECK(f.attributes(url)["ApproximateNumberOfMessages"] == "1");
    f.clock.advance(5min);
    const auto later = f.call("SendMessage", message);
    CHECK(later["MessageId"] != original["MessageId"]);
    CHECK(later["SequenceNumber"].get<std::string>() >
          original["SequenceNumber"].get<std::string>());
    CHECK(f.attributes(url)["ApproximateNumberOfMessages"] == "2");
    const auto missing_group = f.error("SendMessage", {{"QueueUrl", url}, {"MessageBody", "x"}});
    CHECK(missing_group.code == "MissingParameter");
    const auto no_dedup =
        f.error("SendMessage", {{"QueueUrl", url}, {"MessageBody", "x"}, {"MessageGroupId", "g"}});
    CHECK(no_dedup.code == "InvalidParameterValue");
}

TEST_CASE("SQS FIFO answers a retried ReceiveRequestAttemptId with the same messages",
          "[sqs][unit]") {
    SqsFixture f;
    const auto url = f.create_queue("retry.fifo",
                                    {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}});
    f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "m1"}, {"MessageGroupId", "g"}});
    const json request = {{"QueueUrl", url}, {"ReceiveRequestAttemptId", "attempt-1"}};
    const auto first = f.receive(request);
    const auto retried = f.receive(request);
    REQUIRE(first.size() == 1);
    REQUIRE(retried.size() == 1);
    CHECK(retried[0]["ReceiptHandle"] == first[0]["ReceiptHandle"]);
}

TEST_CASE("SQS purges at most once a minute", "[sqs][unit]") {
    SqsFixture f;
    const auto url = f.create_queue("purge");
    f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "x"}});
    f.call("PurgeQueue", {{"QueueUrl", url}});
    CHECK(f.attributes(url)["ApproximateNumberOfMessages"] == "0");
    const auto again = f.error("PurgeQueue", {{"QueueUrl", url}});
    CHECK(again.code == "PurgeQueueInProgress");
    CHECK(again.status == 403);
    f.clock.advance(60s);
    CHECK_NOTHROW(f.call("PurgeQueue", {{"QueueUrl", url}}));
}

TEST_CASE("SQS message move task moves messages back at the requested rate", "[sqs][unit]") {
    SqsFixture f;
    const auto dlq_url = f.create_queue("dead");
    const std::string dlq_arn = f.attributes(dlq_url)["QueueArn"];
    const auto url = f.create_queue(
        "work",
        {{"VisibilityTimeout", "0"},
         {"RedrivePolicy", json{{"deadLetterTargetArn", dlq_arn}, {"maxReceiveCount", 1}}.dump()}});
    for (int i = 0; i < 3; ++i) {
        f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "m" + std::to_string(i)}});
    }
    CHECK(f.receive({{"QueueUrl", url}, {"MaxNumberOfMessages", 10}}).size() == 3);
    CHECK(f.receive({{"QueueUrl", url}, {"MaxNumberOfMessages", 10}}).empty());  // all moved
    CHECK(f.attributes(dlq_url)["ApproximateNumberOfMessages"] == "3");

    const auto started = f.call("StartMessageMoveTask",
                                {{"SourceArn", dlq_arn}, {"MaxNumberOfMessagesPerSecond", 1}});
    CHECK_FALSE(started["TaskHandle"].get<std::string>().empty());
    f.scheduler.run_ready();
    auto tasks = f.call("ListMessageMoveTasks", {{"SourceArn", dlq_arn}})["Results"];
    REQUIRE(tasks.size() == 1);
    CHECK(tasks[0]["Status"] == "RUNNING");
    CHECK(tasks[0]["ApproximateNumberOfMessagesMoved"] == 1);
    CHECK(tasks[0]["ApproximateNumberOfMessagesToMove"] == 3);
    f.scheduler.advance(2s);
    tasks = f.call("ListMessageMoveTasks", {{"SourceArn", dlq_arn}})["Results"];
    CHECK(tasks[0]["Status"] == "COMPLETED");
    CHECK(tasks[0]["ApproximateNumberOfMessagesMoved"] == 3);
    CHECK_FALSE(tasks[0].contains("TaskHandle"));
    CHECK(f.attributes(url)["ApproximateNumberOfMessages"] == "3");
    CHECK(f.attributes(dlq_url)["ApproximateNumberOfMessages"] == "0");
}

TEST_CASE("SQS batch calls fail per entry and check the batch as a whole", "[sqs][unit]") {
    SqsFixture f;
    const auto url = f.create_queue("batch");
    const auto result = f.call("SendMessageBatch",
                               {{"QueueUrl", url},
                                {"Entries",
                                 {{{"Id", "ok"}, {"MessageBody", "fine"}},
                                  {{"Id", "bad"}, {"MessageBody", "x"}, {"DelaySeconds", 901}}}}});
    REQUIRE(result["Successful"].size() == 1);
    CHECK(result["Successful"][0]["Id"] == "ok");
    REQUIRE(result["Failed"].size() == 1);
    CHECK(result["Failed"][0]["Id"] == "bad");
    CHECK(result["Failed"][0]["Code"] == "InvalidParameterValue");
    CHECK(result["Failed"][0]["SenderFault"] == true);

    CHECK(f.error("SendMessageBatch", {{"QueueUrl", url}, {"Entries", json::array()}}).code ==
          "EmptyBatchRequest");
    json eleven = json::array();
    for (int i = 0; i < 11; ++i) {
        eleven.push_back({{"Id", "e" + std::to_string(i)}, {"MessageBody", "x"}});
    }
    CHECK(f.error("SendMessageBatch", {{"QueueUrl", url}, {"Entries", eleven}}).code ==
          "TooManyEntriesInBatchRequest");
    CHECK(f.error("SendMessageBatch", {{"QueueUrl", url},
                                       {"Entries",
                                        {{{"Id", "same"}, {"MessageBody", "1"}},
                                         {{"Id", "same"}, {"MessageBody", "2"}}}}})
              .code == "BatchEntryIdsNotDistinct");
    CHECK(f.error("SendMessageBatch",
                  {{"QueueUrl", url}, {"Entries", {{{"Id", "no spaces"}, {"MessageBody", "1"}}}}})
              .code == "InvalidBatchEntryId");
    const std::string half(600'000, 'x');
    CHECK(f.error("SendMessageBatch",
                  {{"QueueUrl", url},
                   {"Entries",
                    {{{"Id", "a"}, {"MessageBody", half}}, {{"Id", "b"}, {"MessageBody", half}}}}})
              .code == "BatchRequestTooLong");
    CHECK(f.attributes(url)["ApproximateNumberOfMessages"] == "1");

    // A batch just under 1 MiB counts its attributes as a single message's are (a binary value
    // by its bytes, not its base64), so it is accepted.
    const std::string body(522'000, 'y');
    const std::string binary_base64((4'000 / 3) * 4, 'A');  // 4,000 bytes of zeros, in base64
    const auto under =
        f.call("SendMessageBatch",
               {{"QueueUrl", url},
                {"Entries",
                 {{{"Id", "a"}, {"MessageBody", body}},
                  {{"Id", "b"},
                   {"MessageBody", body},
                   {"MessageAttributes",
                    {{"blob", {{"DataType", "Binary"}, {"BinaryValue", binary_base64}}}}}}}}});
    CHECK(under["Successful"].size() == 2);
}

TEST_CASE("SQS rejects receipt handles it did not issue for the queue", "[sqs][unit]") {
    SqsFixture f;
    const auto url = f.create_queue("handles");
    const auto other = f.create_queue("other");
    f.call("SendMessage", {{"QueueUrl", other}, {"MessageBody", "x"}});
    const auto got = f.receive({{"QueueUrl", other}});
    REQUIRE(got.size() == 1);
    const std::vector<std::string> handles = {
        "garbage", "", "bm90OmFuOmhhbmRsZQ==", got[0]["ReceiptHandle"].get<std::string>()};
    for (const auto& handle : handles) {
        INFO(handle);
        const auto error = f.error("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", handle}});
        CHECK(error.code == "ReceiptHandleIsInvalid");
    }
}

TEST_CASE("SQS FIFO accepts an explicit DelaySeconds of 0 and keeps the queue's delay",
          "[sqs][unit]") {
    SqsFixture f;
    const auto url = f.create_queue(
        "slow.fifo",
        {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}, {"DelaySeconds", "5"}});
    f.call("SendMessage",
           {{"QueueUrl", url}, {"MessageBody", "a"}, {"MessageGroupId", "g"}, {"DelaySeconds", 0}});
    CHECK(f.error("SendMessage", {{"QueueUrl", url},
                                  {"MessageBody", "b"},
                                  {"MessageGroupId", "g"},
                                  {"DelaySeconds", 3}})
              .code == "InvalidParameterValue");
    CHECK(f.receive({{"QueueUrl", url}}).empty());  // the queue's 5 s still apply
    f.clock.advance(5s);
    const auto got = f.receive({{"QueueUrl", url}});
    REQUIRE(got.size() == 1);
    CHECK(got[0]["Body"] == "a");
}

TEST_CASE("SQS a receive that moves a message to the dead-letter queue still answers the next",
          "[sqs][unit]") {
    SqsFixture f;
    const auto dlq_url = f.create_queue("poison-dlq");
    const std::string dlq_arn = f.attributes(dlq_url)["QueueArn"];
    const auto url = f.create_queue(
        "work",
        {{"VisibilityTimeout", "5"},
         {"RedrivePolicy", json{{"deadLetterTargetArn", dlq_arn}, {"maxReceiveCount", 1}}.dump()}});
    f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "poison"}});
    REQUIRE(f.receive({{"QueueUrl", url}}).size() == 1);  // never deleted
    f.clock.advance(5s);
    f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "good"}});
    // The poison message comes first, goes to the dead-letter queue, and the same receive
    // answers the good one instead of nothing.
    const auto got = f.receive({{"QueueUrl", url}});
    REQUIRE(got.size() == 1);
    CHECK(got[0]["Body"] == "good");
    CHECK(f.receive({{"QueueUrl", dlq_url}}).size() == 1);
}

TEST_CASE("SQS a long poll gets a message another consumer let time out", "[sqs][unit]") {
    SqsFixture f;
    const auto url = f.create_queue("shared");
    auto waiting = f.start_receive({{"QueueUrl", url}, {"WaitTimeSeconds", 20}});
    CHECK_FALSE(waiting.answered());
    // A message arrives and another consumer takes it first, for 10 s, and never deletes it.
    f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "dropped"}});
    const auto taken = f.receive({{"QueueUrl", url}, {"VisibilityTimeout", 10}});
    REQUIRE(taken.size() == 1);
    f.scheduler.run_ready();
    CHECK_FALSE(waiting.answered());
    f.scheduler.advance(9s);
    CHECK_FALSE(waiting.answered());
    f.scheduler.advance(1s);  // its visibility runs out: the waiter gets it, not at 20 s
    REQUIRE(waiting.answered());
    REQUIRE(waiting.messages().size() == 1);
    CHECK(waiting.messages()[0]["Body"] == "dropped");
}

TEST_CASE("SQS FIFO keeps a group blocked while any of its messages is in flight", "[sqs][unit]") {
    SqsFixture f;
    const auto url = f.create_queue("groups.fifo",
                                    {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}});
    for (const char* body : {"m1", "m2"}) {
        f.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", body}, {"MessageGroupId", "g"}});
    }
    const auto both = f.receive({{"QueueUrl", url}, {"MaxNumberOfMessages", 10}});
    REQUIRE(both.size() == 2);
    // m1 made visible again while m2 is still out: the group stays blocked until m2 is done.
    f.call(
        "ChangeMessageVisibility",
        {{"QueueUrl", url}, {"ReceiptHandle", both[0]["ReceiptHandle"]}, {"VisibilityTimeout", 0}});
    CHECK(f.receive({{"QueueUrl", url}}).empty());
    f.call("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", both[1]["ReceiptHandle"]}});
    const auto again = f.receive({{"QueueUrl", url}});
    REQUIRE(again.size() == 1);
    CHECK(again[0]["Body"] == "m1");
}
