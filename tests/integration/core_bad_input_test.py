"""Malformed input gets an AWS-shaped 4xx in its protocol, and nothing already stored is lost."""

import json
import unittest
import xml.etree.ElementTree as ElementTree

from harness import AwsemuTestCase

JSON_11 = "application/x-amz-json-1.1"
FORM = "application/x-www-form-urlencoded; charset=utf-8"
STS_NS = "{https://sts.amazonaws.com/doc/2011-06-15/}"


class BadInputTest(AwsemuTestCase):
    def setUp(self):
        super().setUp()
        self.secrets = self.server.client("secretsmanager")
        self.secrets.create_secret(Name="precious", SecretString="keep me")

    def tearDown(self):
        # After every kind of bad input the server still serves and nothing stored was lost.
        status, _, _ = self.server.http("GET", "/_awsemu/health")
        self.assertEqual(status, 200)
        value = self.secrets.get_secret_value(SecretId="precious")
        self.assertEqual(value["SecretString"], "keep me")
        self.assertEqual(self.server.client("sts").get_caller_identity()["Account"], "000000000000")

    # --- helpers ---------------------------------------------------------------------------
    def json_call(self, target, body, headers=None):
        all_headers = {"X-Amz-Target": target, "Content-Type": JSON_11}
        all_headers.update(headers or {})
        data = body if isinstance(body, bytes) else body.encode()
        return self.server.http("POST", "/", data, all_headers)

    def query_call(self, body, headers=None):
        all_headers = {"Content-Type": FORM}
        all_headers.update(headers or {})
        return self.server.http("POST", "/", body.encode(), all_headers)

    def assertJsonError(self, answer, code, status=400):
        got_status, headers, body = answer
        self.assertEqual(got_status, status, body)
        self.assertTrue(headers["Content-Type"].startswith("application/x-amz-json-1."), headers)
        error = json.loads(body)
        self.assertEqual(error["__type"], code, body)
        self.assertTrue(headers.get("x-amzn-RequestId"))
        return error

    def assertQueryError(self, answer, code, status=400):
        got_status, headers, body = answer
        self.assertEqual(got_status, status, body)
        self.assertTrue(headers["Content-Type"].startswith("text/xml"), headers)
        root = ElementTree.fromstring(body)
        self.assertEqual(root.tag, f"{STS_NS}ErrorResponse", body)
        self.assertEqual(root.findtext(f"{STS_NS}Error/{STS_NS}Code"), code, body)
        self.assertEqual(root.findtext(f"{STS_NS}Error/{STS_NS}Type"), "Sender", body)
        self.assertEqual(root.findtext(f"{STS_NS}RequestId"), headers.get("x-amzn-RequestId"))
        return root.findtext(f"{STS_NS}Error/{STS_NS}Message")

    # --- JSON protocol ---------------------------------------------------------------------
    def test_malformed_json_is_a_serialization_exception(self):
        for body in ('{"SecretId": ', "{not json}", '{"SecretId": "precious"}}', "\x00\x01",
                     b'{"SecretId": "\xff"}'):
            with self.subTest(body=body):
                self.assertJsonError(self.json_call("secretsmanager.GetSecretValue", body),
                                     "SerializationException")

    def test_json_body_that_is_not_an_object_is_a_serialization_exception(self):
        for body in ("[]", '[{"SecretId": "precious"}]', '"precious"', "42", "null"):
            with self.subTest(body=body):
                self.assertJsonError(self.json_call("secretsmanager.GetSecretValue", body),
                                     "SerializationException")

    def test_deeply_nested_json_is_refused_without_a_crash(self):
        deep = "[" * 100000 + "]" * 100000
        cases = [("secretsmanager.ListSecrets", deep),
                 ("secretsmanager.GetSecretValue", '{"SecretId": ' + deep + "}"),
                 ("secretsmanager.CreateSecret",
                  '{"Name": "deep", "SecretString": "v", "Tags": ' + deep + "}")]
        for target, body in cases:
            with self.subTest(target=target):
                self.assertJsonError(self.json_call(target, body), "SerializationException")

    def test_members_of_the_wrong_type_are_serialization_exceptions(self):
        cases = [
            ("secretsmanager.GetSecretValue", {"SecretId": 5}, "SecretId"),
            ("secretsmanager.GetSecretValue", {"SecretId": ["precious"]}, "SecretId"),
            ("secretsmanager.ListSecrets", {"MaxResults": "ten"}, "MaxResults"),
            ("secretsmanager.CreateSecret", {"Name": "n", "SecretString": {"a": 1}}, "SecretString"),
        ]
        for target, body, member in cases:
            with self.subTest(target=target, body=body):
                error = self.assertJsonError(self.json_call(target, json.dumps(body)),
                                             "SerializationException")
                self.assertIn(member, error["message"])

    def test_unknown_operation_is_unknown_operation_exception(self):
        self.assertJsonError(self.json_call("secretsmanager.Frobnicate", "{}"),
                             "UnknownOperationException")
        self.assertJsonError(self.json_call("secretsmanager.", "{}"), "UnknownOperationException")

    def test_unknown_target_prefix_is_unknown_operation_exception(self):
        for target in ("DynamoDB_20120810.ListTables", "Kinesis_20131202.ListStreams", "nodot"):
            with self.subTest(target=target):
                self.assertJsonError(self.json_call(target, "{}"), "UnknownOperationException")

    def test_missing_required_members_are_validation_exceptions(self):
        error = self.assertJsonError(self.json_call("secretsmanager.GetSecretValue", "{}"),
                                     "ValidationException")
        self.assertIn("secretId", error["message"])
        self.assertJsonError(self.json_call("secretsmanager.GetSecretValue", '{"SecretId": null}'),
                             "ValidationException")

    def test_empty_body_is_an_empty_input(self):
        self.assertJsonError(self.json_call("secretsmanager.GetSecretValue", ""),
                             "ValidationException")
        status, _, body = self.json_call("secretsmanager.ListSecrets", "")
        self.assertEqual(status, 200, body)
        self.assertEqual([s["Name"] for s in json.loads(body)["SecretList"]], ["precious"])

    # --- query protocol --------------------------------------------------------------------
    def test_query_without_action_is_missing_action(self):
        self.assertQueryError(self.query_call("Version=2011-06-15"), "MissingAction")

    def test_query_with_unknown_action_is_invalid_action(self):
        message = self.assertQueryError(self.query_call("Action=Frobnicate&Version=2011-06-15"),
                                        "InvalidAction")
        self.assertIn("Frobnicate", message)

    def test_query_with_bad_number_is_invalid_parameter_value(self):
        body = ("Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::123456789012:role/r"
                "&RoleSessionName=s1&DurationSeconds=an-hour")
        message = self.assertQueryError(self.query_call(body), "InvalidParameterValue")
        self.assertIn("DurationSeconds", message)

    def test_query_with_missing_parameters_is_a_validation_error(self):
        self.assertQueryError(self.query_call("Action=AssumeRole&Version=2011-06-15&RoleSessionName=s1"),
                              "ValidationError")

    def test_query_with_broken_percent_encoding_is_still_answered(self):
        status, _, body = self.query_call("Action=GetCallerIdentity&Version=2011-06-15&X=%zz%")
        self.assertEqual(status, 200, body)

    # --- garbage signatures ----------------------------------------------------------------
    GARBAGE_AUTHORIZATIONS = (
        "AWS4-HMAC-SHA256 garbage",
        "Bearer x",
        "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1, SignedHeaders=host, Signature=abc",
        "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sts/aws4_request",
        "AWS4-HMAC-SHA256 Credential=test/2024/us-east-1/sts/aws4_request, SignedHeaders=host, "
        "Signature=abc",
    )

    def test_garbage_authorization_is_incomplete_signature_in_json(self):
        for authorization in self.GARBAGE_AUTHORIZATIONS:
            with self.subTest(authorization=authorization):
                self.assertJsonError(
                    self.json_call("secretsmanager.GetSecretValue", '{"SecretId": "precious"}',
                                   {"Authorization": authorization}),
                    "IncompleteSignatureException")

    def test_garbage_authorization_is_incomplete_signature_in_query(self):
        for authorization in self.GARBAGE_AUTHORIZATIONS:
            with self.subTest(authorization=authorization):
                self.assertQueryError(
                    self.query_call("Action=GetCallerIdentity&Version=2011-06-15",
                                    {"Authorization": authorization}),
                    "IncompleteSignature")

    def test_header_and_query_signature_at_once_is_refused(self):
        authorization = ("AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sts/aws4_request, "
                         "SignedHeaders=host, Signature=abc")
        status, headers, body = self.server.http(
            "GET", "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256",
            headers={"Authorization": authorization, "X-Amz-Date": "20240101T000000Z"})
        self.assertQueryError((status, headers, body), "IncompleteSignature")


if __name__ == "__main__":
    unittest.main()
