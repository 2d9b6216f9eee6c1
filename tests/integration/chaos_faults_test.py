"""Faults injected into AWS API calls (`awsemu chaos add-fault`, POST /_awsemu/chaos/faults):
real clients meet the AWS errors they retry or report, S3 included, a delay holds a call back,
and rules with a count wear out."""

import json
import subprocess
import time

import boto3
from botocore.config import Config

from harness import BINARY, AwsemuTestCase, awsemu_only


@awsemu_only("the chaos API is awsemu's own")
class ApiFaultsTest(AwsemuTestCase):

    def setUp(self):
        super().setUp()
        self.chaos("clear-faults")

    def chaos(self, *args):
        result = subprocess.run([BINARY, "chaos", *args, "--endpoint", self.server.endpoint],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout

    def client(self, service, retries):
        """A client making `retries` retries of a failed call (botocore's standard mode)."""
        return boto3.client(service, endpoint_url=self.server.endpoint, region_name="us-east-1",
                            aws_access_key_id="test", aws_secret_access_key="test",
                            config=Config(retries={"mode": "standard",
                                                   "total_max_attempts": retries + 1}))

    def test_throttled_calls_fail_without_retries_and_succeed_with_them(self):
        sqs = self.client("sqs", retries=0)
        url = sqs.create_queue(QueueName="flaky")["QueueUrl"]
        added = self.chaos("add-fault", "--service", "sqs", "--operation", "SendMessage",
                           "--error", "ThrottlingException", "--count", "2")
        self.assertRegex(added, r"^added fault-\d+: sqs SendMessage -> ThrottlingException "
                                r"\(400\), 2 calls left\n$")
        for _ in range(2):
            self.failed_response("ThrottlingException", 400, sqs.send_message, QueueUrl=url,
                                 MessageBody="m", message="Injected by awsemu's chaos API")
        # Other operations are untouched, and the rule is spent.
        self.assertEqual(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
            "ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"], "0")
        sqs.send_message(QueueUrl=url, MessageBody="m")
        self.assertEqual(self.chaos(), "zones down: none\nfaults: none\n")

        # botocore's standard retry mode retries throttling: two faults cost two retries.
        self.chaos("add-fault", "--service", "sqs", "--operation", "SendMessage",
                   "--error", "ThrottlingException", "--count", "2")
        sent = self.client("sqs", retries=3).send_message(QueueUrl=url, MessageBody="kept")
        self.assertEqual(sent["ResponseMetadata"]["RetryAttempts"], 2)
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        self.assertEqual(sorted(m["Body"] for m in messages), ["kept", "m"])

    def test_s3_calls_meet_the_error_in_s3s_own_shape(self):
        s3 = self.client("s3", retries=0)
        s3.create_bucket(Bucket="chaos")
        self.chaos("add-fault", "--service", "s3", "--operation", "PutObject",
                   "--error", "SlowDown", "--message", "Please reduce your request rate.")
        response = self.failed_response("SlowDown", 503, s3.put_object, Bucket="chaos",
                                        Key="k", Body=b"x",
                                        message="Please reduce your request rate.")
        self.assertTrue(response["ResponseMetadata"]["RequestId"])
        self.assertEqual(s3.list_objects_v2(Bucket="chaos")["KeyCount"], 0)  # nothing stored
        self.chaos("clear-faults")
        s3.put_object(Bucket="chaos", Key="k", Body=b"x")
        self.assertEqual(s3.get_object(Bucket="chaos", Key="k")["Body"].read(), b"x")

    def test_a_delay_holds_the_call_back_and_it_then_runs(self):
        secrets = self.server.client("secretsmanager")
        secrets.create_secret(Name="slow", SecretString="v")
        added = self.chaos("add-fault", "--service", "secretsmanager", "--operation",
                           "GetSecretValue", "--latency-ms", "400")
        fault_id = added.split()[1].rstrip(":")
        started = time.monotonic()
        self.assertEqual(secrets.get_secret_value(SecretId="slow")["SecretString"], "v")
        self.assertGreaterEqual(time.monotonic() - started, 0.4)
        listed = self.chaos()
        self.assertIn(f"  {fault_id}: secretsmanager GetSecretValue -> delayed 400 ms\n", listed)
        self.assertEqual(self.chaos("remove-fault", fault_id),
                         f"removed {fault_id}\nfaults: none\n")

    def test_a_fault_that_is_not_one_is_refused_saying_why(self):
        result = subprocess.run([BINARY, "chaos", "add-fault", "--service", "sqs",
                                 "--probability", "2", "--error", "X",
                                 "--endpoint", self.server.endpoint],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr,
                         "awsemu: probability must be a number above 0, at most 1\n")
        status, _, body = self.server.http("POST", "/_awsemu/chaos/faults", b'{"error": 5}')
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body)["error"], "InvalidFault")
        status, _, body = self.server.http("DELETE", "/_awsemu/chaos/faults/fault-99")
        self.assertEqual((status, json.loads(body)["error"]), (404, "NoSuchFault"))
