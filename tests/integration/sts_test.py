"""STS with real clients: who am I, AssumeRole, and what the temporary credentials act as."""

import datetime
import os
import re
import unittest
from unittest import mock

from botocore.config import Config
from botocore.exceptions import ClientError

import boto3
from harness import AwsemuServer, AwsemuTestCase

ROLE_ARN = "arn:aws:iam::111122223333:role/deploy"
ASSUMED_ARN = "arn:aws:sts::111122223333:assumed-role/deploy/ci-run"


class GetCallerIdentityTest(AwsemuTestCase):
    def test_boto3_default_key_is_the_default_account_root(self):
        identity = self.server.client("sts").get_caller_identity()
        self.assertEqual(identity["Account"], "000000000000")
        self.assertEqual(identity["Arn"], "arn:aws:iam::000000000000:root")
        self.assertEqual(identity["UserId"], "000000000000")
        self.assertEqual(identity["ResponseMetadata"]["HTTPStatusCode"], 200)

    def test_boto3_twelve_digit_key_is_that_account(self):
        identity = self.server.client("sts", key="123456789012").get_caller_identity()
        self.assertEqual(identity["Account"], "123456789012")
        self.assertEqual(identity["Arn"], "arn:aws:iam::123456789012:root")

    def test_cli_v1_and_v2(self):
        for version in (1, 2):
            with self.subTest(cli=version):
                identity = self.server.cli("sts", "get-caller-identity", version=version)
                self.assertEqual(identity["Account"], "000000000000")
                self.assertEqual(identity["Arn"], "arn:aws:iam::000000000000:root")
                numbered = self.server.cli("sts", "get-caller-identity", version=version,
                                           key="123456789012")
                self.assertEqual(numbered["Account"], "123456789012")

    def test_region_does_not_change_the_account(self):
        identity = self.server.client("sts", region="eu-west-1").get_caller_identity()
        self.assertEqual(identity["Account"], "000000000000")


class AccountIdFlagTest(AwsemuTestCase):
    server_args = ("--account-id", "210987654321")

    def test_account_id_flag_changes_the_default_account(self):
        identity = self.server.client("sts").get_caller_identity()
        self.assertEqual(identity["Account"], "210987654321")
        self.assertEqual(identity["Arn"], "arn:aws:iam::210987654321:root")
        self.assertEqual(self.server.cli("sts", "get-caller-identity", version=2)["Account"],
                         "210987654321")

    def test_twelve_digit_keys_still_name_their_own_account(self):
        identity = self.server.client("sts", key="123456789012").get_caller_identity()
        self.assertEqual(identity["Account"], "123456789012")


