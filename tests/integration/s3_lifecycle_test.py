"""S3 lifecycle rules, stored and applied on the emulated clock. The server runs with a time
scale that makes an emulated day last under a second, so rules of one day fall due within seconds:
S3 counts a rule's days from the object's creation (or from when a version became noncurrent,
or when an upload began) and acts at the next midnight UTC, which awsemu sweeps for."""

import json
import unittest

from harness import wait_until
from s3_base import S3TestCase, queue_policy_for_bucket

DAY_SCALE = "0.00001"     # one emulated day in 0.864 s
DAYS = 0.864              # seconds of real time per emulated day
WAIT = 6 * DAYS           # long enough for any one-day rule to fall due and be swept


def rule(rule_id, prefix="", status="Enabled", **actions):
    return dict({"ID": rule_id, "Filter": {"Prefix": prefix}, "Status": status}, **actions)


class S3LifecycleTest(S3TestCase):
    server_args = ("--time-scale", DAY_SCALE)

    def setUp(self):
        super().setUp()
        self.bucket = self.create_bucket("lifecycle")

    def configure(self, *rules, bucket=None):
        self.s3.put_bucket_lifecycle_configuration(
            Bucket=bucket or self.bucket, LifecycleConfiguration={"Rules": list(rules)})

    def versions(self, key):
        page = self.s3.list_object_versions(Bucket=self.bucket, Prefix=key)
        return ([v for v in page.get("Versions", []) if v["Key"] == key],
                [m for m in page.get("DeleteMarkers", []) if m["Key"] == key])

    # --- the configuration -------------------------------------------------------------------
    def test_configuration_round_trips_and_deletes(self):
        rules = [rule("logs", "logs/", Expiration={"Days": 30},
                      NoncurrentVersionExpiration={"NoncurrentDays": 7},
                      AbortIncompleteMultipartUpload={"DaysAfterInitiation": 2}),
                 {"ID": "tagged", "Status": "Disabled",
                  "Filter": {"And": {"Prefix": "tmp/", "Tags": [{"Key": "k", "Value": "v"}],
                                     "ObjectSizeGreaterThan": 10}},
                  "Transitions": [{"Days": 30, "StorageClass": "GLACIER"}]}]
        self.configure(*rules)
        got = self.s3.get_bucket_lifecycle_configuration(Bucket=self.bucket)["Rules"]
        self.assertEqual([r["ID"] for r in got], ["logs", "tagged"])
        self.assertEqual(got[0]["Expiration"], {"Days": 30})
        self.assertEqual(got[0]["Filter"], {"Prefix": "logs/"})
        self.assertEqual(got[1]["Filter"]["And"]["Tags"], [{"Key": "k", "Value": "v"}])
        self.assertEqual(got[1]["Transitions"][0]["StorageClass"], "GLACIER")
        self.s3.delete_bucket_lifecycle(Bucket=self.bucket)
        self.expect_error("NoSuchLifecycleConfiguration", 404,
                          self.s3.get_bucket_lifecycle_configuration, Bucket=self.bucket)

    def test_bad_rules_are_refused_with_awss_errors_and_keep_the_old_configuration(self):
        self.configure(rule("keep", Expiration={"Days": 5}))
        self.expect_error("InvalidArgument", 400, self.s3.put_bucket_lifecycle_configuration,
                          Bucket=self.bucket, LifecycleConfiguration={"Rules": [
                              rule("zero", Expiration={"Days": 0})]},
                          message="'Days' for Expiration action must be a positive integer")
        self.expect_error("InvalidArgument", 400, self.s3.put_bucket_lifecycle_configuration,
                          Bucket=self.bucket, LifecycleConfiguration={"Rules": [
                              rule("noon", Expiration={"Date": "2030-01-01T12:00:00Z"})]},
                          message="'Date' must be at midnight GMT")
        self.expect_error("InvalidArgument", 400, self.s3.put_bucket_lifecycle_configuration,
                          Bucket=self.bucket, LifecycleConfiguration={"Rules": [
                              rule("same", Expiration={"Days": 1}),
                              rule("same", Expiration={"Days": 2})]})
        self.expect_error("InvalidRequest", 400, self.s3.put_bucket_lifecycle_configuration,
                          Bucket=self.bucket, LifecycleConfiguration={"Rules": [rule("none")]},
                          message="At least one action needs to be specified in a rule")
        status, _, body = self.raw("PUT", f"/{self.bucket}?lifecycle",
                                   b"<LifecycleConfiguration><Rule>")
        self.assertEqual(status, 400, body)
        got = self.s3.get_bucket_lifecycle_configuration(Bucket=self.bucket)["Rules"]
        self.assertEqual([r["ID"] for r in got], ["keep"])

    # --- rules applied on the clock ----------------------------------------------------------
    def test_expiration_days_removes_matching_objects_only(self):
        for key in ["tmp/a", "tmp/b", "keep/c", "off/d"]:
            self.put(self.bucket, key, b"data")
        self.configure(rule("tmp", "tmp/", Expiration={"Days": 1}),
                       rule("off", "off/", status="Disabled", Expiration={"Days": 1}))
        wait_until(lambda: self.keys(self.bucket) == ["keep/c", "off/d"], timeout=WAIT,
                   message="tmp/ objects expired")
        self.assertEqual(self.body(self.bucket, "keep/c"), b"data")
        self.assertEqual(self.body(self.bucket, "off/d"), b"data")

    def test_filters_by_tag_and_size(self):
        self.put(self.bucket, "t/tagged", b"x" * 100, Tagging="kind=scratch")
        self.put(self.bucket, "t/other-tag", b"x" * 100, Tagging="kind=keep")
        self.put(self.bucket, "t/too-small", b"x", Tagging="kind=scratch")
        self.configure({"ID": "scratch", "Status": "Enabled", "Expiration": {"Days": 1},
                        "Filter": {"And": {"Prefix": "t/",
                                           "Tags": [{"Key": "kind", "Value": "scratch"}],
                                           "ObjectSizeGreaterThan": 10}}})
        wait_until(lambda: "t/tagged" not in self.keys(self.bucket), timeout=WAIT,
                   message="the tagged object expired")
        self.assertEqual(self.keys(self.bucket), ["t/other-tag", "t/too-small"])

    def test_expiration_date_in_the_past_expires_at_the_next_sweep(self):
        self.put(self.bucket, "dated/a", b"a")
        self.configure(rule("dated", "dated/", Expiration={"Date": "2020-01-01T00:00:00Z"}))
        wait_until(lambda: self.keys(self.bucket) == [], timeout=WAIT,
                   message="an object past its expiration date expired")

    def test_versioned_bucket_gets_delete_markers_then_loses_noncurrent_versions(self):
        self.s3.put_bucket_versioning(Bucket=self.bucket,
                                      VersioningConfiguration={"Status": "Enabled"})
        first = self.put(self.bucket, "v/key", b"one")["VersionId"]
        self.configure(rule("current", "v/", Expiration={"Days": 1}))
        wait_until(lambda: self.versions("v/key")[1], timeout=WAIT,
                   message="a delete marker on v/key")
        versions, markers = self.versions("v/key")
        self.assertEqual([v["VersionId"] for v in versions], [first])
        self.assertFalse(versions[0]["IsLatest"])
        self.assertTrue(markers[0]["IsLatest"])
        self.assertEqual(self.keys(self.bucket), [])

        # Then noncurrent versions expire, and the delete marker left alone goes too.
        self.configure(rule("noncurrent", "v/", NoncurrentVersionExpiration={"NoncurrentDays": 1}),
                       rule("markers", "v/", Expiration={"ExpiredObjectDeleteMarker": True}))
        wait_until(lambda: self.versions("v/key") == ([], []), timeout=2 * WAIT,
                   message="every version and the marker of v/key removed")

    def test_newer_noncurrent_versions_are_kept(self):
        self.s3.put_bucket_versioning(Bucket=self.bucket,
                                      VersioningConfiguration={"Status": "Enabled"})
        ids = [self.put(self.bucket, "n/key", str(i).encode())["VersionId"] for i in range(5)]
        self.configure(rule("trim", "n/", NoncurrentVersionExpiration={
            "NoncurrentDays": 1, "NewerNoncurrentVersions": 2}))
        wait_until(lambda: len(self.versions("n/key")[0]) == 3, timeout=WAIT,
                   message="two oldest noncurrent versions of n/key removed")
        expected = list(reversed(ids))[:3]
        self.assertEqual([v["VersionId"] for v in self.versions("n/key")[0]], expected)
        self.assertEqual(self.body(self.bucket, "n/key"), b"4")
        self.assertEqual(self.body(self.bucket, "n/key", VersionId=ids[2]), b"2")

    def test_incomplete_multipart_uploads_are_aborted(self):
        upload = self.s3.create_multipart_upload(Bucket=self.bucket, Key="mp/big")["UploadId"]
        self.s3.upload_part(Bucket=self.bucket, Key="mp/big", UploadId=upload, PartNumber=1,
                            Body=b"part")
        kept = self.s3.create_multipart_upload(Bucket=self.bucket, Key="other/big")["UploadId"]
        self.configure(rule("abort", "mp/", AbortIncompleteMultipartUpload={
            "DaysAfterInitiation": 1}))

        def open_uploads():
            return [u["UploadId"] for u in
                    self.s3.list_multipart_uploads(Bucket=self.bucket).get("Uploads", [])]
        wait_until(lambda: open_uploads() == [kept], timeout=WAIT,
                   message="the mp/ upload aborted")
        self.expect_error("NoSuchUpload", 404, self.s3.list_parts, Bucket=self.bucket,
                          Key="mp/big", UploadId=upload)

    def test_expirations_send_lifecycle_events(self):
        sqs = self.server.client("sqs")
        url = sqs.create_queue(QueueName="lifecycle-events")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"]
                                       )["Attributes"]["QueueArn"]
        sqs.set_queue_attributes(QueueUrl=url, Attributes={
            "Policy": queue_policy_for_bucket(arn, self.bucket)})
        self.s3.put_bucket_notification_configuration(
            Bucket=self.bucket, NotificationConfiguration={"QueueConfigurations": [
                {"QueueArn": arn, "Events": ["s3:LifecycleExpiration:*"]}]})
        self.put(self.bucket, "gone", b"bye")
        self.configure(rule("all", Expiration={"Days": 1}))
        records = []

        def expired_event():
            for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10
                                               ).get("Messages", []):
                records.extend(json.loads(message["Body"]).get("Records", []))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            return records
        wait_until(expired_event, timeout=WAIT, message="a LifecycleExpiration event")
        self.assertEqual(records[0]["eventName"], "LifecycleExpiration:Delete")
        self.assertEqual(records[0]["s3"]["object"]["key"], "gone")
        self.assertEqual(records[0]["s3"]["bucket"]["name"], self.bucket)


if __name__ == "__main__":
    unittest.main()
