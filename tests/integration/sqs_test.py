"""SQS standard queues through boto3 (AWS JSON 1.0): every queue and message operation, their
values, the visibility and delay rules, message attributes with their MD5s, and AWS's errors."""

import base64
import json
import time
import unittest
import urllib.parse

from botocore.exceptions import ClientError

from harness import wait_until
from sqs_base import (NON_EXISTENT_QUEUE, RECEIPT_HANDLE_INVALID_STATUS, TRACE_HEADER, UUID,
                      SqsTestCase, account_of, md5_hex, md5_of_attributes)

STANDARD_ATTRIBUTES = {
    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed",
    "ApproximateNumberOfMessagesNotVisible", "CreatedTimestamp", "DelaySeconds",
    "LastModifiedTimestamp", "MaximumMessageSize", "MessageRetentionPeriod", "QueueArn",
    "ReceiveMessageWaitTimeSeconds", "SqsManagedSseEnabled", "VisibilityTimeout",
}

EVERY_TYPE = {
    "text": {"DataType": "String", "StringValue": "héllo wörld"},
    "count": {"DataType": "Number", "StringValue": "-12.50e3"},
    "ratio": {"DataType": "Number.float", "StringValue": "3.14159"},
    "blob": {"DataType": "Binary", "BinaryValue": bytes(range(256))},
    "picture": {"DataType": "Binary.gif", "BinaryValue": b"GIF89a\x01\x00\x01\x00\x00\xff"},
    "doc.kind": {"DataType": "String.json", "StringValue": '{"k": [1, 2]}'},
}


class SqsDigestTest(unittest.TestCase):
    """The tests' own MD5 encoding, against digests real SQS returned (recorded by LocalStack's
    AWS-validated snapshot tests); needs no server."""

    def test_md5_of_attributes_matches_values_recorded_from_aws(self):
        def string(value):
            return {"DataType": "String", "StringValue": value}

        self.assertEqual(md5_of_attributes({"General": string("Kenobi"), "Hello": string("There"),
                                            "Help.Me": string("Me")}),
                         "4c360f3fdafd970e05fae2f149d997f5")
        self.assertEqual(md5_of_attributes({"Foo": string("Bar")}),
                         "ae7155c6026991b6d54b11589678bf9c")
        binary = b"traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01"
        self.assertEqual(md5_of_attributes({"attr1": {"DataType": "Binary",
                                                      "BinaryValue": binary}}),
                         "8cbe4db156db8a94db8b801b7addb984")
        self.assertEqual(md5_hex("msg"), "6e2baaf3b97dbeef01c0043275f9a0e7")


