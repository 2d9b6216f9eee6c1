"""S3 multipart uploads through boto3: create, upload parts (also copied from objects), list
parts and uploads, complete (the multipart ETag, part order and size rules), abort; and
boto3's transfer manager (upload_file/download_file) with small thresholds, including one
50 MiB round trip compared by hash."""

import hashlib
import os
import tempfile
import unittest

from boto3.s3.transfer import TransferConfig

from s3_base import MIN_PART, MiB, S3TestCase, etag_of, multipart_etag, random_bytes


class S3MultipartTest(S3TestCase):

    def setUp(self):
        super().setUp()
        self.bucket = self.create_bucket("multipart")

    def start(self, key, **request):
        return self.s3.create_multipart_upload(Bucket=self.bucket, Key=key, **request)["UploadId"]

    def upload_part(self, key, upload_id, number, data):
        return self.s3.upload_part(Bucket=self.bucket, Key=key, UploadId=upload_id,
                                   PartNumber=number, Body=data)["ETag"]

    def complete(self, key, upload_id, parts, **request):
        """`parts` is a list of (part number, ETag)."""
        return self.s3.complete_multipart_upload(
            Bucket=self.bucket, Key=key, UploadId=upload_id,
            MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e in parts]},
            **request)

    def uploads(self, **request):
        return self.s3.list_multipart_uploads(Bucket=self.bucket, **request).get("Uploads", [])

    # --- the whole flow ----------------------------------------------------------------------
    def test_create_upload_complete_and_the_multipart_etag(self):
        parts = [random_bytes(MIN_PART), random_bytes(MIN_PART), random_bytes(1234)]
        created = self.s3.create_multipart_upload(
            Bucket=self.bucket, Key="big/object.bin", ContentType="application/x-big",
            Metadata={"kind": "multipart"}, StorageClass="STANDARD_IA", Tagging="via=mpu")
        self.assertEqual((created["Bucket"], created["Key"]), (self.bucket, "big/object.bin"))
        upload_id = created["UploadId"]
        self.assertTrue(upload_id)

        etags = []
        for number, data in enumerate(parts, start=1):
            etag = self.upload_part("big/object.bin", upload_id, number, data)
            self.assertEqual(etag, etag_of(data))
            etags.append((number, etag))
        # Nothing is visible before CompleteMultipartUpload.
        self.expect_error("NoSuchKey", 404, self.s3.get_object, Bucket=self.bucket,
                          Key="big/object.bin")

        done = self.complete("big/object.bin", upload_id, etags)
        expected_etag = multipart_etag(parts)
        self.assertEqual(done["ETag"], expected_etag)
        self.assertEqual((done["Bucket"], done["Key"]), (self.bucket, "big/object.bin"))
        self.assertIn("big/object.bin", done["Location"])

        got = self.s3.get_object(Bucket=self.bucket, Key="big/object.bin")
        self.assertEqual(hashlib.sha256(got["Body"].read()).hexdigest(),
                         hashlib.sha256(b"".join(parts)).hexdigest())
        self.assertEqual(got["ETag"], expected_etag)
        self.assertEqual(got["ContentLength"], sum(map(len, parts)))
        self.assertEqual((got["ContentType"], got["Metadata"], got["StorageClass"]),
                         ("application/x-big", {"kind": "multipart"}, "STANDARD_IA"))
        self.assertEqual(got["TagCount"], 1)
        listed = self.s3.list_objects_v2(Bucket=self.bucket)["Contents"]
        self.assertEqual([(o["Key"], o["ETag"], o["Size"]) for o in listed],
                         [("big/object.bin", expected_etag, sum(map(len, parts)))])

        # Reading by part number answers that part, and the part count.
        part_two = self.s3.get_object(Bucket=self.bucket, Key="big/object.bin", PartNumber=2)
        self.assertEqual(part_two["ResponseMetadata"]["HTTPStatusCode"], 206)
        self.assertEqual(part_two["PartsCount"], 3)
        self.assertEqual(part_two["ContentRange"],
                         f"bytes {MIN_PART}-{2 * MIN_PART - 1}/{sum(map(len, parts))}")
        self.assertEqual(part_two["Body"].read(), parts[1])
        self.assertEqual(self.s3.head_object(Bucket=self.bucket, Key="big/object.bin",
                                             PartNumber=3)["ContentLength"], 1234)
        # The upload is gone once completed.
        self.assertEqual(self.uploads(), [])
        self.expect_error("NoSuchUpload", 404, self.s3.list_parts, Bucket=self.bucket,
                          Key="big/object.bin", UploadId=upload_id)

    def test_a_single_small_part_and_parts_uploaded_again_or_skipped(self):
        upload_id = self.start("small")
        only = self.upload_part("small", upload_id, 1, b"tiny")
        self.assertEqual(self.complete("small", upload_id, [(1, only)])["ETag"],
                         multipart_etag([b"tiny"]))
        self.assertEqual(self.body(self.bucket, "small"), b"tiny")

        # Part numbers need not be contiguous, and a part uploaded again replaces the first.
        upload_id = self.start("gappy")
        first = random_bytes(MIN_PART)
        self.upload_part("gappy", upload_id, 3, random_bytes(MIN_PART))
        three = self.upload_part("gappy", upload_id, 3, first)
        seven = self.upload_part("gappy", upload_id, 7, b"the end")
        self.upload_part("gappy", upload_id, 9, b"left out of the object")
        done = self.complete("gappy", upload_id, [(3, three), (7, seven)])
        self.assertEqual(done["ETag"], multipart_etag([first, b"the end"]))
        self.assertEqual(self.body(self.bucket, "gappy"), first + b"the end")

    def test_complete_replaces_an_existing_object_and_honours_if_none_match(self):
        self.put(self.bucket, "existing", b"old body")
        upload_id = self.start("existing")
        etag = self.upload_part("existing", upload_id, 1, b"new body")
        self.expect_error("PreconditionFailed", 412, self.complete, "existing", upload_id,
                          [(1, etag)], IfNoneMatch="*")
        self.assertEqual(self.body(self.bucket, "existing"), b"old body")
        # Without the condition a multipart upload replaces the object (a fresh upload: what
        # becomes of one whose completion failed a precondition is not documented).
        upload_id = self.start("existing")
        etag = self.upload_part("existing", upload_id, 1, b"new body")
        self.complete("existing", upload_id, [(1, etag)])
        self.assertEqual(self.body(self.bucket, "existing"), b"new body")

    # --- UploadPartCopy ----------------------------------------------------------------------
    def test_upload_part_copy_whole_objects_and_ranges(self):
        source = random_bytes(MIN_PART + 1000)
        self.create_bucket("copy-source")
        self.put("copy-source", "src dir/ünicode+source", source)
        upload_id = self.start("assembled")
        copied = self.s3.upload_part_copy(
            Bucket=self.bucket, Key="assembled", UploadId=upload_id, PartNumber=1,
            CopySource={"Bucket": "copy-source", "Key": "src dir/ünicode+source"},
            CopySourceRange=f"bytes=0-{MIN_PART - 1}")
        first = source[:MIN_PART]
        self.assertEqual(copied["CopyPartResult"]["ETag"], etag_of(first))
        self.assertIn("LastModified", copied["CopyPartResult"])
        whole = self.s3.upload_part_copy(
            Bucket=self.bucket, Key="assembled", UploadId=upload_id, PartNumber=2,
            CopySource={"Bucket": "copy-source", "Key": "src dir/ünicode+source"})
        self.assertEqual(whole["CopyPartResult"]["ETag"], etag_of(source))
        last = self.upload_part("assembled", upload_id, 3, b"tail")
        done = self.complete("assembled", upload_id,
                             [(1, etag_of(first)), (2, etag_of(source)), (3, last)])
        self.assertEqual(done["ETag"], multipart_etag([first, source, b"tail"]))
        self.assertEqual(self.body(self.bucket, "assembled"), first + source + b"tail")

    def test_upload_part_copy_errors(self):
        self.put(self.bucket, "src", b"0123456789")
        upload_id = self.start("dest")
        self.expect_error("InvalidArgument", 400, self.s3.upload_part_copy, Bucket=self.bucket,
                          Key="dest", UploadId=upload_id, PartNumber=1,
                          CopySource={"Bucket": self.bucket, "Key": "src"},
                          CopySourceRange="bytes=5-100",
                          message="Range specified is not valid for source object of size: 10")
        self.expect_error("NoSuchKey", 404, self.s3.upload_part_copy, Bucket=self.bucket,
                          Key="dest", UploadId=upload_id, PartNumber=1,
                          CopySource={"Bucket": self.bucket, "Key": "absent"})
        self.expect_error("PreconditionFailed", 412, self.s3.upload_part_copy,
                          Bucket=self.bucket, Key="dest", UploadId=upload_id, PartNumber=1,
                          CopySource={"Bucket": self.bucket, "Key": "src"},
                          CopySourceIfMatch='"different"')
        self.expect_error("NoSuchUpload", 404, self.s3.upload_part_copy, Bucket=self.bucket,
                          Key="dest", UploadId="not-an-upload", PartNumber=1,
                          CopySource={"Bucket": self.bucket, "Key": "src"})

    # --- ListParts / ListMultipartUploads ----------------------------------------------------
    def test_list_parts_in_pages(self):
        upload_id = self.start("listed", StorageClass="ONEZONE_IA")
        data = {n: f"part {n}".encode() * n for n in (1, 2, 3, 5)}
        for number in (5, 1, 3, 2):  # uploaded out of order, listed in order
            self.upload_part("listed", upload_id, number, data[number])
        listed = self.s3.list_parts(Bucket=self.bucket, Key="listed", UploadId=upload_id)
        self.assertEqual([(p["PartNumber"], p["ETag"], p["Size"]) for p in listed["Parts"]],
                         [(n, etag_of(data[n]), len(data[n])) for n in (1, 2, 3, 5)])
        self.assertTrue(all("LastModified" in p for p in listed["Parts"]))
        self.assertEqual((listed["Bucket"], listed["Key"], listed["UploadId"]),
                         (self.bucket, "listed", upload_id))
        self.assertEqual((listed["StorageClass"], listed["IsTruncated"], listed["MaxParts"]),
                         ("ONEZONE_IA", False, 1000))
        self.assertTrue(listed["Initiator"]["ID"])
        self.assertTrue(listed["Owner"]["ID"])

        first = self.s3.list_parts(Bucket=self.bucket, Key="listed", UploadId=upload_id,
                                   MaxParts=2)
        self.assertEqual([p["PartNumber"] for p in first["Parts"]], [1, 2])
        self.assertTrue(first["IsTruncated"])
        self.assertEqual(first["NextPartNumberMarker"], 2)
        rest = self.s3.list_parts(Bucket=self.bucket, Key="listed", UploadId=upload_id,
                                  PartNumberMarker=first["NextPartNumberMarker"])
        self.assertEqual([p["PartNumber"] for p in rest["Parts"]], [3, 5])
        self.assertFalse(rest["IsTruncated"])
        self.assertEqual(rest["PartNumberMarker"], 2)

    def test_list_multipart_uploads(self):
        first = self.start("a/one")
        second = self.start("a/one")
        third = self.start("b/two")
        self.start("c")
        uploads = self.uploads()
        self.assertEqual([u["Key"] for u in uploads], ["a/one", "a/one", "b/two", "c"])
        self.assertEqual({u["UploadId"] for u in uploads[:2]}, {first, second})
        self.assertEqual(uploads[2]["UploadId"], third)
        self.assertTrue(all(u["StorageClass"] == "STANDARD" and "Initiated" in u
                            for u in uploads))

        by_prefix = self.s3.list_multipart_uploads(Bucket=self.bucket, Prefix="b/")
        self.assertEqual([u["Key"] for u in by_prefix["Uploads"]], ["b/two"])
        self.assertEqual(by_prefix["Prefix"], "b/")
        rolled = self.s3.list_multipart_uploads(Bucket=self.bucket, Delimiter="/")
        self.assertEqual([u["Key"] for u in rolled["Uploads"]], ["c"])
        self.assertEqual([p["Prefix"] for p in rolled["CommonPrefixes"]], ["a/", "b/"])

        page = self.s3.list_multipart_uploads(Bucket=self.bucket, MaxUploads=3)
        self.assertEqual(len(page["Uploads"]), 3)
        self.assertTrue(page["IsTruncated"])
        self.assertEqual(page["NextKeyMarker"], "b/two")
        self.assertEqual(page["NextUploadIdMarker"], third)
        rest = self.s3.list_multipart_uploads(Bucket=self.bucket, KeyMarker=page["NextKeyMarker"],
                                              UploadIdMarker=page["NextUploadIdMarker"])
        self.assertEqual([u["Key"] for u in rest["Uploads"]], ["c"])
        self.assertFalse(rest["IsTruncated"])

    def test_list_multipart_uploads_pages_by_position_and_counts_common_prefixes(self):
        same = [self.start("same") for _ in range(3)]
        for key in ("a/1", "a/2", "a/3", "b"):
            self.start(key)
        listed_order = [(u["Key"], u["UploadId"]) for u in self.uploads()]
        self.assertEqual(sorted(u for k, u in listed_order if k == "same"), sorted(same))

        # One upload a page: each once, in the listing's order, whatever their ids' order.
        seen, request = [], {}
        while True:
            page = self.s3.list_multipart_uploads(Bucket=self.bucket, MaxUploads=1, **request)
            seen += [(u["Key"], u["UploadId"]) for u in page.get("Uploads", [])]
            if not page["IsTruncated"]:
                break
            request = {"KeyMarker": page["NextKeyMarker"],
                       "UploadIdMarker": page["NextUploadIdMarker"]}
        self.assertEqual(seen, listed_order)

        # With a delimiter, a common prefix counts as one entry and comes once.
        entries, request = [], {}
        while True:
            page = self.s3.list_multipart_uploads(Bucket=self.bucket, Delimiter="/",
                                                  MaxUploads=1, **request)
            got = ([p["Prefix"] for p in page.get("CommonPrefixes", [])] +
                   [u["Key"] for u in page.get("Uploads", [])])
            self.assertEqual(len(got), 1, page)
            entries += got
            if not page["IsTruncated"]:
                break
            request = {"KeyMarker": page["NextKeyMarker"]}
            if "NextUploadIdMarker" in page:
                request["UploadIdMarker"] = page["NextUploadIdMarker"]
        self.assertEqual(entries, ["a/", "b", "same", "same", "same"])

    # --- AbortMultipartUpload ----------------------------------------------------------------
    def test_abort_discards_the_upload_and_its_parts(self):
        self.put(self.bucket, "kept", b"previous")
        upload_id = self.start("kept")
        self.upload_part("kept", upload_id, 1, b"never seen")
        aborted = self.s3.abort_multipart_upload(Bucket=self.bucket, Key="kept",
                                                 UploadId=upload_id)
        self.assertEqual(aborted["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.uploads(), [])
        self.assertEqual(self.body(self.bucket, "kept"), b"previous")
        for call, extra in ((self.s3.list_parts, {}),
                            (self.s3.upload_part, {"PartNumber": 2, "Body": b"late"}),
                            (self.s3.abort_multipart_upload, {})):
            with self.subTest(operation=call.__name__):
                error = self.expect_error("NoSuchUpload", 404, call, Bucket=self.bucket,
                                          Key="kept", UploadId=upload_id, **extra)
                self.assertEqual(error.get("UploadId"), upload_id)
        self.expect_error("NoSuchUpload", 404, self.complete, "kept", upload_id,
                          [(1, etag_of(b"never seen"))],
                          message="The specified upload does not exist. The upload ID may be "
                                  "invalid, or the upload may have been aborted or completed.")

    # --- completion rules --------------------------------------------------------------------
    def test_complete_rules_invalid_part_order_and_size(self):
        upload_id = self.start("rules")
        big = [random_bytes(MIN_PART), random_bytes(MIN_PART)]
        etags = [self.upload_part("rules", upload_id, n, d) for n, d in enumerate(big, start=1)]
        small = self.upload_part("rules", upload_id, 3, b"small")
        small_too = self.upload_part("rules", upload_id, 4, b"small too")

        error = self.expect_error("InvalidPart", 400, self.complete, "rules", upload_id,
                                  [(1, etags[0]), (2, etag_of(b"not what was uploaded"))])
        self.assertEqual(error.get("PartNumber"), "2")
        error = self.expect_error("InvalidPart", 400, self.complete, "rules", upload_id,
                                  [(1, etags[0]), (6, etags[1])])
        self.assertEqual(error.get("PartNumber"), "6")
        self.expect_error("InvalidPartOrder", 400, self.complete, "rules", upload_id,
                          [(2, etags[1]), (1, etags[0])],
                          message="The list of parts was not in ascending order. Parts must "
                                  "be ordered by part number.")
        self.expect_error("InvalidPartOrder", 400, self.complete, "rules", upload_id,
                          [(1, etags[0]), (1, etags[0])])
        error = self.expect_error("EntityTooSmall", 400, self.complete, "rules", upload_id,
                                  [(1, etags[0]), (3, small), (4, small_too)],
                                  message="Your proposed upload is smaller than the minimum "
                                          "allowed size")
        self.assertEqual(error.get("MinSizeAllowed"), str(MIN_PART))
        self.expect_error("MalformedXML", 400, self.s3.complete_multipart_upload,
                          Bucket=self.bucket, Key="rules", UploadId=upload_id,
                          MultipartUpload={"Parts": []})

        # None of that consumed the upload: a correct list still completes it.
        self.expect_error("NoSuchKey", 404, self.s3.get_object, Bucket=self.bucket, Key="rules")
        done = self.complete("rules", upload_id, [(1, etags[0]), (2, etags[1]), (4, small_too)])
        self.assertEqual(done["ETag"], multipart_etag(big + [b"small too"]))

    def test_part_numbers_outside_1_to_10000_are_invalid(self):
        upload_id = self.start("numbers")
        for number in (0, 10001):
            with self.subTest(part_number=number):
                self.expect_error("InvalidArgument", 400, self.s3.upload_part,
                                  Bucket=self.bucket, Key="numbers", UploadId=upload_id,
                                  PartNumber=number, Body=b"x",
                                  message="Part number must be an integer between 1 and 10000, "
                                          "inclusive")
        self.upload_part("numbers", upload_id, 10000, b"last possible")

    def test_no_such_upload_and_no_such_bucket(self):
        self.expect_error("NoSuchUpload", 404, self.s3.upload_part, Bucket=self.bucket, Key="k",
                          UploadId="bogus-upload-id", PartNumber=1, Body=b"x")
        self.expect_error("NoSuchUpload", 404, self.complete, "k", "bogus-upload-id",
                          [(1, etag_of(b"x"))])
        # An upload id belongs to its key.
        upload_id = self.start("owner-key")
        self.expect_error("NoSuchUpload", 404, self.s3.upload_part, Bucket=self.bucket,
                          Key="other-key", UploadId=upload_id, PartNumber=1, Body=b"x")
        self.expect_error("NoSuchBucket", 404, self.s3.create_multipart_upload,
                          Bucket="no-such-bucket", Key="k")

    # --- the transfer manager ----------------------------------------------------------------
    def transfer_round_trip(self, size, chunk):
        config = TransferConfig(multipart_threshold=chunk, multipart_chunksize=chunk,
                                max_concurrency=4)
        with tempfile.TemporaryDirectory(prefix="awsemu-s3-transfer-") as scratch:
            source, target = os.path.join(scratch, "up.bin"), os.path.join(scratch, "down.bin")
            digest, parts = hashlib.sha256(), []
            with open(source, "wb") as f:
                remaining = size
                while remaining:
                    part = random_bytes(min(chunk, remaining))
                    f.write(part)
                    digest.update(part)
                    parts.append(part)
                    remaining -= len(part)
            key = f"transfer/{size}"
            self.s3.upload_file(source, self.bucket, key, Config=config,
                                ExtraArgs={"ContentType": "application/x-transfer"})
            head = self.s3.head_object(Bucket=self.bucket, Key=key)
            self.assertEqual(head["ETag"], multipart_etag(parts))
            self.assertEqual((head["ContentLength"], head["ContentType"]),
                             (size, "application/x-transfer"))
            parts.clear()
            # download_file fetches ranges of `chunk` bytes concurrently.
            self.s3.download_file(self.bucket, key, target, Config=config)
            with open(target, "rb") as f:
                downloaded = hashlib.sha256()
                for block in iter(lambda: f.read(MiB), b""):
                    downloaded.update(block)
            self.assertEqual(downloaded.hexdigest(), digest.hexdigest())

    def test_upload_file_and_download_file_with_a_small_threshold(self):
        self.transfer_round_trip(12 * MiB + 321, MIN_PART)

    def test_a_50_mib_file_round_trip(self):
        self.transfer_round_trip(50 * MiB, 8 * MiB)


if __name__ == "__main__":
    unittest.main()
