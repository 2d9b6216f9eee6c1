"""SQS dead-letter queues through boto3: RedrivePolicy and maxReceiveCount, RedriveAllowPolicy
(allowAll, denyAll, byQueue), ListDeadLetterSourceQueues, and message move tasks
(StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask) with their progress."""

import json
import time
import unittest

from harness import wait_until
from sqs_base import SqsTestCase, account_of, md5_of_attributes


def redrive(dlq_arn, max_receive_count):
    return json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})


class DeadLetterCase(SqsTestCase):
    """A dead-letter queue in every test, and source queues that feed it."""

    def setUp(self):
        super().setUp()
        self.dlq = self.create_queue("dead")
        self.dlq_arn = self.queue_arn(self.dlq)

    def source(self, name, max_receive_count=2, **attributes):
        return self.create_queue(name, RedrivePolicy=redrive(self.dlq_arn, max_receive_count),
                                 **attributes)

    def dead_letter(self, url, bodies):
        """Sends `bodies` to a source queue with maxReceiveCount 1 and receives each one until
        it has moved to the dead-letter queue."""
        for body in bodies:
            self.sqs.send_message(QueueUrl=url, MessageBody=body)
        self.receive_until(url, len(bodies), VisibilityTimeout=0)
        wait_until(lambda: not self.receive(url, MaxNumberOfMessages=10, VisibilityTimeout=0),
                   interval=0.02, message="the source queue to empty into the DLQ")


class SqsDeadLetterTest(DeadLetterCase):

    # --- RedrivePolicy -------------------------------------------------------------------------
    def test_a_message_moves_to_the_dlq_on_the_receive_after_max_receive_count(self):
        url = self.source("work", max_receive_count=2)
        attributes = {"tenant": {"DataType": "String", "StringValue": "acme"},
                      "raw": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}}
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="poison",
                                     MessageAttributes=attributes)
        for count in ("1", "2"):
            message = self.receive_one(url, VisibilityTimeout=0,
                                       MessageSystemAttributeNames=["ApproximateReceiveCount"])
            self.assertEqual(message["Attributes"]["ApproximateReceiveCount"], count)
        self.assertEqual(self.receive(url), [])  # the third receive moves it
        self.assertEqual(self.counts(url), (0, 0, 0))

        dead = self.receive_one(self.dlq, MessageAttributeNames=["All"],
                                MessageSystemAttributeNames=["All"])
        self.assertEqual(dead["MessageId"], sent["MessageId"])
        self.assertEqual(dead["Body"], "poison")
        self.assertEqual(dead["MessageAttributes"], attributes)
        self.assertEqual(dead["MD5OfMessageAttributes"], md5_of_attributes(attributes))
        self.assertEqual(dead["Attributes"]["DeadLetterQueueSourceArn"], self.queue_arn(url))

    def test_a_message_deleted_in_time_never_reaches_the_dlq(self):
        url = self.source("work", max_receive_count=1)
        self.sqs.send_message(QueueUrl=url, MessageBody="handled")
        message = self.receive_one(url)
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        self.assertEqual(self.receive(url), [])
        self.assertEqual(self.counts(self.dlq), (0, 0, 0))

    def test_the_redrive_policy_reads_back_and_can_be_removed(self):
        url = self.source("work", max_receive_count=5)
        policy = json.loads(self.attributes(url, "RedrivePolicy")["RedrivePolicy"])
        self.assertEqual(policy["deadLetterTargetArn"], self.dlq_arn)
        self.assertEqual(int(policy["maxReceiveCount"]), 5)
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": ""})
        self.assertNotIn("RedrivePolicy", self.attributes(url))

    def test_bad_redrive_policies_are_refused(self):
        url = self.create_queue("work")
        value = json.dumps({"deadLetterTargetArn": "dummy", "maxReceiveCount": 42})
        self.expect_error("InvalidParameterValue", 400, self.sqs.set_queue_attributes,
                          QueueUrl=url, Attributes={"RedrivePolicy": value},
                          message=f"Value {value} for parameter RedrivePolicy is invalid. "
                                  "Reason: Invalid value for deadLetterTargetArn.")
        missing = f"arn:aws:sqs:us-east-1:{account_of(url)}:no-such-queue"
        for policy in ("not json", redrive(missing, 3),
                       json.dumps({"deadLetterTargetArn": self.dlq_arn}),
                       redrive(self.queue_arn(self.create_fifo_queue("fifo-dlq.fifo")), 3)):
            with self.subTest(policy=policy):
                self.expect_error("InvalidParameterValue", 400, self.sqs.set_queue_attributes,
                                  QueueUrl=url, Attributes={"RedrivePolicy": policy})
        self.assertNotIn("RedrivePolicy", self.attributes(url))

    # --- RedriveAllowPolicy --------------------------------------------------------------------
    def test_redrive_allow_policy_decides_which_sources_may_use_a_dlq(self):
        allow_all = json.dumps({"redrivePermission": "allowAll"})
        self.sqs.set_queue_attributes(QueueUrl=self.dlq, Attributes={
            "RedriveAllowPolicy": allow_all})
        self.assertEqual(json.loads(self.attributes(self.dlq, "RedriveAllowPolicy")
                                    ["RedriveAllowPolicy"]), {"redrivePermission": "allowAll"})
        self.source("anyone")

        self.sqs.set_queue_attributes(QueueUrl=self.dlq, Attributes={
            "RedriveAllowPolicy": json.dumps({"redrivePermission": "denyAll"})})
        self.expect_error("InvalidParameterValue", 400, self.sqs.create_queue,
                          QueueName="refused", Attributes={"RedrivePolicy": redrive(
                              self.dlq_arn, 2)})
        self.assertNotIn("/refused", " ".join(self.sqs.list_queues()["QueueUrls"]))

        chosen = self.create_queue("chosen")
        other = self.create_queue("other")
        by_queue = {"redrivePermission": "byQueue", "sourceQueueArns": [self.queue_arn(chosen)]}
        self.sqs.set_queue_attributes(QueueUrl=self.dlq, Attributes={
            "RedriveAllowPolicy": json.dumps(by_queue)})
        self.assertEqual(json.loads(self.attributes(self.dlq, "RedriveAllowPolicy")
                                    ["RedriveAllowPolicy"]), by_queue)
        self.sqs.set_queue_attributes(QueueUrl=chosen, Attributes={
            "RedrivePolicy": redrive(self.dlq_arn, 2)})
        self.expect_error("InvalidParameterValue", 400, self.sqs.set_queue_attributes,
                          QueueUrl=other, Attributes={"RedrivePolicy": redrive(self.dlq_arn, 2)})
        self.assertNotIn("RedrivePolicy", self.attributes(other))

    # --- ListDeadLetterSourceQueues ------------------------------------------------------------
    def test_list_dead_letter_source_queues(self):
        sources = sorted(self.source(f"source-{i}") for i in range(3))
        self.create_queue("unrelated")
        self.assertEqual(sorted(self.sqs.list_dead_letter_source_queues(QueueUrl=self.dlq)
                                ["queueUrls"]), sources)
        self.assertEqual(self.sqs.list_dead_letter_source_queues(QueueUrl=sources[0])
                         .get("queueUrls", []), [])

        seen, request = [], {"QueueUrl": self.dlq, "MaxResults": 2}
        while True:
            page = self.sqs.list_dead_letter_source_queues(**request)
            self.assertLessEqual(len(page["queueUrls"]), 2)
            seen += page["queueUrls"]
            if "NextToken" not in page:
                break
            request["NextToken"] = page["NextToken"]
        self.assertEqual(sorted(seen), sources)