class SqsQueueTest(SqsTestCase):

    # --- CreateQueue / GetQueueAttributes ------------------------------------------------------
    def test_create_queue_answers_a_url_on_this_endpoint_and_aws_defaults(self):
        before = int(time.time())
        url = self.create_queue("orders")
        account = account_of(url)
        self.assertRegex(account, r"^\d{12}$")
        self.assertEqual(url, f"{self.server.endpoint}/{account}/orders")

        attributes = self.attributes(url)
        self.assertEqual(set(attributes), STANDARD_ATTRIBUTES)
        self.assertEqual(attributes["QueueArn"], f"arn:aws:sqs:us-east-1:{account}:orders")
        self.assertEqual(attributes["VisibilityTimeout"], "30")
        self.assertEqual(attributes["MaximumMessageSize"], "1048576")
        self.assertEqual(attributes["MessageRetentionPeriod"], "345600")
        self.assertEqual(attributes["DelaySeconds"], "0")
        self.assertEqual(attributes["ReceiveMessageWaitTimeSeconds"], "0")
        self.assertEqual(attributes["SqsManagedSseEnabled"], "true")
        for count in ("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                      "ApproximateNumberOfMessagesDelayed"):
            self.assertEqual(attributes[count], "0")
        for stamp in ("CreatedTimestamp", "LastModifiedTimestamp"):
            self.assertRegex(attributes[stamp], r"^\d+$")  # epoch seconds
            self.assertLessEqual(abs(int(attributes[stamp]) - before), 60)

        only = self.sqs.get_queue_attributes(QueueUrl=url,
                                             AttributeNames=["VisibilityTimeout", "QueueArn"])
        self.assertEqual(set(only["Attributes"]), {"VisibilityTimeout", "QueueArn"})
        self.assertEqual(only["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertNotIn("Attributes", self.sqs.get_queue_attributes(QueueUrl=url))

    def test_create_queue_with_attributes_and_tags(self):
        url = self.create_queue("configured", tags={"team": "payments", "empty": ""},
                                VisibilityTimeout=45, DelaySeconds=5, MaximumMessageSize=2048,
                                MessageRetentionPeriod=86400, ReceiveMessageWaitTimeSeconds=3)
        attributes = self.attributes(url)
        self.assertEqual(attributes["VisibilityTimeout"], "45")
        self.assertEqual(attributes["DelaySeconds"], "5")
        self.assertEqual(attributes["MaximumMessageSize"], "2048")
        self.assertEqual(attributes["MessageRetentionPeriod"], "86400")
        self.assertEqual(attributes["ReceiveMessageWaitTimeSeconds"], "3")
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"],
                         {"team": "payments", "empty": ""})

    def test_create_queue_again_answers_the_same_url_unless_attributes_differ(self):
        url = self.create_queue("again", DelaySeconds=1, VisibilityTimeout=20)
        self.assertEqual(self.create_queue("again", DelaySeconds=1, VisibilityTimeout=20), url)
        self.expect_error("QueueAlreadyExists", 400, self.sqs.create_queue, QueueName="again",
                          Attributes={"DelaySeconds": "2", "VisibilityTimeout": "20"},
                          query_code="QueueNameExists",
                          message="A queue already exists with the same name and a different "
                                  "value for attribute DelaySeconds")
        self.assertEqual(self.attributes(url, "DelaySeconds")["DelaySeconds"], "1")

    def test_create_queue_rejects_bad_names(self):
        for name in ("has space", "a" * 81, "dots.are.bad", "ümlaut"):
            with self.subTest(name=name):
                self.expect_error("InvalidParameterValue", 400, self.sqs.create_queue,
                                  QueueName=name)
        self.create_queue("A-z_0-9-" + "x" * 72)  # 80 characters is fine
        self.assertEqual(len(self.sqs.list_queues()["QueueUrls"]), 1)

    # --- GetQueueUrl / ListQueues / DeleteQueue ------------------------------------------------
    def test_get_queue_url_by_name_and_owner_account(self):
        url = self.create_queue("lookup")
        self.assertEqual(self.sqs.get_queue_url(QueueName="lookup")["QueueUrl"], url)
        self.assertEqual(self.sqs.get_queue_url(QueueName="lookup",
                                                QueueOwnerAWSAccountId=account_of(url))
                         ["QueueUrl"], url)
        self.expect_error(NON_EXISTENT_QUEUE, 400, self.sqs.get_queue_url, QueueName="lookup",
                          QueueOwnerAWSAccountId="111122223333", query_code="QueueDoesNotExist")
        self.expect_error(NON_EXISTENT_QUEUE, 400, self.sqs.get_queue_url, QueueName="missing",
                          query_code="QueueDoesNotExist",
                          message="The specified queue does not exist.")

    def test_list_queues_by_prefix_and_in_pages(self):
        urls = sorted(self.create_queue(f"page-{i}") for i in range(5))
        other = self.create_queue("other")
        self.assertEqual(sorted(self.sqs.list_queues()["QueueUrls"]), sorted(urls + [other]))
        self.assertNotIn("NextToken", self.sqs.list_queues())
        self.assertEqual(sorted(self.sqs.list_queues(QueueNamePrefix="page-")["QueueUrls"]), urls)
        self.assertEqual(self.sqs.list_queues(QueueNamePrefix="nothing").get("QueueUrls", []), [])

        seen, pages, request = [], [], {"QueueNamePrefix": "page-", "MaxResults": 2}
        while True:
            page = self.sqs.list_queues(**request)
            pages.append(len(page["QueueUrls"]))
            seen += page["QueueUrls"]
            if "NextToken" not in page:
                break
            request["NextToken"] = page["NextToken"]
        self.assertEqual(pages, [2, 2, 1])
        self.assertEqual(sorted(seen), urls)

    def test_a_queue_url_names_the_queue_by_account_and_name_whatever_its_host(self):
        url = self.create_queue("anywhere")
        account = account_of(url)
        port = self.server.endpoint.rsplit(":", 1)[1]
        for other in (f"https://sqs.us-east-1.amazonaws.com/{account}/anywhere",
                      f"http://localhost:{port}/{account}/anywhere"):
            with self.subTest(url=other):
                self.sqs.send_message(QueueUrl=other, MessageBody=other)
        self.assertEqual(self.counts(url), (2, 0, 0))

    def test_query_requests_sent_to_a_queue_url_act_on_that_queue(self):
        # The AWS Java SDK v1 sends queue-level actions to the queue URL, without QueueUrl.
        url = self.create_queue("qq1")
        path = urllib.parse.urlparse(url).path
        for method in ("POST", "GET"):
            with self.subTest(method=method):
                status, _, body = self.query(path, method, Action="SendMessage",
                                             MessageBody="hello")
                self.assertEqual(status, 200, body)
                self.assertEqual(self.query_text(body, "SendMessageResult/MD5OfMessageBody"),
                                 md5_hex("hello"), body)
        self.assertEqual(self.counts(url), (2, 0, 0))
        status, _, body = self.query(path, Action="GetQueueAttributes",
                                     **{"AttributeName.1": "QueueArn"})
        self.assertEqual(status, 200, body)
        self.assertIn(self.queue_arn(url).encode(), body)
        # A QueueUrl in the form still names the queue; a path naming none is no queue.
        other = self.create_queue("qq2")
        self.assertEqual(self.query(path, Action="SendMessage", QueueUrl=other,
                                    MessageBody="there")[0], 200)
        self.assertEqual(self.counts(other), (1, 0, 0))
        self.assertQueryError(self.query(f"/{account_of(url)}/missing", Action="SendMessage",
                                         MessageBody="m"),
                              "AWS.SimpleQueueService.NonExistentQueue")
        self.assertQueryError(self.query("/", Action="SendMessage", MessageBody="m"),
                              "MissingParameter")

    def test_queues_are_kept_per_region(self):
        west = self.server.client("sqs", region="eu-west-1")
        url = self.create_queue("regional", client=west)
        self.assertEqual(west.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
                         ["Attributes"]["QueueArn"],
                         f"arn:aws:sqs:eu-west-1:{account_of(url)}:regional")
        self.assertEqual(self.sqs.list_queues().get("QueueUrls", []), [])
        self.expect_error(NON_EXISTENT_QUEUE, 400, self.sqs.get_queue_url, QueueName="regional")

    def test_delete_queue(self):
        url = self.create_queue("doomed")
        self.sqs.send_message(QueueUrl=url, MessageBody="gone with it")
        self.assertEqual(self.sqs.delete_queue(QueueUrl=url)["ResponseMetadata"]
                         ["HTTPStatusCode"], 200)
        self.expect_error(NON_EXISTENT_QUEUE, 400, self.sqs.get_queue_url, QueueName="doomed")
        self.expect_error(NON_EXISTENT_QUEUE, 400, self.sqs.delete_queue, QueueUrl=url)
        self.assertEqual(self.sqs.list_queues().get("QueueUrls", []), [])

    def test_every_queue_operation_reports_a_missing_queue(self):
        url = self.create_queue("gone")
        self.sqs.delete_queue(QueueUrl=url)
        calls = {
            "GetQueueAttributes": lambda: self.sqs.get_queue_attributes(QueueUrl=url),
            "SetQueueAttributes": lambda: self.sqs.set_queue_attributes(
                QueueUrl=url, Attributes={"DelaySeconds": "1"}),
            "SendMessage": lambda: self.sqs.send_message(QueueUrl=url, MessageBody="x"),
            "SendMessageBatch": lambda: self.sqs.send_message_batch(
                QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "x"}]),
            "ReceiveMessage": lambda: self.sqs.receive_message(QueueUrl=url),
            "DeleteMessage": lambda: self.sqs.delete_message(QueueUrl=url, ReceiptHandle="h"),
            "ChangeMessageVisibility": lambda: self.sqs.change_message_visibility(
                QueueUrl=url, ReceiptHandle="h", VisibilityTimeout=1),
            "PurgeQueue": lambda: self.sqs.purge_queue(QueueUrl=url),
            "DeleteQueue": lambda: self.sqs.delete_queue(QueueUrl=url),
            "TagQueue": lambda: self.sqs.tag_queue(QueueUrl=url, Tags={"k": "v"}),
            "UntagQueue": lambda: self.sqs.untag_queue(QueueUrl=url, TagKeys=["k"]),
            "ListQueueTags": lambda: self.sqs.list_queue_tags(QueueUrl=url),
            "AddPermission": lambda: self.sqs.add_permission(
                QueueUrl=url, Label="l", AWSAccountIds=[account_of(url)],
                Actions=["SendMessage"]),
            "RemovePermission": lambda: self.sqs.remove_permission(QueueUrl=url, Label="l"),
            "ListDeadLetterSourceQueues": lambda: self.sqs.list_dead_letter_source_queues(
                QueueUrl=url),
        }
        for operation, call in calls.items():
            with self.subTest(operation=operation):
                self.expect_error(NON_EXISTENT_QUEUE, 400, call, query_code="QueueDoesNotExist")

    # --- SetQueueAttributes / tags / permissions -----------------------------------------------
    def test_set_queue_attributes_changes_only_what_it_names(self):
        url = self.create_queue("tuned", VisibilityTimeout=40)
        before = self.attributes(url)
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "7",
                                                               "MaximumMessageSize": "4096"})
        after = self.attributes(url)
        self.assertEqual(after["DelaySeconds"], "7")
        self.assertEqual(after["MaximumMessageSize"], "4096")
        for name in ("VisibilityTimeout", "MessageRetentionPeriod", "QueueArn",
                     "CreatedTimestamp", "ReceiveMessageWaitTimeSeconds"):
            self.assertEqual(after[name], before[name], name)
        self.assertGreaterEqual(int(after["LastModifiedTimestamp"]),
                                int(before["LastModifiedTimestamp"]))

    def test_a_policy_set_as_an_attribute_reads_back(self):
        url = self.create_queue("with-policy")
        arn = self.queue_arn(url)
        policy = {"Version": "2012-10-17", "Id": "custom", "Statement": [{
            "Sid": "sns", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage", "Resource": arn,
            "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:000000000000:t"}},
        }]}
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
        self.assertEqual(json.loads(self.attributes(url, "Policy")["Policy"]), policy)
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": ""})
        self.assertNotIn("Policy", self.attributes(url))

    def test_tag_untag_and_list_queue_tags(self):
        url = self.create_queue("tagged", tags={"a": "1"})
        self.sqs.tag_queue(QueueUrl=url, Tags={"b": "2", "a": "changed"})
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"a": "changed", "b": "2"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["a", "not-there"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"b": "2"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["b"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url).get("Tags", {}), {})

    def test_add_and_remove_permission_show_in_the_policy(self):
        url = self.create_queue("shared")
        arn, account = self.queue_arn(url), account_of(url)
        self.sqs.add_permission(QueueUrl=url, Label="senders",
                                AWSAccountIds=[account, "111122223333"], Actions=["SendMessage"])
        self.sqs.add_permission(QueueUrl=url, Label="readers", AWSAccountIds=["111122223333"],
                                Actions=["ReceiveMessage", "DeleteMessage"])
        policy = json.loads(self.attributes(url, "Policy")["Policy"])
        self.assertEqual(policy["Version"], "2008-10-17")
        self.assertEqual(policy["Id"], f"{arn}/SQSDefaultPolicy")

        def listed(value):
            return sorted(value) if isinstance(value, list) else [value]

        statements = {s["Sid"]: s for s in policy["Statement"]}
        self.assertEqual(set(statements), {"senders", "readers"})
        senders = statements["senders"]
        self.assertEqual(senders["Effect"], "Allow")
        self.assertEqual(senders["Resource"], arn)
        self.assertEqual(listed(senders["Action"]), ["SQS:SendMessage"])
        self.assertEqual(listed(senders["Principal"]["AWS"]),
                         sorted([f"arn:aws:iam::{account}:root",
                                 "arn:aws:iam::111122223333:root"]))
        self.assertEqual(listed(statements["readers"]["Action"]),
                         ["SQS:DeleteMessage", "SQS:ReceiveMessage"])
        self.assertEqual(listed(statements["readers"]["Principal"]["AWS"]),
                         ["arn:aws:iam::111122223333:root"])

        self.expect_error("InvalidParameterValue", 400, self.sqs.add_permission, QueueUrl=url,
                          Label="senders", AWSAccountIds=[account], Actions=["SendMessage"],
                          message="Value senders for parameter Label is invalid. "
                                  "Reason: Already exists.")
        self.sqs.remove_permission(QueueUrl=url, Label="senders")
        policy = json.loads(self.attributes(url, "Policy")["Policy"])
        self.assertEqual([s["Sid"] for s in policy["Statement"]], ["readers"])
        self.sqs.remove_permission(QueueUrl=url, Label="readers")
        self.assertNotIn("Policy", self.attributes(url, "Policy"))
        self.expect_error("InvalidParameterValue", 400, self.sqs.remove_permission, QueueUrl=url,
                          Label="readers",
                          message="Value readers for parameter Label is invalid. "
                                  "Reason: can't find label.")


