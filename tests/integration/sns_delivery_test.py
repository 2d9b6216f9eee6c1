"""SNS to SQS: fan-out with filter policies (each queue gets exactly what it should), the
envelope AWS sends and raw delivery, per-protocol messages, FIFO order and deduplication,
PublishBatch, dead-letter queues, and AWS's errors for bad input."""

import json
import time
import unittest

from sns_base import SnsTestCase, verify_signature


def attribute(value, data_type="String"):
    return {"DataType": data_type, "StringValue": value}


class SnsFanoutTest(SnsTestCase):

    def test_fanout_with_filter_policies(self):
        topic = self.create_topic("events")
        queues = {name: self.create_queue(f"fan-{name}") for name in
                  ["all", "red", "big", "prefix", "not_red", "exists", "ip", "or", "body"]}
        self.subscribe_queue(topic, queues["all"])
        self.subscribe_queue(topic, queues["red"], FilterPolicy={"color": ["red"]})
        self.subscribe_queue(topic, queues["big"],
                             FilterPolicy={"size": [{"numeric": [">", 10, "<=", 100]}]})
        self.subscribe_queue(topic, queues["prefix"],
                             FilterPolicy={"kind": [{"prefix": "order-"},
                                                    {"equals-ignore-case": "REFUND"}]})
        self.subscribe_queue(topic, queues["not_red"],
                             FilterPolicy={"color": [{"anything-but": ["red", "green"]}]})
        self.subscribe_queue(topic, queues["exists"],
                             FilterPolicy={"color": [{"exists": False}]})
        self.subscribe_queue(topic, queues["ip"],
                             FilterPolicy={"source": [{"cidr": "10.0.0.0/24"}]})
        self.subscribe_queue(topic, queues["or"],
                             FilterPolicy={"$or": [{"color": ["blue"]},
                                                   {"size": [{"numeric": ["=", 5]}]}]})
        self.subscribe_queue(topic, queues["body"],
                             FilterPolicy={"order": {"total": [{"numeric": [">=", 50]}]}},
                             FilterPolicyScope="MessageBody")
        messages = {
            "m1": {"color": attribute("red"), "size": attribute("50", "Number")},
            "m2": {"color": attribute("blue"), "kind": attribute("order-1")},
            "m3": {"kind": attribute("refund"), "source": attribute("10.0.0.7")},
            "m4": {"size": attribute("5", "Number"), "color": attribute("green")},
            "m5": {"tags": attribute('["red","x"]', "String.Array")},
        }
        for body, attributes in messages.items():
            self.sns.publish(TopicArn=topic, Message=body, MessageAttributes=attributes)
        self.sns.publish(TopicArn=topic, Message=json.dumps({"order": {"total": 70}}))
        self.sns.publish(TopicArn=topic, Message=json.dumps({"order": {"total": 7}}))
        expected = {
            "all": 7, "red": ["m1"], "big": ["m1"], "prefix": ["m2", "m3"],
            "not_red": ["m2"], "exists": ["m3", "m5", "body70", "body7"], "ip": ["m3"],
            "or": ["m2", "m4"], "body": ["body70"],
        }
        for name, want in expected.items():
            count = want if isinstance(want, int) else len(want)
            got = [json.loads(body)["Message"] for body in self.bodies(queues[name], count)]
            time.sleep(0.05)
            self.assert_empty(queues[name])
            if isinstance(want, list):
                named = sorted("body70" if '"total": 70' in m else "body7" if '"total": 7' in m
                               else m for m in got)
                self.assertEqual(named, sorted(want), name)

    def test_envelope_is_awss_and_signed(self):
        topic = self.create_topic("envelope")
        queue = self.create_queue("envelope-q")
        subscription = self.subscribe_queue(topic, queue)
        published = self.sns.publish(TopicArn=topic, Message="hello", Subject="Greeting",
                                     MessageAttributes={"n": attribute("3", "Number")})
        body = self.bodies(queue, 1)[0]
        self.assertTrue(body.startswith('{\n  "Type" : "Notification",\n'), body)
        envelope = json.loads(body)
        self.assertEqual(list(envelope), ["Type", "MessageId", "TopicArn", "Subject", "Message",
                                          "Timestamp", "SignatureVersion", "Signature",
                                          "SigningCertURL", "UnsubscribeURL",
                                          "MessageAttributes"])
        self.assertEqual(envelope["MessageId"], published["MessageId"])
        self.assertEqual(envelope["TopicArn"], topic)
        self.assertEqual(envelope["Message"], "hello")
        self.assertEqual(envelope["Subject"], "Greeting")
        self.assertEqual(envelope["SignatureVersion"], "1")
        self.assertEqual(envelope["MessageAttributes"], {"n": {"Type": "Number", "Value": "3"}})
        self.assertRegex(envelope["Timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        verify_signature(envelope)
        # The UnsubscribeURL works, as on AWS.
        status, _, _ = self.server.http("GET", envelope["UnsubscribeURL"][
            len(self.server.endpoint):])
        self.assertEqual(status, 200)
        self.failed_response("NotFound", 404, self.sns.get_subscription_attributes,
                             SubscriptionArn=subscription)

    def test_signature_version_2(self):
        topic = self.create_topic("v2", SignatureVersion="2")
        queue = self.create_queue("v2-q")
        self.subscribe_queue(topic, queue)
        self.sns.publish(TopicArn=topic, Message="signed with sha256")
        envelope = json.loads(self.bodies(queue, 1)[0])
        self.assertEqual(envelope["SignatureVersion"], "2")
        verify_signature(envelope)

    def test_raw_delivery_keeps_attributes(self):
        topic = self.create_topic("raw")
        queue = self.create_queue("raw-q")
        self.subscribe_queue(topic, queue, RawMessageDelivery="true")
        self.sns.publish(TopicArn=topic, Message="just the body",
                         MessageAttributes={"s": attribute("v"),
                                            "n": attribute("1.5", "Number"),
                                            "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
                                            "a": attribute('["x", 1]', "String.Array")})
        message = self.receive_until(queue, 1, MessageAttributeNames=["All"])[0]
        self.assertEqual(message["Body"], "just the body")
        attributes = message["MessageAttributes"]
        self.assertEqual(attributes["s"], {"StringValue": "v", "DataType": "String"})
        self.assertEqual(attributes["n"], {"StringValue": "1.5", "DataType": "Number"})
        self.assertEqual(attributes["b"], {"BinaryValue": b"\x00\x01", "DataType": "Binary"})
        self.assertEqual(attributes["a"]["DataType"], "String.Array")

    def test_message_structure_json(self):
        topic = self.create_topic("structured")
        queue = self.create_queue("structured-q")
        raw_queue = self.create_queue("structured-raw")
        self.subscribe_queue(topic, queue)
        self.subscribe_queue(topic, raw_queue, RawMessageDelivery="true")
        self.sns.publish(TopicArn=topic, MessageStructure="json",
                         Message=json.dumps({"default": "for everyone", "sqs": "for queues"}))
        self.assertEqual(json.loads(self.bodies(queue, 1)[0])["Message"], "for queues")
        self.assertEqual(self.bodies(raw_queue, 1), ["for queues"])

    def test_publish_batch(self):
        topic = self.create_topic("batch")
        queue = self.create_queue("batch-q")
        self.subscribe_queue(topic, queue, RawMessageDelivery="true")
        result = self.sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
            {"Id": "a", "Message": "one"},
            {"Id": "b", "Message": "two", "MessageAttributes": {"k": attribute("v")}},
            {"Id": "c", "Message": ""}])
        self.assertEqual(sorted(e["Id"] for e in result["Successful"]), ["a", "b"])
        self.assertEqual(len(result["Failed"]), 1)
        self.assertEqual(result["Failed"][0]["Id"], "c")
        self.assertEqual(result["Failed"][0]["Code"], "InvalidParameter")
        self.assertTrue(result["Failed"][0]["SenderFault"])
        self.assertEqual(sorted(self.bodies(queue, 2)), ["one", "two"])
        self.failed_response("EmptyBatchRequest", 400, self.sns.publish_batch, TopicArn=topic,
                             PublishBatchRequestEntries=[])
        self.failed_response("TooManyEntriesInBatchRequest", 400, self.sns.publish_batch,
                             TopicArn=topic, PublishBatchRequestEntries=[
                                 {"Id": str(i), "Message": "m"} for i in range(11)])
        self.failed_response("BatchEntryIdsNotDistinct", 400, self.sns.publish_batch,
                             TopicArn=topic, PublishBatchRequestEntries=[
                                 {"Id": "x", "Message": "m"}, {"Id": "x", "Message": "m"}])
        self.failed_response("InvalidBatchEntryId", 400, self.sns.publish_batch, TopicArn=topic,
                             PublishBatchRequestEntries=[{"Id": "bad id!", "Message": "m"}])

    def test_missing_queue_goes_to_the_subscription_dead_letter_queue(self):
        topic = self.create_topic("dlq")
        queue = self.create_queue("dlq-gone")
        dlq = self.create_queue("dlq-dead")
        self.subscribe_queue(topic, queue, RedrivePolicy={"deadLetterTargetArn":
                                                          self.queue_arn(dlq)})
        self.sqs.delete_queue(QueueUrl=queue)
        self.sns.publish(TopicArn=topic, Message="undeliverable")
        self.assertEqual(json.loads(self.bodies(dlq, 1)[0])["Message"], "undeliverable")


