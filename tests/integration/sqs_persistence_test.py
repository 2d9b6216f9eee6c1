"""SQS state survives kill -9 and a restart on the same state directory: every message that
SendMessage acknowledged, queue attributes and tags, FIFO order, sequence numbers and
deduplication, and the timers (visibility timeouts, delays) carry on where they were."""

import shutil
import tempfile
import time
import unittest

from harness import AwsemuServer, awsemu_only, wait_until
from sqs_base import md5_hex, md5_of_attributes

ATTRIBUTES = {"n": {"DataType": "Number.int", "StringValue": "7"},
              "b": {"DataType": "Binary", "BinaryValue": b"\x00\xffkeep"}}


@awsemu_only("kills and restarts the server")
class SqsPersistenceTest(unittest.TestCase):

    def setUp(self):
        self.state_dir = tempfile.mkdtemp(prefix="awsemu-sqs-state-")
        self.addCleanup(shutil.rmtree, self.state_dir, True)
        self.server = AwsemuServer(state_dir=self.state_dir)
        self.addCleanup(self.server.cleanup)
        self.server.start()
        self.sqs = self.server.client("sqs")

    def restart_after_kill_9(self):
        self.server.kill()
        self.server.start()
        self.sqs = self.server.client("sqs")

    def counts(self, url):
        got = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        return (int(got["ApproximateNumberOfMessages"]),
                int(got["ApproximateNumberOfMessagesNotVisible"]),
                int(got["ApproximateNumberOfMessagesDelayed"]))

    def receive_all(self, url, count):
        received = []

        def enough():
            received.extend(self.sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"],
                MessageSystemAttributeNames=["All"]).get("Messages", []))
            return len(received) >= count

        wait_until(enough, interval=0.02, message=f"{count} messages (got {len(received)})")
        return received

    def test_every_acknowledged_message_survives_kill_9(self):
        url = self.sqs.create_queue(QueueName="durable", tags={"env": "prod"}, Attributes={
            "VisibilityTimeout": "45", "MaximumMessageSize": "65536"})["QueueUrl"]
        attributes_before = self.sqs.get_queue_attributes(QueueUrl=url,
                                                          AttributeNames=["All"])["Attributes"]
        sent = {}
        for i in range(20):
            out = self.sqs.send_message(QueueUrl=url, MessageBody=f"single {i}",
                                        MessageAttributes=ATTRIBUTES)
            sent[out["MessageId"]] = f"single {i}"
        for batch in range(3):
            out = self.sqs.send_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "MessageBody": f"batch {batch}.{i}"} for i in range(10)])
            self.assertEqual(out.get("Failed", []), [])
            for entry in out["Successful"]:
                sent[entry["MessageId"]] = f"batch {batch}.{entry['Id']}"

        fifo = self.sqs.create_queue(QueueName="durable.fifo", Attributes={
            "FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
        sequence = [self.sqs.send_message(QueueUrl=fifo, MessageBody=f"f{i}",
                                          MessageGroupId="g")["SequenceNumber"]
                    for i in range(5)]

        self.restart_after_kill_9()

        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"env": "prod"})
        attributes_after = self.sqs.get_queue_attributes(QueueUrl=url,
                                                         AttributeNames=["All"])["Attributes"]
        for name, value in attributes_before.items():
            if not name.startswith("Approximate"):
                self.assertEqual(attributes_after[name], value, name)
        self.assertEqual(self.counts(url), (50, 0, 0))
        received = self.receive_all(url, 50)
        self.assertEqual({m["MessageId"]: m["Body"] for m in received}, sent)
        for message in received:
            self.assertEqual(message["MD5OfBody"], md5_hex(message["Body"]))
            if message["Body"].startswith("single"):
                self.assertEqual(message["MessageAttributes"], ATTRIBUTES)
                self.assertEqual(message["MD5OfMessageAttributes"], md5_of_attributes(ATTRIBUTES))

        # FIFO order, content deduplication and sequence numbers carry on.
        self.sqs.send_message(QueueUrl=fifo, MessageBody="f0", MessageGroupId="g")
        later = self.sqs.send_message(QueueUrl=fifo, MessageBody="f5", MessageGroupId="g")
        self.assertGreater(int(later["SequenceNumber"]), int(sequence[-1]))
        bodies = []
        while len(bodies) < 6:
            messages = self.sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=10
                                                ).get("Messages", [])
            self.assertTrue(messages, bodies)
            bodies += [m["Body"] for m in messages]
            for m in messages:
                self.sqs.delete_message(QueueUrl=fifo, ReceiptHandle=m["ReceiptHandle"])
        self.assertEqual(bodies, [f"f{i}" for i in range(6)])

    def test_visibility_and_delay_timers_resume_after_kill_9(self):
        url = self.sqs.create_queue(QueueName="timers")["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="short")
        short = self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=3)["Messages"][0]
        self.sqs.send_message(QueueUrl=url, MessageBody="long")
        long = self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=600)["Messages"][0]
        self.sqs.send_message(QueueUrl=url, MessageBody="delayed", DelaySeconds=3)
        timers_started = time.monotonic()
        self.assertEqual(self.counts(url), (0, 2, 1))

        self.restart_after_kill_9()

        self.assertEqual(self.counts(url), (0, 2, 1))
        self.assertEqual(self.sqs.receive_message(QueueUrl=url).get("Messages", []), [])
        came_back = self.receive_all(url, 2)
        self.assertGreaterEqual(time.monotonic() - timers_started, 2.7)
        self.assertEqual(sorted(m["Body"] for m in came_back), ["delayed", "short"])
        again = next(m for m in came_back if m["Body"] == "short")
        self.assertEqual(again["MessageId"], short["MessageId"])
        self.assertEqual(again["Attributes"]["ApproximateReceiveCount"], "2")
        self.assertEqual(self.counts(url), (0, 3, 0))

        # A receipt handle from before the kill still deletes its message.
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=long["ReceiptHandle"])
        self.assertEqual(self.counts(url), (0, 2, 0))

    def test_fifo_deduplication_survives_a_restart(self):
        fifo = self.sqs.create_queue(QueueName="dedup.fifo",
                                     Attributes={"FifoQueue": "true"})["QueueUrl"]
        self.sqs.send_message(QueueUrl=fifo, MessageBody="once", MessageGroupId="g",
                              MessageDeduplicationId="d")
        self.server.restart()  # SIGTERM this time
        self.sqs = self.server.client("sqs")
        self.sqs.send_message(QueueUrl=fifo, MessageBody="twice", MessageGroupId="g",
                              MessageDeduplicationId="d")
        self.assertEqual([m["Body"] for m in self.sqs.receive_message(
            QueueUrl=fifo, MaxNumberOfMessages=10).get("Messages", [])], ["once"])


if __name__ == "__main__":
    unittest.main()
