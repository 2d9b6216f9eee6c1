"""SQS long polling through boto3: a waiting ReceiveMessage is answered as soon as a message
arrives (sent, or made visible by a delay or visibility timer), the queue's default wait applies,
a wait that times out answers no messages, and waiting receivers never hold up other requests."""

import threading
import time
import unittest

from sqs_base import SqsTestCase


class Receiver(threading.Thread):
    """One ReceiveMessage call on its own thread and client; records when it returned."""

    def __init__(self, client, url, **request):
        super().__init__(daemon=True)
        self.client, self.url, self.request = client, url, request
        self.messages, self.error, self.started, self.returned = None, None, None, None

    def run(self):
        self.started = time.monotonic()
        try:
            self.messages = self.client.receive_message(QueueUrl=self.url, **self.request
                                                        ).get("Messages", [])
        except Exception as error:  # reported by the test's assertions
            self.error = error
        self.returned = time.monotonic()

    def result(self, test, timeout=25):
        self.join(timeout)
        test.assertFalse(self.is_alive(), "the receive never returned")
        test.assertIsNone(self.error)
        return self.messages


class SqsLongPollTest(SqsTestCase):

    # How long a test lets a receiver sit in its long poll before acting. This is not
    # synchronisation: if the receive had not started waiting yet, it would find the message at
    # once and the "it really waited" assertions below would fail, never pass by luck.
    PARKED = 0.3

    def setUp(self):
        super().setUp()
        self.url = self.create_queue("polled")

    def receiver(self, url=None, **request):
        receiver = Receiver(self.server.client("sqs"), url or self.url, **request)
        receiver.start()
        return receiver

    def test_a_waiting_receive_is_answered_as_soon_as_a_message_is_sent(self):
        receiver = self.receiver(WaitTimeSeconds=5)
        time.sleep(self.PARKED)
        sent_at = time.monotonic()
        sent = self.sqs.send_message(QueueUrl=self.url, MessageBody="wake up")
        messages = receiver.result(self)
        self.assertEqual([m["MessageId"] for m in messages], [sent["MessageId"]])
        self.assertGreaterEqual(sent_at - receiver.started, self.PARKED * 0.8)
        self.assertLess(receiver.returned - sent_at, 1.0, "answered well before 5 s")

    def test_several_waiting_receivers_each_get_a_different_message(self):
        clients = [self.server.client("sqs") for _ in range(4)]
        receivers = [Receiver(client, self.url, WaitTimeSeconds=5) for client in clients]
        for receiver in receivers:
            receiver.start()
        time.sleep(self.PARKED)
        # Waiting receivers do not hold up anyone else.
        before = time.monotonic()
        self.assertEqual(len(self.sqs.list_queues()["QueueUrls"]), 1)
        self.assertLess(time.monotonic() - before, 1.0)
        sent_at = time.monotonic()
        sent = {self.sqs.send_message(QueueUrl=self.url, MessageBody=f"m{i}")["MessageId"]
                for i in range(4)}
        got = [m["MessageId"] for receiver in receivers for m in receiver.result(self)]
        self.assertEqual(sorted(got), sorted(sent))
        for receiver in receivers:
            self.assertLess(receiver.returned - sent_at, 2.0)

    def test_a_send_to_another_queue_does_not_answer_a_waiting_receive(self):
        other = self.create_queue("other")
        receiver = self.receiver(WaitTimeSeconds=1)
        time.sleep(self.PARKED)
        self.sqs.send_message(QueueUrl=other, MessageBody="not for you")
        self.assertEqual(receiver.result(self), [])
        self.assertGreaterEqual(receiver.returned - receiver.started, 0.9)

    def test_a_waiting_receive_wakes_when_a_delayed_message_becomes_visible(self):
        self.sqs.send_message(QueueUrl=self.url, MessageBody="later", DelaySeconds=1)
        sent_at = time.monotonic()
        messages = self.receiver(WaitTimeSeconds=5).result(self)
        self.assertEqual([m["Body"] for m in messages], ["later"])
        waited = time.monotonic() - sent_at
        self.assertGreaterEqual(waited, 0.8)
        self.assertLess(waited, 3.0)

    def test_a_waiting_receive_wakes_when_a_visibility_timeout_ends(self):
        self.sqs.send_message(QueueUrl=self.url, MessageBody="retry me")
        self.receive_one(self.url, VisibilityTimeout=1)
        received_at = time.monotonic()
        messages = self.receiver(WaitTimeSeconds=5).result(self)
        self.assertEqual([m["Body"] for m in messages], ["retry me"])
        waited = time.monotonic() - received_at
        self.assertGreaterEqual(waited, 0.8)
        self.assertLess(waited, 3.0)

    def test_a_wait_that_times_out_answers_no_messages_after_about_the_wait_time(self):
        started = time.monotonic()
        response = self.sqs.receive_message(QueueUrl=self.url, WaitTimeSeconds=1)
        waited = time.monotonic() - started
        self.assertEqual(response.get("Messages", []), [])
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertGreaterEqual(waited, 0.9)
        self.assertLess(waited, 3.0)

    def test_the_queue_default_wait_time_applies_unless_the_receive_says_otherwise(self):
        url = self.create_queue("patient", ReceiveMessageWaitTimeSeconds=1)
        started = time.monotonic()
        self.assertEqual(self.receive(url), [])
        waited = time.monotonic() - started
        self.assertGreaterEqual(waited, 0.9)
        self.assertLess(waited, 3.0)

        started = time.monotonic()
        self.assertEqual(self.receive(url, WaitTimeSeconds=0), [])  # a short poll
        self.assertLess(time.monotonic() - started, 1.0)

        receiver = self.receiver(url)
        time.sleep(self.PARKED)
        sent_at = time.monotonic()
        self.sqs.send_message(QueueUrl=url, MessageBody="by default")
        self.assertEqual([m["Body"] for m in receiver.result(self)], ["by default"])
        self.assertLess(receiver.returned - sent_at, 1.0)
        self.assertGreaterEqual(sent_at - receiver.started, self.PARKED * 0.8)

    def test_a_fifo_receiver_waits_for_its_group_to_be_free(self):
        url = self.create_fifo_queue("ordered.fifo")
        for body in ("first", "second"):
            self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="g",
                                  MessageDeduplicationId=body)
        first = self.receive_one(url)
        receiver = self.receiver(url, WaitTimeSeconds=5)
        time.sleep(self.PARKED)
        deleted_at = time.monotonic()
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])
        self.assertEqual([m["Body"] for m in receiver.result(self)], ["second"])
        self.assertLess(receiver.returned - deleted_at, 1.0)


if __name__ == "__main__":
    unittest.main()