class SnsFifoTest(SnsTestCase):

    def test_fifo_topic_to_fifo_queue_keeps_order_and_deduplicates(self):
        topic = self.create_topic("orders.fifo", FifoTopic="true")
        queue = self.create_fifo_queue("orders.fifo")
        self.subscribe_queue(topic, queue, RawMessageDelivery="true")
        sequence = []
        for i in range(10):
            result = self.sns.publish(TopicArn=topic, Message=f"m{i}", MessageGroupId="g",
                                      MessageDeduplicationId=f"d{i}")
            sequence.append(int(result["SequenceNumber"]))
        self.assertEqual(sequence, sorted(sequence))
        duplicate = self.sns.publish(TopicArn=topic, Message="again", MessageGroupId="g",
                                     MessageDeduplicationId="d3")
        received = []
        while len(received) < 10:
            messages = self.receive(queue, MaxNumberOfMessages=10,
                                    AttributeNames=["MessageGroupId"])
            self.assertTrue(messages, received)
            for message in messages:
                received.append(message["Body"])
                self.sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
        self.assertEqual(received, [f"m{i}" for i in range(10)])
        self.assertTrue(duplicate["MessageId"])
        self.assert_empty(queue)

    def test_fifo_envelope_is_unsigned(self):
        # AWS signs no message of a FIFO topic (aws/aws-sdk-net#3000).
        topic = self.create_topic("unsigned.fifo", FifoTopic="true")
        queue = self.create_fifo_queue("unsigned.fifo")
        self.subscribe_queue(topic, queue)
        published = self.sns.publish(TopicArn=topic, Message="m", MessageGroupId="g",
                                     MessageDeduplicationId="d")
        envelope = json.loads(self.bodies(queue, 1)[0])
        self.assertEqual(list(envelope), ["Type", "MessageId", "SequenceNumber", "TopicArn",
                                          "Message", "Timestamp", "UnsubscribeURL"])
        self.assertEqual(envelope["SequenceNumber"], published["SequenceNumber"])

    def test_fifo_rules(self):
        topic = self.create_topic("rules.fifo", FifoTopic="true")
        self.failed_response(
            "InvalidParameter", 400, self.sns.publish, TopicArn=topic, Message="m",
            MessageDeduplicationId="d",
            message="Invalid parameter: The MessageGroupId parameter is required for FIFO topics")
        self.failed_response("InvalidParameter", 400, self.sns.publish, TopicArn=topic,
                             Message="m", MessageGroupId="g")
        standard = self.create_topic("standard")
        self.failed_response("InvalidParameter", 400, self.sns.publish, TopicArn=standard,
                             Message="m", MessageDeduplicationId="d")
        self.failed_response("InvalidParameter", 400, self.subscribe_queue, standard,
                             self.create_fifo_queue("f.fifo"))

    def test_fifo_dead_letter_queue(self):
        topic = self.create_topic("fifo-dlq.fifo", FifoTopic="true")
        queue = self.create_fifo_queue("fifo-gone.fifo")
        dlq = self.create_fifo_queue("fifo-dead.fifo")
        self.subscribe_queue(topic, queue, RedrivePolicy={"deadLetterTargetArn":
                                                          self.queue_arn(dlq)})
        self.sqs.delete_queue(QueueUrl=queue)
        self.sns.publish(TopicArn=topic, Message="lost queue", MessageGroupId="g",
                         MessageDeduplicationId="d1")
        message = self.receive_until(dlq, 1, AttributeNames=["MessageGroupId"])[0]
        self.assertEqual(json.loads(message["Body"])["Message"], "lost queue")
        self.assertEqual(message["Attributes"]["MessageGroupId"], "g")

    def test_content_based_deduplication(self):
        topic = self.create_topic("cbd.fifo", FifoTopic="true", ContentBasedDeduplication="true")
        queue = self.create_fifo_queue("cbd.fifo")
        self.subscribe_queue(topic, queue)
        first = self.sns.publish(TopicArn=topic, Message="same", MessageGroupId="g")
        second = self.sns.publish(TopicArn=topic, Message="same", MessageGroupId="g")
        self.assertEqual(first["MessageId"], second["MessageId"])
        self.assertEqual(len(self.bodies(queue, 1)), 1)


