"""S3 event notifications to SQS queues of the same server: the configuration is validated and
stored, s3:TestEvent arrives when it is set, and ObjectCreated/ObjectRemoved events arrive in
AWS's event JSON shape (Records[0].eventName, s3.bucket, s3.object with the key URL-encoded,
size, eTag and sequencer), honouring the event types and the prefix/suffix filter rules."""

import json
import unittest
import urllib.parse

from harness import wait_until
from s3_base import S3TestCase, queue_policy_for_bucket, sequencer_key

ISO_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"


class S3NotificationTest(S3TestCase):

    def setUp(self):
        super().setUp()
        self.sqs = self.server.client("sqs")
        self.bucket = self.create_bucket("events")

    # --- helpers -----------------------------------------------------------------------------
    def queue(self, name, bucket=None):
        """A queue whose policy lets S3 send this bucket's events, as AWS requires."""
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"]
                                            )["Attributes"]["QueueArn"]
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={
            "Policy": queue_policy_for_bucket(arn, bucket or self.bucket)})
        return url, arn

    def configure(self, *queue_configurations, bucket=None):
        self.s3.put_bucket_notification_configuration(
            Bucket=bucket or self.bucket,
            NotificationConfiguration={"QueueConfigurations": list(queue_configurations)})

    def drain(self, url, until, timeout=5.0):
        """Receives (and deletes) message bodies, parsed, until `until(bodies)` holds."""
        bodies = []

        def done():
            for message in self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10
                                                    ).get("Messages", []):
                bodies.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            return until(bodies)

        wait_until(done, timeout=timeout, interval=0.02,
                   message=f"S3 events on {url} (got {bodies})")
        return bodies

    def records(self, bodies):
        return [r for body in bodies for r in body.get("Records", [])]

    def events_until_key(self, url, key):
        """Every event record up to and including the one for `key` (a marker put last)."""
        bodies = self.drain(url, lambda got: any(
            urllib.parse.unquote_plus(r["s3"]["object"]["key"]) == key
            for r in self.records(got)))
        return self.records(bodies)

    def skip_test_event(self, url):
        self.drain(url, lambda got: any(b.get("Event") == "s3:TestEvent" for b in got))

    # --- configuration -----------------------------------------------------------------------
    def test_configuration_is_stored_and_a_test_event_is_sent(self):
        url, arn = self.queue("config-events")
        configuration = {
            "Id": "images", "QueueArn": arn, "Events": ["s3:ObjectCreated:*"],
            "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads/"},
                                               {"Name": "suffix", "Value": ".jpg"}]}}}
        self.configure(configuration)
        stored = self.s3.get_bucket_notification_configuration(Bucket=self.bucket)
        self.assertEqual(len(stored["QueueConfigurations"]), 1)
        got = stored["QueueConfigurations"][0]
        self.assertEqual((got["Id"], got["QueueArn"], got["Events"]),
                         ("images", arn, ["s3:ObjectCreated:*"]))
        # The model spells the rule names in lower case; S3 answers them capitalised.
        self.assertEqual(sorted((r["Name"].lower(), r["Value"])
                                for r in got["Filter"]["Key"]["FilterRules"]),
                         [("prefix", "uploads/"), ("suffix", ".jpg")])

        bodies = self.drain(url, lambda got: len(got) >= 1)
        self.assertEqual(len(bodies), 1, bodies)
        test_event = bodies[0]
        self.assertEqual(test_event["Service"], "Amazon S3")
        self.assertEqual(test_event["Event"], "s3:TestEvent")
        self.assertEqual(test_event["Bucket"], self.bucket)
        self.assertRegex(test_event["Time"], ISO_TIME)
        self.assertTrue(test_event["RequestId"])
        self.assertTrue(test_event["HostId"])
        self.assertNotIn("Records", test_event)

    def test_a_destination_that_does_not_exist_is_refused(self):
        missing = "arn:aws:sqs:us-east-1:000000000000:no-such-queue"
        error = self.expect_error("InvalidArgument", 400, self.configure,
                                  {"QueueArn": missing, "Events": ["s3:ObjectCreated:*"]},
                                  message="Unable to validate the following destination "
                                          "configurations")
        self.assertIn(missing, json.dumps(error))
        self.assertNotIn("QueueConfigurations",
                         self.s3.get_bucket_notification_configuration(Bucket=self.bucket))

    def test_an_unknown_event_type_is_refused(self):
        _, arn = self.queue("bad-event")
        self.expect_error("InvalidArgument", 400, self.configure,
                          {"QueueArn": arn, "Events": ["s3:ObjectFrobnicated:*"]})

    # --- ObjectCreated -----------------------------------------------------------------------
    def test_object_created_events_with_prefix_and_suffix_filters(self):
        url, arn = self.queue("created-events")
        self.configure({"Id": "images", "QueueArn": arn, "Events": ["s3:ObjectCreated:*"],
                        "Filter": {"Key": {"FilterRules": [
                            {"Name": "prefix", "Value": "uploads/"},
                            {"Name": "suffix", "Value": ".jpg"}]}}})
        self.skip_test_event(url)

        body = b"jpeg bytes"
        put = self.put(self.bucket, "uploads/a b+c ü.jpg", body)
        self.put(self.bucket, "uploads/skipped.png", b"wrong suffix")
        self.put(self.bucket, "elsewhere/skipped.jpg", b"wrong prefix")
        self.s3.copy_object(Bucket=self.bucket, Key="uploads/copy.jpg",
                            CopySource={"Bucket": self.bucket, "Key": "uploads/a b+c ü.jpg"})
        upload_id = self.s3.create_multipart_upload(Bucket=self.bucket,
                                                    Key="uploads/mp.jpg")["UploadId"]
        part = self.s3.upload_part(Bucket=self.bucket, Key="uploads/mp.jpg", UploadId=upload_id,
                                   PartNumber=1, Body=b"part")
        self.s3.complete_multipart_upload(
            Bucket=self.bucket, Key="uploads/mp.jpg", UploadId=upload_id,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        self.put(self.bucket, "uploads/last.jpg", b"marker")

        records = self.events_until_key(url, "uploads/last.jpg")
        by_key = {urllib.parse.unquote_plus(r["s3"]["object"]["key"]): r for r in records}
        self.assertEqual(sorted(by_key), ["uploads/a b+c ü.jpg", "uploads/copy.jpg",
                                          "uploads/last.jpg", "uploads/mp.jpg"])
        self.assertEqual(len(records), 4, records)
        self.assertEqual({k: r["eventName"] for k, r in by_key.items()}, {
            "uploads/a b+c ü.jpg": "ObjectCreated:Put",
            "uploads/copy.jpg": "ObjectCreated:Copy",
            "uploads/mp.jpg": "ObjectCreated:CompleteMultipartUpload",
            "uploads/last.jpg": "ObjectCreated:Put"})

        record = by_key["uploads/a b+c ü.jpg"]
        self.assertEqual(record["eventVersion"], "2.1")
        self.assertEqual(record["eventSource"], "aws:s3")
        self.assertEqual(record["awsRegion"], "us-east-1")
        self.assertRegex(record["eventTime"], ISO_TIME)
        self.assertTrue(record["userIdentity"]["principalId"])
        self.assertTrue(record["requestParameters"]["sourceIPAddress"])
        self.assertEqual(record["responseElements"]["x-amz-request-id"],
                         put["ResponseMetadata"]["HTTPHeaders"]["x-amz-request-id"])
        self.assertTrue(record["responseElements"]["x-amz-id-2"])
        s3 = record["s3"]
        self.assertEqual((s3["s3SchemaVersion"], s3["configurationId"]), ("1.0", "images"))
        self.assertEqual(s3["bucket"]["name"], self.bucket)
        self.assertEqual(s3["bucket"]["arn"], f"arn:aws:s3:::{self.bucket}")
        self.assertTrue(s3["bucket"]["ownerIdentity"]["principalId"])
        # The key is URL-encoded: no raw space, '+' or non-ASCII left in it.
        self.assertRegex(s3["object"]["key"], r"^[A-Za-z0-9._~%+/-]+$")
        self.assertNotIn(" ", s3["object"]["key"])
        self.assertEqual(s3["object"]["size"], len(body))
        self.assertEqual(s3["object"]["eTag"], put["ETag"].strip('"'))
        self.assertRegex(s3["object"]["sequencer"], r"^[0-9A-F]+$")
        self.assertEqual(by_key["uploads/mp.jpg"]["s3"]["object"]["size"], 4)

    def test_only_the_configured_event_types_are_sent(self):
        url, arn = self.queue("put-only")
        self.configure({"QueueArn": arn, "Events": ["s3:ObjectCreated:Put"]})
        self.skip_test_event(url)
        self.put(self.bucket, "source", b"x")
        self.s3.copy_object(Bucket=self.bucket, Key="copied",
                            CopySource={"Bucket": self.bucket, "Key": "source"})
        self.s3.delete_object(Bucket=self.bucket, Key="source")
        self.put(self.bucket, "last", b"marker")
        records = self.events_until_key(url, "last")
        self.assertCountEqual([(r["eventName"], r["s3"]["object"]["key"]) for r in records],
                              [("ObjectCreated:Put", "source"), ("ObjectCreated:Put", "last")])

    # --- ObjectRemoved -----------------------------------------------------------------------
    def test_object_removed_events(self):
        url, arn = self.queue("removed-events")
        self.configure({"Id": "removals", "QueueArn": arn, "Events": ["s3:ObjectRemoved:*"]})
        self.skip_test_event(url)
        for key in ("one", "two", "three", "last"):
            self.put(self.bucket, key, key.encode())
        self.s3.delete_object(Bucket=self.bucket, Key="one")
        self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [{"Key": "two"},
                                                                       {"Key": "three"}]})
        self.s3.delete_object(Bucket=self.bucket, Key="last")
        records = self.events_until_key(url, "last")
        self.assertEqual(sorted((r["s3"]["object"]["key"], r["eventName"]) for r in records),
                         [("last", "ObjectRemoved:Delete"), ("one", "ObjectRemoved:Delete"),
                          ("three", "ObjectRemoved:Delete"), ("two", "ObjectRemoved:Delete")])
        for record in records:
            self.assertEqual(record["s3"]["configurationId"], "removals")
            self.assertRegex(record["s3"]["object"]["sequencer"], r"^[0-9A-F]+$")

    def test_delete_marker_events_and_sequencers_in_a_versioned_bucket(self):
        self.s3.put_bucket_versioning(Bucket=self.bucket,
                                      VersioningConfiguration={"Status": "Enabled"})
        url, arn = self.queue("versioned-events")
        self.configure({"QueueArn": arn, "Events": ["s3:ObjectCreated:*",
                                                    "s3:ObjectRemoved:*"]})
        self.skip_test_event(url)
        first = self.put(self.bucket, "doc", b"first")["VersionId"]
        second = self.put(self.bucket, "doc", b"second")["VersionId"]
        marker = self.s3.delete_object(Bucket=self.bucket, Key="doc")["VersionId"]
        self.s3.delete_object(Bucket=self.bucket, Key="doc", VersionId=first)
        self.put(self.bucket, "last", b"marker")

        records = [r for r in self.events_until_key(url, "last")
                   if r["s3"]["object"]["key"] == "doc"]

        def version_ids(event_name):
            return [r["s3"]["object"].get("versionId") for r in records
                    if r["eventName"] == event_name]

        self.assertEqual(len(records), 4, records)
        self.assertCountEqual(version_ids("ObjectCreated:Put"), [first, second])
        self.assertEqual(version_ids("ObjectRemoved:DeleteMarkerCreated"), [marker])
        self.assertEqual(version_ids("ObjectRemoved:Delete"), [first])
        # Events for one key carry increasing sequencers, in the order the changes happened.
        sequencer = {(r["eventName"], r["s3"]["object"].get("versionId")):
                     sequencer_key(r["s3"]["object"]["sequencer"]) for r in records}
        self.assertLess(sequencer["ObjectCreated:Put", first],
                        sequencer["ObjectCreated:Put", second])
        self.assertLess(sequencer["ObjectCreated:Put", second],
                        sequencer["ObjectRemoved:DeleteMarkerCreated", marker])
        self.assertLess(sequencer["ObjectRemoved:DeleteMarkerCreated", marker],
                        sequencer["ObjectRemoved:Delete", first])

if __name__ == "__main__":
    unittest.main()
