"""S3 state survives restarts and kill -9 on the same state directory: buckets with their
configuration, objects with their metadata and versions, multipart uploads in progress; and an
upload cut short by kill -9 leaves the previous version of its key intact and nothing half
written visible."""

import hashlib
import json
import os
import shutil
import tempfile
import unittest
import urllib.parse

from harness import AwsemuServer, awsemu_only, wait_until
from s3_base import MIN_PART, MiB, S3TestCase, etag_of, multipart_etag, random_bytes


def tree_size(root):
    total = 0
    for folder, _, files in os.walk(root):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(folder, name))
            except OSError:
                pass
    return total


@awsemu_only("kills and restarts the server")
class S3PersistenceTest(S3TestCase):

    @classmethod
    def setUpClass(cls):
        pass  # each test starts its own server on its own state directory

    @classmethod
    def tearDownClass(cls):
        pass

    def setUp(self):
        self.state_dir = tempfile.mkdtemp(prefix="awsemu-s3-state-")
        self.addCleanup(shutil.rmtree, self.state_dir, True)
        self.server = AwsemuServer(state_dir=self.state_dir)
        self.addCleanup(self.server.cleanup)
        self.server.start()
        self.s3 = self.server.client("s3")

    def restart(self, kill=True):
        if kill:
            self.server.kill()
        else:
            self.server.stop()
        self.server.start()
        self.s3 = self.server.client("s3")

    def interrupted_put(self, bucket, key, declared, sent):
        """Starts a PUT declaring `declared` bytes, sends `sent` of them, waits until the server
        has written most of them under the state directory, and kills it with SIGKILL."""
        before = tree_size(self.state_dir)
        sock = self.open_upload(f"/{bucket}/{urllib.parse.quote(key)}",
                                {"Content-Length": str(declared)})
        try:
            chunk = random_bytes(MiB)
            for _ in range(sent // MiB):
                sock.sendall(chunk)
            wait_until(lambda: tree_size(self.state_dir) >= before + sent // 2, timeout=20,
                       message="the upload's bytes to reach the state directory (bodies are "
                               "streamed to files, not held in memory)")
            self.server.kill()
        finally:
            sock.close()
        self.server.start()
        self.s3 = self.server.client("s3")

    # --- restarts ----------------------------------------------------------------------------
    def test_buckets_objects_and_configuration_survive_kill_9(self):
        self.create_bucket("durable")
        self.s3.put_bucket_versioning(Bucket="durable",
                                      VersioningConfiguration={"Status": "Enabled"})
        self.s3.put_bucket_tagging(Bucket="durable",
                                   Tagging={"TagSet": [{"Key": "env", "Value": "prod"}]})
        policy = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket",
            "Resource": "arn:aws:s3:::durable"}]})
        self.s3.put_bucket_policy(Bucket="durable", Policy=policy)
        cors = [{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET"]}]
        self.s3.put_bucket_cors(Bucket="durable", CORSConfiguration={"CORSRules": cors})
        eu = self.s3_client(region="eu-west-1")
        eu.create_bucket(Bucket="durable-eu",
                         CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})

        data = random_bytes(300 * 1024)
        v1 = self.put("durable", "dir/ünïcode key.bin", b"version one")["VersionId"]
        v2 = self.put("durable", "dir/ünïcode key.bin", data, ContentType="application/x-test",
                      Metadata={"owner": "ana"}, Tagging="t=1")["VersionId"]
        marker = self.s3.delete_object(Bucket="durable", Key="gone")["VersionId"]

        upload_id = self.s3.create_multipart_upload(Bucket="durable", Key="mpu")["UploadId"]
        first_part = random_bytes(MIN_PART)
        first_etag = self.s3.upload_part(Bucket="durable", Key="mpu", UploadId=upload_id,
                                         PartNumber=1, Body=first_part)["ETag"]

        self.restart(kill=False)
        self.assertEqual(self.body("durable", "dir/ünïcode key.bin"), data)
        self.restart(kill=True)

        self.assertEqual(sorted(b["Name"] for b in self.s3.list_buckets()["Buckets"]),
                         ["durable", "durable-eu"])
        self.assertEqual(self.s3.get_bucket_location(Bucket="durable-eu")["LocationConstraint"],
                         "eu-west-1")
        self.assertEqual(self.s3.get_bucket_versioning(Bucket="durable")["Status"], "Enabled")
        self.assertEqual(self.s3.get_bucket_tagging(Bucket="durable")["TagSet"],
                         [{"Key": "env", "Value": "prod"}])
        self.assertEqual(json.loads(self.s3.get_bucket_policy(Bucket="durable")["Policy"]),
                         json.loads(policy))
        self.assertEqual(self.s3.get_bucket_cors(Bucket="durable")["CORSRules"], cors)

        got = self.s3.get_object(Bucket="durable", Key="dir/ünïcode key.bin")
        self.assertEqual(got["Body"].read(), data)
        self.assertEqual((got["VersionId"], got["ETag"], got["ContentType"], got["Metadata"]),
                         (v2, etag_of(data), "application/x-test", {"owner": "ana"}))
        self.assertEqual(self.body("durable", "dir/ünïcode key.bin", VersionId=v1),
                         b"version one")
        self.assertEqual(self.s3.get_object_tagging(Bucket="durable", Key="dir/ünïcode key.bin")
                         ["TagSet"], [{"Key": "t", "Value": "1"}])
        markers = self.s3.list_object_versions(Bucket="durable", Prefix="gone")["DeleteMarkers"]
        self.assertEqual([m["VersionId"] for m in markers], [marker])

        # The multipart upload carries on where it was.
        parts = self.s3.list_parts(Bucket="durable", Key="mpu", UploadId=upload_id)["Parts"]
        self.assertEqual([(p["PartNumber"], p["ETag"]) for p in parts], [(1, first_etag)])
        second_etag = self.s3.upload_part(Bucket="durable", Key="mpu", UploadId=upload_id,
                                          PartNumber=2, Body=b"tail")["ETag"]
        done = self.s3.complete_multipart_upload(
            Bucket="durable", Key="mpu", UploadId=upload_id, MultipartUpload={"Parts": [
                {"PartNumber": 1, "ETag": first_etag}, {"PartNumber": 2, "ETag": second_etag}]})
        self.assertEqual(done["ETag"], multipart_etag([first_part, b"tail"]))
        self.assertEqual(self.body("durable", "mpu"), first_part + b"tail")

        # The completed object keeps its parts' files as they are: the clean-up of files no
        # row names, at start, must see them as the object's, and they go when it does (the
        # bucket is versioned: deleting the version).
        self.restart(kill=True)
        self.assertEqual(self.body("durable", "mpu"), first_part + b"tail")
        boundary = len(first_part)
        self.assertEqual(self.body("durable", "mpu", Range=f"bytes={boundary - 3}-{boundary + 1}"),
                         first_part[-3:] + b"ta")
        payloads = os.path.join(self.state_dir, "data", "s3")
        before = len(os.listdir(payloads))
        self.s3.delete_object(Bucket="durable", Key="mpu", VersionId=done["VersionId"])
        wait_until(lambda: len(os.listdir(payloads)) == before - 2, timeout=10,
                   message="the two part files deleted with the object")

    def test_small_bodies_survive_kill_9_and_give_their_disk_back_when_replaced(self):
        """Bodies of 2 KiB to 16 KiB live in one pack file beside the database: each must
        read back after kill -9, and one no row names any more must not keep its disk."""
        self.create_bucket("packed")
        sizes = (1, 2048, 2049, 4096, 9000, 16384, 16385)
        bodies = {f"size-{n}": random_bytes(n) for n in sizes}
        for key, data in bodies.items():
            self.put("packed", key, data)
        self.s3.copy_object(Bucket="packed", Key="copy",
                            CopySource={"Bucket": "packed", "Key": "size-4096"})
        self.create_bucket("versioned")
        self.s3.put_bucket_versioning(Bucket="versioned",
                                      VersioningConfiguration={"Status": "Enabled"})
        old, new = random_bytes(5000), random_bytes(6000)
        v_old = self.put("versioned", "key", old)["VersionId"]
        self.put("versioned", "key", new)

        self.restart(kill=True)
        for key, data in bodies.items():
            got = self.s3.get_object(Bucket="packed", Key=key)
            self.assertEqual((got["Body"].read(), got["ETag"]), (data, etag_of(data)), key)
        self.assertEqual(self.body("packed", "copy"), bodies["size-4096"])
        self.assertEqual(self.body("packed", "size-9000", Range="bytes=4090-4100"),
                         bodies["size-9000"][4090:4101])
        self.assertEqual(self.body("versioned", "key", VersionId=v_old), old)
        self.assertEqual(self.body("versioned", "key"), new)

        pack = os.path.join(self.state_dir, "data", "s3-bodies.pack")

        def disk_used():
            return os.stat(pack).st_blocks * 512

        before = disk_used()
        latest = None
        for _ in range(40):  # each overwrite writes a block and frees the one it replaces
            latest = random_bytes(4096)
            self.put("packed", "size-4096", latest)
        wait_until(lambda: disk_used() <= before, timeout=10,
                   message=f"overwritten bodies' blocks released (pack uses {disk_used()} "
                           f"bytes, {before} before 40 overwrites)")
        self.assertEqual(self.body("packed", "size-4096"), latest)
        self.assertEqual(self.body("packed", "copy"), bodies["size-4096"])

        before = disk_used()
        self.s3.delete_object(Bucket="packed", Key="size-9000")  # three blocks
        self.s3.delete_object(Bucket="versioned", Key="key", VersionId=v_old)  # two
        wait_until(lambda: disk_used() <= before - 5 * 4096, timeout=10,
                   message="deleted bodies' blocks released")
        self.restart(kill=True)
        self.assertEqual(self.body("packed", "size-16384"), bodies["size-16384"])
        self.assertEqual(self.body("versioned", "key"), new)

    def test_a_request_that_fails_after_deleting_keeps_the_bodies_it_deleted(self):
        """DeleteObjects with 1,001 keys fails after deleting the first 1,000; its deletions
        roll back, so the blocks of the bodies they named must not be released."""
        self.create_bucket("rolled-back")
        data = random_bytes(4096)
        self.put("rolled-back", "packed", data)
        keys = [{"Key": "packed"}] + [{"Key": f"absent-{n}"} for n in range(1000)]
        self.expect_error("MalformedXML", 400, self.s3.delete_objects, Bucket="rolled-back",
                          Delete={"Objects": keys, "Quiet": True})
        self.assertEqual(self.body("rolled-back", "packed"), data)
        self.restart(kill=True)
        self.assertEqual(self.body("rolled-back", "packed"), data)

    # --- kill -9 in the middle of an upload --------------------------------------------------
    def test_kill_9_during_an_upload_keeps_the_previous_version(self):
        self.create_bucket("careful")
        previous = random_bytes(MiB + 11)
        self.put("careful", "object", previous)
        self.put("careful", "neighbour", b"untouched")

        self.interrupted_put("careful", "object", declared=64 * MiB, sent=24 * MiB)

        got = self.s3.get_object(Bucket="careful", Key="object")
        self.assertEqual(hashlib.sha256(got["Body"].read()).hexdigest(),
                         hashlib.sha256(previous).hexdigest())
        self.assertEqual((got["ContentLength"], got["ETag"]), (len(previous), etag_of(previous)))
        self.assertEqual(self.keys("careful"), ["neighbour", "object"])
        self.assertEqual(self.body("careful", "neighbour"), b"untouched")

        # The key takes a whole new body afterwards.
        fresh = random_bytes(2 * MiB)
        self.put("careful", "object", fresh)
        self.assertEqual(self.body("careful", "object"), fresh)

    def test_kill_9_during_the_first_upload_of_a_key_leaves_no_object(self):
        self.create_bucket("careful")
        self.interrupted_put("careful", "never-finished", declared=48 * MiB, sent=16 * MiB)
        self.expect_error("NoSuchKey", 404, self.s3.get_object, Bucket="careful",
                          Key="never-finished")
        self.assertEqual(self.keys("careful"), [])
        self.assertEqual(self.s3.list_multipart_uploads(Bucket="careful").get("Uploads", []), [])

    def test_kill_9_during_a_part_upload_keeps_the_parts_before_it(self):
        self.create_bucket("careful")
        upload_id = self.s3.create_multipart_upload(Bucket="careful", Key="mpu")["UploadId"]
        first_part = random_bytes(MIN_PART)
        first_etag = self.s3.upload_part(Bucket="careful", Key="mpu", UploadId=upload_id,
                                         PartNumber=1, Body=first_part)["ETag"]
        before = tree_size(self.state_dir)
        path = f"/careful/mpu?partNumber=2&uploadId={urllib.parse.quote(upload_id)}"
        sock = self.open_upload(path, {"Content-Length": str(32 * MiB)})
        try:
            chunk = random_bytes(MiB)
            for _ in range(12):
                sock.sendall(chunk)
            wait_until(lambda: tree_size(self.state_dir) >= before + 6 * MiB, timeout=20,
                       message="the part's bytes to reach the state directory")
            self.server.kill()
        finally:
            sock.close()
        self.server.start()
        self.s3 = self.server.client("s3")

        parts = self.s3.list_parts(Bucket="careful", Key="mpu", UploadId=upload_id)["Parts"]
        self.assertEqual([(p["PartNumber"], p["ETag"], p["Size"]) for p in parts],
                         [(1, first_etag, MIN_PART)])
        second_etag = self.s3.upload_part(Bucket="careful", Key="mpu", UploadId=upload_id,
                                          PartNumber=2, Body=b"second")["ETag"]
        self.s3.complete_multipart_upload(
            Bucket="careful", Key="mpu", UploadId=upload_id, MultipartUpload={"Parts": [
                {"PartNumber": 1, "ETag": first_etag}, {"PartNumber": 2, "ETag": second_etag}]})
        self.assertEqual(self.body("careful", "mpu"), first_part + b"second")


if __name__ == "__main__":
    unittest.main()
