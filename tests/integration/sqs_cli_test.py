"""SQS through the AWS CLI: v1 (python3 -m awscli) speaks AWS JSON 1.0, Debian's v2 (2.9) the
query protocol (form-encoded requests, XML answers). Each CLI call costs about a second, so the
CLIs cover the operations in few calls and boto3 checks the state in between."""

import base64
import json
import os
import tempfile
import unittest

from harness import wait_until
from sqs_base import (NON_EXISTENT_QUEUE, TRACE_HEADER, SqsTestCase, account_of, md5_hex,
                      md5_of_attributes)

GIF = b"GIF89a\x01\x00"


class CliMixin:
    """The same scenario for both CLI versions; subclasses set `version`."""

    version = 1

    def aws(self, *args, check=True):
        return self.server.cli("sqs", *args, version=self.version, check=check)

    def expect_cli_error(self, code, *args):
        result = self.aws(*args, check=False)
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn(f"({code})", result.stderr)
        return result.stderr

    def json_file(self, value):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(value, f)
        self.addCleanup(os.unlink, f.name)
        return "file://" + f.name

    def binary_argument(self, data):
        """A blob in a JSON argument: the CLI v2 reads base64; the CLI v1 sends the text."""
        return base64.b64encode(data).decode() if self.version == 2 else data.decode()

    def test_queue_and_message_lifecycle(self):
        name = f"cli-v{self.version}"
        created = self.aws("create-queue", "--queue-name", name, "--attributes",
                           "VisibilityTimeout=5,MessageRetentionPeriod=3600",
                           "--tags", "team=core,env=test")
        url = created["QueueUrl"]
        self.assertEqual(url, f"{self.server.endpoint}/{account_of(url)}/{name}")
        attributes = self.attributes(url)
        self.assertEqual((attributes["VisibilityTimeout"], attributes["MessageRetentionPeriod"]),
                         ("5", "3600"))
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"],
                         {"team": "core", "env": "test"})
        self.assertEqual(self.aws("get-queue-url", "--queue-name", name,
                                  "--queue-owner-aws-account-id", account_of(url))["QueueUrl"],
                         url)

        message_attributes = {
            "text": {"DataType": "String", "StringValue": "héllo"},
            "ratio": {"DataType": "Number.float", "StringValue": "2.5"},
            "image": {"DataType": "Binary.gif", "BinaryValue": self.binary_argument(GIF)},
        }
        expected_attributes = dict(message_attributes,
                                   image={"DataType": "Binary.gif", "BinaryValue": GIF})
        system = {"AWSTraceHeader": {"DataType": "String", "StringValue": TRACE_HEADER}}
        sent = self.aws("send-message", "--queue-url", url, "--message-body", "hello",
                        "--message-attributes", self.json_file(message_attributes),
                        "--message-system-attributes", self.json_file(system))
        self.assertEqual(sent["MD5OfMessageBody"], md5_hex("hello"))
        self.assertEqual(sent["MD5OfMessageAttributes"], md5_of_attributes(expected_attributes))
        self.assertEqual(sent["MD5OfMessageSystemAttributes"], md5_of_attributes(system))

        batch = self.aws("send-message-batch", "--queue-url", url, "--entries", self.json_file([
            {"Id": "one", "MessageBody": "first of two"},
            {"Id": "two", "MessageBody": "second of two", "DelaySeconds": 0,
             "MessageAttributes": {"n": {"DataType": "Number", "StringValue": "2"}}}]))
        self.assertEqual(sorted(e["Id"] for e in batch["Successful"]), ["one", "two"])
        self.assertEqual(self.counts(url), (3, 0, 0))

        received = self.aws("receive-message", "--queue-url", url, "--max-number-of-messages",
                            "10", "--attribute-names", "All", "--message-attribute-names", "All",
                            "--visibility-timeout", "30", "--wait-time-seconds", "1")["Messages"]
        self.assertEqual(sorted(m["Body"] for m in received),
                         ["first of two", "hello", "second of two"])
        hello = next(m for m in received if m["Body"] == "hello")
        self.assertEqual(hello["MessageId"], sent["MessageId"])
        self.assertEqual(hello["MD5OfBody"], md5_hex("hello"))
        self.assertEqual(hello["MD5OfMessageAttributes"], md5_of_attributes(expected_attributes))
        self.assertEqual(base64.b64decode(hello["MessageAttributes"]["image"]["BinaryValue"]), GIF)
        self.assertEqual(hello["MessageAttributes"]["ratio"],
                         {"DataType": "Number.float", "StringValue": "2.5"})
        self.assertEqual(hello["Attributes"]["AWSTraceHeader"], TRACE_HEADER)
        self.assertEqual(hello["Attributes"]["ApproximateReceiveCount"], "1")
        self.assertEqual(self.counts(url), (0, 3, 0))

        deleted = self.aws("delete-message-batch", "--queue-url", url, "--entries",
                           self.json_file([{"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]}
                                           for i, m in enumerate(received)]))
        self.assertEqual(len(deleted["Successful"]), 3)
        self.assertEqual(self.counts(url), (0, 0, 0))

        error = self.expect_cli_error(NON_EXISTENT_QUEUE, "get-queue-url", "--queue-name",
                                      "missing")
        self.assertIn("GetQueueUrl", error)


class SqsCliV1Test(CliMixin, SqsTestCase):
    version = 1

    # Debian's CLI v2 (2.9) predates message move tasks; the CLI v1 has them.
    def test_message_move_tasks(self):
        dlq = self.create_queue("cli-dlq")
        dlq_arn = self.queue_arn(dlq)
        source = self.create_queue("cli-source", RedrivePolicy=json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1}))
        self.sqs.send_message(QueueUrl=source, MessageBody="dead letter")
        self.receive_one(source, VisibilityTimeout=0)
        self.assertEqual(self.receive(source), [])
        self.wait_for_counts(dlq, (1, 0, 0))

        started = self.aws("start-message-move-task", "--source-arn", dlq_arn,
                           "--max-number-of-messages-per-second", "10")
        self.assertTrue(started["TaskHandle"])
        wait_until(lambda: self.sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]
                   ["Status"] == "COMPLETED", message="the move to complete")
        self.assertEqual(self.counts(source), (1, 0, 0))
        tasks = self.aws("list-message-move-tasks", "--source-arn", dlq_arn)["Results"]
        self.assertEqual([(t["Status"], t["ApproximateNumberOfMessagesMoved"]) for t in tasks],
                         [("COMPLETED", 1)])
        self.expect_cli_error("InvalidParameterValue", "cancel-message-move-task", "--task-handle",
                          "foobared")


