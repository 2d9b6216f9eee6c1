"""Secrets Manager through the AWS CLI, v1 (python -m awscli) and v2 (Debian's /usr/bin/aws)."""

import base64
import json
import os
import tempfile
import unittest

from harness import AwsemuTestCase


class CliMixin:
    """The same scenario for both CLI versions; subclasses set `version`."""

    version = 1

    def aws(self, *args, check=True):
        return self.server.cli("secretsmanager", *args, version=self.version, check=check)

    def expect_error(self, code, *args):
        result = self.aws(*args, check=False)
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn(f"({code})", result.stderr)
        return result.stderr

    def test_secret_lifecycle(self):
        name = f"cli/v{self.version}/db"
        created = self.aws("create-secret", "--name", name, "--secret-string", '{"user":"app"}',
                           "--description", "from the cli", "--tags", "Key=env,Value=test")
        self.assertRegex(created["ARN"],
                         r"^arn:aws:secretsmanager:us-east-1:000000000000:secret:"
                         + name + r"-[A-Za-z0-9]{6}$")
        self.assertEqual(created["Name"], name)

        value = self.aws("get-secret-value", "--secret-id", name)
        self.assertEqual(value["SecretString"], '{"user":"app"}')
        self.assertEqual(value["VersionStages"], ["AWSCURRENT"])
        self.assertEqual(value["VersionId"], created["VersionId"])
        by_arn = self.aws("get-secret-value", "--secret-id", created["ARN"])
        self.assertEqual(by_arn["SecretString"], '{"user":"app"}')

        put = self.aws("put-secret-value", "--secret-id", created["ARN"],
                       "--secret-string", "second")
        self.assertEqual(put["VersionStages"], ["AWSCURRENT"])
        self.assertEqual(self.aws("get-secret-value", "--secret-id", name)["SecretString"],
                         "second")
        previous = self.aws("get-secret-value", "--secret-id", name,
                            "--version-stage", "AWSPREVIOUS")
        self.assertEqual(previous["SecretString"], '{"user":"app"}')

        updated = self.aws("update-secret", "--secret-id", name, "--description", "changed")
        self.assertNotIn("VersionId", updated)
        described = self.aws("describe-secret", "--secret-id", name)
        self.assertEqual(described["Description"], "changed")
        self.assertEqual(described["Tags"], [{"Key": "env", "Value": "test"}])
        self.assertEqual(described["VersionIdsToStages"],
                         {created["VersionId"]: ["AWSPREVIOUS"], put["VersionId"]: ["AWSCURRENT"]})
        self.assertIsInstance(described["CreatedDate"], (str, float, int))

        versions = self.aws("list-secret-version-ids", "--secret-id", name)
        self.assertEqual(sorted(v["VersionId"] for v in versions["Versions"]),
                         sorted([created["VersionId"], put["VersionId"]]))

        self.aws("update-secret-version-stage", "--secret-id", name, "--version-stage",
                 "AWSCURRENT", "--move-to-version-id", created["VersionId"],
                 "--remove-from-version-id", put["VersionId"])
        self.assertEqual(self.aws("get-secret-value", "--secret-id", name)["SecretString"],
                         '{"user":"app"}')

        self.aws("tag-resource", "--secret-id", name, "--tags", "Key=team,Value=core")
        self.aws("untag-resource", "--secret-id", name, "--tag-keys", "env")
        self.assertEqual(self.aws("describe-secret", "--secret-id", name)["Tags"],
                         [{"Key": "team", "Value": "core"}])

        listed = self.aws("list-secrets", "--filters", f"Key=name,Values={name}")
        self.assertEqual([s["Name"] for s in listed["SecretList"]], [name])

        deleted = self.aws("delete-secret", "--secret-id", name, "--recovery-window-in-days", "7")
        self.assertEqual(deleted["Name"], name)
        self.assertIn("DeletionDate", deleted)
        error = self.expect_error("InvalidRequestException", "get-secret-value", "--secret-id",
                                  name)
        self.assertIn("marked for deletion", error)
        restored = self.aws("restore-secret", "--secret-id", name)
        self.assertEqual(restored["ARN"], created["ARN"])
        self.aws("delete-secret", "--secret-id", name, "--force-delete-without-recovery")
        self.expect_error("ResourceNotFoundException", "describe-secret", "--secret-id", name)

    def test_binary_secret_from_a_file(self):
        payload = bytes(range(256))
        with tempfile.NamedTemporaryFile(delete=False) as f:
            f.write(payload)
        self.addCleanup(os.unlink, f.name)
        name = f"cli/v{self.version}/binary"
        self.aws("create-secret", "--name", name, "--secret-binary", "fileb://" + f.name)
        value = self.aws("get-secret-value", "--secret-id", name)
        self.assertEqual(base64.b64decode(value["SecretBinary"]), payload)

    def test_random_password_and_errors(self):
        password = self.aws("get-random-password", "--password-length", "20",
                            "--exclude-punctuation")["RandomPassword"]
        self.assertEqual(len(password), 20)
        self.assertRegex(password, r"^[A-Za-z0-9]{20}$")
        self.expect_error("ResourceNotFoundException", "get-secret-value", "--secret-id",
                          "does-not-exist")
        self.aws("create-secret", "--name", f"dup-{self.version}")
        self.expect_error("ResourceExistsException", "create-secret", "--name",
                          f"dup-{self.version}")
        self.expect_error("InvalidParameterException", "delete-secret", "--secret-id",
                          f"dup-{self.version}", "--recovery-window-in-days", "3")

    def test_rotation_settings(self):
        name = f"cli/v{self.version}/rotated"
        self.aws("create-secret", "--name", name, "--secret-string", "s")
        rotated = self.aws("rotate-secret", "--secret-id", name, "--rotation-lambda-arn",
                           "arn:aws:lambda:us-east-1:000000000000:function:rotate",
                           "--rotation-rules", "AutomaticallyAfterDays=14")
        self.assertIn("VersionId", rotated)
        described = self.aws("describe-secret", "--secret-id", name)
        self.assertTrue(described["RotationEnabled"])
        self.assertEqual(described["RotationRules"], {"AutomaticallyAfterDays": 14})
        self.aws("cancel-rotate-secret", "--secret-id", name)
        self.assertFalse(self.aws("describe-secret", "--secret-id", name)["RotationEnabled"])

    def test_resource_policy(self):
        name = f"cli/v{self.version}/policy"
        self.aws("create-secret", "--name", name)
        policy = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:root"},
            "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]})
        self.aws("put-resource-policy", "--secret-id", name, "--resource-policy", policy,
                 "--block-public-policy")
        self.assertEqual(self.aws("get-resource-policy", "--secret-id", name)["ResourcePolicy"],
                         policy)
        self.aws("delete-resource-policy", "--secret-id", name)
        self.assertNotIn("ResourcePolicy",
                         self.aws("get-resource-policy", "--secret-id", name))


