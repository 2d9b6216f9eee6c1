"""S3 versioning through boto3: version ids, delete markers, Get/Head/Delete/Copy with a
versionId, ListObjectVersions (order, prefix, delimiter, pages), suspended versioning and the
"null" version, NoSuchVersion, and what a versioned bucket needs before it can be deleted."""

import unittest

from s3_base import S3TestCase, etag_of

NO_SUCH_VERSION = "The specified version does not exist."


class S3VersioningTest(S3TestCase):

    def setUp(self):
        super().setUp()
        self.bucket = self.create_bucket("versions")
        self.enable(self.bucket)

    def enable(self, bucket, status="Enabled"):
        self.s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": status})

    def versions(self, bucket=None, **request):
        """(key, version id, is latest, kind) for every entry ListObjectVersions gives, versions
        and delete markers merged in S3's order: by key, newest first."""
        listed = self.s3.list_object_versions(Bucket=bucket or self.bucket, **request)
        entries = [(v["Key"], v["VersionId"], v["IsLatest"], "version", v["LastModified"])
                   for v in listed.get("Versions", [])]
        entries += [(m["Key"], m["VersionId"], m["IsLatest"], "marker", m["LastModified"])
                    for m in listed.get("DeleteMarkers", [])]
        # A stable sort: within one second each list keeps S3's own (newest first) order.
        entries.sort(key=lambda e: (e[0].encode(), not e[2], -e[4].timestamp()))
        return [e[:4] for e in entries]

    # --- version ids -------------------------------------------------------------------------
    def test_every_put_makes_a_version(self):
        bodies = [b"one", b"two", b"three"]
        ids = [self.put(self.bucket, "doc", body)["VersionId"] for body in bodies]
        self.assertEqual(len(set(ids)), 3)
        self.assertNotIn("null", ids)

        latest = self.s3.get_object(Bucket=self.bucket, Key="doc")
        self.assertEqual((latest["Body"].read(), latest["VersionId"]), (b"three", ids[2]))
        for body, version_id in zip(bodies, ids):
            with self.subTest(version=body):
                got = self.s3.get_object(Bucket=self.bucket, Key="doc", VersionId=version_id)
                self.assertEqual((got["Body"].read(), got["VersionId"], got["ETag"]),
                                 (body, version_id, etag_of(body)))
                head = self.s3.head_object(Bucket=self.bucket, Key="doc", VersionId=version_id)
                self.assertEqual((head["ContentLength"], head["VersionId"]),
                                 (len(body), version_id))

        listed = self.s3.list_object_versions(Bucket=self.bucket)
        self.assertEqual([(v["VersionId"], v["IsLatest"], v["Size"], v["ETag"])
                          for v in listed["Versions"]],
                         [(ids[2], True, 5, etag_of(b"three")), (ids[1], False, 3, etag_of(b"two")),
                          (ids[0], False, 3, etag_of(b"one"))])
        self.assertNotIn("DeleteMarkers", listed)
        self.assertEqual([o["Key"] for o in self.s3.list_objects_v2(Bucket=self.bucket)
                          ["Contents"]], ["doc"])

    # --- delete markers ----------------------------------------------------------------------
    def test_delete_without_a_version_leaves_a_delete_marker(self):
        kept = self.put(self.bucket, "doc", b"kept")["VersionId"]
        deleted = self.s3.delete_object(Bucket=self.bucket, Key="doc")
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertIs(deleted["DeleteMarker"], True)
        marker = deleted["VersionId"]
        self.assertNotIn(marker, (kept, "null"))

        error = self.expect_error("NoSuchKey", 404, self.s3.get_object, Bucket=self.bucket,
                                  Key="doc")
        self.assertEqual(error["Headers"].get("x-amz-delete-marker"), "true")
        self.assertEqual(error["Headers"].get("x-amz-version-id"), marker)
        error = self.expect_error("404", 404, self.s3.head_object, Bucket=self.bucket, Key="doc")
        self.assertEqual(error["Headers"].get("x-amz-delete-marker"), "true")
        self.assertEqual(self.body(self.bucket, "doc", VersionId=kept), b"kept")
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket=self.bucket))
        self.assertEqual(self.versions(), [("doc", marker, True, "marker"),
                                           ("doc", kept, False, "version")])

        # A delete marker has no body: reading it by version id is not allowed.
        error = self.expect_error("MethodNotAllowed", 405, self.s3.get_object,
                                  Bucket=self.bucket, Key="doc", VersionId=marker,
                                  message="The specified method is not allowed against this "
                                          "resource.")
        self.assertEqual(error["Headers"].get("x-amz-delete-marker"), "true")
        self.expect_error("405", 405, self.s3.head_object, Bucket=self.bucket, Key="doc",
                          VersionId=marker)

        # Deleting the marker brings the object back.
        removed = self.s3.delete_object(Bucket=self.bucket, Key="doc", VersionId=marker)
        self.assertIs(removed["DeleteMarker"], True)
        self.assertEqual(removed["VersionId"], marker)
        self.assertEqual(self.body(self.bucket, "doc"), b"kept")
        self.assertEqual(self.versions(), [("doc", kept, True, "version")])

    def test_deleting_a_version_removes_it_for_good(self):
        first = self.put(self.bucket, "doc", b"first")["VersionId"]
        second = self.put(self.bucket, "doc", b"second")["VersionId"]
        gone = self.s3.delete_object(Bucket=self.bucket, Key="doc", VersionId=second)
        self.assertEqual(gone["VersionId"], second)
        self.assertNotIn("DeleteMarker", gone)
        # The previous version is current again.
        got = self.s3.get_object(Bucket=self.bucket, Key="doc")
        self.assertEqual((got["Body"].read(), got["VersionId"]), (b"first", first))
        error = self.expect_error("NoSuchVersion", 404, self.s3.get_object, Bucket=self.bucket,
                                  Key="doc", VersionId=second, message=NO_SUCH_VERSION)
        self.assertEqual((error.get("Key"), error.get("VersionId")), ("doc", second))
        self.expect_error("404", 404, self.s3.head_object, Bucket=self.bucket, Key="doc",
                          VersionId=second)
        self.assertEqual(self.versions(), [("doc", first, True, "version")])

    def test_a_version_id_of_another_key_is_no_such_version(self):
        other = self.put(self.bucket, "other", b"x")["VersionId"]
        self.put(self.bucket, "doc", b"y")
        error = self.expect_error("NoSuchVersion", 404, self.s3.get_object, Bucket=self.bucket,
                                  Key="doc", VersionId=other, message=NO_SUCH_VERSION)
        self.assertEqual(error.get("VersionId"), other)
        self.expect_error("NoSuchVersion", 404, self.s3.get_object_tagging, Bucket=self.bucket,
                          Key="doc", VersionId=other)

    def test_an_unversioned_bucket_has_only_the_null_version(self):
        self.create_bucket("plain")
        put = self.put("plain", "doc", b"only")
        self.assertNotIn("VersionId", put)
        self.assertEqual(self.body("plain", "doc", VersionId="null"), b"only")
        self.expect_error("InvalidArgument", 400, self.s3.get_object, Bucket="plain", Key="doc",
                          VersionId="3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY",
                          message="Invalid version id specified")
        self.assertNotIn("Status", self.s3.get_bucket_versioning(Bucket="plain"))

    # --- suspended versioning ----------------------------------------------------------------
    def test_suspended_versioning_writes_the_null_version(self):
        self.create_bucket("nullable")
        self.put("nullable", "doc", b"before versioning")
        self.enable("nullable")
        enabled = self.put("nullable", "doc", b"while enabled")["VersionId"]
        self.assertEqual(self.versions("nullable"), [("doc", enabled, True, "version"),
                                                     ("doc", "null", False, "version")])
        self.assertEqual(self.body("nullable", "doc", VersionId="null"), b"before versioning")

        self.enable("nullable", "Suspended")
        self.put("nullable", "doc", b"while suspended")
        # The new null version replaced the old one; the enabled-era version stays.
        self.assertEqual(self.versions("nullable"), [("doc", "null", True, "version"),
                                                     ("doc", enabled, False, "version")])
        got = self.s3.get_object(Bucket="nullable", Key="doc")
        self.assertEqual((got["Body"].read(), got["VersionId"]), (b"while suspended", "null"))
        self.assertEqual(self.body("nullable", "doc", VersionId=enabled), b"while enabled")

        # A delete while suspended puts a null delete marker in place of the null version.
        deleted = self.s3.delete_object(Bucket="nullable", Key="doc")
        self.assertIs(deleted["DeleteMarker"], True)
        self.assertEqual(deleted["VersionId"], "null")
        self.assertEqual(self.versions("nullable"), [("doc", "null", True, "marker"),
                                                     ("doc", enabled, False, "version")])
        self.expect_error("NoSuchKey", 404, self.s3.get_object, Bucket="nullable", Key="doc")

    # --- ListObjectVersions ------------------------------------------------------------------
    def test_list_object_versions_order_prefix_delimiter_and_pages(self):
        a1 = self.put(self.bucket, "a", b"a1")["VersionId"]
        a2 = self.put(self.bucket, "a", b"a2")["VersionId"]
        b1 = self.put(self.bucket, "b", b"b1")["VersionId"]
        b_marker = self.s3.delete_object(Bucket=self.bucket, Key="b")["VersionId"]
        c1 = self.put(self.bucket, "c/d", b"cd")["VersionId"]
        everything = [("a", a2, True, "version"), ("a", a1, False, "version"),
                      ("b", b_marker, True, "marker"), ("b", b1, False, "version"),
                      ("c/d", c1, True, "version")]
        self.assertEqual(self.versions(), everything)

        listed = self.s3.list_object_versions(Bucket=self.bucket)
        marker = listed["DeleteMarkers"][0]
        self.assertEqual((marker["Key"], marker["VersionId"], marker["IsLatest"]),
                         ("b", b_marker, True))
        self.assertTrue(marker["Owner"]["ID"])
        self.assertEqual({v["StorageClass"] for v in listed["Versions"]}, {"STANDARD"})

        self.assertEqual(self.versions(Prefix="c/"), [("c/d", c1, True, "version")])
        rolled = self.s3.list_object_versions(Bucket=self.bucket, Delimiter="/")
        self.assertEqual(rolled["CommonPrefixes"], [{"Prefix": "c/"}])
        self.assertEqual(sorted(v["Key"] for v in rolled["Versions"]), ["a", "a", "b"])

        # Pages of two entries, versions and delete markers counted alike.
        seen, request = [], {"MaxKeys": 2}
        while True:
            page = self.s3.list_object_versions(Bucket=self.bucket, **request)
            entries = page.get("Versions", []) + page.get("DeleteMarkers", [])
            self.assertLessEqual(len(entries), 2)
            seen += [(e["Key"], e["VersionId"]) for e in entries]
            if not page["IsTruncated"]:
                break
            request = {"MaxKeys": 2, "KeyMarker": page["NextKeyMarker"],
                       "VersionIdMarker": page["NextVersionIdMarker"]}
        self.assertEqual(sorted(seen), sorted((k, v) for k, v, _, _ in everything))
        self.assertEqual(len(seen), len(everything))

    def test_pages_end_inside_a_key_with_more_versions_than_fit(self):
        ids = [self.put(self.bucket, "many", b"%d" % i)["VersionId"] for i in range(1003)]
        later = self.put(self.bucket, "next", b"n")["VersionId"]
        newest_first = [("many", v) for v in reversed(ids)] + [("next", later)]

        # boto3's paginator goes on from NextKeyMarker and NextVersionIdMarker.
        seen, sizes = [], []
        for page in self.s3.get_paginator("list_object_versions").paginate(
                Bucket=self.bucket, PaginationConfig={"PageSize": 400}):
            entries = page.get("Versions", [])
            sizes.append(len(entries))
            seen += [(v["Key"], v["VersionId"]) for v in entries]
        self.assertEqual(sizes, [400, 400, 204])
        self.assertEqual(seen, newest_first)

        # The default page (1,000 entries) ends inside the key too, and says where.
        first = self.s3.list_object_versions(Bucket=self.bucket)
        self.assertTrue(first["IsTruncated"])
        self.assertEqual(len(first["Versions"]), 1000)
        self.assertEqual((first["NextKeyMarker"], first["NextVersionIdMarker"]), ("many", ids[3]))
        rest = self.s3.list_object_versions(Bucket=self.bucket, KeyMarker="many",
                                            VersionIdMarker=ids[3])
        self.assertFalse(rest["IsTruncated"])
        self.assertEqual([(v["Key"], v["VersionId"]) for v in rest["Versions"]],
                         newest_first[1000:])

        self.expect_error("InvalidArgument", 400, self.s3.list_object_versions,
                          Bucket=self.bucket, VersionIdMarker=ids[0],
                          message="A version-id marker cannot be specified without a key marker.")

        # Deleting each page as it comes (what boto3's object_versions.delete() does): the next
        # page's version-id marker is gone by then, and the key's other versions still come.
        request = {}
        while True:
            page = self.s3.list_object_versions(Bucket=self.bucket, **request)
            entries = [{"Key": v["Key"], "VersionId": v["VersionId"]}
                       for v in page.get("Versions", [])]
            if entries:
                self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": entries})
            if not page["IsTruncated"]:
                break
            request = {"KeyMarker": page["NextKeyMarker"],
                       "VersionIdMarker": page["NextVersionIdMarker"]}
        self.assertEqual(self.s3.list_object_versions(Bucket=self.bucket).get("Versions", []), [])
        self.s3.delete_bucket(Bucket=self.bucket)

    def test_keys_that_need_escaping_come_back_whole_and_page_on(self):
        # boto3 asks for encoding-type=url and decodes the keys only when the answer says so.
        ids = [self.put(self.bucket, "a b+c%d", b"%d" % i)["VersionId"] for i in range(3)]
        seen = []
        for page in self.s3.get_paginator("list_object_versions").paginate(
                Bucket=self.bucket, PaginationConfig={"PageSize": 2}):
            self.assertEqual(page["EncodingType"], "url")
            seen += [(v["Key"], v["VersionId"]) for v in page.get("Versions", [])]
        self.assertEqual(seen, [("a b+c%d", v) for v in reversed(ids)])

    # --- copy and batch delete with versions -------------------------------------------------
    def test_copy_an_older_version(self):
        old = self.put(self.bucket, "doc", b"old")["VersionId"]
        self.put(self.bucket, "doc", b"new")
        copied = self.s3.copy_object(Bucket=self.bucket, Key="restored",
                                     CopySource={"Bucket": self.bucket, "Key": "doc",
                                                 "VersionId": old})
        self.assertEqual(copied["CopySourceVersionId"], old)
        self.assertTrue(copied["VersionId"])
        self.assertEqual(self.body(self.bucket, "restored"), b"old")

    def test_delete_objects_with_versions_and_markers(self):
        v1 = self.put(self.bucket, "doc", b"1")["VersionId"]
        v2 = self.put(self.bucket, "doc", b"2")["VersionId"]
        result = self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [
            {"Key": "doc", "VersionId": v1}, {"Key": "other"}]})
        deleted = {d["Key"]: d for d in result["Deleted"]}
        self.assertEqual(deleted["doc"]["VersionId"], v1)
        self.assertIs(deleted["other"]["DeleteMarker"], True)
        other_marker = deleted["other"]["DeleteMarkerVersionId"]
        self.assertEqual(self.versions(), [("doc", v2, True, "version"),
                                           ("other", other_marker, True, "marker")])

        result = self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [
            {"Key": "other", "VersionId": other_marker}]})
        self.assertEqual(result["Deleted"][0]["DeleteMarkerVersionId"], other_marker)
        self.assertIs(result["Deleted"][0]["DeleteMarker"], True)
        self.assertEqual(self.versions(), [("doc", v2, True, "version")])

    # --- deleting a versioned bucket ---------------------------------------------------------
    def test_a_bucket_with_only_old_versions_and_markers_is_not_empty(self):
        self.put(self.bucket, "doc", b"1")
        self.put(self.bucket, "doc", b"2")
        self.s3.delete_object(Bucket=self.bucket, Key="doc")
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket=self.bucket))
        self.expect_error("BucketNotEmpty", 409, self.s3.delete_bucket, Bucket=self.bucket)
        for key, version_id, _, _ in self.versions():
            self.s3.delete_object(Bucket=self.bucket, Key=key, VersionId=version_id)
        self.assertEqual(self.versions(), [])
        self.s3.delete_bucket(Bucket=self.bucket)
        self.expect_error("404", 404, self.s3.head_bucket, Bucket=self.bucket)


if __name__ == "__main__":
    unittest.main()
