"""Bad input sent to Secrets Manager over raw HTTP: AWS-shaped 4xx JSON errors, and the server
keeps serving with its data intact."""

import json
import unittest

from harness import AwsemuTestCase

HEADERS = {
    "Content-Type": "application/x-amz-json-1.1",
    "Authorization": "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/secretsmanager/"
                     "aws4_request, SignedHeaders=host;x-amz-date, Signature=0000",
    "X-Amz-Date": "20240101T000000Z",
}


class SecretsManagerRawHttpTest(AwsemuTestCase):

    def call(self, operation, body):
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        headers = dict(HEADERS, **{"X-Amz-Target": "secretsmanager." + operation})
        status, response_headers, raw = self.server.http("POST", "/", body=body, headers=headers)
        return status, response_headers, raw

    def assertJsonError(self, operation, body, code, status=400, message=None):
        got_status, headers, raw = self.call(operation, body)
        self.assertEqual(got_status, status, raw)
        error = json.loads(raw)
        self.assertEqual(error["__type"], code, raw)
        self.assertIn("message", error)
        if message is not None:
            self.assertEqual(error["message"], message)
        lowered = {k.lower(): v for k, v in headers.items()}
        self.assertEqual(lowered["content-type"], "application/x-amz-json-1.1")
        self.assertTrue(lowered.get("x-amzn-requestid"))
        return error

    def test_bad_input_gets_aws_shaped_errors_and_nothing_is_lost(self):
        status, _, raw = self.call("CreateSecret", {"Name": "keep/me", "SecretString": "safe",
                                                    "ClientRequestToken": "a" * 36})
        self.assertEqual(status, 200, raw)
        arn = json.loads(raw)["ARN"]

        self.assertJsonError("CreateSecret", b'{"Name": "x", ', "SerializationException")
        self.assertJsonError("CreateSecret", b"\xff\xfe not json", "SerializationException")
        self.assertJsonError("CreateSecret", b"[1, 2, 3]", "SerializationException")
        self.assertJsonError("CreateSecret", {"Name": 5}, "SerializationException")
        self.assertJsonError("CreateSecret", {"Name": "x", "Tags": "not a list"},
                             "SerializationException")
        self.assertJsonError("CreateSecret", {"Name": "x", "Tags": [5]}, "SerializationException")
        self.assertJsonError("CreateSecret", {"Name": "x", "Tags": [{"Key": 1}]},
                             "SerializationException")
        self.assertJsonError("GetRandomPassword", {"PasswordLength": "long"},
                             "SerializationException")
        self.assertJsonError("ListSecrets", {"Filters": {"Key": "name"}}, "SerializationException")
        self.assertJsonError("CreateSecret", {}, "ValidationException",
                             message="1 validation error detected: Value null at 'name' failed "
                                     "to satisfy constraint: Member must not be null")
        self.assertJsonError("GetSecretValue", {}, "ValidationException")
        self.assertJsonError("PutSecretValue", {"SecretId": "keep/me", "SecretString": "x"},
                             "InvalidRequestException",
                             message="You must provide a ClientRequestToken value. We recommend "
                                     "a UUID-type value.")
        self.assertJsonError("CreateSecret", {"Name": "x", "SecretString": "v"},
                             "InvalidRequestException")
        self.assertJsonError("RotateSecret", {"SecretId": "keep/me"}, "InvalidParameterException")
        self.assertJsonError("CreateSecret", {"Name": "x", "SecretBinary": "***",
                                              "ClientRequestToken": "b" * 36},
                             "SerializationException")
        self.assertJsonError("CreateSecret", {"Name": "a" * 600}, "ValidationException")
        self.assertJsonError("CreateSecret", {"Name": "x",
                                              "SecretString": "y" * 70000,
                                              "ClientRequestToken": "c" * 36},
                             "ValidationException")
        self.assertJsonError("GetSecretValue", {"SecretId": "keep/me", "VersionId": "short"},
                             "ValidationException")
        self.assertJsonError("ListSecrets", {"MaxResults": 0}, "ValidationException")
        self.assertJsonError("DeleteSecret", {"SecretId": "keep/me", "RecoveryWindowInDays": 1},
                             "InvalidParameterException")
        self.assertJsonError("NoSuchOperation", {}, "UnknownOperationException")

        # Still serving, still holding the data.
        status, _, raw = self.call("GetSecretValue", {"SecretId": "keep/me"})
        self.assertEqual(status, 200, raw)
        value = json.loads(raw)
        self.assertEqual(value["SecretString"], "safe")
        self.assertEqual(value["ARN"], arn)
        self.assertIsInstance(value["CreatedDate"], (int, float))
        status, _, raw = self.call("ListSecrets", {})
        self.assertEqual([s["Name"] for s in json.loads(raw)["SecretList"]], ["keep/me"])

    def test_an_empty_body_is_an_empty_input(self):
        status, _, raw = self.call("ListSecrets", b"")
        self.assertEqual(status, 200, raw)
        self.assertEqual(json.loads(raw), {"SecretList": []})
        self.assertJsonError("DescribeSecret", b"", "ValidationException")

    def test_timestamps_are_epoch_seconds(self):
        self.call("CreateSecret", {"Name": "t", "SecretString": "v",
                                   "ClientRequestToken": "d" * 36})
        status, _, raw = self.call("DescribeSecret", {"SecretId": "t"})
        self.assertEqual(status, 200, raw)
        described = json.loads(raw)
        for field in ("CreatedDate", "LastChangedDate"):
            self.assertIsInstance(described[field], float)
            self.assertGreater(described[field], 1.6e9)


if __name__ == "__main__":
    unittest.main()