class SqsMessageMoveTaskTest(DeadLetterCase):
    """Message move tasks take the dead letters back, at the requested rate."""

    def tasks(self, arn):
        return self.sqs.list_message_move_tasks(SourceArn=arn)["Results"]

    def test_a_move_task_returns_dead_letters_to_their_sources_at_the_requested_rate(self):
        first, second = self.source("first", 1), self.source("second", 1)
        self.dead_letter(first, ["f1", "f2"])
        self.dead_letter(second, ["s1", "s2"])
        self.wait_for_counts(self.dlq, (4, 0, 0))

        started = self.sqs.start_message_move_task(SourceArn=self.dlq_arn,
                                                   MaxNumberOfMessagesPerSecond=2)
        started_at = time.monotonic()
        handle = started["TaskHandle"]
        self.assertTrue(handle)
        progress = []

        def completed():
            task = self.tasks(self.dlq_arn)[0]
            progress.append((task["Status"], task["ApproximateNumberOfMessagesMoved"]))
            if task["Status"] == "RUNNING":
                self.assertEqual(task["TaskHandle"], handle)
                self.assertEqual(task["MaxNumberOfMessagesPerSecond"], 2)
            return task if task["Status"] == "COMPLETED" else None

        task = wait_until(completed, timeout=15, interval=0.05, message="the move to complete")
        elapsed = time.monotonic() - started_at
        # Two a second: the first two in the first second, the next two a second later.
        self.assertGreaterEqual(elapsed, 0.9, "4 messages at 2 per second take a second")
        self.assertEqual(task["SourceArn"], self.dlq_arn)
        self.assertEqual(task["ApproximateNumberOfMessagesMoved"], 4)
        self.assertEqual(task["ApproximateNumberOfMessagesToMove"], 4)
        self.assertNotIn("DestinationArn", task)
        self.assertNotIn("TaskHandle", task)
        # A Long epoch; AWS does not document the unit, so milliseconds or seconds will do.
        started_seconds = task["StartedTimestamp"] / (1000 if task["StartedTimestamp"] > 1e11
                                                      else 1)
        self.assertLessEqual(abs(started_seconds - time.time()), 60)
        moved = [count for status, count in progress if status == "RUNNING"]
        self.assertTrue(any(0 < count < 4 for count in moved), f"no progress seen: {progress}")
        self.assertEqual(moved, sorted(moved))

        self.assertEqual(sorted(m["Body"] for m in self.receive_until(first, 2)), ["f1", "f2"])
        self.assertEqual(sorted(m["Body"] for m in self.receive_until(second, 2)), ["s1", "s2"])
        self.assertEqual(self.counts(self.dlq), (0, 0, 0))

    def test_a_move_task_to_a_destination_can_be_cancelled(self):
        source = self.source("work", 1)
        destination = self.create_queue("destination")
        destination_arn = self.queue_arn(destination)
        self.dead_letter(source, [f"m{i}" for i in range(8)])
        self.wait_for_counts(self.dlq, (8, 0, 0))

        handle = self.sqs.start_message_move_task(
            SourceArn=self.dlq_arn, DestinationArn=destination_arn,
            MaxNumberOfMessagesPerSecond=1)["TaskHandle"]
        running = wait_until(lambda: next(
            (t for t in self.tasks(self.dlq_arn)
             if t["Status"] == "RUNNING" and t["ApproximateNumberOfMessagesMoved"] >= 1), None),
            message="the first message to move")
        self.assertEqual(running["DestinationArn"], destination_arn)
        self.assertEqual(running["ApproximateNumberOfMessagesToMove"], 8)

        self.expect_error("InvalidParameterValue", 400, self.sqs.start_message_move_task,
                          SourceArn=self.dlq_arn, DestinationArn=destination_arn,
                          message="There is already a task running. Only one active task is "
                                  "allowed for a source queue arn at a given time.")
        cancelled = self.sqs.cancel_message_move_task(TaskHandle=handle)
        self.assertGreaterEqual(cancelled["ApproximateNumberOfMessagesMoved"], 1)
        task = wait_until(lambda: next((t for t in self.tasks(self.dlq_arn)
                                        if t["Status"] == "CANCELLED"), None),
                          message="the task to be cancelled")
        moved = task["ApproximateNumberOfMessagesMoved"]
        self.assertLess(moved, 8)
        self.assertNotIn("TaskHandle", task)
        self.wait_for_counts(destination, (moved, 0, 0))
        self.assertEqual(self.counts(self.dlq), (8 - moved, 0, 0))

    def test_move_task_errors(self):
        plain = self.create_queue("plain")
        self.expect_error("InvalidParameterValue", 400, self.sqs.start_message_move_task,
                          SourceArn=self.queue_arn(plain),
                          message="Source queue must be configured as a Dead Letter Queue.")
        self.source("work")
        missing = f"arn:aws:sqs:us-east-1:{account_of(plain)}:no-such-queue"
        self.expect_error("ResourceNotFoundException", 404, self.sqs.start_message_move_task,
                          SourceArn=self.dlq_arn, DestinationArn=missing,
                          message="The resource that you specified for the DestinationArn "
                                  "parameter doesn't exist.")
        self.expect_error("ResourceNotFoundException", 404, self.sqs.start_message_move_task,
                          SourceArn=missing)
        self.expect_error("ResourceNotFoundException", 404, self.sqs.list_message_move_tasks,
                          SourceArn=missing)
        self.expect_error("InvalidParameterValue", 400, self.sqs.cancel_message_move_task,
                          TaskHandle="foobared",
                          message="Value for parameter TaskHandle is invalid.")
        self.assertEqual(self.tasks(self.dlq_arn), [])

    def test_list_message_move_tasks_answers_the_most_recent_ones(self):
        self.dead_letter(self.source("work", 1), ["first"])
        self.wait_for_counts(self.dlq, (1, 0, 0))
        self.sqs.start_message_move_task(SourceArn=self.dlq_arn)
        wait_until(lambda: self.tasks(self.dlq_arn)[0]["Status"] == "COMPLETED",
                   message="the first move")
        self.dead_letter(self.source("again", 1), ["second", "third"])
        self.wait_for_counts(self.dlq, (2, 0, 0))
        self.sqs.start_message_move_task(SourceArn=self.dlq_arn)
        wait_until(lambda: self.tasks(self.dlq_arn)[0]["Status"] == "COMPLETED",
                   message="the second move")
        # MaxResults defaults to 1: the most recent task.
        self.assertEqual([t["ApproximateNumberOfMessagesMoved"] for t in self.tasks(
            self.dlq_arn)], [2])
        both = self.sqs.list_message_move_tasks(SourceArn=self.dlq_arn, MaxResults=10)["Results"]
        self.assertEqual([(t["Status"], t["ApproximateNumberOfMessagesMoved"]) for t in both],
                         [("COMPLETED", 2), ("COMPLETED", 1)])


if __name__ == "__main__":
    unittest.main()
