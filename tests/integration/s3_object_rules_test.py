"""S3's finer object rules through boto3, each found different from AWS once: object
and bucket sub-resources that must reach neither PutObject nor DeleteBucket (legal hold,
retention, the ones not emulated), GetObjectAttributes,
what CopyObject resets and refuses, the tag limits of x-amz-tagging and PutObjectTagging,
timestamps in XML at whole seconds, max-keys=0, and the header and parameter combinations S3
refuses."""

import unittest

from s3_base import MIN_PART, S3TestCase, random_bytes

UNKNOWN_ATTRIBUTE = "Invalid attribute name specified."


class S3ObjectRulesTest(S3TestCase):

    def setUp(self):
        super().setUp()
        self.bucket = self.create_bucket("rules")

    # --- object lock sub-resources -----------------------------------------------------------
    def test_legal_hold_and_retention_never_touch_the_object(self):
        self.put(self.bucket, "precious", b"keep me")
        message = "Bucket is missing Object Lock Configuration"
        self.expect_error("InvalidRequest", 400, self.s3.put_object_legal_hold,
                          Bucket=self.bucket, Key="precious", LegalHold={"Status": "ON"},
                          message=message)
        self.expect_error("InvalidRequest", 400, self.s3.put_object_retention,
                          Bucket=self.bucket, Key="precious",
                          Retention={"Mode": "GOVERNANCE", "RetainUntilDate": "2030-01-01"},
                          message=message)
        self.expect_error("InvalidRequest", 400, self.s3.get_object_legal_hold,
                          Bucket=self.bucket, Key="precious", message=message)
        self.expect_error("InvalidRequest", 400, self.s3.get_object_retention,
                          Bucket=self.bucket, Key="precious", message=message)
        self.assertEqual(self.body(self.bucket, "precious"), b"keep me")
        # A bucket with Object Lock says the settings are not implemented; still no overwrite.
        locked = self.create_bucket("locked", ObjectLockEnabledForBucket=True)
        self.put(locked, "precious", b"keep me too")
        self.expect_error("NotImplemented", 501, self.s3.put_object_legal_hold, Bucket=locked,
                          Key="precious", LegalHold={"Status": "ON"})
        self.assertEqual(self.body(locked, "precious"), b"keep me too")

    def test_sub_resources_not_emulated_touch_neither_bucket_nor_object(self):
        self.put(self.bucket, "kept", b"unchanged")
        self.expect_error("NotImplemented", 501, self.s3.delete_bucket_metrics_configuration,
                          Bucket=self.bucket, Id="m1")
        self.expect_error("NotImplemented", 501, self.s3.get_bucket_policy_status,
                          Bucket=self.bucket)
        self.s3.head_bucket(Bucket=self.bucket)  # still there
        self.expect_error("NoSuchBucket", 404, self.s3.put_bucket_analytics_configuration,
                          Bucket="never-created", Id="a1", AnalyticsConfiguration={
                              "Id": "a1", "StorageClassAnalysis": {}})
        self.expect_error("NoSuchBucket", 404, self.s3.list_objects_v2, Bucket="never-created")
        status, _, _ = self.raw("PUT", f"/{self.bucket}/kept?renameObject", body=b"x",
                                headers={"x-amz-rename-source": f"/{self.bucket}/other"})
        self.assertEqual(status, 501)
        self.assertEqual(self.body(self.bucket, "kept"), b"unchanged")

    # --- GetObjectAttributes -----------------------------------------------------------------
    def test_get_object_attributes_of_a_whole_object(self):
        put = self.put(self.bucket, "whole", b"twelve bytes", ChecksumAlgorithm="SHA256",
                       StorageClass="STANDARD_IA")
        answer = self.s3.get_object_attributes(
            Bucket=self.bucket, Key="whole",
            ObjectAttributes=["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"])
        self.assertEqual(answer["ETag"], put["ETag"].strip('"'))
        self.assertEqual(answer["Checksum"], {"ChecksumSHA256": put["ChecksumSHA256"],
                                              "ChecksumType": "FULL_OBJECT"})
        self.assertNotIn("ObjectParts", answer)
        self.assertEqual(answer["StorageClass"], "STANDARD_IA")
        self.assertEqual(answer["ObjectSize"], 12)
        head = self.s3.head_object(Bucket=self.bucket, Key="whole")
        self.assertEqual(answer["LastModified"], head["LastModified"])
        # Only what was asked for.
        only_size = self.s3.get_object_attributes(Bucket=self.bucket, Key="whole",
                                                  ObjectAttributes=["ObjectSize"])
        self.assertEqual(only_size["ObjectSize"], 12)
        self.assertNotIn("ETag", only_size)
        self.expect_error("InvalidArgument", 400, self.s3.get_object_attributes,
                          Bucket=self.bucket, Key="whole", ObjectAttributes=["Colour"],
                          message=UNKNOWN_ATTRIBUTE)
        self.expect_error("NoSuchKey", 404, self.s3.get_object_attributes, Bucket=self.bucket,
                          Key="absent", ObjectAttributes=["ETag"])

    def test_get_object_attributes_pages_through_the_parts(self):
        sizes = [MIN_PART, MIN_PART, 1000]
        upload = self.s3.create_multipart_upload(Bucket=self.bucket, Key="parts")["UploadId"]
        parts = [{"PartNumber": n, "ETag": self.s3.upload_part(
            Bucket=self.bucket, Key="parts", UploadId=upload, PartNumber=n,
            Body=random_bytes(size))["ETag"]} for n, size in enumerate(sizes, start=1)]
        self.s3.complete_multipart_upload(Bucket=self.bucket, Key="parts", UploadId=upload,
                                          MultipartUpload={"Parts": parts})
        first = self.s3.get_object_attributes(Bucket=self.bucket, Key="parts", MaxParts=2,
                                              ObjectAttributes=["ObjectParts", "ObjectSize"])
        self.assertEqual(first["ObjectSize"], sum(sizes))
        page = first["ObjectParts"]
        self.assertEqual(page["TotalPartsCount"], 3)
        self.assertTrue(page["IsTruncated"])
        self.assertEqual([(p["PartNumber"], p["Size"]) for p in page["Parts"]],
                         [(1, MIN_PART), (2, MIN_PART)])
        rest = self.s3.get_object_attributes(
            Bucket=self.bucket, Key="parts", MaxParts=2,
            PartNumberMarker=page["NextPartNumberMarker"],
            ObjectAttributes=["ObjectParts"])["ObjectParts"]
        self.assertFalse(rest["IsTruncated"])
        self.assertEqual([(p["PartNumber"], p["Size"]) for p in rest["Parts"]], [(3, 1000)])
        # A marker past every part (even the largest int) is an empty last page.
        beyond = self.s3.get_object_attributes(
            Bucket=self.bucket, Key="parts", PartNumberMarker=2147483647,
            ObjectAttributes=["ObjectParts"])["ObjectParts"]
        self.assertFalse(beyond["IsTruncated"])
        self.assertNotIn("Parts", beyond)

    # --- CopyObject --------------------------------------------------------------------------
    def test_copy_object_resets_storage_class_and_redirect(self):
        self.put(self.bucket, "ia", b"infrequent", StorageClass="STANDARD_IA",
                 WebsiteRedirectLocation="/old", Metadata={"kept": "yes"})
        self.s3.copy_object(Bucket=self.bucket, Key="copied", CopySource={
            "Bucket": self.bucket, "Key": "ia"}, WebsiteRedirectLocation="/new")
        head = self.s3.head_object(Bucket=self.bucket, Key="copied")
        self.assertNotIn("StorageClass", head)  # STANDARD: HEAD leaves it out
        self.assertEqual(head["WebsiteRedirectLocation"], "/new")
        self.assertEqual(head["Metadata"], {"kept": "yes"})
        self.s3.copy_object(Bucket=self.bucket, Key="plain", CopySource={
            "Bucket": self.bucket, "Key": "ia"})
        self.assertNotIn("WebsiteRedirectLocation",
                         self.s3.head_object(Bucket=self.bucket, Key="plain"))

    def test_copy_object_onto_itself_may_change_redirect_or_encryption(self):
        self.put(self.bucket, "self", b"me")
        source = {"Bucket": self.bucket, "Key": "self"}
        self.s3.copy_object(Bucket=self.bucket, Key="self", CopySource=source,
                            WebsiteRedirectLocation="/elsewhere")
        self.assertEqual(self.s3.head_object(Bucket=self.bucket, Key="self")[
            "WebsiteRedirectLocation"], "/elsewhere")
        self.s3.copy_object(Bucket=self.bucket, Key="self", CopySource=source,
                            ServerSideEncryption="AES256")
        self.assertEqual(self.body(self.bucket, "self"), b"me")

    def test_copy_object_refusals(self):
        self.put(self.bucket, "cold", b"archived", StorageClass="GLACIER")
        error = self.expect_error(
            "InvalidObjectState", 403, self.s3.copy_object, Bucket=self.bucket, Key="warm",
            CopySource={"Bucket": self.bucket, "Key": "cold"},
            message="Operation is not valid for the source object's storage class")
        self.assertEqual(error["StorageClass"], "GLACIER")
        self.put(self.bucket, "src", b"source")
        self.expect_error("InvalidArgument", 400, self.s3.copy_object, Bucket=self.bucket,
                          Key="dst", CopySource={"Bucket": self.bucket, "Key": "src"},
                          MetadataDirective="BOGUS", message="Unknown metadata directive.")
        self.expect_error("InvalidArgument", 400, self.s3.copy_object, Bucket=self.bucket,
                          Key="dst", CopySource={"Bucket": self.bucket, "Key": "src"},
                          TaggingDirective="BOGUS", message="Unknown tagging directive.")
        versioned = self.create_bucket("versioned-rules")
        self.s3.put_bucket_versioning(Bucket=versioned,
                                      VersioningConfiguration={"Status": "Enabled"})
        self.put(versioned, "gone", b"soon deleted")
        marker = self.s3.delete_object(Bucket=versioned, Key="gone")["VersionId"]
        self.expect_error(
            "InvalidRequest", 400, self.s3.copy_object, Bucket=versioned, Key="revived",
            CopySource={"Bucket": versioned, "Key": "gone", "VersionId": marker},
            message="The source of a copy request may not specifically refer to a delete "
                    "marker by version id.")
        self.expect_error("NoSuchKey", 404, self.s3.copy_object, Bucket=versioned,
                          Key="revived", CopySource={"Bucket": versioned, "Key": "gone"})

    # --- tags --------------------------------------------------------------------------------
    def test_tagging_header_follows_the_tag_set_rules(self):
        too_many = "&".join(f"k{i}=v" for i in range(11))
        self.expect_error("BadRequest", 400, self.put, self.bucket, "t", b"x", Tagging=too_many,
                          message="Object tags cannot be greater than 10")
        self.expect_error("InvalidTag", 400, self.put, self.bucket, "t", b"x", Tagging="a=1&a=2",
                          message="Cannot provide multiple Tags with the same key")
        self.expect_error("InvalidTag", 400, self.put, self.bucket, "t", b"x",
                          Tagging="a=" + "v" * 257,
                          message="The TagValue you have provided is invalid")
        self.expect_error("NoSuchKey", 404, self.s3.get_object, Bucket=self.bucket, Key="t")
        self.put(self.bucket, "src", b"x")
        self.expect_error("InvalidTag", 400, self.s3.copy_object, Bucket=self.bucket, Key="t",
                          CopySource={"Bucket": self.bucket, "Key": "src"},
                          TaggingDirective="REPLACE", Tagging="aws:reserved=1")

    def test_tag_limits_count_characters(self):
        self.put(self.bucket, "tagged", b"x")

        def tag(key, value):
            return self.s3.put_object_tagging(Bucket=self.bucket, Key="tagged", Tagging={
                "TagSet": [{"Key": key, "Value": value}]})

        tag("é" * 128, "ü" * 256)  # 128 and 256 characters, twice as many bytes
        self.assertEqual(self.s3.get_object_tagging(Bucket=self.bucket, Key="tagged")["TagSet"],
                         [{"Key": "é" * 128, "Value": "ü" * 256}])
        self.expect_error("InvalidTag", 400, tag, "k" * 129, "v",
                          message="The TagKey you have provided is invalid")
        self.expect_error("InvalidTag", 400, tag, "k", "v" * 257,
                          message="The TagValue you have provided is invalid")
        self.expect_error("InvalidTag", 400, tag, "aws:owner", "v")

    # --- timestamps and header combinations --------------------------------------------------
    def test_xml_timestamps_are_whole_seconds_as_head_gives_them(self):
        self.put(self.bucket, "stamp", b"x")
        head = self.s3.head_object(Bucket=self.bucket, Key="stamp")
        listed = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="stamp")["Contents"][0]
        self.assertEqual(listed["LastModified"], head["LastModified"])
        self.assertEqual(listed["LastModified"].microsecond, 0)
        copied = self.s3.copy_object(Bucket=self.bucket, Key="stamp-copy", CopySource={
            "Bucket": self.bucket, "Key": "stamp"})["CopyObjectResult"]
        self.assertEqual(copied["LastModified"].microsecond, 0)

    def test_max_keys_zero_lists_nothing_and_is_not_truncated(self):
        self.put(self.bucket, "a", b"1")
        v2 = self.s3.list_objects_v2(Bucket=self.bucket, MaxKeys=0)
        self.assertEqual((v2["KeyCount"], v2["IsTruncated"]), (0, False))
        self.assertNotIn("NextContinuationToken", v2)
        v1 = self.s3.list_objects(Bucket=self.bucket, MaxKeys=0)
        self.assertEqual((v1.get("Contents"), v1["IsTruncated"]), (None, False))
        versions = self.s3.list_object_versions(Bucket=self.bucket, MaxKeys=0)
        self.assertEqual((versions.get("Versions"), versions["IsTruncated"]), (None, False))

    def test_range_and_part_number_together_are_refused(self):
        self.put(self.bucket, "ranged", b"0123456789")
        self.expect_error("InvalidRequest", 400, self.s3.get_object, Bucket=self.bucket,
                          Key="ranged", PartNumber=1, Range="bytes=0-1",
                          message="Cannot specify both Range header and partNumber query "
                                  "parameter")

    def test_response_overrides_need_a_signed_or_presigned_request(self):
        self.put(self.bucket, "report.csv", b"a,b\n")
        answer = self.raw("GET", f"/{self.bucket}/report.csv?response-content-type=text%2Fplain",
                          sign=False)
        self.assertRawError(answer, "InvalidRequest", 400)
        self.assertEqual(self.raw("GET", f"/{self.bucket}/report.csv", sign=False)[0], 200)
        url = self.presigner().generate_presigned_url("get_object", Params={
            "Bucket": self.bucket, "Key": "report.csv",
            "ResponseContentDisposition": 'attachment; filename="r.csv"'})
        status, headers, body = self.curl(url)
        self.assertEqual((status, body), (200, b"a,b\n"))
        self.assertEqual(headers["content-disposition"], 'attachment; filename="r.csv"')

    def test_if_none_match_on_put_takes_only_a_star(self):
        etag = self.put(self.bucket, "cond", b"v1")["ETag"]
        self.expect_error("NotImplemented", 501, self.put, self.bucket, "cond", b"v2",
                          IfNoneMatch=etag)
        self.assertEqual(self.body(self.bucket, "cond"), b"v1")
        self.expect_error("PreconditionFailed", 412, self.put, self.bucket, "cond", b"v2",
                          IfNoneMatch="*")


if __name__ == "__main__":
    unittest.main()
