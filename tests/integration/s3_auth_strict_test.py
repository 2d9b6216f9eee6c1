"""S3 with --auth strict: SigV4 headers, presigned URLs (expired, tampered) and signed
aws-chunked bodies are verified, with S3's error codes (403 AccessDenied,
SignatureDoesNotMatch, InvalidAccessKeyId)."""

import datetime
import unittest
from unittest import mock

import botocore.auth

from s3_base import S3TestCase, error_of, etag_of, random_bytes

CORS = [{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET"]}]


class S3StrictAuthTest(S3TestCase):
    # The harness starts this class's server with --auth strict and the key pair test:test,
    # and skips it when the tests run against an external server.
    server_auth = "strict"

    def setUp(self):
        super().setUp()
        self.bucket = self.create_bucket("strict")
        self.put(self.bucket, "object.txt", b"signed for")

    def test_signed_requests_succeed(self):
        self.assertEqual(self.body(self.bucket, "object.txt"), b"signed for")
        self.assertEqual(self.keys(self.bucket), ["object.txt"])

    def test_a_wrong_secret_or_an_unknown_key_is_refused(self):
        wrong = self.s3_client(secret="not-the-secret")
        self.expect_error("SignatureDoesNotMatch", 403, wrong.get_object, Bucket=self.bucket,
                          Key="object.txt")
        self.expect_error("SignatureDoesNotMatch", 403, wrong.put_object, Bucket=self.bucket,
                          Key="sneaky", Body=b"x")
        unknown = self.s3_client(key="AKIDNOBODY")
        self.expect_error("InvalidAccessKeyId", 403, unknown.list_buckets,
                          message="The AWS Access Key Id you provided does not exist in our "
                                  "records.")
        self.assertEqual(self.keys(self.bucket), ["object.txt"])

    def test_an_anonymous_request_is_access_denied(self):
        answer = self.raw("GET", f"/{self.bucket}/object.txt", sign=False)
        self.assertRawError(answer, "AccessDenied", 403)
        answer = self.raw("PUT", f"/{self.bucket}/anonymous", b"x", sign=False)
        self.assertRawError(answer, "AccessDenied", 403)
        self.assertEqual(self.keys(self.bucket), ["object.txt"])

    def test_presigned_urls_are_verified_and_expire(self):
        presigner = self.presigner()
        url = presigner.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": "object.txt"}, ExpiresIn=300)
        status, _, body = self.curl(url)
        self.assertEqual((status, body), (200, b"signed for"))

        put_url = presigner.generate_presigned_url(
            "put_object", Params={"Bucket": self.bucket, "Key": "uploaded"}, ExpiresIn=300)
        status, _, body = self.curl(put_url, method="PUT", data_file=self.temp_file(b"up"),
                                    headers={"Content-Type": ""})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.body(self.bucket, "uploaded"), b"up")

        # Signed an hour ago for five minutes: botocore reads the time to sign with from
        # botocore.auth.get_current_datetime.
        an_hour_ago = (datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
                       - datetime.timedelta(hours=1))
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=an_hour_ago):
            expired = presigner.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": "object.txt"},
                ExpiresIn=300)
        status, _, body = self.curl(expired)
        self.assertEqual(status, 403, body)
        error = error_of(body)
        self.assertEqual((error["Code"], error["Message"]), ("AccessDenied", "Request has expired"))
        self.assertEqual(error.get("X-Amz-Expires"), "300")

        status, _, body = self.curl(url.replace("X-Amz-Expires=300", "X-Amz-Expires=301"))
        self.assertEqual(status, 403, body)
        self.assertEqual(error_of(body)["Code"], "SignatureDoesNotMatch")
        status, _, body = self.curl(self.presigner().generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": "object.txt"}).replace(
                "object.txt", "other.txt"))
        self.assertEqual(status, 403, body)
        self.assertEqual(error_of(body)["Code"], "SignatureDoesNotMatch")

        wrong = self.presigner(secret="not-the-secret")
        status, _, body = self.curl(wrong.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": "object.txt"}))
        self.assertEqual(status, 403, body)
        self.assertEqual(error_of(body)["Code"], "SignatureDoesNotMatch")

    def test_signed_aws_chunked_bodies_are_verified_chunk_by_chunk(self):
        data = random_bytes(200 * 1024)
        status, headers, body = self.put_aws_chunked(self.bucket, "chunked", data, signed=True)
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["etag"], etag_of(data))
        self.assertEqual(self.body(self.bucket, "chunked"), data)

        answer = self.put_aws_chunked(self.bucket, "tampered", data, signed=True, tamper=True)
        self.assertRawError(answer, "SignatureDoesNotMatch", 403)
        answer = self.put_aws_chunked(self.bucket, "wrong-secret", data, signed=True,
                                      secret="not-the-secret")
        self.assertRawError(answer, "SignatureDoesNotMatch", 403)
        self.assertEqual(sorted(self.keys(self.bucket)), ["chunked", "object.txt"])

    def test_cors_preflight_needs_no_signature(self):
        self.s3.put_bucket_cors(Bucket=self.bucket, CORSConfiguration={"CORSRules": CORS})
        status, headers, body = self.raw(
            "OPTIONS", f"/{self.bucket}/object.txt", sign=False,
            headers={"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"})
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["access-control-allow-origin"], "https://app.example.com")


if __name__ == "__main__":
    unittest.main()