class SqsMessageTest(SqsTestCase):

    def setUp(self):
        super().setUp()
        self.url = self.create_queue("work")

    # --- SendMessage / ReceiveMessage / DeleteMessage ----------------------------------------
    def test_send_receive_delete_with_system_attributes(self):
        before_ms = int(time.time() * 1000)
        sent = self.sqs.send_message(QueueUrl=self.url, MessageBody="hello")
        self.assertRegex(sent["MessageId"], UUID)
        self.assertEqual(sent["MD5OfMessageBody"], md5_hex("hello"))
        self.assertNotIn("MD5OfMessageAttributes", sent)
        self.assertNotIn("SequenceNumber", sent)

        message = self.receive_one(self.url, MessageSystemAttributeNames=["All"])
        self.assertEqual(message["MessageId"], sent["MessageId"])
        self.assertEqual(message["Body"], "hello")
        self.assertEqual(message["MD5OfBody"], md5_hex("hello"))
        self.assertTrue(message["ReceiptHandle"])
        attributes = message["Attributes"]
        self.assertEqual(set(attributes), {"SenderId", "SentTimestamp", "ApproximateReceiveCount",
                                           "ApproximateFirstReceiveTimestamp"})
        self.assertEqual(attributes["ApproximateReceiveCount"], "1")
        self.assertTrue(attributes["SenderId"])
        sent_ms = int(attributes["SentTimestamp"])  # epoch milliseconds
        self.assertLessEqual(abs(sent_ms - before_ms), 60_000)
        self.assertGreaterEqual(int(attributes["ApproximateFirstReceiveTimestamp"]), sent_ms)
        self.assertNotIn("MessageAttributes", message)
        self.assertEqual(self.counts(self.url), (0, 1, 0))

        deleted = self.sqs.delete_message(QueueUrl=self.url,
                                          ReceiptHandle=message["ReceiptHandle"])
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(self.counts(self.url), (0, 0, 0))
        self.assertEqual(self.receive(self.url), [])

    def test_receive_returns_only_the_attributes_asked_for(self):
        self.sqs.send_message(QueueUrl=self.url, MessageBody="m")
        message = self.receive_one(self.url, VisibilityTimeout=0)
        self.assertNotIn("Attributes", message)
        message = self.receive_one(self.url, VisibilityTimeout=0,
                                   MessageSystemAttributeNames=["SentTimestamp"])
        self.assertEqual(set(message["Attributes"]), {"SentTimestamp"})
        # The older AttributeNames parameter is still accepted.
        message = self.receive_one(self.url, VisibilityTimeout=0,
                                   AttributeNames=["ApproximateReceiveCount"])
        self.assertEqual(message["Attributes"], {"ApproximateReceiveCount": "3"})

    def test_receive_up_to_ten_messages_and_never_the_same_one_twice(self):
        bodies = {f"m{i}" for i in range(15)}
        for body in bodies:
            self.sqs.send_message(QueueUrl=self.url, MessageBody=body)
        got = []
        while True:
            messages = self.receive(self.url, MaxNumberOfMessages=10)
            if not messages:
                break
            self.assertLessEqual(len(messages), 10)
            got += [m["Body"] for m in messages]
        self.assertEqual(sorted(got), sorted(bodies))
        self.assertEqual(self.counts(self.url), (0, 15, 0))

    def test_message_attributes_of_every_type_round_trip_with_their_md5(self):
        sent = self.sqs.send_message(QueueUrl=self.url, MessageBody="typed",
                                     MessageAttributes=EVERY_TYPE)
        self.assertEqual(sent["MD5OfMessageAttributes"], md5_of_attributes(EVERY_TYPE))
        self.assertEqual(sent["MD5OfMessageBody"], md5_hex("typed"))

        message = self.receive_one(self.url, VisibilityTimeout=0, MessageAttributeNames=["All"])
        self.assertEqual(message["MessageAttributes"], EVERY_TYPE)
        self.assertEqual(message["MD5OfMessageAttributes"], md5_of_attributes(EVERY_TYPE))

        # Asked by name or by prefix: only those attributes, and the MD5 of just those.
        for names, expected in ((["ratio", "text"], ("ratio", "text")),
                                (["doc.*"], ("doc.kind",)),
                                ([".*"], tuple(EVERY_TYPE))):
            with self.subTest(names=names):
                message = self.receive_one(self.url, VisibilityTimeout=0,
                                           MessageAttributeNames=names)
                subset = {name: EVERY_TYPE[name] for name in expected}
                self.assertEqual(message["MessageAttributes"], subset)
                self.assertEqual(message["MD5OfMessageAttributes"], md5_of_attributes(subset))
        message = self.receive_one(self.url, VisibilityTimeout=0,
                                   MessageAttributeNames=["absent"])
        self.assertEqual(message.get("MessageAttributes", {}), {})
        self.assertNotIn("MD5OfMessageAttributes", message)

    def test_aws_trace_header_is_a_system_attribute_with_its_own_md5(self):
        system = {"AWSTraceHeader": {"DataType": "String", "StringValue": TRACE_HEADER}}
        sent = self.sqs.send_message(QueueUrl=self.url, MessageBody="traced",
                                     MessageSystemAttributes=system)
        self.assertEqual(sent["MD5OfMessageSystemAttributes"], md5_of_attributes(system))
        self.assertNotIn("MD5OfMessageAttributes", sent)
        batch = self.sqs.send_message_batch(QueueUrl=self.url, Entries=[
            {"Id": "t", "MessageBody": "traced too", "MessageSystemAttributes": system}])
        self.assertEqual(batch["Successful"][0]["MD5OfMessageSystemAttributes"],
                         md5_of_attributes(system))

        messages = self.receive_until(self.url, 2, MessageSystemAttributeNames=["AWSTraceHeader"],
                                      MessageAttributeNames=["All"])
        for message in messages:
            self.assertEqual(message["Attributes"], {"AWSTraceHeader": TRACE_HEADER})
            self.assertEqual(message.get("MessageAttributes", {}), {})

    def test_binary_attributes_survive_base64_on_the_wire(self):
        url = self.url
        payload = bytes(range(255, -1, -1))
        attributes = {"raw": {"DataType": "Binary", "BinaryValue": payload}}
        self.sqs.send_message(QueueUrl=url, MessageBody="b", MessageAttributes=attributes)
        status, _, body = self.raw("ReceiveMessage",
                                   {"QueueUrl": url, "MessageAttributeNames": ["All"]})
        self.assertEqual(status, 200, body)
        raw = json.loads(body)["Messages"][0]["MessageAttributes"]["raw"]
        self.assertEqual(base64.b64decode(raw["BinaryValue"]), payload)
        self.assertEqual(raw["DataType"], "Binary")

    # --- batches -------------------------------------------------------------------------------
    def test_send_and_delete_in_batches(self):
        entries = [{"Id": f"e{i}", "MessageBody": f"body {i}"} for i in range(10)]
        entries[3]["MessageAttributes"] = {"n": {"DataType": "Number", "StringValue": "3"}}
        sent = self.sqs.send_message_batch(QueueUrl=self.url, Entries=entries)
        self.assertEqual(sent.get("Failed", []), [])
        by_id = {entry["Id"]: entry for entry in sent["Successful"]}
        self.assertEqual(set(by_id), {f"e{i}" for i in range(10)})
        for entry in entries:
            result = by_id[entry["Id"]]
            self.assertRegex(result["MessageId"], UUID)
            self.assertEqual(result["MD5OfMessageBody"], md5_hex(entry["MessageBody"]))
        self.assertEqual(by_id["e3"]["MD5OfMessageAttributes"],
                         md5_of_attributes(entries[3]["MessageAttributes"]))
        self.assertNotIn("MD5OfMessageAttributes", by_id["e0"])

        messages = self.receive_until(self.url, 10)
        self.assertEqual(sorted(m["MessageId"] for m in messages),
                         sorted(r["MessageId"] for r in sent["Successful"]))
        deleted = self.sqs.delete_message_batch(QueueUrl=self.url, Entries=[
            {"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
        self.assertEqual(deleted.get("Failed", []), [])
        self.assertEqual(sorted(e["Id"] for e in deleted["Successful"]),
                         sorted(f"d{i}" for i in range(10)))
        self.assertEqual(self.counts(self.url), (0, 0, 0))

    def test_batches_report_failures_per_entry(self):
        sent = self.sqs.send_message_batch(QueueUrl=self.url, Entries=[
            {"Id": "good", "MessageBody": "fine"},
            {"Id": "late", "MessageBody": "too late", "DelaySeconds": 901},
            {"Id": "also-good", "MessageBody": "fine too"},
        ])
        self.assertEqual(sorted(e["Id"] for e in sent["Successful"]), ["also-good", "good"])
        self.assertEqual(len(sent["Failed"]), 1)
        failed = sent["Failed"][0]
        self.assertEqual((failed["Id"], failed["Code"], failed["SenderFault"]),
                         ("late", "InvalidParameterValue", True))
        self.assertTrue(failed["Message"])

        messages = self.receive_until(self.url, 2)
        deleted = self.sqs.delete_message_batch(QueueUrl=self.url, Entries=[
            {"Id": "real", "ReceiptHandle": messages[0]["ReceiptHandle"]},
            {"Id": "fake", "ReceiptHandle": "garbage"},
        ])
        self.assertEqual([e["Id"] for e in deleted["Successful"]], ["real"])
        self.assertEqual([(e["Id"], e["Code"], e["SenderFault"]) for e in deleted["Failed"]],
                         [("fake", "ReceiptHandleIsInvalid", True)])
        self.assertEqual(deleted["Failed"][0]["Message"],
                         'The input receipt handle "garbage" is not a valid receipt handle.')

        changed = self.sqs.change_message_visibility_batch(QueueUrl=self.url, Entries=[
            {"Id": "real", "ReceiptHandle": messages[1]["ReceiptHandle"], "VisibilityTimeout": 0},
            {"Id": "fake", "ReceiptHandle": "garbage", "VisibilityTimeout": 0},
        ])
        self.assertEqual([e["Id"] for e in changed["Successful"]], ["real"])
        self.assertEqual([(e["Id"], e["Code"], e["SenderFault"]) for e in changed["Failed"]],
                         [("fake", "ReceiptHandleIsInvalid", True)])
        self.assertEqual(self.receive_one(self.url)["MessageId"], messages[1]["MessageId"])

    # --- visibility ----------------------------------------------------------------------------
    def test_queue_visibility_timeout_hides_a_received_message_until_it_passes(self):
        url = self.create_queue("short-visibility", VisibilityTimeout=1)
        self.sqs.send_message(QueueUrl=url, MessageBody="again and again")
        first = self.receive_one(url, MessageSystemAttributeNames=["ApproximateReceiveCount"])
        received_at = time.monotonic()
        self.assertEqual(self.receive(url), [])
        self.assertEqual(self.counts(url), (0, 1, 0))

        again = wait_until(lambda: self.receive(
            url, MessageSystemAttributeNames=["ApproximateReceiveCount"]), interval=0.05,
            message="the message to come back")
        self.assertGreaterEqual(time.monotonic() - received_at, 0.8)
        self.assertEqual(again[0]["MessageId"], first["MessageId"])
        self.assertEqual(again[0]["Attributes"]["ApproximateReceiveCount"], "2")
        self.assertNotEqual(again[0]["ReceiptHandle"], first["ReceiptHandle"])

    def test_receive_visibility_timeout_overrides_the_queue_default(self):
        self.sqs.send_message(QueueUrl=self.url, MessageBody="m")  # queue default: 30 s
        first = self.receive_one(self.url, VisibilityTimeout=1)
        received_at = time.monotonic()
        again = wait_until(lambda: self.receive(self.url, VisibilityTimeout=0), interval=0.05,
                           message="the message to come back after 1 s")
        self.assertGreaterEqual(time.monotonic() - received_at, 0.8)
        self.assertEqual(again[0]["MessageId"], first["MessageId"])
        # VisibilityTimeout=0 left it visible.
        self.assertEqual(self.receive_one(self.url)["MessageId"], first["MessageId"])
        self.assertEqual(self.counts(self.url), (0, 1, 0))

    def test_change_message_visibility(self):
        self.sqs.send_message(QueueUrl=self.url, MessageBody="m")
        message = self.receive_one(self.url)
        self.assertEqual(self.receive(self.url), [])
        self.sqs.change_message_visibility(QueueUrl=self.url,
                                           ReceiptHandle=message["ReceiptHandle"],
                                           VisibilityTimeout=0)
        message = self.receive_one(self.url)
        self.sqs.change_message_visibility(QueueUrl=self.url,
                                           ReceiptHandle=message["ReceiptHandle"],
                                           VisibilityTimeout=1)
        changed_at = time.monotonic()
        wait_until(lambda: self.receive(self.url), interval=0.05, message="visible after 1 s")
        self.assertGreaterEqual(time.monotonic() - changed_at, 0.8)
        self.expect_error("InvalidParameterValue", 400, self.sqs.change_message_visibility,
                          QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"],
                          VisibilityTimeout=43201)
        self.expect_error("ReceiptHandleIsInvalid", RECEIPT_HANDLE_INVALID_STATUS,
                          self.sqs.change_message_visibility, QueueUrl=self.url,
                          ReceiptHandle="garbage", VisibilityTimeout=5)

    def test_change_message_visibility_batch(self):
        self.sqs.send_message_batch(QueueUrl=self.url, Entries=[
            {"Id": "a", "MessageBody": "a"}, {"Id": "b", "MessageBody": "b"}])
        messages = self.receive_until(self.url, 2)
        changed = self.sqs.change_message_visibility_batch(QueueUrl=self.url, Entries=[
            {"Id": f"c{i}", "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
            for i, m in enumerate(messages)])
        self.assertEqual(sorted(e["Id"] for e in changed["Successful"]), ["c0", "c1"])
        self.assertEqual(changed.get("Failed", []), [])
        self.assertEqual(self.counts(self.url), (2, 0, 0))

    def test_a_stale_receipt_handle_does_not_delete_a_message_received_again(self):
        # AWS: "If you use an old ReceiptHandle, the request will succeed, but the message might
        # not be deleted." awsemu keeps the message: only the latest receive's handle deletes it.
        self.sqs.send_message(QueueUrl=self.url, MessageBody="precious")
        first = self.receive_one(self.url, VisibilityTimeout=0)
        second = self.receive_one(self.url)
        self.assertEqual(second["MessageId"], first["MessageId"])
        deleted = self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=first["ReceiptHandle"])
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(self.counts(self.url), (0, 1, 0))
        self.sqs.change_message_visibility(QueueUrl=self.url,
                                           ReceiptHandle=second["ReceiptHandle"],
                                           VisibilityTimeout=0)
        third = self.receive_one(self.url)
        self.assertEqual(third["MessageId"], first["MessageId"])
        self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=third["ReceiptHandle"])
        self.assertEqual(self.counts(self.url), (0, 0, 0))

    def test_garbage_receipt_handles_are_invalid(self):
        self.sqs.send_message(QueueUrl=self.url, MessageBody="keep me")
        for handle in ("garbage", "x" * 1024, "AQEB" + "A" * 200):
            with self.subTest(handle=handle[:10]):
                self.expect_error("ReceiptHandleIsInvalid", RECEIPT_HANDLE_INVALID_STATUS,
                                  self.sqs.delete_message, QueueUrl=self.url,
                                  ReceiptHandle=handle,
                                  message=f'The input receipt handle "{handle}" is not a valid '
                                          'receipt handle.')
        self.assertEqual(self.counts(self.url), (1, 0, 0))

    # --- delays and counts ---------------------------------------------------------------------
    def test_queue_delay_hides_new_messages_and_a_message_delay_overrides_it(self):
        url = self.create_queue("delayed", DelaySeconds=1)
        self.sqs.send_message(QueueUrl=url, MessageBody="queue delay")
        sent_at = time.monotonic()
        self.sqs.send_message(QueueUrl=url, MessageBody="no delay", DelaySeconds=0)
        self.assertEqual(self.counts(url), (1, 0, 1))
        self.assertEqual([m["Body"] for m in self.receive(url)], ["no delay"])
        self.assertEqual(self.counts(url), (0, 1, 1))
        messages = self.receive_until(url, 1)
        self.assertGreaterEqual(time.monotonic() - sent_at, 0.8)
        self.assertEqual([m["Body"] for m in messages], ["queue delay"])
        self.assertEqual(self.counts(url), (0, 2, 0))

        self.sqs.send_message(QueueUrl=self.url, MessageBody="message delay", DelaySeconds=1)
        self.assertEqual(self.receive(self.url), [])
        self.assertEqual(self.counts(self.url), (0, 0, 1))
        self.assertEqual(self.receive_until(self.url, 1)[0]["Body"], "message delay")

    def test_approximate_counts_track_visible_in_flight_and_delayed_messages(self):
        self.sqs.send_message(QueueUrl=self.url, MessageBody="visible")
        self.sqs.send_message(QueueUrl=self.url, MessageBody="in flight")
        self.sqs.send_message(QueueUrl=self.url, MessageBody="delayed", DelaySeconds=900)
        self.assertEqual(self.counts(self.url), (2, 0, 1))
        self.receive_one(self.url)
        self.assertEqual(self.counts(self.url), (1, 1, 1))

    # --- sizes ---------------------------------------------------------------------------------
    def test_the_maximum_message_size_is_one_mebibyte_by_default(self):
        body = "x" * 1_048_576
        sent = self.sqs.send_message(QueueUrl=self.url, MessageBody=body)
        self.assertEqual(sent["MD5OfMessageBody"], md5_hex(body))
        self.assertEqual(self.receive_one(self.url)["Body"], body)
        self.expect_error("InvalidParameterValue", 400, self.sqs.send_message, QueueUrl=self.url,
                          MessageBody=body + "x",
                          message="One or more parameters are invalid. Reason: Message must be "
                                  "shorter than 1048576 bytes.")

    def test_a_queue_maximum_message_size_counts_body_and_attributes(self):
        url = self.create_queue("small", MaximumMessageSize=1024)
        self.sqs.send_message(QueueUrl=url, MessageBody="é" * 512)  # 1024 bytes
        self.expect_error("InvalidParameterValue", 400, self.sqs.send_message, QueueUrl=url,
                          MessageBody="x" * 1025,
                          message="One or more parameters are invalid. Reason: Message must be "
                                  "shorter than 1024 bytes.")
        # name (1) + type (6) + value (17) + body (1001) = 1025 bytes
        self.expect_error("InvalidParameterValue", 400, self.sqs.send_message, QueueUrl=url,
                          MessageBody="x" * 1001,
                          MessageAttributes={"a": {"DataType": "String",
                                                   "StringValue": "y" * 17}})
        self.assertEqual(self.counts(url), (1, 0, 0))


class SqsClockTest(SqsTestCase):
    """AWS's longer intervals, crossed on a fast clock (one emulated minute = 1.2 s)."""

    server_args = ("--time-scale", "0.02")

    def test_purge_queue_deletes_everything_and_only_once_a_minute(self):
        url = self.create_queue("purged")
        for i in range(3):
            self.sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
        self.sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=600)
        self.receive_one(url, VisibilityTimeout=43200)
        self.assertEqual(self.counts(url), (2, 1, 1))
        self.sqs.purge_queue(QueueUrl=url)
        self.wait_for_counts(url, (0, 0, 0))
        self.assertEqual(self.receive(url), [])

        self.expect_error("AWS.SimpleQueueService.PurgeQueueInProgress", 403, self.sqs.purge_queue,
                          QueueUrl=url, query_code="PurgeQueueInProgress",
                          message="Only one PurgeQueue operation on purged is allowed every 60 "
                                  "seconds.")
        self.sqs.send_message(QueueUrl=url, MessageBody="after the purge")
        wait_until(lambda: self._purge_accepted(url), timeout=5, interval=0.1,
                   message="a purge one emulated minute later")
        self.wait_for_counts(url, (0, 0, 0))

    def _purge_accepted(self, url):
        try:
            self.sqs.purge_queue(QueueUrl=url)
            return True
        except ClientError as error:
            if error.response["Error"]["Code"] == "AWS.SimpleQueueService.PurgeQueueInProgress":
                return False
            raise

    def test_messages_expire_after_the_retention_period(self):
        url = self.create_queue("short-lived", MessageRetentionPeriod=60)
        self.sqs.send_message(QueueUrl=url, MessageBody="soon gone")
        self.sqs.send_message(QueueUrl=url, MessageBody="in flight, soon gone too")
        self.receive_one(url, VisibilityTimeout=43200)
        self.assertEqual(self.counts(url), (1, 1, 0))
        self.wait_for_counts(url, (0, 0, 0), timeout=6)
        self.assertEqual(self.receive(url), [])


if __name__ == "__main__":
    unittest.main()
