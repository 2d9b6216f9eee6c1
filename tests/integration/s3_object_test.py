"""S3 objects through boto3, raw signed requests and curl: put/get/head/delete, ranges,
conditional reads and writes, response header overrides, metadata and the standard headers,
storage classes, DeleteObjects, CopyObject, object tagging, awkward keys path-style and
virtual-host style, Content-MD5, the flexible checksums (also in aws-chunked bodies, signed
chunk by chunk and unsigned with a trailing checksum), and presigned URLs."""

import datetime
import http.client
import unittest
import urllib.parse
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from s3_base import (AWKWARD_KEYS, MIN_PART, MiB, S3TestCase, StreamingSigner, checksum_b64,
                     crc32c_value, crc64nvme_value, error_of, etag_of,
                     localhost_subdomains_resolve, md5_b64, random_bytes)

CHECKSUM_ALGORITHMS = ("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256")
PRECONDITION_FAILED = "At least one of the pre-conditions you specified did not hold"
NO_SUCH_KEY = "The specified key does not exist."


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


class S3DigestTest(unittest.TestCase):
    """The tests' own digests against published check values; needs no server."""

    def test_crc_check_values(self):
        # The CRC catalogue's check values (the CRC of b"123456789").
        self.assertEqual(crc32c_value(b"123456789"), 0xE3069283)
        self.assertEqual(crc64nvme_value(b"123456789"), 0xAE8B14860A799888)
        self.assertEqual(checksum_b64("CRC32", b"123456789"), "y/Q5Jg==")
        self.assertEqual(checksum_b64("CRC32C", b""), "AAAAAA==")
        self.assertEqual(checksum_b64("SHA256", b""),
                         "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")


    def test_sigv4_streaming_signatures(self):
        # AWS's published example of a signed streaming upload ("Transferring payload in
        # multiple chunks"): the seed signature of the headers, then 65536 and 1024 bytes of
        # "a" and the empty last chunk, each signed with the signature before it.
        request = AWSRequest(
            method="PUT", url="https://s3.amazonaws.com/examplebucket/chunkObject.txt", data=b"",
            headers={"x-amz-storage-class": "REDUCED_REDUNDANCY",
                     "Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": "66560",
                     "Content-Length": "66824"})
        signer = StreamingSigner(Credentials("AKIAIOSFODNN7EXAMPLE",
                                             "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                                 "us-east-1", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
        with mock.patch.object(botocore.auth, "get_current_datetime",
                               return_value=datetime.datetime(2013, 5, 24)):
            signer.add_auth(request)
        seed = request.headers["Authorization"].rsplit("Signature=", 1)[1]
        self.assertEqual(seed, "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
        first = signer.chunk_signature(seed, b"a" * 65536)
        self.assertEqual(first, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648")
        second = signer.chunk_signature(first, b"a" * 1024)
        self.assertEqual(second,
                         "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497")
        self.assertEqual(signer.chunk_signature(second, b""),
                         "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9")


class S3ObjectTest(S3TestCase):

    def setUp(self):
        super().setUp()
        self.bucket = self.create_bucket("objects")

    # --- PutObject / GetObject / HeadObject / DeleteObject -------------------------------------
    def test_put_get_head_delete(self):
        data = random_bytes(100 * 1024)
        before = utc_now().replace(microsecond=0)
        put = self.put(self.bucket, "dir/blob.bin", data)
        self.assertEqual(put["ETag"], etag_of(data))
        self.assertEqual(put["ServerSideEncryption"], "AES256")  # SSE-S3, the bucket default
        self.assertNotIn("VersionId", put)
        headers = put["ResponseMetadata"]["HTTPHeaders"]
        self.assertTrue(headers.get("x-amz-request-id"), headers)
        self.assertTrue(headers.get("x-amz-id-2"), headers)

        got = self.s3.get_object(Bucket=self.bucket, Key="dir/blob.bin")
        self.assertEqual(got["Body"].read(), data)
        self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(got["ContentLength"], len(data))
        self.assertEqual(got["ETag"], etag_of(data))
        self.assertEqual(got["ContentType"], "binary/octet-stream")
        self.assertEqual(got["AcceptRanges"], "bytes")
        self.assertEqual(got["Metadata"], {})
        self.assertGreaterEqual(got["LastModified"], before - datetime.timedelta(seconds=1))
        self.assertLess(got["LastModified"], utc_now() + datetime.timedelta(seconds=60))
        self.assertNotIn("StorageClass", got)  # STANDARD is not announced

        head = self.s3.head_object(Bucket=self.bucket, Key="dir/blob.bin")
        self.assertEqual((head["ContentLength"], head["ETag"], head["LastModified"]),
                         (len(data), etag_of(data), got["LastModified"]))
        self.assertEqual(head["ServerSideEncryption"], "AES256")

        deleted = self.s3.delete_object(Bucket=self.bucket, Key="dir/blob.bin")
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 204)
        error = self.expect_error("NoSuchKey", 404, self.s3.get_object, Bucket=self.bucket,
                                  Key="dir/blob.bin", message=NO_SUCH_KEY)
        self.assertEqual(error["Key"], "dir/blob.bin")
        self.expect_error("404", 404, self.s3.head_object, Bucket=self.bucket, Key="dir/blob.bin")
        # Deleting what is not there succeeds.
        again = self.s3.delete_object(Bucket=self.bucket, Key="dir/blob.bin")
        self.assertEqual(again["ResponseMetadata"]["HTTPStatusCode"], 204)

    def test_empty_object_and_overwrite(self):
        self.assertEqual(self.put(self.bucket, "empty", b"")["ETag"],
                         '"d41d8cd98f00b204e9800998ecf8427e"')
        got = self.s3.get_object(Bucket=self.bucket, Key="empty")
        self.assertEqual((got["Body"].read(), got["ContentLength"]), (b"", 0))

        self.put(self.bucket, "replaced", b"first version", Metadata={"old": "1"},
                 ContentType="text/plain")
        self.put(self.bucket, "replaced", b"second")
        got = self.s3.get_object(Bucket=self.bucket, Key="replaced")
        self.assertEqual(got["Body"].read(), b"second")
        self.assertEqual(got["Metadata"], {})
        self.assertEqual(got["ContentType"], "binary/octet-stream")

    def test_missing_bucket_and_key_errors_name_them(self):
        error = self.expect_error("NoSuchBucket", 404, self.s3.get_object, Bucket="not-a-bucket",
                                  Key="k", message="The specified bucket does not exist")
        self.assertEqual(error["BucketName"], "not-a-bucket")
        error = self.expect_error("NoSuchBucket", 404, self.s3.put_object, Bucket="not-a-bucket",
                                  Key="k", Body=b"x")
        self.assertEqual(error["BucketName"], "not-a-bucket")
        error = self.expect_error("NoSuchKey", 404, self.s3.get_object, Bucket=self.bucket,
                                  Key="sub dir/ключ+%.txt")
        self.assertEqual(error["Key"], "sub dir/ключ+%.txt")

    # --- Range -------------------------------------------------------------------------------
    def test_range_reads_answer_206_with_content_range(self):
        data = bytes(range(100))
        self.put(self.bucket, "range", data)
        cases = [("bytes=10-19", data[10:20], "bytes 10-19/100"),
                 ("bytes=0-0", data[:1], "bytes 0-0/100"),
                 ("bytes=90-", data[90:], "bytes 90-99/100"),
                 ("bytes=-10", data[-10:], "bytes 90-99/100"),
                 ("bytes=95-500", data[95:], "bytes 95-99/100"),
                 ("bytes=-500", data, "bytes 0-99/100")]
        for range_header, expected, content_range in cases:
            with self.subTest(range=range_header):
                got = self.s3.get_object(Bucket=self.bucket, Key="range", Range=range_header)
                self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 206)
                self.assertEqual(got["Body"].read(), expected)
                self.assertEqual(got["ContentRange"], content_range)
                self.assertEqual(got["ContentLength"], len(expected))
                self.assertEqual(got["ETag"], etag_of(data))  # the whole object's ETag
        head = self.s3.head_object(Bucket=self.bucket, Key="range", Range="bytes=10-19")
        self.assertEqual(head["ResponseMetadata"]["HTTPStatusCode"], 206)
        self.assertEqual((head["ContentLength"], head["ContentRange"]), (10, "bytes 10-19/100"))

    def test_unsatisfiable_range_is_invalid_range_416(self):
        self.put(self.bucket, "range", bytes(100))
        for range_header in ("bytes=100-", "bytes=100-200", "bytes=1000-1001"):
            with self.subTest(range=range_header):
                error = self.expect_error("InvalidRange", 416, self.s3.get_object,
                                          Bucket=self.bucket, Key="range", Range=range_header,
                                          message="The requested range is not satisfiable")
                self.assertEqual(error.get("ActualObjectSize"), "100")
                self.assertEqual(error.get("RangeRequested"), range_header)
        self.put(self.bucket, "empty", b"")
        self.expect_error("InvalidRange", 416, self.s3.get_object, Bucket=self.bucket,
                          Key="empty", Range="bytes=0-")

    # --- conditional reads -------------------------------------------------------------------
    def test_conditional_get_and_head(self):
        put = self.put(self.bucket, "cond", b"conditional body")
        etag = put["ETag"]
        modified = self.s3.head_object(Bucket=self.bucket, Key="cond")["LastModified"]
        earlier = modified - datetime.timedelta(hours=1)
        later = modified + datetime.timedelta(hours=1)

        def get(**conditions):
            return self.s3.get_object(Bucket=self.bucket, Key="cond", **conditions)

        self.assertEqual(get(IfMatch=etag)["Body"].read(), b"conditional body")
        self.assertEqual(get(IfMatch=etag.strip('"'))["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(get(IfNoneMatch='"0123456789abcdef0123456789abcdef"')
                         ["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(get(IfModifiedSince=earlier)["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(get(IfUnmodifiedSince=later)["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(get(IfUnmodifiedSince=modified)["ResponseMetadata"]["HTTPStatusCode"],
                         200)

        error = self.expect_error("PreconditionFailed", 412, get, IfMatch='"nope"',
                                  message=PRECONDITION_FAILED)
        self.assertEqual(error.get("Condition"), "If-Match")
        error = self.expect_error("PreconditionFailed", 412, get, IfUnmodifiedSince=earlier)
        self.assertEqual(error.get("Condition"), "If-Unmodified-Since")

        error = self.expect_error("304", 304, get, IfNoneMatch=etag)
        self.assertEqual(error["Headers"].get("etag"), etag)
        self.expect_error("304", 304, get, IfModifiedSince=later)
        self.expect_error("304", 304, get, IfModifiedSince=modified)

        # RFC 7232 precedence, as S3 documents it: If-Match true beats If-Unmodified-Since
        # false; If-None-Match false (the ETag matches) with If-Modified-Since true is a 304.
        self.assertEqual(get(IfMatch=etag, IfUnmodifiedSince=earlier)["Body"].read(),
                         b"conditional body")
        self.expect_error("304", 304, get, IfNoneMatch=etag, IfModifiedSince=earlier)

        # HEAD has no body: the code is the status.
        self.expect_error("412", 412, self.s3.head_object, Bucket=self.bucket, Key="cond",
                          IfMatch='"nope"')
        self.expect_error("304", 304, self.s3.head_object, Bucket=self.bucket, Key="cond",
                          IfNoneMatch=etag)
        self.assertEqual(self.s3.head_object(Bucket=self.bucket, Key="cond", IfMatch=etag)
                         ["ETag"], etag)

    # --- response header overrides, metadata, standard headers --------------------------------
    def test_response_header_overrides_change_only_the_answer(self):
        self.put(self.bucket, "report.csv", b"a,b\n1,2\n", ContentType="text/csv")
        got = self.s3.get_object(
            Bucket=self.bucket, Key="report.csv",
            ResponseContentType="application/octet-stream",
            ResponseContentDisposition='attachment; filename="report 2024.csv"',
            ResponseContentLanguage="de-DE", ResponseCacheControl="no-cache",
            ResponseContentEncoding="identity",
            ResponseExpires=datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc))
        self.assertEqual(got["ContentType"], "application/octet-stream")
        self.assertEqual(got["ContentDisposition"], 'attachment; filename="report 2024.csv"')
        self.assertEqual(got["ContentLanguage"], "de-DE")
        self.assertEqual(got["CacheControl"], "no-cache")
        self.assertEqual(got["ContentEncoding"], "identity")
        self.assertEqual(got["ExpiresString"], "Wed, 02 Jan 2030 03:04:05 GMT")
        self.assertEqual(got["Body"].read(), b"a,b\n1,2\n")

        head = self.s3.head_object(Bucket=self.bucket, Key="report.csv")
        self.assertEqual(head["ContentType"], "text/csv")
        for absent in ("ContentDisposition", "ContentLanguage", "CacheControl", "ExpiresString"):
            self.assertNotIn(absent, head)

    def test_user_metadata_and_standard_headers_round_trip(self):
        expires = "Thu, 01 Dec 2033 16:00:00 GMT"
        self.s3.put_object(
            Bucket=self.bucket, Key="page.html", Body=b"<html/>",
            Metadata={"Owner": "Ana Lima", "build-id": "42", "empty": ""},
            ContentType="text/html; charset=utf-8", ContentEncoding="identity",
            ContentDisposition='inline; filename="page.html"', CacheControl="max-age=60, public",
            ContentLanguage="en-GB", Expires=datetime.datetime(2033, 12, 1, 16, 0, 0,
                                                               tzinfo=datetime.timezone.utc),
            WebsiteRedirectLocation="/elsewhere.html")
        for call in (self.s3.get_object, self.s3.head_object):
            with self.subTest(operation=call.__name__):
                got = call(Bucket=self.bucket, Key="page.html")
                # S3 lower-cases metadata names; values come back as sent.
                self.assertEqual(got["Metadata"], {"owner": "Ana Lima", "build-id": "42",
                                                   "empty": ""})
                self.assertEqual(got["ContentType"], "text/html; charset=utf-8")
                self.assertEqual(got["ContentEncoding"], "identity")
                self.assertEqual(got["ContentDisposition"], 'inline; filename="page.html"')
                self.assertEqual(got["CacheControl"], "max-age=60, public")
                self.assertEqual(got["ContentLanguage"], "en-GB")
                self.assertEqual(got["ExpiresString"], expires)
                self.assertEqual(got["WebsiteRedirectLocation"], "/elsewhere.html")

    def test_metadata_larger_than_2_kib_is_refused(self):
        self.expect_error("MetadataTooLarge", 400, self.s3.put_object, Bucket=self.bucket,
                          Key="fat", Body=b"x", Metadata={"big": "v" * 2100})
        self.expect_error("NoSuchKey", 404, self.s3.get_object, Bucket=self.bucket, Key="fat")

    # --- storage class -----------------------------------------------------------------------
    def test_storage_class_is_accepted_and_returned(self):
        for storage_class in ("STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
                              "REDUCED_REDUNDANCY", "GLACIER_IR"):
            with self.subTest(storage_class=storage_class):
                key = f"class/{storage_class}"
                self.put(self.bucket, key, b"cold", StorageClass=storage_class)
                self.assertEqual(self.s3.head_object(Bucket=self.bucket, Key=key)["StorageClass"],
                                 storage_class)
                got = self.s3.get_object(Bucket=self.bucket, Key=key)
                self.assertEqual((got["StorageClass"], got["Body"].read()),
                                 (storage_class, b"cold"))
        self.put(self.bucket, "class/STANDARD", b"hot", StorageClass="STANDARD")
        self.assertNotIn("StorageClass",
                         self.s3.head_object(Bucket=self.bucket, Key="class/STANDARD"))
        listed = {o["Key"]: o["StorageClass"] for o in
                  self.s3.list_objects_v2(Bucket=self.bucket)["Contents"]}
        self.assertEqual(listed["class/STANDARD"], "STANDARD")
        self.assertEqual(listed["class/ONEZONE_IA"], "ONEZONE_IA")

        self.expect_error("InvalidStorageClass", 400, self.s3.put_object, Bucket=self.bucket,
                          Key="class/bogus", Body=b"x", StorageClass="FREEZER",
                          message="The storage class you specified is not valid")

    def test_archived_objects_cannot_be_read_without_a_restore(self):
        self.put(self.bucket, "archive", b"frozen", StorageClass="GLACIER")
        self.assertEqual(self.s3.head_object(Bucket=self.bucket, Key="archive")["StorageClass"],
                         "GLACIER")
        self.expect_error("InvalidObjectState", 403, self.s3.get_object, Bucket=self.bucket,
                          Key="archive",
                          message="The operation is not valid for the object's storage class")

    # --- DeleteObjects -----------------------------------------------------------------------
    def test_delete_objects_verbose_and_quiet(self):
        for key in ("a", "b", "c", "d"):
            self.put(self.bucket, key, key.encode())
        verbose = self.s3.delete_objects(Bucket=self.bucket, Delete={
            "Objects": [{"Key": "a"}, {"Key": "b"}, {"Key": "never-existed"}]})
        # A key that was not there counts as deleted.
        self.assertEqual(sorted(d["Key"] for d in verbose["Deleted"]),
                         ["a", "b", "never-existed"])
        self.assertNotIn("Errors", verbose)
        quiet = self.s3.delete_objects(Bucket=self.bucket, Delete={
            "Objects": [{"Key": "c"}], "Quiet": True})
        self.assertNotIn("Deleted", quiet)
        self.assertNotIn("Errors", quiet)
        self.assertEqual(self.keys(self.bucket), ["d"])

    def test_delete_objects_reports_per_key_errors(self):
        self.create_bucket("versioned")
        self.s3.put_bucket_versioning(Bucket="versioned",
                                      VersioningConfiguration={"Status": "Enabled"})
        self.put("versioned", "kept", b"x")
        self.put("versioned", "gone", b"y")
        for quiet in (False, True):
            with self.subTest(quiet=quiet):
                result = self.s3.delete_objects(Bucket="versioned", Delete={
                    "Objects": [{"Key": "kept", "VersionId": "not-a-version-id"},
                                {"Key": "gone"}], "Quiet": quiet})
                self.assertEqual(result["Errors"], [{
                    "Key": "kept", "VersionId": "not-a-version-id", "Code": "NoSuchVersion",
                    "Message": "The specified version does not exist."}])
                if quiet:
                    self.assertNotIn("Deleted", result)
                else:
                    self.assertEqual([d["Key"] for d in result["Deleted"]], ["gone"])
                    self.assertIs(result["Deleted"][0]["DeleteMarker"], True)
        self.assertEqual(self.body("versioned", "kept"), b"x")

    def test_delete_objects_takes_at_most_1000_keys(self):
        self.put(self.bucket, "survivor", b"x")
        self.expect_error("MalformedXML", 400, self.s3.delete_objects, Bucket=self.bucket,
                          Delete={"Objects": [{"Key": f"k{i}"} for i in range(1001)]})
        self.assertEqual(self.keys(self.bucket), ["survivor"])

    # --- CopyObject --------------------------------------------------------------------------
    def test_copy_object_copies_metadata_unless_replaced(self):
        data = random_bytes(4096)
        self.put(self.bucket, "source", data, Metadata={"origin": "source"},
                 ContentType="image/png", CacheControl="max-age=5", Tagging="t=1")
        copied = self.s3.copy_object(Bucket=self.bucket, Key="copy",
                                     CopySource={"Bucket": self.bucket, "Key": "source"})
        self.assertEqual(copied["CopyObjectResult"]["ETag"], etag_of(data))
        self.assertLess(abs((copied["CopyObjectResult"]["LastModified"] - utc_now())
                            .total_seconds()), 60)
        got = self.s3.get_object(Bucket=self.bucket, Key="copy")
        self.assertEqual(got["Body"].read(), data)
        self.assertEqual((got["Metadata"], got["ContentType"], got["CacheControl"]),
                         ({"origin": "source"}, "image/png", "max-age=5"))
        self.assertEqual(self.s3.get_object_tagging(Bucket=self.bucket, Key="copy")["TagSet"],
                         [{"Key": "t", "Value": "1"}])

        self.s3.copy_object(Bucket=self.bucket, Key="replaced",
                            CopySource={"Bucket": self.bucket, "Key": "source"},
                            MetadataDirective="REPLACE", Metadata={"fresh": "yes"},
                            ContentType="text/plain", TaggingDirective="REPLACE",
                            Tagging="t=2")
        got = self.s3.get_object(Bucket=self.bucket, Key="replaced")
        self.assertEqual(got["Body"].read(), data)
        self.assertEqual((got["Metadata"], got["ContentType"]), ({"fresh": "yes"}, "text/plain"))
        self.assertNotIn("CacheControl", got)
        self.assertEqual(self.s3.get_object_tagging(Bucket=self.bucket, Key="replaced")["TagSet"],
                         [{"Key": "t", "Value": "2"}])

    def test_copy_object_across_buckets_with_awkward_keys(self):
        self.create_bucket("elsewhere")
        key = "src dir/ключ+plus%percent.txt"
        self.put(self.bucket, key, b"travels")
        self.s3.copy_object(Bucket="elsewhere", Key="dest/ünïcode key",
                            CopySource={"Bucket": self.bucket, "Key": key})
        self.assertEqual(self.body("elsewhere", "dest/ünïcode key"), b"travels")
        # The string form of CopySource (boto3 URL-encodes it into x-amz-copy-source).
        self.s3.copy_object(Bucket="elsewhere", Key="second", CopySource=f"{self.bucket}/{key}")
        self.assertEqual(self.body("elsewhere", "second"), b"travels")

    def test_copy_object_errors(self):
        self.put(self.bucket, "self", b"me")
        self.expect_error(
            "InvalidRequest", 400, self.s3.copy_object, Bucket=self.bucket, Key="self",
            CopySource={"Bucket": self.bucket, "Key": "self"},
            message="This copy request is illegal because it is trying to copy an object to "
                    "itself without changing the object's metadata, storage class, website "
                    "redirect location or encryption attributes.")
        # Changing the metadata makes copying onto itself legal.
        self.s3.copy_object(Bucket=self.bucket, Key="self", MetadataDirective="REPLACE",
                            CopySource={"Bucket": self.bucket, "Key": "self"},
                            Metadata={"touched": "1"})
        self.assertEqual(self.s3.head_object(Bucket=self.bucket, Key="self")["Metadata"],
                         {"touched": "1"})

        error = self.expect_error("NoSuchKey", 404, self.s3.copy_object, Bucket=self.bucket,
                                  Key="dest", CopySource={"Bucket": self.bucket, "Key": "absent"})
        self.assertEqual(error.get("Key"), "absent")
        self.expect_error("NoSuchBucket", 404, self.s3.copy_object, Bucket=self.bucket,
                          Key="dest", CopySource={"Bucket": "no-such-source", "Key": "x"})
        self.expect_error("NoSuchBucket", 404, self.s3.copy_object, Bucket="no-such-dest",
                          Key="dest", CopySource={"Bucket": self.bucket, "Key": "self"})

    def test_copy_source_conditions(self):
        etag = self.put(self.bucket, "src", b"conditional source")["ETag"]
        modified = self.s3.head_object(Bucket=self.bucket, Key="src")["LastModified"]
        earlier = modified - datetime.timedelta(hours=1)
        later = modified + datetime.timedelta(hours=1)
        source = {"Bucket": self.bucket, "Key": "src"}

        passing = [{"CopySourceIfMatch": etag}, {"CopySourceIfNoneMatch": '"other"'},
                   {"CopySourceIfModifiedSince": earlier},
                   {"CopySourceIfUnmodifiedSince": later},
                   # If-Match true and If-Unmodified-Since false: copied.
                   {"CopySourceIfMatch": etag, "CopySourceIfUnmodifiedSince": earlier}]
        for i, conditions in enumerate(passing):
            with self.subTest(conditions=conditions):
                self.s3.copy_object(Bucket=self.bucket, Key=f"ok{i}", CopySource=source,
                                    **conditions)
                self.assertEqual(self.body(self.bucket, f"ok{i}"), b"conditional source")

        failing = [{"CopySourceIfMatch": '"other"'}, {"CopySourceIfNoneMatch": etag},
                   {"CopySourceIfModifiedSince": later},
                   {"CopySourceIfUnmodifiedSince": earlier}]
        for conditions in failing:
            with self.subTest(conditions=conditions):
                self.expect_error("PreconditionFailed", 412, self.s3.copy_object,
                                  Bucket=self.bucket, Key="refused", CopySource=source,
                                  message=PRECONDITION_FAILED, **conditions)
        self.assertNotIn("refused", self.keys(self.bucket))

    # --- conditional writes ------------------------------------------------------------------
    def test_conditional_writes_if_none_match_star_and_if_match(self):
        first = self.put(self.bucket, "once", b"first", IfNoneMatch="*")
        error = self.expect_error("PreconditionFailed", 412, self.put, self.bucket, "once",
                                  b"second", IfNoneMatch="*", message=PRECONDITION_FAILED)
        self.assertEqual(error.get("Condition"), "If-None-Match")
        self.assertEqual(self.body(self.bucket, "once"), b"first")

        second = self.put(self.bucket, "once", b"second", IfMatch=first["ETag"])
        self.assertEqual(self.body(self.bucket, "once"), b"second")
        error = self.expect_error("PreconditionFailed", 412, self.put, self.bucket, "once",
                                  b"third", IfMatch=first["ETag"])
        self.assertEqual(error.get("Condition"), "If-Match")
        self.assertEqual(self.s3.head_object(Bucket=self.bucket, Key="once")["ETag"],
                         second["ETag"])
        error = self.expect_error("NoSuchKey", 404, self.put, self.bucket, "absent", b"x",
                                  IfMatch=first["ETag"])
        self.assertEqual(error.get("Key"), "absent")
        self.expect_error("NoSuchKey", 404, self.s3.get_object, Bucket=self.bucket, Key="absent")

    # --- object tagging ----------------------------------------------------------------------
    def test_object_tagging(self):
        self.put(self.bucket, "tagged", b"x", Tagging="team=core&note=two%20words&empty=")
        self.assertCountEqual(self.s3.get_object_tagging(Bucket=self.bucket, Key="tagged")
                              ["TagSet"], [{"Key": "team", "Value": "core"},
                                           {"Key": "note", "Value": "two words"},
                                           {"Key": "empty", "Value": ""}])
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="tagged")["TagCount"], 3)

        self.s3.put_object_tagging(Bucket=self.bucket, Key="tagged",
                                   Tagging={"TagSet": [{"Key": "only", "Value": "one"}]})
        self.assertEqual(self.s3.get_object_tagging(Bucket=self.bucket, Key="tagged")["TagSet"],
                         [{"Key": "only", "Value": "one"}])
        self.expect_error("InvalidTag", 400, self.s3.put_object_tagging, Bucket=self.bucket,
                          Key="tagged", Tagging={"TagSet": [{"Key": "k", "Value": "1"},
                                                            {"Key": "k", "Value": "2"}]})
        self.expect_error("BadRequest", 400, self.s3.put_object_tagging, Bucket=self.bucket,
                          Key="tagged", Tagging={"TagSet": [{"Key": f"k{i}", "Value": "v"}
                                                            for i in range(11)]},
                          message="Object tags cannot be greater than 10")

        deleted = self.s3.delete_object_tagging(Bucket=self.bucket, Key="tagged")
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.s3.get_object_tagging(Bucket=self.bucket, Key="tagged")["TagSet"],
                         [])
        self.expect_error("NoSuchKey", 404, self.s3.get_object_tagging, Bucket=self.bucket,
                          Key="untagged-and-absent")

    # --- keys --------------------------------------------------------------------------------
    def round_trip_awkward_keys(self, client):
        for key in AWKWARD_KEYS:
            with self.subTest(key=key):
                body = key.encode()
                put = client.put_object(Bucket=self.bucket, Key=key, Body=body)
                self.assertEqual(put["ETag"], etag_of(body))
                self.assertEqual(client.get_object(Bucket=self.bucket, Key=key)["Body"].read(),
                                 body)
                self.assertEqual(client.head_object(Bucket=self.bucket, Key=key)
                                 ["ContentLength"], len(body))
        # Keys are listed in UTF-8 byte order, exactly as written.
        expected = sorted(AWKWARD_KEYS, key=lambda k: k.encode())
        self.assertEqual(self.keys(self.bucket, client=client), expected)
        for key in AWKWARD_KEYS:
            client.delete_object(Bucket=self.bucket, Key=key)
        self.assertEqual(self.keys(self.bucket, client=client), [])

    def test_awkward_keys_path_style(self):
        self.round_trip_awkward_keys(self.s3)

    def test_awkward_keys_virtual_host_style(self):
        for host in ("localhost", "s3.localhost"):
            with self.subTest(host=host), localhost_subdomains_resolve():
                client = self.virtual_host_client(host)
                put = client.put_object(Bucket=self.bucket, Key="probe", Body=b"p")
                self.assertEqual(put["ResponseMetadata"]["HTTPStatusCode"], 200)
                self.s3.delete_object(Bucket=self.bucket, Key="probe")
                self.round_trip_awkward_keys(client)
                self.assertEqual(client.list_buckets()["Buckets"][0]["Name"], self.bucket)

    def test_virtual_host_style_bucket_operations(self):
        with localhost_subdomains_resolve():
            client = self.virtual_host_client()
            client.create_bucket(Bucket="virtual-made")
            client.put_bucket_tagging(Bucket="virtual-made",
                                      Tagging={"TagSet": [{"Key": "via", "Value": "host"}]})
            self.assertEqual(self.s3.get_bucket_tagging(Bucket="virtual-made")["TagSet"],
                             [{"Key": "via", "Value": "host"}])
            self.put("virtual-made", "k", b"v")
            self.assertEqual([o["Key"] for o in
                              client.list_objects_v2(Bucket="virtual-made")["Contents"]], ["k"])
            client.delete_object(Bucket="virtual-made", Key="k")
            client.delete_bucket(Bucket="virtual-made")
        self.expect_error("404", 404, self.s3.head_bucket, Bucket="virtual-made")

    def test_key_longer_than_1024_bytes_is_refused(self):
        self.put(self.bucket, "k" * 1024, b"fits")
        self.expect_error("KeyTooLongError", 400, self.s3.put_object, Bucket=self.bucket,
                          Key="k" * 1025, Body=b"x", message="Your key is too long")
        self.assertEqual(self.keys(self.bucket), ["k" * 1024])

    # --- integrity ---------------------------------------------------------------------------
    def test_content_md5_is_checked(self):
        data = b"integrity matters"
        self.put(self.bucket, "md5", data, ContentMD5=md5_b64(data))
        self.expect_error("BadDigest", 400, self.put, self.bucket, "md5", b"tampered",
                          ContentMD5=md5_b64(data),
                          message="The Content-MD5 you specified did not match what we received.")
        self.expect_error("InvalidDigest", 400, self.put, self.bucket, "md5", b"x",
                          ContentMD5="not-base64-md5",
                          message="The Content-MD5 you specified was invalid.")
        self.assertEqual(self.body(self.bucket, "md5"), data)

    def test_uploads_arriving_together_each_get_their_own_md5(self):
        """Bodies that reach the server in the same moment are hashed side by side (eight
        lanes at once): every upload must still get its own ETag, and Content-MD5 must still
        be checked against its own body. All requests are sent before any answer is read."""
        split = urllib.parse.urlsplit(self.server.endpoint)
        sizes = [0, 1, 55, 56, 64, 119, 1000, 4096, 4096, 4097, 16 * 1024 + 1, 64 * 1024,
                 64 * 1024 + 1, 200 * 1024, 3, 4096, 777, 63, 128, 8192, 4096, 50000, 2, 4096]
        uploads = []
        for number, size in enumerate(sizes):
            data = random_bytes(size)
            headers = {"Content-Length": str(size)}
            if number % 3 == 0:
                headers["Content-MD5"] = md5_b64(data)
            tampered = number % 7 == 5
            if tampered:
                headers["Content-MD5"] = md5_b64(data + b"!")
            path = f"/{self.bucket}/together-{number}"
            connection = http.client.HTTPConnection(split.hostname, split.port, timeout=30)
            signed, _ = self.signed_headers("PUT", self.server.endpoint + path, data, headers)
            connection.request("PUT", path, body=data, headers=signed)
            uploads.append((connection, path, data, tampered))
        for connection, path, data, tampered in uploads:
            with self.subTest(path=path, size=len(data)):
                response = connection.getresponse()
                body = response.read()
                connection.close()
                if tampered:
                    self.assertEqual(response.status, 400, body)
                    self.assertEqual(error_of(body).get("Code"), "BadDigest")
                    continue
                self.assertEqual(response.status, 200, body)
                self.assertEqual(response.getheader("ETag"), etag_of(data))
                self.assertEqual(self.body(self.bucket, path.split("/", 2)[2]), data)

    def test_flexible_checksums_are_checked_and_returned(self):
        data = random_bytes(10 * 1024)
        for algorithm in CHECKSUM_ALGORITHMS:
            with self.subTest(algorithm=algorithm):
                member, key = f"Checksum{algorithm}", f"sum/{algorithm}"
                expected = checksum_b64(algorithm, data)
                # The value computed here (CRC32C/CRC64NVME need awscrt in botocore).
                put = self.put(self.bucket, key, data, ChecksumAlgorithm=algorithm,
                               **{member: expected})
                self.assertEqual(put[member], expected)
                for call in (self.s3.get_object, self.s3.head_object):
                    got = call(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")
                    self.assertEqual(got[member], expected, call.__name__)
                    self.assertEqual(got["ChecksumType"], "FULL_OBJECT")
                # botocore asks for checksums by default (when_supported); a client that does
                # not ask gets none.
                plain = self.s3_client(response_checksum_validation="when_required").get_object(
                    Bucket=self.bucket, Key=key)
                self.assertNotIn(member, plain)

                wrong = checksum_b64(algorithm, data + b"!")
                self.expect_error("BadDigest", 400, self.put, self.bucket, key, b"other body",
                                  ChecksumAlgorithm=algorithm, **{member: wrong})
                self.assertEqual(self.body(self.bucket, key), data)

        # boto3 computes CRC32 (its default), SHA1 and SHA256 itself.
        for algorithm in ("CRC32", "SHA1", "SHA256"):
            with self.subTest(boto3_computes=algorithm):
                put = self.put(self.bucket, "boto3-sum", data, ChecksumAlgorithm=algorithm)
                self.assertEqual(put[f"Checksum{algorithm}"], checksum_b64(algorithm, data))

        self.expect_error("InvalidRequest", 400, self.put, self.bucket, "bad-sum", data,
                          ChecksumAlgorithm="CRC32", ChecksumCRC32="not a checksum",
                          message="Value for x-amz-checksum-crc32 header is invalid.")

    def test_an_upload_without_a_checksum_gets_a_crc64nvme(self):
        # Since December 2024 S3 adds a CRC64NVME checksum to objects uploaded without one.
        plain = self.s3_client(request_checksum_calculation="when_required")
        data = b"no checksum sent"
        put = self.put(self.bucket, "unchecked", data, client=plain)
        self.assertNotIn("x-amz-checksum-crc32", put["ResponseMetadata"]["HTTPHeaders"])
        got = self.s3.head_object(Bucket=self.bucket, Key="unchecked", ChecksumMode="ENABLED")
        self.assertEqual(got["ChecksumCRC64NVME"], checksum_b64("CRC64NVME", data))
        self.assertEqual(got["ChecksumType"], "FULL_OBJECT")

    # --- aws-chunked bodies ------------------------------------------------------------------
    def test_aws_chunked_signed_chunks_are_decoded(self):
        data = random_bytes(200 * 1024 + 17)
        status, headers, body = self.put_aws_chunked(self.bucket, "chunked/signed", data,
                                                     signed=True)
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["etag"], etag_of(data))
        got = self.s3.get_object(Bucket=self.bucket, Key="chunked/signed")
        self.assertEqual(got["Body"].read(), data)
        self.assertEqual(got["ContentLength"], len(data))
        self.assertNotIn("aws-chunked", got.get("ContentEncoding", ""))

    def test_aws_chunked_unsigned_with_a_trailing_checksum(self):
        data = random_bytes(150 * 1024 + 3)
        for algorithm in CHECKSUM_ALGORITHMS:
            with self.subTest(algorithm=algorithm):
                key = f"chunked/{algorithm}"
                status, headers, body = self.put_aws_chunked(
                    self.bucket, key, data, signed=False, trailer_algorithm=algorithm)
                self.assertEqual(status, 200, body)
                self.assertEqual(headers["etag"], etag_of(data))
                self.assertEqual(headers[f"x-amz-checksum-{algorithm.lower()}"],
                                 checksum_b64(algorithm, data))
                got = self.s3.get_object(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")
                self.assertEqual(got["Body"].read(), data)
                self.assertEqual(got[f"Checksum{algorithm}"], checksum_b64(algorithm, data))

        answer = self.put_aws_chunked(self.bucket, "chunked/wrong", data, signed=False,
                                      trailer_algorithm="CRC32C",
                                      trailer_value=checksum_b64("CRC32C", b"other"))
        self.assertRawError(answer, "BadDigest", 400)
        self.expect_error("NoSuchKey", 404, self.s3.get_object, Bucket=self.bucket,
                          Key="chunked/wrong")

    # --- presigned URLs ----------------------------------------------------------------------
    def test_presigned_get_and_put_through_curl(self):
        data = random_bytes(64 * 1024)
        key = "presigned/dir with space/ключ+1.bin"
        # None is what boto3 picks for this endpoint: SigV2 query signing. AWS is retiring
        # SigV2, but it is the URL a user of the emulator gets by default, and the open mode
        # takes any credentials.
        for version in ("s3v4", None):
            with self.subTest(signature_version=version):
                presigner = self.presigner(version)
                put_url = presigner.generate_presigned_url(
                    "put_object", Params={"Bucket": self.bucket, "Key": key,
                                          "ContentType": "application/x-test"}, ExpiresIn=300)
                if version == "s3v4":
                    self.assertIn("X-Amz-Signature=", put_url)
                status, headers, body = self.curl(
                    put_url, method="PUT", data_file=self.temp_file(data),
                    headers={"Content-Type": "application/x-test"})
                self.assertEqual(status, 200, body)
                self.assertEqual(headers["etag"], etag_of(data))
                head = self.s3.head_object(Bucket=self.bucket, Key=key)
                self.assertEqual((head["ContentType"], head["ContentLength"]),
                                 ("application/x-test", len(data)))

                get_url = presigner.generate_presigned_url(
                    "get_object", Params={"Bucket": self.bucket, "Key": key,
                                          "ResponseContentDisposition": "attachment"},
                    ExpiresIn=300)
                status, headers, body = self.curl(get_url)
                self.assertEqual(status, 200)
                self.assertEqual(body, data)
                self.assertEqual(headers["content-disposition"], "attachment")
                self.assertEqual(headers["content-length"], str(len(data)))

                status, _, body = self.curl(presigner.generate_presigned_url(
                    "get_object", Params={"Bucket": self.bucket, "Key": "presigned/absent"}))
                self.assertEqual(status, 404)
                self.assertEqual(error_of(body)["Code"], "NoSuchKey")
                self.s3.delete_object(Bucket=self.bucket, Key=key)

    def test_presigned_urls_virtual_host_style_through_curl(self):
        port = urllib.parse.urlsplit(self.server.endpoint).port
        with localhost_subdomains_resolve():
            client = self.virtual_host_client()
            url = client.generate_presigned_url(
                "put_object", Params={"Bucket": self.bucket, "Key": "vh/presigned.txt"})
            self.assertTrue(url.startswith(f"http://{self.bucket}.localhost:{port}/"), url)
            status, _, body = self.curl(url, method="PUT", data_file=self.temp_file(b"vh"),
                                        headers={"Content-Type": ""},
                                        resolve=f"{self.bucket}.localhost:{port}:127.0.0.1")
            self.assertEqual(status, 200, body)
            url = client.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": "vh/presigned.txt"})
            status, _, body = self.curl(url,
                                        resolve=f"{self.bucket}.localhost:{port}:127.0.0.1")
        self.assertEqual((status, body), (200, b"vh"))

    def test_a_large_object_streams_through_put_and_get(self):
        data = random_bytes(8 * MiB + 5)
        self.assertEqual(self.put(self.bucket, "large", data)["ETag"], etag_of(data))
        got = self.s3.get_object(Bucket=self.bucket, Key="large")
        self.assertEqual(got["ContentLength"], len(data))
        self.assertEqual(got["Body"].read(), data)

    def test_objects_either_side_of_the_inline_limit(self):
        """Objects up to 16 KiB live in their row, larger ones in payload files: every path
        that reads or moves bytes must treat both alike."""
        self.s3.put_bucket_versioning(Bucket=self.bucket,
                                      VersioningConfiguration={"Status": "Enabled"})
        sizes = [0, 1, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 64 * 1024]
        blobs = {size: random_bytes(size) for size in sizes}
        for size, data in blobs.items():
            key = f"size-{size}"
            self.assertEqual(self.put(self.bucket, key, data)["ETag"], etag_of(data))
            self.assertEqual(self.body(self.bucket, key), data)
            if size > 10:
                got = self.s3.get_object(Bucket=self.bucket, Key=key, Range="bytes=3-9")
                self.assertEqual(got["Body"].read(), data[3:10])
                self.assertEqual(got["ContentRange"], f"bytes 3-9/{size}")
            self.s3.copy_object(Bucket=self.bucket, Key=key + "-copy",
                                CopySource={"Bucket": self.bucket, "Key": key})
            self.assertEqual(self.body(self.bucket, key + "-copy"), data)

        # Versions of one key that move between row and file keep their own bytes.
        small, large = blobs[16 * 1024], blobs[64 * 1024]
        v_small = self.put(self.bucket, "moving", small)["VersionId"]
        v_large = self.put(self.bucket, "moving", large)["VersionId"]
        v_tiny = self.put(self.bucket, "moving", b"tiny")["VersionId"]
        self.assertEqual(self.body(self.bucket, "moving", VersionId=v_small), small)
        self.assertEqual(self.body(self.bucket, "moving", VersionId=v_large), large)
        self.assertEqual(self.body(self.bucket, "moving"), b"tiny")
        self.s3.delete_object(Bucket=self.bucket, Key="moving", VersionId=v_tiny)
        self.assertEqual(self.body(self.bucket, "moving"), large)
        self.s3.delete_object(Bucket=self.bucket, Key="moving", VersionId=v_large)
        self.assertEqual(self.body(self.bucket, "moving"), small)

        # A part copied from a small object, then completed with a regular part.
        upload = self.s3.create_multipart_upload(Bucket=self.bucket, Key="joined")["UploadId"]
        first = random_bytes(MIN_PART)
        etags = [self.s3.upload_part(Bucket=self.bucket, Key="joined", UploadId=upload,
                                     PartNumber=1, Body=first)["ETag"],
                 self.s3.upload_part_copy(Bucket=self.bucket, Key="joined", UploadId=upload,
                                          PartNumber=2, CopySourceRange="bytes=10-99",
                                          CopySource={"Bucket": self.bucket,
                                                      "Key": "size-16384"}
                                          )["CopyPartResult"]["ETag"]]
        self.s3.complete_multipart_upload(
            Bucket=self.bucket, Key="joined", UploadId=upload,
            MultipartUpload={"Parts": [{"PartNumber": n + 1, "ETag": etag}
                                       for n, etag in enumerate(etags)]})
        self.assertEqual(self.body(self.bucket, "joined"), first + small[10:100])


if __name__ == "__main__":
    unittest.main()