class SecretsManagerCliV1Test(CliMixin, AwsemuTestCase):
    version = 1

    # Debian's CLI v2 (2.9) predates these operations; the CLI v1 has them.
    def test_batch_get_secret_value(self):
        for name, value in (("batch/a", "1"), ("batch/b", "2"), ("other", "3")):
            self.aws("create-secret", "--name", name, "--secret-string", value)
        by_id = self.aws("batch-get-secret-value", "--secret-id-list", "batch/a", "missing")
        self.assertEqual([(v["Name"], v["SecretString"]) for v in by_id["SecretValues"]],
                         [("batch/a", "1")])
        self.assertEqual(by_id["Errors"][0]["SecretId"], "missing")
        self.assertEqual(by_id["Errors"][0]["ErrorCode"], "ResourceNotFoundException")
        by_filter = self.aws("batch-get-secret-value", "--filters", "Key=name,Values=batch/")
        self.assertEqual(sorted((v["Name"], v["SecretString"]) for v in by_filter["SecretValues"]),
                         [("batch/a", "1"), ("batch/b", "2")])

    def test_validate_resource_policy(self):
        policy = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:root"},
            "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]})
        self.assertTrue(self.aws("validate-resource-policy",
                                 "--resource-policy", policy)["PolicyValidationPassed"])
        self.expect_error("MalformedPolicyDocumentException", "validate-resource-policy",
                          "--resource-policy", "{not json")


class SecretsManagerCliV2Test(CliMixin, AwsemuTestCase):
    version = 2


if __name__ == "__main__":
    unittest.main()
