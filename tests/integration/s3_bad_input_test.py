"""Bad input sent to S3, through boto3 and as raw (signed) bytes: malformed XML bodies, bad
ranges, bad part numbers and arguments, truncated and oversized uploads, bad bucket names,
missing buckets and keys. Every case gets AWS's error code and HTTP status; afterwards the
server still serves and the objects stored before are still there."""

import hashlib
import socket
import unittest
import urllib.parse

from s3_base import MiB, S3TestCase, checksum_b64, error_of, md5_b64

PRECIOUS = {"precious-1": b"first precious body", "precious 2/ü": b"second precious body"}
NOT_XML = [b"not xml at all", b"<Tagging><TagSet>", b"<a><b></a></b>", b"<?xml version='1.0'?>",
           b"\xff\xfe<\x00a\x00>"]


class S3BadInputTest(S3TestCase):

    def setUp(self):
        super().setUp()
        self.bucket = self.create_bucket("keep")
        for key, body in PRECIOUS.items():
            self.put(self.bucket, key, body)
        self.s3.put_bucket_tagging(Bucket=self.bucket,
                                   Tagging={"TagSet": [{"Key": "kept", "Value": "yes"}]})

    def tearDown(self):
        # After every kind of bad input the server still serves and nothing stored was lost.
        self.assertEqual(sorted(self.keys(self.bucket)), sorted(PRECIOUS))
        for key, body in PRECIOUS.items():
            self.assertEqual(self.body(self.bucket, key), body)
        self.assertEqual(self.s3.get_bucket_tagging(Bucket=self.bucket)["TagSet"],
                         [{"Key": "kept", "Value": "yes"}])

    def xml_request(self, method, path, body):
        """A raw signed request with a Content-MD5 that matches the (bad) body, so that only
        the body itself is wrong."""
        return self.raw(method, path, body, {"Content-MD5": md5_b64(body),
                                             "Content-Type": "application/xml"})

    # --- malformed XML -----------------------------------------------------------------------
    def test_malformed_xml_bodies_are_malformed_xml(self):
        upload_id = self.s3.create_multipart_upload(Bucket=self.bucket, Key="mpu")["UploadId"]
        targets = [
            ("PUT", f"/{self.bucket}?tagging"),
            ("PUT", f"/{self.bucket}?versioning"),
            ("PUT", f"/{self.bucket}?cors"),
            ("PUT", f"/{self.bucket}?lifecycle"),
            ("PUT", f"/{self.bucket}?notification"),
            ("PUT", f"/{self.bucket}?encryption"),
            ("PUT", f"/{self.bucket}?publicAccessBlock"),
            ("POST", f"/{self.bucket}?delete"),
            ("PUT", f"/{self.bucket}/precious-1?tagging"),
            ("POST", f"/{self.bucket}/mpu?uploadId={urllib.parse.quote(upload_id)}"),
            ("PUT", "/new-bucket-with-bad-configuration"),
        ]
        for method, path in targets:
            for body in NOT_XML:
                with self.subTest(request=f"{method} {path}", body=body[:20]):
                    self.assertRawError(self.xml_request(method, path, body), "MalformedXML", 400)
        self.assertNotIn("Status", self.s3.get_bucket_versioning(Bucket=self.bucket))
        self.expect_error("NoSuchCORSConfiguration", 404, self.s3.get_bucket_cors,
                          Bucket=self.bucket)
        self.assertEqual([b["Name"] for b in self.s3.list_buckets()["Buckets"]], [self.bucket])
        self.assertEqual(self.s3.get_object_tagging(Bucket=self.bucket, Key="precious-1")
                         ["TagSet"], [])
        self.assertEqual(len(self.s3.list_parts(Bucket=self.bucket, Key="mpu",
                                                UploadId=upload_id).get("Parts", [])), 0)
        self.s3.abort_multipart_upload(Bucket=self.bucket, Key="mpu", UploadId=upload_id)

    def test_well_formed_xml_of_the_wrong_shape_is_malformed_xml(self):
        cases = [
            ("PUT", f"/{self.bucket}?tagging", b"<Tagging><TagSet><Tag><Key>k</Key></Tag>"
                                               b"</TagSet></Tagging>"),
            ("PUT", f"/{self.bucket}?versioning",
             b"<VersioningConfiguration><Status>Sometimes</Status></VersioningConfiguration>"),
            ("POST", f"/{self.bucket}?delete", b"<Delete><Object></Object></Delete>"),
            ("PUT", f"/{self.bucket}?cors", b"<CORSConfiguration></CORSConfiguration>"),
        ]
        for method, path, body in cases:
            with self.subTest(request=f"{method} {path}"):
                self.assertRawError(self.xml_request(method, path, body), "MalformedXML", 400)

    def test_xml_entities_and_deep_nesting_are_refused_without_harm(self):
        laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1
                                                            else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']><Tagging><TagSet><Tag><Key>k</Key><Value>&lol9;</Value></Tag></TagSet>'
                    b'</Tagging>')
        self.assertRawError(self.xml_request("PUT", f"/{self.bucket}?tagging", laughs),
                            "MalformedXML", 400)
        external = (b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    b"<Tagging><TagSet><Tag><Key>k</Key><Value>&x;</Value></Tag></TagSet>"
                    b"</Tagging>")
        self.assertRawError(self.xml_request("PUT", f"/{self.bucket}?tagging", external),
                            "MalformedXML", 400)
        deep = b"<Tagging>" + b"<TagSet>" * 100000 + b"</TagSet>" * 100000 + b"</Tagging>"
        status, _, body = self.xml_request("PUT", f"/{self.bucket}?tagging", deep)
        self.assertEqual(status, 400, body)
        self.assertIn(error_of(body)["Code"], ("MalformedXML",))

    # --- ranges ------------------------------------------------------------------------------
    def test_bad_ranges_are_ignored_or_unsatisfiable(self):
        body = PRECIOUS["precious-1"]
        # A Range header S3 cannot parse is ignored: the whole object, 200.
        for ignored in ("bytes=abc", "bytes=5-2", "items=0-5", "bytes=", "bytes=--1"):
            with self.subTest(range=ignored):
                got = self.s3.get_object(Bucket=self.bucket, Key="precious-1", Range=ignored)
                self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 200)
                self.assertEqual(got["Body"].read(), body)
                self.assertNotIn("ContentRange", got)
        for unsatisfiable in (f"bytes={len(body)}-", f"bytes={len(body) + 10}-{len(body) + 20}"):
            with self.subTest(range=unsatisfiable):
                error = self.expect_error("InvalidRange", 416, self.s3.get_object,
                                          Bucket=self.bucket, Key="precious-1",
                                          Range=unsatisfiable)
                self.assertEqual(error.get("ActualObjectSize"), str(len(body)))

    # --- part numbers and arguments ----------------------------------------------------------
    def test_bad_part_numbers_are_invalid_argument(self):
        upload_id = self.s3.create_multipart_upload(Bucket=self.bucket, Key="parts")["UploadId"]
        quoted = urllib.parse.quote(upload_id)
        for number in ("0", "-1", "10001", "abc", "1.5", "99999999999999999999"):
            with self.subTest(part_number=number):
                answer = self.raw("PUT", f"/{self.bucket}/parts?partNumber={number}"
                                         f"&uploadId={quoted}", b"data")
                self.assertRawError(answer, "InvalidArgument", 400)
        self.assertRawError(self.raw("PUT", f"/{self.bucket}/parts?partNumber=1"
                                            f"&uploadId=..%2F..%2Fetc", b"data"),
                            "NoSuchUpload", 404)
        self.assertEqual(self.s3.list_parts(Bucket=self.bucket, Key="parts",
                                            UploadId=upload_id).get("Parts", []), [])
        self.s3.abort_multipart_upload(Bucket=self.bucket, Key="parts", UploadId=upload_id)

    def test_bad_list_arguments_are_invalid_argument(self):
        for query in ("list-type=2&max-keys=abc", "list-type=2&max-keys=-1",
                      "list-type=2&encoding-type=base64", "max-keys=12x",
                      "list-type=2&continuation-token=not-a-token"):
            with self.subTest(query=query):
                self.assertRawError(self.raw("GET", f"/{self.bucket}?{query}"),
                                    "InvalidArgument", 400)

    def test_keys_that_are_not_utf8_are_invalid_uri(self):
        for key in ("h%FF", "a%C3", "%C0%AF", "%ED%A0%80", "x%F4%90%80%80"):
            with self.subTest(key=key):
                for method in ("PUT", "GET", "HEAD"):
                    answer = self.raw(method, f"/{self.bucket}/{key}", b"x" if method == "PUT"
                                      else b"")
                    if method == "HEAD":
                        self.assertEqual(answer[0], 400)
                        continue
                    error = self.assertRawError(answer, "InvalidURI", 400)
                    self.assertEqual(error.get("Message"), "Couldn't parse the specified URI.")
        # Not an object, and the bucket still lists (its XML stays UTF-8).
        self.assertEqual([k for k in self.keys(self.bucket) if k.startswith(("h", "a", "x"))],
                         [])
        self.assertEqual(self.raw("GET", f"/{self.bucket}/%C3%A9")[0], 404)  # é: a key, absent

    def test_unsupported_method_on_an_object(self):
        answer = self.raw("PATCH", f"/{self.bucket}/precious-1", b"patch")
        error = self.assertRawError(answer, "MethodNotAllowed", 405)
        self.assertEqual(error.get("Method"), "PATCH")

    # --- bodies that do not match what was declared ------------------------------------------
    def send_truncated(self, path, declared, sent, headers=None,
                       payload_hash="UNSIGNED-PAYLOAD"):
        sock = self.open_upload(path, dict(headers or {}, **{"Content-Length": str(declared)}),
                                payload_hash=payload_hash)
        try:
            sock.sendall(b"t" * sent)
            sock.shutdown(socket.SHUT_WR)
            sock.settimeout(10)
            try:
                return sock.recv(65536)
            except (ConnectionError, socket.timeout):
                return b""
        finally:
            sock.close()

    def test_truncated_uploads_never_appear(self):
        self.send_truncated(f"/{self.bucket}/half-written", declared=200000, sent=80000)
        self.send_truncated(f"/{self.bucket}/precious-1", declared=1 * MiB, sent=300000)
        aws_chunked = {"Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": "100000",
                       "x-amz-trailer": "x-amz-checksum-crc32"}
        self.send_truncated(f"/{self.bucket}/chunked-half", declared=100100, sent=0,
                            headers=aws_chunked,
                            payload_hash="STREAMING-UNSIGNED-PAYLOAD-TRAILER")
        # A complete request on another connection is served, and the cut ones left nothing.
        self.put(self.bucket, "after", b"after")
        self.expect_error("NoSuchKey", 404, self.s3.get_object, Bucket=self.bucket,
                          Key="half-written")
        self.expect_error("NoSuchKey", 404, self.s3.get_object, Bucket=self.bucket,
                          Key="chunked-half")
        self.s3.delete_object(Bucket=self.bucket, Key="after")

    def test_malformed_aws_chunked_bodies_are_refused(self):
        data = b"x" * 1000
        trailer = f"0\r\nx-amz-checksum-crc32:{checksum_b64('CRC32', data)}\r\n\r\n".encode()
        cases = {
            "well-formed": b"3e8\r\n" + data + b"\r\n" + trailer,
            "bad-size": b"zz\r\n" + data + b"\r\n" + trailer,
            "short-chunk": b"3e8\r\n" + data[:500] + b"\r\n" + trailer,
            "no-final-chunk": b"3e8\r\n" + data + b"\r\n",
            "length-mismatch": b"1f4\r\n" + data[:500] + b"\r\n" + trailer,
        }
        for name, body in cases.items():
            with self.subTest(case=name):
                headers = {"Content-Encoding": "aws-chunked",
                           "x-amz-decoded-content-length": str(len(data)),
                           "x-amz-trailer": "x-amz-checksum-crc32",
                           "Content-Length": str(len(body))}
                status, _, answer = self.raw(
                    "PUT", f"/{self.bucket}/chunked-{name}", body, headers,
                    payload_hash="STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                if name == "well-formed":  # the framing the other cases break
                    self.assertEqual(status, 200, answer)
                    self.assertEqual(self.body(self.bucket, "chunked-well-formed"), data)
                    self.s3.delete_object(Bucket=self.bucket, Key="chunked-well-formed")
                    continue
                self.assertEqual(status // 100, 4, answer)
                self.assertTrue(error_of(answer)["Code"])
                self.assertNotIn(f"chunked-{name}", self.keys(self.bucket))

    def test_a_payload_that_does_not_match_its_sha256_is_refused(self):
        answer = self.raw("PUT", f"/{self.bucket}/sha-mismatch", b"actual body",
                          payload_hash=hashlib.sha256(b"declared body").hexdigest())
        self.assertRawError(answer, "XAmzContentSHA256Mismatch", 400)
        self.assertNotIn("sha-mismatch", self.keys(self.bucket))

    def test_missing_content_length_is_411(self):
        split = urllib.parse.urlsplit(self.server.endpoint)
        headers, _ = self.signed_headers("PUT", f"{self.server.endpoint}/{self.bucket}/no-length",
                                         payload_hash="UNSIGNED-PAYLOAD")
        lines = [f"PUT /{self.bucket}/no-length HTTP/1.1", f"Host: {split.netloc}",
                 "Connection: close"] + [f"{k}: {v}" for k, v in headers.items()
                                         if k.lower() != "host"]
        with socket.create_connection((split.hostname, split.port), timeout=10) as sock:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        self.assertIn(b" 411 ", head.split(b"\r\n")[0], answer)
        self.assertEqual(error_of(body[body.index(b"<"):])["Code"], "MissingContentLength")
        self.assertNotIn("no-length", self.keys(self.bucket))

    def test_a_declared_size_over_5_gib_is_entity_too_large_before_any_body(self):
        sock = self.open_upload(f"/{self.bucket}/huge", {"Content-Length": str(5 * 1024 ** 3 + 1)})
        try:
            sock.settimeout(5)
            answer = b""
            while b"</Error>" not in answer:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        finally:
            sock.close()
        self.assertIn(b" 400 ", answer.split(b"\r\n")[0], answer)
        self.assertEqual(error_of(answer[answer.index(b"<?xml") if b"<?xml" in answer
                                         else answer.index(b"<Error>"):])["Code"],
                         "EntityTooLarge")
        self.assertNotIn("huge", self.keys(self.bucket))

    # --- names -------------------------------------------------------------------------------
    def test_invalid_bucket_names(self):
        for name in ("ab", "a" * 64, "UPPERCASE", "under_score", "-leading", "trailing-",
                     "double..dot", "192.168.5.4", "xn--punycode",
                     "sthree-bucket", "name-s3alias", "name--ol-s3", "amzn-s3-demo-bucket",
                     "name--table-s3"):
            with self.subTest(name=name):
                self.expect_error("InvalidBucketName", 400, self.s3.create_bucket, Bucket=name,
                                  message="The specified bucket is not valid.")
        self.assertEqual([b["Name"] for b in self.s3.list_buckets()["Buckets"]], [self.bucket])
        # Dots, digits and 63 characters are fine, and only an IP address's shape is not.
        for name in ("a.b-c.123", "z" * 63, "123", "1.2.3", "1.2.3.4.5", "1234.1.1.1"):
            with self.subTest(name=name):
                self.create_bucket(name)
                self.s3.delete_bucket(Bucket=name)

    def test_missing_bucket_and_key_errors_name_them(self):
        error = self.assertRawError(self.raw("GET", "/no-such-bucket/some/key"),
                                    "NoSuchBucket", 404)
        self.assertEqual(error.get("BucketName"), "no-such-bucket")
        error = self.assertRawError(self.raw("GET", f"/{self.bucket}/absent%20key/%C3%BC"),
                                    "NoSuchKey", 404)
        self.assertEqual(error.get("Key"), "absent key/ü")
        self.assertEqual(error.get("Message"), "The specified key does not exist.")
        self.assertTrue(error.get("RequestId"))
        status, headers, body = self.raw("HEAD", f"/{self.bucket}/absent")
        self.assertEqual((status, body), (404, b""))
        self.assertTrue(headers.get("x-amz-request-id"))
        self.assertRawError(self.raw("DELETE", "/no-such-bucket/key"), "NoSuchBucket", 404)
        self.assertRawError(self.raw("GET", "/no-such-bucket?list-type=2"), "NoSuchBucket", 404)

    def test_errors_are_xml_with_a_request_id(self):
        status, headers, body = self.raw("GET", f"/{self.bucket}/absent")
        self.assertEqual(status, 404)
        self.assertTrue(headers["content-type"].startswith("application/xml"), headers)
        self.assertTrue(headers.get("x-amz-id-2"), headers)
        self.assertEqual(error_of(body)["RequestId"], headers["x-amz-request-id"])


if __name__ == "__main__":
    unittest.main()