class SnsBadInputTest(SnsTestCase):

    def test_malformed_filter_policies(self):
        topic = self.create_topic("bad-filters")
        queue = self.create_queue("bad-filters-q")
        cases = {
            "not json": "FilterPolicy: failed to parse JSON.",
            '{"a": []}': "FilterPolicy: Empty arrays are not allowed",
            '{"a": [{"bogus": 1}]}': "FilterPolicy: Unrecognized match type bogus",
            '{"a": [{"exists": "yes"}]}':
                "FilterPolicy: exists match pattern must be either true or false.",
            '{"a": [{"numeric": [">", "x"]}]}': "FilterPolicy: Value of > must be numeric",
            '{"a": [{"numeric": ["<", 5, ">", 1]}]}':
                "FilterPolicy: Too many elements in numeric expression",
            '{"a": [{"numeric": [">", 5, "<", 1]}]}': "FilterPolicy: Bottom must be less than top",
            '{"a": [{"numeric": []}]}': "FilterPolicy: Invalid member in numeric match: ]",
            '{"a": [{"numeric": [1, "<"]}]}': "FilterPolicy: Invalid member in numeric match: 1",
            '{"a": [{"anything-but": {"suffix": "x"}}]}':
                "FilterPolicy: Unsupported anything-but pattern: suffix",
            '{"a": [{"prefix": 1}]}': "FilterPolicy: prefix match pattern must be a string",
            '{"a": [{"cidr": "10.0.0.1"}]}': "FilterPolicy: Malformed CIDR, one '/' required",
            '{"a": [[1]]}': "FilterPolicy: Match value must be String, number, true, false, or null",
            json.dumps({k: ["x"] for k in "abcdef"}):
                "FilterPolicy: Filter policy can not have more than 5 keys",
            json.dumps({"a": list(range(20)), "b": list(range(10))}):
                "FilterPolicy: Filter policy is too complex",
            '{"a": {"b": ["x"]}}':
                "Filter policy scope MessageAttributes does not support nested filter policy",
        }
        for policy, reason in cases.items():
            with self.subTest(policy=policy):
                self.failed_response("InvalidParameter", 400, self.sns.subscribe, TopicArn=topic,
                                     Protocol="sqs", Endpoint=self.queue_arn(queue),
                                     Attributes={"FilterPolicy": policy},
                                     message="Invalid parameter: Attributes Reason: " + reason)
        # SetSubscriptionAttributes words the same refusals without "Attributes Reason: ".
        subscription = self.subscribe_queue(topic, queue)
        for policy, reason in cases.items():
            with self.subTest(policy=policy, action="SetSubscriptionAttributes"):
                self.failed_response("InvalidParameter", 400,
                                     self.sns.set_subscription_attributes,
                                     SubscriptionArn=subscription, AttributeName="FilterPolicy",
                                     AttributeValue=policy,
                                     message="Invalid parameter: " + reason)

    def test_bad_message_structure(self):
        topic = self.create_topic("bad-structure")
        self.failed_response(
            "InvalidParameter", 400, self.sns.publish, TopicArn=topic, MessageStructure="json",
            Message="{not json",
            message="Invalid parameter: Message Structure - JSON message body failed to parse")
        self.failed_response(
            "InvalidParameter", 400, self.sns.publish, TopicArn=topic, MessageStructure="json",
            Message='{"sqs": "x"}',
            message="Invalid parameter: Message Structure - No default entry in JSON message "
                    "body")

    def test_oversized_and_empty_messages(self):
        topic = self.create_topic("sizes")
        self.failed_response("InvalidParameter", 400, self.sns.publish, TopicArn=topic,
                             Message="x" * (256 * 1024 + 1),
                             message="Invalid parameter: Message too long")
        self.sns.publish(TopicArn=topic, Message="x" * (256 * 1024))
        self.failed_response("InvalidParameter", 400, self.sns.publish, TopicArn=topic,
                             Message="", message="Invalid parameter: Empty message")
        self.failed_response("InvalidParameter", 400, self.sns.publish, TopicArn=topic,
                             Message="m", Subject="x" * 101)

    def test_bad_message_attributes(self):
        topic = self.create_topic("bad-attributes")
        for number in ("abc", "1e200", "nan", " 5"):  # what SQS would refuse at delivery
            with self.subTest(number=number):
                self.failed_response("ParameterValueInvalid", 400, self.sns.publish,
                                     TopicArn=topic, Message="m",
                                     MessageAttributes={"n": attribute(number, "Number")})
        self.failed_response("ParameterValueInvalid", 400, self.sns.publish, TopicArn=topic,
                             Message="m", MessageAttributes={"n": attribute("x", "Weird")})
        self.failed_response("ParameterValueInvalid", 400, self.sns.publish, TopicArn=topic,
                             Message="m", MessageAttributes={"a": attribute("[1", "String.Array")})
        for name in ["AWS.reserved", "amazon.x", ".dot", "dot.", "a..b", "spa ce"]:
            with self.subTest(name=name):
                self.failed_response("ParameterValueInvalid", 400, self.sns.publish,
                                     TopicArn=topic, Message="m",
                                     MessageAttributes={name: attribute("v")})
        self.failed_response("InvalidParameter", 400, self.sns.publish, TopicArn=topic,
                             Message="m", Subject="line\nbreak")

    def test_publish_to_nothing(self):
        self.failed_response("NotFound", 404, self.sns.publish,
                             TopicArn="arn:aws:sns:us-east-1:000000000000:none", Message="m")
        self.failed_response("InvalidParameter", 400, self.sns.publish, TopicArn="bad",
                             Message="m")
        self.failed_response("NotFound", 404, self.sns.publish, Message="m",
                             TargetArn="arn:aws:sns:us-east-1:000000000000:endpoint/GCM/app/1",
                             message="Endpoint does not exist")
        self.failed_response("InvalidParameter", 400, self.sns.publish, Message="m",
                             message="Invalid parameter: TopicArn or TargetArn Reason: no value "
                                     "for required parameter")
        # SMS is accepted and sent nowhere; the number must be E.164.
        self.assertIn("MessageId", self.sns.publish(PhoneNumber="+15555550100", Message="m"))
        self.failed_response("InvalidParameter", 400, self.sns.publish, PhoneNumber="555-0100",
                             Message="m")
        # TargetArn may name a topic too.
        topic = self.create_topic("by-target")
        self.assertIn("MessageId", self.sns.publish(TargetArn=topic, Message="m"))
        # But not beside TopicArn.
        self.failed_response("InvalidParameter", 400, self.sns.publish, TopicArn=topic,
                             TargetArn=topic, Message="m")


if __name__ == "__main__":
    unittest.main()
