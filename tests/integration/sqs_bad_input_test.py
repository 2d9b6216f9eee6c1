"""Bad input sent to SQS, through boto3 (with and without its client-side checks) and as raw
bytes: every case gets AWS's error code and HTTP status, and afterwards the server still serves
and the messages stored before are still there."""

import json
import unittest

import boto3
from botocore.config import Config

from sqs_base import RECEIPT_HANDLE_INVALID_STATUS, SqsTestCase

INVALID_BATCH_ID = ("A batch entry id can only contain alphanumeric characters, hyphens and "
                    "underscores. It can be at most 80 letters long.")


class SqsBadInputTest(SqsTestCase):

    def setUp(self):
        super().setUp()
        self.url = self.create_queue("keep")
        for body in ("precious 1", "precious 2"):
            self.sqs.send_message(QueueUrl=self.url, MessageBody=body)
        # boto3 without its own parameter checks, to put on the wire what it would refuse.
        self.loose = boto3.client("sqs", endpoint_url=self.server.endpoint,
                                  region_name="us-east-1", aws_access_key_id="test",
                                  aws_secret_access_key="test",
                                  config=Config(parameter_validation=False,
                                                retries={"max_attempts": 1}))

    def tearDown(self):
        # After every kind of bad input the server still serves and nothing stored was lost.
        self.assertIn(self.url, self.sqs.list_queues()["QueueUrls"])
        self.assertEqual(self.counts(self.url), (2, 0, 0))

    def assertJsonError(self, answer, code_suffix, status=400):
        got_status, headers, body = answer
        self.assertEqual(got_status, status, body)
        lowered = {key.lower(): value for key, value in headers.items()}
        self.assertTrue(lowered["content-type"].startswith("application/x-amz-json-1.0"),
                        headers)
        self.assertTrue(lowered.get("x-amzn-requestid"), headers)
        error = json.loads(body)
        self.assertTrue(error["__type"].endswith(code_suffix), body)
        return error

    # --- bytes that are not the JSON protocol ------------------------------------------------
    def test_malformed_json_is_a_serialization_exception(self):
        for body in ('{"QueueUrl": ', "{not json}", b"\xff\xfe{}", '{"QueueUrl": "a"}}', "[]",
                     '"just a string"', "[" * 10000 + "]" * 10000):
            with self.subTest(body=body[:20]):
                self.assertJsonError(self.raw("SendMessage", body), "SerializationException")

    def test_members_of_the_wrong_type_are_serialization_exceptions(self):
        cases = [
            ("SendMessage", {"QueueUrl": self.url, "MessageBody": 5}),
            ("SendMessage", {"QueueUrl": self.url, "MessageBody": "x", "DelaySeconds": "soon"}),
            ("SendMessage", {"QueueUrl": self.url, "MessageBody": "x",
                             "MessageAttributes": ["not", "a", "map"]}),
            ("ReceiveMessage", {"QueueUrl": self.url, "MaxNumberOfMessages": "ten"}),
            ("ReceiveMessage", {"QueueUrl": [self.url]}),
            ("SendMessageBatch", {"QueueUrl": self.url, "Entries": "nope"}),
            ("CreateQueue", {"QueueName": "typed", "Attributes": {"DelaySeconds": 5}}),
        ]
        for operation, body in cases:
            with self.subTest(operation=operation, body=body):
                self.assertJsonError(self.raw(operation, body), "SerializationException")
        self.assertEqual(self.sqs.list_queues()["QueueUrls"], [self.url])

    def test_an_empty_body_is_an_empty_request(self):
        self.assertJsonError(self.raw("SendMessage", b""), "")
        status, _, body = self.raw("ListQueues", b"")
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["QueueUrls"], [self.url])

    def test_an_unknown_operation(self):
        self.assertJsonError(self.raw("Frobnicate", {}), "UnknownOperationException")

    # --- message bodies ------------------------------------------------------------------------
    def test_an_empty_or_missing_body_is_a_missing_parameter(self):
        for request in ({"MessageBody": ""}, {}):
            with self.subTest(request=request):
                self.expect_error("MissingParameter", 400, self.loose.send_message,
                                  QueueUrl=self.url, **request,
                                  message="The request must contain the parameter MessageBody.")

    def test_characters_outside_the_allowed_set_are_invalid_message_contents(self):
        for body in ("\u0000", "null \u0000 inside", "\u0001", "\u0008", "\u001f", "\ufffe",
                     "\uffff"):
            with self.subTest(body=body.encode("unicode_escape")):
                self.expect_error("InvalidMessageContents", 400, self.sqs.send_message,
                                  QueueUrl=self.url, MessageBody=body)
        failed = self.sqs.send_message_batch(QueueUrl=self.url, Entries=[
            {"Id": "bad", "MessageBody": "\u0000"}])["Failed"]
        self.assertEqual([(f["Id"], f["Code"], f["SenderFault"]) for f in failed],
                         [("bad", "InvalidMessageContents", True)])

    def test_the_edges_of_the_allowed_set_round_trip(self):
        url = self.create_queue("edges")
        body = "\t\n\r \ud7ff\ue000\ufffd\U00010000\U0010ffff ünïcödé 🎉"
        self.sqs.send_message(QueueUrl=url, MessageBody=body)
        self.assertEqual(self.receive_one(url)["Body"], body)

    def test_oversized_messages_and_batches(self):
        self.expect_error("InvalidParameterValue", 400, self.sqs.send_message, QueueUrl=self.url,
                          MessageBody="x" * 1_048_577)
        self.expect_error("AWS.SimpleQueueService.BatchRequestTooLong", 400,
                          self.sqs.send_message_batch, QueueUrl=self.url,
                          Entries=[{"Id": "a", "MessageBody": "x" * 600_000},
                                   {"Id": "b", "MessageBody": "y" * 600_000}],
                          query_code="BatchRequestTooLong",
                          message="Batch requests cannot be longer than 1048576 bytes. You have "
                                  "sent 1200000 bytes.")

    # --- attributes ----------------------------------------------------------------------------
    def test_unknown_attribute_names(self):
        self.expect_error("InvalidAttributeName", 400, self.sqs.get_queue_attributes,
                          QueueUrl=self.url, AttributeNames=["Bogus"],
                          message="Unknown Attribute Bogus.")
        self.expect_error("InvalidAttributeName", 400, self.sqs.create_queue,
                          QueueName="unknown", Attributes={"Bogus": "1"})
        self.expect_error("InvalidAttributeName", 400, self.sqs.create_queue,
                          QueueName="not-fifo", Attributes={"ContentBasedDeduplication": "true"})
        for read_only in ("ApproximateNumberOfMessages", "QueueArn", "CreatedTimestamp"):
            with self.subTest(attribute=read_only):
                self.expect_error("InvalidAttributeName", 400, self.sqs.set_queue_attributes,
                                  QueueUrl=self.url, Attributes={read_only: "1"})
        self.assertEqual(self.sqs.list_queues()["QueueUrls"], [self.url])

    def test_attribute_values_out_of_range(self):
        cases = [("VisibilityTimeout", "43201"), ("VisibilityTimeout", "-1"),
                 ("VisibilityTimeout", "abc"), ("VisibilityTimeout", "1.5"),
                 ("DelaySeconds", "901"), ("MessageRetentionPeriod", "59"),
                 ("MessageRetentionPeriod", "1209601"), ("MaximumMessageSize", "1023"),
                 ("MaximumMessageSize", "1048577"), ("ReceiveMessageWaitTimeSeconds", "21"),
                 ("KmsDataKeyReusePeriodSeconds", "59")]
        for number, (name, value) in enumerate(cases):
            with self.subTest(attribute=name, value=value):
                error = self.expect_error("InvalidAttributeValue", 400, self.sqs.create_queue,
                                          QueueName=f"out-of-range-{number}",
                                          Attributes={name: value})
                self.assertTrue(error["Message"].startswith(
                    f"Invalid value for the parameter {name}"), error)
                self.expect_error("InvalidAttributeValue", 400, self.sqs.set_queue_attributes,
                                  QueueUrl=self.url, Attributes={name: value})
        self.assertEqual(self.attributes(self.url, "VisibilityTimeout")["VisibilityTimeout"], "30")
        self.assertEqual(self.sqs.list_queues()["QueueUrls"], [self.url])

    def test_bad_message_attributes(self):
        def string(value):
            return {"DataType": "String", "StringValue": value}

        cases = {
            "empty value": {"ErrorDetails": string("")},
            "unknown type": {"a": {"DataType": "Foo", "StringValue": "x"}},
            "not a number": {"a": {"DataType": "Number", "StringValue": "twelve"}},
            "binary without value": {"a": {"DataType": "Binary"}},
            "reserved prefix": {"AWS.mine": string("x")},
            "amazon prefix": {"amazon.mine": string("x")},
            "bad character": {"has space": string("x")},
            "leading period": {".a": string("x")},
            "double period": {"a..b": string("x")},
            "eleven attributes": {f"a{i}": string("x") for i in range(11)},
        }
        for case, attributes in cases.items():
            with self.subTest(case=case):
                self.expect_error("InvalidParameterValue", 400, self.loose.send_message,
                                  QueueUrl=self.url, MessageBody="m",
                                  MessageAttributes=attributes)
        self.expect_error("InvalidParameterValue", 400, self.sqs.send_message, QueueUrl=self.url,
                          MessageBody="m", MessageAttributes={"ErrorDetails": string("")},
                          message="Message (user) attribute 'ErrorDetails' must contain a "
                                  "non-empty value of type 'String'.")

    def test_string_attribute_values_may_hold_only_the_characters_a_body_may(self):
        for data_type in ("String", "String.custom", "Number"):
            with self.subTest(data_type=data_type):
                self.expect_error("InvalidMessageContents", 400, self.sqs.send_message,
                                  QueueUrl=self.url, MessageBody="m", MessageAttributes={
                                      "a": {"DataType": data_type, "StringValue": "a\x01b"}})
        # The query protocol once took it and answered it back as U+FFFD.
        self.assertQueryError(self.query(**{
            "Action": "SendMessage", "QueueUrl": self.url, "MessageBody": "m",
            "MessageAttribute.1.Name": "a", "MessageAttribute.1.Value.DataType": "String",
            "MessageAttribute.1.Value.StringValue": "a\x01b"}), "InvalidMessageContents")

    def test_number_attributes_are_decimal_numbers_within_aws_limits(self):
        def number(value):
            return {"n": {"DataType": "Number", "StringValue": value}}

        for value in ("nan", "inf", "0x10", " 5", "5 ", "1e200", "1e127", "9" * 39, "1e-129"):
            with self.subTest(value=value):
                self.expect_error("InvalidParameterValue", 400, self.sqs.send_message,
                                  QueueUrl=self.url, MessageBody="m",
                                  MessageAttributes=number(value),
                                  message="Can't cast the value of message (user) attribute "
                                          "'n' to a number.")
        other = self.create_queue("numbers")
        for value in ("-12.50e3", "+7", "1e126", "9" * 38, "1e-128", "0.5", "000123.4500"):
            with self.subTest(value=value):
                self.sqs.send_message(QueueUrl=other, MessageBody="m",
                                      MessageAttributes=number(value))

    # --- receive and send parameters -----------------------------------------------------------
    def test_receive_and_send_parameters_out_of_range(self):
        self.expect_error("InvalidParameterValue", 400, self.sqs.receive_message,
                          QueueUrl=self.url, MaxNumberOfMessages=11,
                          message="Value 11 for parameter MaxNumberOfMessages is invalid. "
                                  "Reason: Must be between 1 and 10, if provided.")
        for request in ({"MaxNumberOfMessages": 0}, {"WaitTimeSeconds": 21},
                        {"WaitTimeSeconds": -1}, {"VisibilityTimeout": -1},
                        {"VisibilityTimeout": 43201}):
            with self.subTest(request=request):
                self.expect_error("InvalidParameterValue", 400, self.sqs.receive_message,
                                  QueueUrl=self.url, **request)
        for delay in (-1, 901):
            with self.subTest(delay=delay):
                self.expect_error("InvalidParameterValue", 400, self.sqs.send_message,
                                  QueueUrl=self.url, MessageBody="m", DelaySeconds=delay)

    def test_receive_request_attempt_ids_are_128_alphanumerics_or_punctuation(self):
        fifo = self.create_fifo_queue("attempts.fifo")
        for attempt in ("x" * 129, "has space", "caf\u00e9", "tab\t"):
            with self.subTest(attempt=attempt[:12]):
                self.expect_error("InvalidParameterValue", 400, self.sqs.receive_message,
                                  QueueUrl=fifo, ReceiveRequestAttemptId=attempt)
        punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
        self.assertEqual(self.receive(fifo, ReceiveRequestAttemptId="a" * 96 + punctuation), [])

    def test_bad_receipt_handles(self):
        for handle in ("garbage", "not/base64==", "A" * 2000):
            with self.subTest(handle=handle[:12]):
                self.expect_error("ReceiptHandleIsInvalid", RECEIPT_HANDLE_INVALID_STATUS,
                                  self.sqs.delete_message, QueueUrl=self.url,
                                  ReceiptHandle=handle)
                self.expect_error("ReceiptHandleIsInvalid", RECEIPT_HANDLE_INVALID_STATUS,
                                  self.sqs.change_message_visibility, QueueUrl=self.url,
                                  ReceiptHandle=handle, VisibilityTimeout=10)

    # --- batches -------------------------------------------------------------------------------
    def test_batch_request_errors(self):
        def entries(operation, ids):
            if operation == "send_message_batch":
                return [{"Id": i, "MessageBody": "m"} for i in ids]
            if operation == "delete_message_batch":
                return [{"Id": i, "ReceiptHandle": "h"} for i in ids]
            return [{"Id": i, "ReceiptHandle": "h", "VisibilityTimeout": 1} for i in ids]

        for operation in ("send_message_batch", "delete_message_batch",
                          "change_message_visibility_batch"):
            call = getattr(self.loose, operation)
            with self.subTest(operation=operation, case="empty"):
                self.expect_error("AWS.SimpleQueueService.EmptyBatchRequest", 400, call,
                                  QueueUrl=self.url, Entries=[], query_code="EmptyBatchRequest")
            with self.subTest(operation=operation, case="eleven"):
                self.expect_error("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400,
                                  call, QueueUrl=self.url,
                                  Entries=entries(operation, [str(i) for i in range(11)]),
                                  query_code="TooManyEntriesInBatchRequest",
                                  message="Maximum number of entries per request are 10. "
                                          "You have sent 11.")
            with self.subTest(operation=operation, case="same ids"):
                self.expect_error("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400, call,
                                  QueueUrl=self.url, Entries=entries(operation, ["a", "b", "a"]),
                                  query_code="BatchEntryIdsNotDistinct")
            for bad_id in ("bad id!", "x" * 81, "invalid:id", ""):
                with self.subTest(operation=operation, id=bad_id[:10]):
                    self.expect_error("AWS.SimpleQueueService.InvalidBatchEntryId", 400, call,
                                      QueueUrl=self.url, Entries=entries(operation, [bad_id]),
                                      query_code="InvalidBatchEntryId", message=INVALID_BATCH_ID)

    # --- the query protocol --------------------------------------------------------------------
    def test_query_protocol_errors_are_xml(self):
        message = self.assertQueryError(self.query(Action="GetQueueUrl", QueueName="missing"),
                                        "AWS.SimpleQueueService.NonExistentQueue")
        self.assertTrue(message)
        self.assertQueryError(self.query(Action="SendMessage", QueueUrl=self.url),
                              "MissingParameter")
        self.assertQueryError(self.query(Action="SendMessage", QueueUrl=self.url,
                                         MessageBody="m", DelaySeconds="901"),
                              "InvalidParameterValue")
        self.assertQueryError(self.query(**{"Action": "GetQueueAttributes", "QueueUrl": self.url,
                                            "AttributeName.1": "Bogus"}),
                              "InvalidAttributeName")


if __name__ == "__main__":
    unittest.main()