class AssumeRoleTest(AwsemuTestCase):
    def assume(self, **extra):
        return self.server.client("sts").assume_role(RoleArn=ROLE_ARN, RoleSessionName="ci-run",
                                                     **extra)

    def assertCredentialsShape(self, credentials, user, expected_seconds=3600):
        self.assertRegex(credentials["AccessKeyId"], r"^ASIA[A-Z0-9]{16}$")
        self.assertEqual(len(credentials["SecretAccessKey"]), 40)
        self.assertTrue(credentials["SessionToken"])
        expiration = credentials["Expiration"]
        if isinstance(expiration, str):
            expiration = datetime.datetime.fromisoformat(expiration.replace("Z", "+00:00"))
        remaining = (expiration - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
        self.assertGreater(remaining, expected_seconds - 120)
        self.assertLessEqual(remaining, expected_seconds + 5)
        self.assertEqual(user["Arn"], ASSUMED_ARN)
        self.assertRegex(user["AssumedRoleId"], r"^AROA[A-Z0-9]+:ci-run$")

    def test_boto3_assume_role_answers_temporary_credentials(self):
        answer = self.assume()
        self.assertCredentialsShape(answer["Credentials"], answer["AssumedRoleUser"])

    def test_duration_seconds_sets_the_expiration(self):
        answer = self.assume(DurationSeconds=900)
        self.assertCredentialsShape(answer["Credentials"], answer["AssumedRoleUser"], 900)

    def test_cli_v1_and_v2_assume_role(self):
        for version in (1, 2):
            with self.subTest(cli=version):
                answer = self.server.cli("sts", "assume-role", "--role-arn", ROLE_ARN,
                                         "--role-session-name", "ci-run", version=version)
                self.assertCredentialsShape(answer["Credentials"], answer["AssumedRoleUser"])

    def temporary_client(self, service, credentials):
        return self.server.client(service, key=credentials["AccessKeyId"],
                                  secret=credentials["SecretAccessKey"],
                                  token=credentials["SessionToken"])

    def test_temporary_credentials_act_as_the_role(self):
        credentials = self.assume()["Credentials"]
        identity = self.temporary_client("sts", credentials).get_caller_identity()
        self.assertEqual(identity["Account"], "111122223333")
        self.assertEqual(identity["Arn"], ASSUMED_ARN)
        self.assertRegex(identity["UserId"], r"^AROA[A-Z0-9]+:ci-run$")

    def test_temporary_credentials_work_with_the_cli(self):
        credentials = self.assume()["Credentials"]
        for version in (1, 2):
            # The harness passes key and secret; the CLI reads the token from the environment.
            with self.subTest(cli=version), \
                    mock.patch.dict(os.environ, {"AWS_SESSION_TOKEN": credentials["SessionToken"]}):
                identity = self.server.cli("sts", "get-caller-identity", version=version,
                                           key=credentials["AccessKeyId"],
                                           secret=credentials["SecretAccessKey"])
                self.assertEqual(identity["Arn"], ASSUMED_ARN)

    def test_secret_created_with_temporary_credentials_lives_in_the_role_account(self):
        credentials = self.assume()["Credentials"]
        created = self.temporary_client("secretsmanager", credentials).create_secret(
            Name="role-owned", SecretString="v")
        self.assertTrue(created["ARN"].startswith(
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:role-owned-"), created["ARN"])

        default_names = [s["Name"] for s in
                         self.server.client("secretsmanager").list_secrets()["SecretList"]]
        self.assertNotIn("role-owned", default_names)
        with self.assertRaises(ClientError) as context:
            self.server.client("secretsmanager").get_secret_value(SecretId="role-owned")
        self.assertAwsError(context, "ResourceNotFoundException", 400)

        role_account = self.server.client("secretsmanager", key="111122223333")
        self.assertEqual(role_account.get_secret_value(SecretId="role-owned")["SecretString"], "v")

    def test_each_assume_role_issues_different_keys(self):
        first = self.assume()["Credentials"]
        second = self.assume()["Credentials"]
        self.assertNotEqual(first["AccessKeyId"], second["AccessKeyId"])
        self.assertNotEqual(first["SessionToken"], second["SessionToken"])

    def test_assume_role_from_another_account_is_the_roles_account(self):
        answer = self.server.client("sts", key="444455556666").assume_role(
            RoleArn=ROLE_ARN, RoleSessionName="ci-run")
        self.assertEqual(answer["AssumedRoleUser"]["Arn"], ASSUMED_ARN)

    def test_credentials_survive_a_restart(self):
        server = AwsemuServer().start()
        try:
            credentials = server.client("sts").assume_role(
                RoleArn=ROLE_ARN, RoleSessionName="ci-run")["Credentials"]
            server.restart()
            client = server.client("sts", key=credentials["AccessKeyId"],
                                   secret=credentials["SecretAccessKey"],
                                   token=credentials["SessionToken"])
            self.assertEqual(client.get_caller_identity()["Arn"], ASSUMED_ARN)
        finally:
            server.cleanup()


class AssumeRoleValidationTest(AwsemuTestCase):
    def unvalidated_sts(self):
        """A client that sends what it is given: botocore checks some limits itself."""
        return boto3.client("sts", endpoint_url=self.server.endpoint, region_name="us-east-1",
                            aws_access_key_id="test", aws_secret_access_key="test",
                            config=Config(parameter_validation=False, retries={"max_attempts": 1}))

    def assertValidationError(self, message_pattern, **params):
        with self.assertRaises(ClientError) as context:
            self.unvalidated_sts().assume_role(**params)
        self.assertAwsError(context, "ValidationError", 400)
        self.assertEqual(context.exception.response["Error"]["Type"], "Sender")
        self.assertRegex(context.exception.response["Error"]["Message"], message_pattern)

    def test_bad_role_arn(self):
        for arn in ("not-an-arn", "arn:aws:iam::123456789012:user/deploy",
                    "arn:aws:iam::12345:role/deploy", "arn:aws:iam::123456789012:role/"):
            with self.subTest(arn=arn):
                self.assertValidationError(re.escape(arn), RoleArn=arn, RoleSessionName="ci-run")

    def test_bad_role_session_name(self):
        for name in ("x", "has space", "slash/not/allowed", "n" * 65):
            with self.subTest(name=name):
                self.assertValidationError("roleSessionName", RoleArn=ROLE_ARN,
                                           RoleSessionName=name)

    def test_duration_seconds_out_of_range(self):
        self.assertValidationError("greater than or equal to 900", RoleArn=ROLE_ARN,
                                   RoleSessionName="ci-run", DurationSeconds=899)
        self.assertValidationError("less than or equal to 43200", RoleArn=ROLE_ARN,
                                   RoleSessionName="ci-run", DurationSeconds=43201)

    def test_missing_parameters(self):
        self.assertValidationError("roleArn", RoleSessionName="ci-run")
        self.assertValidationError("roleSessionName", RoleArn=ROLE_ARN)

    def test_cli_reports_the_validation_error(self):
        for version in (1, 2):
            with self.subTest(cli=version):
                result = self.server.cli("sts", "assume-role", "--role-arn",
                                         "arn:aws:iam::123456789012:user/deploy",
                                         "--role-session-name", "ci-run", version=version,
                                         check=False)
                self.assertNotEqual(result.returncode, 0)
                self.assertIn("ValidationError", result.stderr)

    def test_refused_assume_role_issues_nothing_usable(self):
        with self.assertRaises(ClientError):
            self.unvalidated_sts().assume_role(RoleArn=ROLE_ARN, RoleSessionName="x")
        # The server still answers normally afterwards.
        self.assertEqual(self.server.client("sts").get_caller_identity()["Account"], "000000000000")


if __name__ == "__main__":
    unittest.main()
