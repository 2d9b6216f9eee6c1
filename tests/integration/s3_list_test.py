"""S3 listings through boto3: ListObjectsV2 (prefix, delimiter with CommonPrefixes, max-keys,
continuation tokens, start-after, fetch-owner, encoding-type=url) and ListObjects v1 (marker,
NextMarker), always in UTF-8 binary key order."""

import unittest
import urllib.parse

from s3_base import S3TestCase, etag_of

KEYS = [
    "a.txt", "a/b/c", "b/1.txt", "b/2.txt", "b/sub/3.txt", "c/1.txt", "c d/space.txt",
    "dir+/plus.txt", "%/percent", "Z-upper.txt", "é/accent.txt", "日本/x.txt", "top",
]
IN_ORDER = sorted(KEYS, key=lambda key: key.encode())


class S3ListTest(S3TestCase):

    def setUp(self):
        super().setUp()
        self.bucket = self.create_bucket("listing")
        for key in KEYS:
            self.put(self.bucket, key, key.encode())

    def list_v2(self, **request):
        return self.s3.list_objects_v2(Bucket=self.bucket, **request)

    def pages_v2(self, **request):
        """Every page of a ListObjectsV2 walk; answers the list of responses."""
        pages = []
        while True:
            page = self.list_v2(**request)
            pages.append(page)
            if not page["IsTruncated"]:
                return pages
            request["ContinuationToken"] = page["NextContinuationToken"]

    # --- ListObjectsV2 -----------------------------------------------------------------------
    def test_everything_in_utf8_binary_key_order(self):
        listed = self.list_v2()
        self.assertEqual([o["Key"] for o in listed["Contents"]], IN_ORDER)
        self.assertEqual(IN_ORDER[:3], ["%/percent", "Z-upper.txt", "a.txt"])
        self.assertEqual(IN_ORDER[-2:], ["é/accent.txt", "日本/x.txt"])
        self.assertEqual((listed["KeyCount"], listed["MaxKeys"], listed["IsTruncated"]),
                         (len(KEYS), 1000, False))
        self.assertEqual(listed["Name"], self.bucket)
        self.assertNotIn("NextContinuationToken", listed)
        self.assertNotIn("CommonPrefixes", listed)
        first = listed["Contents"][0]
        self.assertEqual((first["Size"], first["ETag"], first["StorageClass"]),
                         (len(b"%/percent"), etag_of(b"%/percent"), "STANDARD"))
        self.assertIn("LastModified", first)
        self.assertNotIn("Owner", first)

    def test_prefix(self):
        listed = self.list_v2(Prefix="b/")
        self.assertEqual([o["Key"] for o in listed["Contents"]],
                         ["b/1.txt", "b/2.txt", "b/sub/3.txt"])
        self.assertEqual(listed["Prefix"], "b/")
        self.assertEqual(listed["KeyCount"], 3)
        nothing = self.list_v2(Prefix="nothing/")
        self.assertNotIn("Contents", nothing)
        self.assertEqual(nothing["KeyCount"], 0)

    def test_delimiter_rolls_keys_up_into_common_prefixes(self):
        listed = self.list_v2(Delimiter="/")
        self.assertEqual([o["Key"] for o in listed["Contents"]],
                         ["Z-upper.txt", "a.txt", "top"])
        self.assertEqual([p["Prefix"] for p in listed["CommonPrefixes"]],
                         ["%/", "a/", "b/", "c d/", "c/", "dir+/", "é/", "日本/"])
        self.assertEqual(listed["Delimiter"], "/")
        self.assertEqual(listed["KeyCount"], 11)  # keys and common prefixes both count

        nested = self.list_v2(Prefix="b/", Delimiter="/")
        self.assertEqual([o["Key"] for o in nested["Contents"]], ["b/1.txt", "b/2.txt"])
        self.assertEqual(nested["CommonPrefixes"], [{"Prefix": "b/sub/"}])

        # Any string can delimit.
        by_dot = self.list_v2(Delimiter=".")
        self.assertIn({"Prefix": "a."}, by_dot["CommonPrefixes"])
        self.assertIn("top", [o["Key"] for o in by_dot["Contents"]])

    def test_max_keys_and_continuation_tokens(self):
        pages = self.pages_v2(MaxKeys=4)
        self.assertEqual([len(p["Contents"]) for p in pages], [4, 4, 4, 1])
        self.assertEqual([o["Key"] for p in pages for o in p["Contents"]], IN_ORDER)
        for page in pages[:-1]:
            self.assertTrue(page["IsTruncated"])
            self.assertEqual((page["MaxKeys"], page["KeyCount"]), (4, 4))
        self.assertEqual(pages[1]["ContinuationToken"], pages[0]["NextContinuationToken"])

        # With a delimiter, common prefixes fill pages too, each once.
        pages = self.pages_v2(MaxKeys=2, Delimiter="/")
        self.assertTrue(all(p["KeyCount"] <= 2 for p in pages))
        self.assertEqual([o["Key"] for p in pages for o in p.get("Contents", [])],
                         ["Z-upper.txt", "a.txt", "top"])
        self.assertEqual([c["Prefix"] for p in pages for c in p.get("CommonPrefixes", [])],
                         ["%/", "a/", "b/", "c d/", "c/", "dir+/", "é/", "日本/"])

        self.assertNotIn("Contents", self.list_v2(MaxKeys=0))

    def test_start_after(self):
        listed = self.list_v2(StartAfter="c/1.txt")
        self.assertEqual([o["Key"] for o in listed["Contents"]],
                         IN_ORDER[IN_ORDER.index("c/1.txt") + 1:])
        self.assertEqual(listed["StartAfter"], "c/1.txt")
        # StartAfter need not be a key.
        self.assertEqual([o["Key"] for o in self.list_v2(StartAfter="b/2")["Contents"]][:2],
                         ["b/2.txt", "b/sub/3.txt"])
        # A continuation token wins over StartAfter.
        first = self.list_v2(MaxKeys=2, StartAfter="a.txt")
        self.assertEqual([o["Key"] for o in first["Contents"]], ["a/b/c", "b/1.txt"])
        second = self.list_v2(MaxKeys=2, StartAfter="a.txt",
                              ContinuationToken=first["NextContinuationToken"])
        self.assertEqual([o["Key"] for o in second["Contents"]], ["b/2.txt", "b/sub/3.txt"])

    def test_fetch_owner(self):
        owner = self.s3.list_buckets()["Owner"]["ID"]
        listed = self.list_v2(FetchOwner=True, Prefix="b/")
        self.assertEqual({o["Owner"]["ID"] for o in listed["Contents"]}, {owner})
        self.assertNotIn("Owner", self.list_v2(FetchOwner=False, Prefix="b/")["Contents"][0])

    def test_encoding_type_url_encodes_keys_and_prefixes(self):
        # boto3 decodes only what it asked to be encoded itself; asked explicitly, the encoded
        # values come through as S3 sent them.
        listed = self.list_v2(EncodingType="url", Delimiter="/", StartAfter="a.txt")
        self.assertEqual(listed["EncodingType"], "url")
        keys = [o["Key"] for o in listed["Contents"]]
        prefixes = [p["Prefix"] for p in listed["CommonPrefixes"]]
        for encoded in keys + prefixes:
            self.assertRegex(encoded, r"^[A-Za-z0-9._~%+/*-]*$")  # nothing left to encode
        self.assertEqual([urllib.parse.unquote_plus(k) for k in keys], ["top"])
        self.assertEqual([urllib.parse.unquote_plus(p) for p in prefixes],
                         ["a/", "b/", "c d/", "c/", "dir+/", "é/", "日本/"])

        by_prefix = self.list_v2(EncodingType="url", Prefix="c d/")
        self.assertEqual(urllib.parse.unquote_plus(by_prefix["Prefix"]), "c d/")
        self.assertEqual(urllib.parse.unquote_plus(by_prefix["Contents"][0]["Key"]),
                         "c d/space.txt")

    def test_listing_follows_overwrites_and_deletes(self):
        self.put(self.bucket, "b/1.txt", b"longer body now")
        self.s3.delete_object(Bucket=self.bucket, Key="b/2.txt")
        listed = self.list_v2(Prefix="b/")["Contents"]
        self.assertEqual([(o["Key"], o["Size"]) for o in listed],
                         [("b/1.txt", 15), ("b/sub/3.txt", 11)])

    def test_unknown_encoding_type_is_invalid_argument(self):
        self.expect_error("InvalidArgument", 400, self.list_v2, EncodingType="base64",
                          message="Invalid Encoding Method specified in Request")

    # --- ListObjects (v1) --------------------------------------------------------------------
    def test_list_objects_v1_with_marker(self):
        owner = self.s3.list_buckets()["Owner"]["ID"]
        listed = self.s3.list_objects(Bucket=self.bucket)
        self.assertEqual([o["Key"] for o in listed["Contents"]], IN_ORDER)
        self.assertEqual((listed["Marker"], listed["MaxKeys"], listed["IsTruncated"]),
                         ("", 1000, False))
        self.assertEqual({o["Owner"]["ID"] for o in listed["Contents"]}, {owner})

        seen, marker, pages = [], "", 0
        while True:
            page = self.s3.list_objects(Bucket=self.bucket, MaxKeys=5, Marker=marker)
            pages += 1
            self.assertEqual(page["Marker"], marker)
            keys = [o["Key"] for o in page["Contents"]]
            seen += keys
            if not page["IsTruncated"]:
                break
            # Without a delimiter there is no NextMarker: the last key is the next marker.
            self.assertNotIn("NextMarker", page)
            marker = keys[-1]
        self.assertEqual((seen, pages), (IN_ORDER, 3))

        after = self.s3.list_objects(Bucket=self.bucket, Marker="c d/space.txt")
        self.assertEqual([o["Key"] for o in after["Contents"]],
                         IN_ORDER[IN_ORDER.index("c d/space.txt") + 1:])

    def test_list_objects_v1_with_delimiter_gives_next_marker(self):
        page = self.s3.list_objects(Bucket=self.bucket, Delimiter="/", MaxKeys=3)
        self.assertTrue(page["IsTruncated"])
        self.assertEqual([p["Prefix"] for p in page["CommonPrefixes"]], ["%/"])
        self.assertEqual([o["Key"] for o in page["Contents"]], ["Z-upper.txt", "a.txt"])
        self.assertEqual(page["NextMarker"], "a.txt")
        rest = self.s3.list_objects(Bucket=self.bucket, Delimiter="/", Marker=page["NextMarker"])
        self.assertEqual([p["Prefix"] for p in rest["CommonPrefixes"]],
                         ["a/", "b/", "c d/", "c/", "dir+/", "é/", "日本/"])
        self.assertEqual([o["Key"] for o in rest["Contents"]], ["top"])

        nested = self.s3.list_objects(Bucket=self.bucket, Prefix="b/", Delimiter="/")
        self.assertEqual([o["Key"] for o in nested["Contents"]], ["b/1.txt", "b/2.txt"])
        self.assertEqual(nested["CommonPrefixes"], [{"Prefix": "b/sub/"}])
        self.assertEqual(nested["Prefix"], "b/")

    def test_empty_bucket_lists_nothing(self):
        self.create_bucket("empty-listing")
        for listed in (self.s3.list_objects_v2(Bucket="empty-listing"),
                       self.s3.list_objects(Bucket="empty-listing")):
            self.assertNotIn("Contents", listed)
            self.assertFalse(listed["IsTruncated"])


if __name__ == "__main__":
    unittest.main()
