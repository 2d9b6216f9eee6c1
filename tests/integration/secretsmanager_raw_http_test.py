"""Bad input sent to Secrets Manager over raw HTTP: AWS-shaped 4xx JSON errors, and the server
keeps serving with its data intact."""

import json
import unittest

from harness import RawJsonTestCase


class SecretsManagerRawHttpTest(RawJsonTestCase):
    target_prefix = "secretsmanager"
    signing_name = "secretsmanager"

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
