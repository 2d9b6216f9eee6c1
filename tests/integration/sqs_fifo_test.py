"""SQS FIFO queues through boto3: the .fifo rules, MessageGroupId, strict order within a group, a
group blocked while one of its messages is in flight, deduplication (by id, by content, per
queue or per group, within five minutes), sequence numbers and ReceiveRequestAttemptId."""

import hashlib
import time
import unittest

from harness import wait_until
from sqs_base import SqsTestCase, md5_hex

FIFO_ATTRIBUTES = {
    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed",
    "ApproximateNumberOfMessagesNotVisible", "ContentBasedDeduplication", "CreatedTimestamp",
    "DeduplicationScope", "DelaySeconds", "FifoQueue", "FifoThroughputLimit",
    "LastModifiedTimestamp", "MaximumMessageSize", "MessageRetentionPeriod", "QueueArn",
    "ReceiveMessageWaitTimeSeconds", "SqsManagedSseEnabled", "VisibilityTimeout",
}


class SqsFifoTest(SqsTestCase):

    def setUp(self):
        super().setUp()
        self.url = self.create_fifo_queue("jobs.fifo")

    def send(self, body, group="g", dedup=None, url=None, **extra):
        # A deduplication id allows letters, digits and punctuation, no spaces.
        return self.sqs.send_message(QueueUrl=url or self.url, MessageBody=body,
                                     MessageGroupId=group,
                                     MessageDeduplicationId=dedup or body.replace(" ", "_"),
                                     **extra)

    def bodies(self, messages):
        return [m["Body"] for m in messages]

    def drain(self, url, count, **request):
        """Receives and deletes `count` messages, in the order the queue hands them out."""
        received = []
        while len(received) < count:
            messages = self.receive(url, MaxNumberOfMessages=10, **request)
            self.assertTrue(messages, f"stuck after {self.bodies(received)}")
            received += messages
            self.sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                for i, m in enumerate(messages)])
        return received

    # --- the queue -----------------------------------------------------------------------------
    def test_a_fifo_queue_has_the_fifo_attributes_and_their_defaults(self):
        attributes = self.attributes(self.url)
        self.assertEqual(set(attributes), FIFO_ATTRIBUTES)
        self.assertEqual(attributes["FifoQueue"], "true")
        self.assertEqual(attributes["ContentBasedDeduplication"], "false")
        self.assertEqual(attributes["DeduplicationScope"], "queue")
        self.assertEqual(attributes["FifoThroughputLimit"], "perQueue")
        self.assertTrue(attributes["QueueArn"].endswith(":jobs.fifo"))

        url = self.create_fifo_queue("fast.fifo", ContentBasedDeduplication="true",
                                     DeduplicationScope="messageGroup",
                                     FifoThroughputLimit="perMessageGroupId")
        attributes = self.attributes(url)
        self.assertEqual(attributes["ContentBasedDeduplication"], "true")
        self.assertEqual(attributes["DeduplicationScope"], "messageGroup")
        self.assertEqual(attributes["FifoThroughputLimit"], "perMessageGroupId")
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={
            "ContentBasedDeduplication": "false", "DeduplicationScope": "queue",
            "FifoThroughputLimit": "perQueue"})
        attributes = self.attributes(url)
        self.assertEqual((attributes["ContentBasedDeduplication"],
                          attributes["DeduplicationScope"], attributes["FifoThroughputLimit"]),
                         ("false", "queue", "perQueue"))

    def test_fifo_names_and_the_queue_type_are_fixed(self):
        self.expect_error("InvalidParameterValue", 400, self.sqs.create_queue,
                          QueueName="no-suffix", Attributes={"FifoQueue": "true"})
        self.expect_error("InvalidParameterValue", 400, self.sqs.create_queue,
                          QueueName="suffix-only.fifo")
        self.sqs.set_queue_attributes(QueueUrl=self.url, Attributes={"FifoQueue": "true"})
        self.expect_error("InvalidAttributeValue", 400, self.sqs.set_queue_attributes,
                          QueueUrl=self.url, Attributes={"FifoQueue": "false"},
                          message="Invalid value for the parameter FifoQueue. Reason: Modifying "
                                  "queue type is not supported.")
        standard = self.create_queue("standard")
        self.expect_error("InvalidAttributeName", 400, self.sqs.set_queue_attributes,
                          QueueUrl=standard, Attributes={"FifoQueue": "true"},
                          message="Unknown Attribute FifoQueue.")
        for name, value in (("DeduplicationScope", "everywhere"),
                            ("FifoThroughputLimit", "unlimited"),
                            ("ContentBasedDeduplication", "maybe")):
            with self.subTest(attribute=name):
                self.expect_error("InvalidAttributeValue", 400, self.sqs.set_queue_attributes,
                                  QueueUrl=self.url, Attributes={name: value})
        self.assertEqual(sorted(self.sqs.list_queues()["QueueUrls"]), sorted([self.url, standard]))

    # --- sending -------------------------------------------------------------------------------
    def test_sending_needs_a_group_and_a_deduplication_id_and_takes_no_delay(self):
        self.expect_error("MissingParameter", 400, self.sqs.send_message, QueueUrl=self.url,
                          MessageBody="x", MessageDeduplicationId="d",
                          message="The request must contain the parameter MessageGroupId.")
        self.expect_error("InvalidParameterValue", 400, self.sqs.send_message, QueueUrl=self.url,
                          MessageBody="x", MessageGroupId="g",
                          message="The queue should either have ContentBasedDeduplication "
                                  "enabled or MessageDeduplicationId provided explicitly")
        self.expect_error("InvalidParameterValue", 400, self.sqs.send_message, QueueUrl=self.url,
                          MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d",
                          DelaySeconds=2,
                          message="Value 2 for parameter DelaySeconds is invalid. Reason: The "
                                  "request include parameter that is not valid for this queue "
                                  "type.")
        self.expect_error("InvalidParameterValue", 400, self.sqs.send_message_batch,
                          QueueUrl=self.url,
                          Entries=[{"Id": "a", "MessageBody": "x", "MessageDeduplicationId": "d"}],
                          message="The request must contain the parameter MessageGroupId.")
        self.expect_error("InvalidParameterValue", 400, self.sqs.send_message_batch,
                          QueueUrl=self.url,
                          Entries=[{"Id": "a", "MessageBody": "x", "MessageGroupId": "g"}],
                          message="The queue should either have ContentBasedDeduplication "
                                  "enabled or MessageDeduplicationId provided explicitly")
        self.assertEqual(self.counts(self.url), (0, 0, 0))

    def test_order_within_a_group_and_increasing_sequence_numbers(self):
        sent = [self.send(f"m{i:02}") for i in range(12)]
        numbers = [int(s["SequenceNumber"]) for s in sent]
        self.assertEqual(numbers, sorted(numbers))
        self.assertEqual(len(set(numbers)), 12)
        for s in sent:
            self.assertRegex(s["SequenceNumber"], r"^\d{20,128}$")
        batch = self.sqs.send_message_batch(QueueUrl=self.url, Entries=[
            {"Id": f"b{i}", "MessageBody": f"m{12 + i:02}", "MessageGroupId": "g",
             "MessageDeduplicationId": f"m{12 + i:02}"} for i in range(3)])
        batch_numbers = [int(e["SequenceNumber"]) for e in batch["Successful"]]
        self.assertEqual(sorted(batch_numbers), batch_numbers)
        self.assertGreater(batch_numbers[0], numbers[-1])

        received = self.drain(self.url, 15, MessageSystemAttributeNames=["All"])
        self.assertEqual(self.bodies(received), [f"m{i:02}" for i in range(15)])
        first = received[0]["Attributes"]
        self.assertEqual(first["MessageGroupId"], "g")
        self.assertEqual(first["MessageDeduplicationId"], "m00")
        self.assertEqual(first["SequenceNumber"], sent[0]["SequenceNumber"])
        self.assertEqual(received[0]["MD5OfBody"], md5_hex("m00"))

    def test_a_group_is_blocked_while_one_of_its_messages_is_in_flight(self):
        self.send("a1", group="a")
        self.send("a2", group="a")
        first = self.receive_one(self.url)
        self.assertEqual(first["Body"], "a1")
        self.assertEqual(self.receive(self.url), [])  # a2 waits behind a1
        self.send("b1", group="b")
        self.assertEqual(self.bodies(self.receive(self.url)), ["b1"])  # other groups flow
        self.assertEqual(self.receive(self.url), [])
        self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=first["ReceiptHandle"])
        self.assertEqual(self.bodies(self.receive(self.url)), ["a2"])

    def test_a_message_whose_visibility_expires_is_received_again_before_the_next(self):
        self.send("first")
        self.send("second")
        message = self.receive_one(self.url, VisibilityTimeout=1)
        received_at = time.monotonic()
        self.assertEqual(self.receive(self.url), [])
        again = wait_until(lambda: self.receive(
            self.url, MaxNumberOfMessages=10,
            MessageSystemAttributeNames=["ApproximateReceiveCount"]), interval=0.05,
            message="the head of the group to come back")
        self.assertGreaterEqual(time.monotonic() - received_at, 0.8)
        self.assertEqual(again[0]["MessageId"], message["MessageId"])
        self.assertEqual(again[0]["Attributes"]["ApproximateReceiveCount"], "2")

    def test_an_expired_receipt_handle_no_longer_deletes(self):
        self.send("slow consumer")
        message = self.receive_one(self.url, VisibilityTimeout=1)
        self.wait_for_counts(self.url, (1, 0, 0))
        self.expect_error("InvalidParameterValue", 400, self.sqs.delete_message,
                          QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"],
                          message=f"Value {message['ReceiptHandle']} for parameter ReceiptHandle "
                                  "is invalid. Reason: The receipt handle has expired.")
        self.assertEqual(self.counts(self.url), (1, 0, 0))

    # --- deduplication -------------------------------------------------------------------------
    def test_a_deduplication_id_is_accepted_again_but_delivered_once(self):
        first = self.send("original", dedup="d1")
        again = self.send("impostor", dedup="d1")
        self.assertEqual(again["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertTrue(again["MessageId"])
        self.assertEqual(again["MD5OfMessageBody"], md5_hex("impostor"))
        message = self.receive_one(self.url, MaxNumberOfMessages=10)
        self.assertEqual((message["Body"], message["MessageId"]), ("original", first["MessageId"]))
        # The id is remembered after the message is deleted, too.
        self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])
        self.send("third try", dedup="d1")
        self.assertEqual(self.receive(self.url, MaxNumberOfMessages=10), [])
        self.assertEqual(self.counts(self.url), (0, 0, 0))

    def test_content_based_deduplication_hashes_the_body_only(self):
        url = self.create_fifo_queue("content.fifo", ContentBasedDeduplication="true")
        body = '{"order": 42}'
        self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="g")
        self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="g",
                              MessageAttributes={"k": {"DataType": "String",
                                                       "StringValue": "different"}})
        # An explicit id equal to the generated one (the body's SHA-256) is the same message.
        self.sqs.send_message(QueueUrl=url, MessageBody="other body", MessageGroupId="g",
                              MessageDeduplicationId=hashlib.sha256(body.encode()).hexdigest())
        # An explicit id overrides the generated one.
        self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="g",
                              MessageDeduplicationId="explicit")
        self.sqs.send_message(QueueUrl=url, MessageBody="another", MessageGroupId="g")
        messages = self.drain(url, 3, MessageSystemAttributeNames=["All"])
        self.assertEqual(self.bodies(messages), [body, body, "another"])
        self.assertEqual(self.receive(url), [])
        self.assertEqual(messages[0]["Attributes"]["MessageDeduplicationId"],
                         hashlib.sha256(body.encode()).hexdigest())
        self.assertEqual(messages[1]["Attributes"]["MessageDeduplicationId"], "explicit")

    def test_deduplication_scope_queue_spans_groups_and_message_group_does_not(self):
        self.send("in a", group="a", dedup="same")
        self.send("in b", group="b", dedup="same")
        self.assertEqual(self.bodies(self.receive(self.url, MaxNumberOfMessages=10)), ["in a"])

        url = self.create_fifo_queue("per-group.fifo", DeduplicationScope="messageGroup",
                                     FifoThroughputLimit="perMessageGroupId")
        for group, body in (("a", "a1"), ("b", "b1"), ("a", "a-duplicate")):
            self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group,
                                  MessageDeduplicationId="same")
        received = self.receive_until(url, 2)
        self.assertEqual(sorted(self.bodies(received)), ["a1", "b1"])
        self.assertEqual(self.counts(url), (0, 2, 0))

    # --- ReceiveRequestAttemptId -----------------------------------------------------------
    def test_a_retried_receive_request_attempt_answers_the_same_messages(self):
        for i in range(4):
            self.send(f"m{i}")
        first = self.receive(self.url, MaxNumberOfMessages=2, ReceiveRequestAttemptId="attempt-1")
        self.assertEqual(self.bodies(first), ["m0", "m1"])
        retried = self.receive(self.url, MaxNumberOfMessages=2,
                               ReceiveRequestAttemptId="attempt-1")
        self.assertEqual([(m["MessageId"], m["ReceiptHandle"]) for m in retried],
                         [(m["MessageId"], m["ReceiptHandle"]) for m in first])
        # A new attempt finds the group in flight.
        self.assertEqual(self.receive(self.url, MaxNumberOfMessages=2,
                                      ReceiveRequestAttemptId="attempt-2"), [])


class SqsFifoClockTest(SqsTestCase):
    """The five-minute deduplication interval on a fast clock (five minutes = 3 s)."""

    server_args = ("--time-scale", "0.01")

    def test_a_deduplication_id_can_be_used_again_after_five_minutes(self):
        url = self.create_fifo_queue("window.fifo")
        self.sqs.send_message(QueueUrl=url, MessageBody="first", MessageGroupId="g",
                              MessageDeduplicationId="d")
        sent_at = time.monotonic()
        message = self.receive_one(url)
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

        def accepted_again():
            self.sqs.send_message(QueueUrl=url, MessageBody="second", MessageGroupId="g",
                                  MessageDeduplicationId="d")
            return self.receive(url)

        again = wait_until(accepted_again, timeout=10, interval=0.1,
                           message="the deduplication interval to end")
        elapsed = time.monotonic() - sent_at
        self.assertEqual(self.bodies_of(again), ["second"])
        self.assertGreaterEqual(elapsed, 2.7, "deduplicated for five emulated minutes")
        self.assertLess(elapsed, 6.0)

    def bodies_of(self, messages):
        return [m["Body"] for m in messages]


if __name__ == "__main__":
    unittest.main()