class SqsCliV2Test(CliMixin, SqsTestCase):
    version = 2

    def test_the_other_operations_over_the_query_protocol(self):
        url = self.create_queue("cli-v2-more", tags={"team": "core", "env": "test"})
        dlq = self.create_queue("cli-v2-dlq")
        dlq_arn = self.queue_arn(dlq)
        self.assertEqual(self.aws("list-queues", "--queue-name-prefix", "cli-v2-m")["QueueUrls"],
                         [url])

        redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3})
        self.aws("set-queue-attributes", "--queue-url", url, "--attributes",
                 self.json_file({"RedrivePolicy": redrive, "DelaySeconds": "0",
                                 "ReceiveMessageWaitTimeSeconds": "1"}))
        got = self.aws("get-queue-attributes", "--queue-url", url, "--attribute-names",
                       "RedrivePolicy", "ReceiveMessageWaitTimeSeconds", "QueueArn")["Attributes"]
        self.assertEqual(json.loads(got["RedrivePolicy"])["deadLetterTargetArn"], dlq_arn)
        self.assertEqual(got["ReceiveMessageWaitTimeSeconds"], "1")
        self.assertEqual(set(got), {"RedrivePolicy", "ReceiveMessageWaitTimeSeconds", "QueueArn"})
        self.assertEqual(self.aws("list-dead-letter-source-queues", "--queue-url", dlq)
                         ["queueUrls"], [url])

        self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": f"m{i}"} for i in range(3)])
        first, second, third = self.receive_until(url, 3)
        self.aws("change-message-visibility", "--queue-url", url, "--receipt-handle",
                 first["ReceiptHandle"], "--visibility-timeout", "0")
        changed = self.aws("change-message-visibility-batch", "--queue-url", url, "--entries",
                           self.json_file([{"Id": "c", "ReceiptHandle": second["ReceiptHandle"],
                                            "VisibilityTimeout": 0}]))
        self.assertEqual([e["Id"] for e in changed["Successful"]], ["c"])
        self.assertEqual(self.counts(url), (2, 1, 0))
        self.aws("delete-message", "--queue-url", url, "--receipt-handle", third["ReceiptHandle"])
        self.assertEqual(self.counts(url), (2, 0, 0))

        self.aws("tag-queue", "--queue-url", url, "--tags", "extra=1")
        self.aws("untag-queue", "--queue-url", url, "--tag-keys", "env")
        self.assertEqual(self.aws("list-queue-tags", "--queue-url", url)["Tags"],
                         {"team": "core", "extra": "1"})

        self.aws("add-permission", "--queue-url", url, "--label", "both",
                 "--aws-account-ids", account_of(url), "111122223333",
                 "--actions", "SendMessage", "ReceiveMessage")
        statement = json.loads(self.attributes(url, "Policy")["Policy"])["Statement"]
        self.assertEqual([s["Sid"] for s in statement], ["both"])
        self.assertEqual(sorted(statement[0]["Action"]), ["SQS:ReceiveMessage", "SQS:SendMessage"])
        self.assertEqual(sorted(statement[0]["Principal"]["AWS"]),
                         sorted([f"arn:aws:iam::{account_of(url)}:root",
                                 "arn:aws:iam::111122223333:root"]))
        self.aws("remove-permission", "--queue-url", url, "--label", "both")
        self.assertNotIn("Policy", self.attributes(url))

        self.aws("purge-queue", "--queue-url", url)
        self.wait_for_counts(url, (0, 0, 0))
        self.aws("delete-queue", "--queue-url", url)
        self.expect_cli_error(NON_EXISTENT_QUEUE, "get-queue-attributes", "--queue-url", url)


if __name__ == "__main__":
    unittest.main()
