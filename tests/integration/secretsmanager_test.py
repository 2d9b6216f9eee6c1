"""Secrets Manager through boto3: every operation, its values and its errors."""

import base64
import datetime
import json
import re
import time
import unittest
import uuid

from botocore.exceptions import ClientError

from harness import AwsemuTestCase

ACCOUNT = "000000000000"
ARN_PATTERN = r"^arn:aws:secretsmanager:us-east-1:000000000000:secret:{}-[A-Za-z0-9]{{6}}$"
LAMBDA_ARN = "arn:aws:lambda:us-east-1:000000000000:function:rotate-me"
POLICY = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::000000000000:root"},
        "Action": "secretsmanager:GetSecretValue",
        "Resource": "*",
    }],
}, indent=2)


def now():
    return datetime.datetime.now(datetime.timezone.utc)


class SecretsManagerTest(AwsemuTestCase):

    def setUp(self):
        super().setUp()
        self.sm = self.server.client("secretsmanager")

    # --- helpers -----------------------------------------------------------------------------
    def create(self, name, value="value", **extra):
        return self.sm.create_secret(Name=name, SecretString=value, **extra)

    def stages(self, secret_id):
        return self.sm.describe_secret(SecretId=secret_id).get("VersionIdsToStages", {})

    # --- CreateSecret / GetSecretValue -----------------------------------------------------------
    def test_create_secret_and_read_it_by_name_arn_and_partial_arn(self):
        out = self.sm.create_secret(Name="app/db", SecretString='{"password":"p"}',
                                    Description="the database", KmsKeyId="alias/app",
                                    Tags=[{"Key": "team", "Value": "payments"}])
        self.assertRegex(out["ARN"], ARN_PATTERN.format("app/db"))
        self.assertEqual(out["Name"], "app/db")
        self.assertEqual(len(out["VersionId"]), 36)
        self.assertEqual(out["ResponseMetadata"]["HTTPStatusCode"], 200)

        partial = out["ARN"][:-7]
        for secret_id in ("app/db", out["ARN"], partial):
            value = self.sm.get_secret_value(SecretId=secret_id)
            self.assertEqual(value["SecretString"], '{"password":"p"}')
            self.assertEqual(value["ARN"], out["ARN"])
            self.assertEqual(value["Name"], "app/db")
            self.assertEqual(value["VersionId"], out["VersionId"])
            self.assertEqual(value["VersionStages"], ["AWSCURRENT"])
            self.assertNotIn("SecretBinary", value)
            self.assertLess(abs((now() - value["CreatedDate"]).total_seconds()), 60)

        with self.assertRaises(ClientError) as error:
            self.sm.get_secret_value(SecretId=partial + "-abcdef")
        self.assertAwsError(error, "ResourceNotFoundException", 400)
        self.assertEqual(error.exception.response["Error"]["Message"],
                         "Secrets Manager can't find the specified secret.")

    def test_create_secret_is_idempotent_per_client_request_token(self):
        token = str(uuid.uuid4())
        first = self.sm.create_secret(Name="s", SecretString="v", ClientRequestToken=token)
        again = self.sm.create_secret(Name="s", SecretString="v", ClientRequestToken=token)
        self.assertEqual(again["ARN"], first["ARN"])
        self.assertEqual(again["VersionId"], token)
        with self.assertRaises(ClientError) as error:
            self.sm.create_secret(Name="s", SecretString="other", ClientRequestToken=token)
        self.assertAwsError(error, "ResourceExistsException", 400)
        self.assertEqual(error.exception.response["Error"]["Message"],
                         "The operation failed because the secret s already exists.")

    def test_create_secret_rejects_bad_input(self):
        with self.assertRaises(ClientError) as error:
            self.sm.create_secret(Name="has space", SecretString="v")
        self.assertAwsError(error, "ValidationException", 400)
        self.assertIn("Invalid name", error.exception.response["Error"]["Message"])
        with self.assertRaises(ClientError) as error:
            self.sm.create_secret(Name="both", SecretString="v", SecretBinary=b"v")
        self.assertAwsError(error, "InvalidParameterException", 400)
        with self.assertRaises(ClientError) as error:
            self.sm.create_secret(Name="big", SecretString="x" * 65537)
        self.assertAwsError(error, "ValidationException", 400)
        with self.assertRaises(ClientError) as error:
            self.sm.create_secret(Name="n" * 513)
        self.assertAwsError(error, "ValidationException", 400)
        self.assertEqual(self.sm.list_secrets()["SecretList"], [])
        # The limit itself is fine.
        self.sm.create_secret(Name="exactly", SecretString="x" * 65536)

    def test_secret_binary_round_trips_byte_for_byte(self):
        payload = bytes(range(256)) * 4
        out = self.sm.create_secret(Name="bin", SecretBinary=payload)
        value = self.sm.get_secret_value(SecretId=out["ARN"])
        self.assertEqual(value["SecretBinary"], payload)
        self.assertNotIn("SecretString", value)

    def test_get_secret_value_errors(self):
        first = self.create("s", "one")
        with self.assertRaises(ClientError) as error:
            self.sm.get_secret_value(SecretId="s", VersionStage="AWSPREVIOUS")
        self.assertAwsError(error, "ResourceNotFoundException", 400)
        self.assertEqual(error.exception.response["Error"]["Message"],
                         "Secrets Manager can't find the specified secret value for staging "
                         "label: AWSPREVIOUS")
        missing = str(uuid.uuid4())
        with self.assertRaises(ClientError) as error:
            self.sm.get_secret_value(SecretId="s", VersionId=missing)
        self.assertEqual(error.exception.response["Error"]["Message"],
                         "Secrets Manager can't find the specified secret value for VersionId: "
                         + missing)
        with self.assertRaises(ClientError) as error:
            self.sm.get_secret_value(SecretId="s", VersionId=first["VersionId"],
                                     VersionStage="AWSPENDING")
        self.assertAwsError(error, "InvalidRequestException", 400)
        with self.assertRaises(ClientError) as error:
            self.sm.get_secret_value(SecretId="no-such-secret")
        self.assertAwsError(error, "ResourceNotFoundException", 400)

    # --- versions ------------------------------------------------------------------------------
    def test_put_secret_value_moves_staging_labels(self):
        v1 = self.create("s", "one")["VersionId"]
        put = self.sm.put_secret_value(SecretId="s", SecretString="two")
        v2 = put["VersionId"]
        self.assertEqual(put["VersionStages"], ["AWSCURRENT"])
        self.assertEqual(self.stages("s"), {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]})
        self.assertEqual(self.sm.get_secret_value(SecretId="s")["SecretString"], "two")
        self.assertEqual(self.sm.get_secret_value(SecretId="s", VersionStage="AWSPREVIOUS")
                         ["SecretString"], "one")

        pending = self.sm.put_secret_value(SecretId="s", SecretBinary=b"\x00three",
                                           VersionStages=["AWSPENDING"])
        self.assertEqual(pending["VersionStages"], ["AWSPENDING"])
        self.assertEqual(self.sm.get_secret_value(SecretId="s")["SecretString"], "two")
        self.assertEqual(self.sm.get_secret_value(SecretId="s", VersionStage="AWSPENDING")
                         ["SecretBinary"], b"\x00three")

        token = str(uuid.uuid4())
        self.sm.put_secret_value(SecretId="s", SecretString="four", ClientRequestToken=token)
        again = self.sm.put_secret_value(SecretId="s", SecretString="four",
                                         ClientRequestToken=token)
        self.assertEqual(again["VersionId"], token)
        with self.assertRaises(ClientError) as error:
            self.sm.put_secret_value(SecretId="s", SecretString="five", ClientRequestToken=token)
        self.assertAwsError(error, "ResourceExistsException", 400)
        with self.assertRaises(ClientError) as error:
            self.sm.put_secret_value(SecretId="missing", SecretString="x")
        self.assertAwsError(error, "ResourceNotFoundException", 400)
        with self.assertRaises(ClientError) as error:
            self.sm.put_secret_value(SecretId="s")
        self.assertAwsError(error, "InvalidRequestException", 400)

    def test_list_secret_version_ids(self):
        v1 = self.create("s", "one")["VersionId"]
        v2 = self.sm.put_secret_value(SecretId="s", SecretString="two")["VersionId"]
        v3 = self.sm.put_secret_value(SecretId="s", SecretString="three")["VersionId"]
        out = self.sm.list_secret_version_ids(SecretId="s")
        self.assertEqual(out["Name"], "s")
        self.assertRegex(out["ARN"], ARN_PATTERN.format("s"))
        self.assertEqual([(v["VersionId"], v["VersionStages"]) for v in out["Versions"]],
                         [(v2, ["AWSPREVIOUS"]), (v3, ["AWSCURRENT"])])
        self.assertEqual(out["Versions"][0]["KmsKeyIds"], ["DefaultEncryptionKey"])
        everything = self.sm.list_secret_version_ids(SecretId="s", IncludeDeprecated=True)
        self.assertEqual([v["VersionId"] for v in everything["Versions"]], [v1, v2, v3])
        self.assertNotIn("VersionStages", everything["Versions"][0])

        page = self.sm.list_secret_version_ids(SecretId="s", IncludeDeprecated=True, MaxResults=2)
        self.assertEqual(len(page["Versions"]), 2)
        rest = self.sm.list_secret_version_ids(SecretId="s", IncludeDeprecated=True, MaxResults=2,
                                               NextToken=page["NextToken"])
        self.assertEqual([v["VersionId"] for v in rest["Versions"]], [v3])
        self.assertNotIn("NextToken", rest)
        with self.assertRaises(ClientError) as error:
            self.sm.list_secret_version_ids(SecretId="s", NextToken="bogus")
        self.assertAwsError(error, "InvalidNextTokenException", 400)

    def test_update_secret_version_stage(self):
        v1 = self.create("s", "S1")["VersionId"]
        v2 = self.sm.put_secret_value(SecretId="s", SecretString="S2",
                                      VersionStages=["AWSPENDING"])["VersionId"]
        with self.assertRaises(ClientError) as error:
            self.sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                                MoveToVersionId=v2)
        self.assertAwsError(error, "InvalidParameterException", 400)
        self.assertIn("The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT "
                      "is currently attached to version " + v1,
                      error.exception.response["Error"]["Message"])
        out = self.sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                                  MoveToVersionId=v2, RemoveFromVersionId=v1)
        self.assertEqual(out["Name"], "s")
        self.assertEqual(self.stages("s"), {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT", "AWSPENDING"]})
        self.assertEqual(self.sm.get_secret_value(SecretId="s")["SecretString"], "S2")

        self.sm.update_secret_version_stage(SecretId="s", VersionStage="blue", MoveToVersionId=v1)
        self.assertEqual(self.stages("s")[v1], ["AWSPREVIOUS", "blue"])
        self.sm.update_secret_version_stage(SecretId="s", VersionStage="blue",
                                            RemoveFromVersionId=v1)
        self.assertEqual(self.stages("s")[v1], ["AWSPREVIOUS"])
        with self.assertRaises(ClientError) as error:
            self.sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                                RemoveFromVersionId=v2)
        self.assertAwsError(error, "InvalidParameterException", 400)

    # --- UpdateSecret / DescribeSecret ---------------------------------------------------------
    def test_update_secret(self):
        v1 = self.create("s", "one")["VersionId"]
        out = self.sm.update_secret(SecretId="s", Description="new description")
        self.assertNotIn("VersionId", out)
        self.assertEqual(self.sm.describe_secret(SecretId="s")["Description"], "new description")
        out = self.sm.update_secret(SecretId="s", SecretString="two", KmsKeyId="alias/other")
        v2 = out["VersionId"]
        described = self.sm.describe_secret(SecretId="s")
        self.assertEqual(described["KmsKeyId"], "alias/other")
        self.assertEqual(described["Description"], "new description")
        self.assertEqual(described["VersionIdsToStages"], {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]})
        self.assertEqual(self.sm.get_secret_value(SecretId="s")["SecretString"], "two")
        with self.assertRaises(ClientError) as error:
            self.sm.update_secret(SecretId="missing", Description="x")
        self.assertAwsError(error, "ResourceNotFoundException", 400)

    def test_update_secret_retried_with_the_same_token_is_idempotent(self):
        self.create("s", "one")
        token = "a" * 32
        first = self.sm.update_secret(SecretId="s", SecretString="two", ClientRequestToken=token)
        again = self.sm.update_secret(SecretId="s", SecretString="two", ClientRequestToken=token)
        self.assertEqual(again["VersionId"], first["VersionId"])
        self.assertEqual(len(self.sm.list_secret_version_ids(SecretId="s")["Versions"]), 2)
        with self.assertRaises(ClientError) as error:
            self.sm.update_secret(SecretId="s", SecretString="three", ClientRequestToken=token)
        self.assertAwsError(error, "ResourceExistsException", 400)

    def test_describe_secret_returns_what_aws_returns(self):
        out = self.create("s", "v", Description="d", Tags=[{"Key": "k", "Value": "v"}])
        described = self.sm.describe_secret(SecretId="s")
        self.assertEqual(described["ARN"], out["ARN"])
        self.assertEqual(described["Name"], "s")
        self.assertEqual(described["Description"], "d")
        self.assertEqual(described["Tags"], [{"Key": "k", "Value": "v"}])
        self.assertEqual(described["VersionIdsToStages"], {out["VersionId"]: ["AWSCURRENT"]})
        for field in ("CreatedDate", "LastChangedDate"):
            self.assertIsInstance(described[field], datetime.datetime)
            self.assertLess(abs((now() - described[field]).total_seconds()), 60)
        for absent in ("LastAccessedDate", "DeletedDate", "RotationEnabled", "KmsKeyId",
                       "LastRotatedDate", "NextRotationDate", "PrimaryRegion"):
            self.assertNotIn(absent, described)

        self.sm.get_secret_value(SecretId="s")
        accessed = self.sm.describe_secret(SecretId="s")["LastAccessedDate"]
        today = now().replace(hour=0, minute=0, second=0, microsecond=0)
        self.assertEqual(accessed, today)

        empty = self.sm.create_secret(Name="empty")
        self.assertNotIn("VersionId", empty)
        self.assertNotIn("VersionIdsToStages", self.sm.describe_secret(SecretId="empty"))

    # --- ListSecrets ---------------------------------------------------------------------------
    def test_list_secrets_filters_sorting_and_pages(self):
        for i in range(5):
            self.create(f"app/s{i}", Description="Odd secret" if i % 2 else "even secret",
                        Tags=[{"Key": "team", "Value": "pay" if i < 3 else "search"}])
        self.create("other")

        def names(**kwargs):
            return [s["Name"] for s in self.sm.list_secrets(**kwargs)["SecretList"]]

        self.assertEqual(names(), ["app/s0", "app/s1", "app/s2", "app/s3", "app/s4", "other"])
        self.assertEqual(names(SortOrder="desc"),
                         ["other", "app/s4", "app/s3", "app/s2", "app/s1", "app/s0"])
        self.assertEqual(names(Filters=[{"Key": "name", "Values": ["app/"]},
                                        {"Key": "tag-value", "Values": ["search"]}]),
                         ["app/s3", "app/s4"])
        self.assertEqual(names(Filters=[{"Key": "description", "Values": ["odd"]}]),
                         ["app/s1", "app/s3"])
        self.assertEqual(names(Filters=[{"Key": "name", "Values": ["!app"]}]), ["other"])
        self.assertEqual(names(Filters=[{"Key": "tag-key", "Values": ["tea"]}]),
                         ["app/s0", "app/s1", "app/s2", "app/s3", "app/s4"])
        self.assertEqual(names(Filters=[{"Key": "all", "Values": ["PAY even"]}]),
                         ["app/s0", "app/s2"])
        entry = self.sm.list_secrets(Filters=[{"Key": "name", "Values": ["other"]}])["SecretList"][0]
        self.assertIn("SecretVersionsToStages", entry)
        self.assertNotIn("VersionIdsToStages", entry)

        paginator = self.sm.get_paginator("list_secrets")
        pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
        self.assertEqual(len(pages), 3)
        self.assertEqual([s["Name"] for p in pages for s in p["SecretList"]], names())

        with self.assertRaises(ClientError) as error:
            self.sm.list_secrets(NextToken="not-a-token")
        self.assertAwsError(error, "InvalidNextTokenException", 400)
        with self.assertRaises(ClientError) as error:
            self.sm.list_secrets(MaxResults=101)
        self.assertAwsError(error, "ValidationException", 400)
        with self.assertRaises(ClientError) as error:
            self.sm.list_secrets(Filters=[{"Key": "colour", "Values": ["x"]}])
        self.assertAwsError(error, "ValidationException", 400)

    # --- DeleteSecret / RestoreSecret ----------------------------------------------------------
    def test_delete_and_restore_secret(self):
        arn = self.create("s")["ARN"]
        out = self.sm.delete_secret(SecretId="s", RecoveryWindowInDays=7)
        self.assertEqual(out["ARN"], arn)
        self.assertAlmostEqual((out["DeletionDate"] - now()).total_seconds(), 7 * 86400, delta=60)
        described = self.sm.describe_secret(SecretId="s")
        self.assertLess(abs((now() - described["DeletedDate"]).total_seconds()), 60)
        with self.assertRaises(ClientError) as error:
            self.sm.get_secret_value(SecretId="s")
        self.assertAwsError(error, "InvalidRequestException", 400)
        self.assertEqual(error.exception.response["Error"]["Message"],
                         "You can't perform this operation on the secret because it was marked "
                         "for deletion.")
        with self.assertRaises(ClientError) as error:
            self.sm.create_secret(Name="s", SecretString="again")
        self.assertAwsError(error, "InvalidRequestException", 400)
        self.assertEqual(self.sm.list_secrets()["SecretList"], [])
        self.assertEqual(len(self.sm.list_secrets(IncludePlannedDeletion=True)["SecretList"]), 1)

        restored = self.sm.restore_secret(SecretId="s")
        self.assertEqual(restored, {"ARN": arn, "Name": "s",
                                    "ResponseMetadata": restored["ResponseMetadata"]})
        self.assertEqual(self.sm.get_secret_value(SecretId="s")["SecretString"], "value")
        self.assertNotIn("DeletedDate", self.sm.describe_secret(SecretId="s"))

        out = self.sm.delete_secret(SecretId="s")
        self.assertAlmostEqual((out["DeletionDate"] - now()).total_seconds(), 30 * 86400, delta=60)
        forced = self.sm.delete_secret(SecretId="s", ForceDeleteWithoutRecovery=True)
        self.assertLess(abs((now() - forced["DeletionDate"]).total_seconds()), 60)
        with self.assertRaises(ClientError) as error:
            self.sm.describe_secret(SecretId="s")
        self.assertAwsError(error, "ResourceNotFoundException", 400)
        self.assertNotEqual(self.create("s")["ARN"], arn)

    def test_delete_secret_errors(self):
        self.create("s")
        with self.assertRaises(ClientError) as error:
            self.sm.delete_secret(SecretId="s", RecoveryWindowInDays=7,
                                  ForceDeleteWithoutRecovery=True)
        self.assertAwsError(error, "InvalidParameterException", 400)
        with self.assertRaises(ClientError) as error:
            self.sm.delete_secret(SecretId="s", RecoveryWindowInDays=31)
        self.assertAwsError(error, "InvalidParameterException", 400)
        self.assertEqual(error.exception.response["Error"]["Message"],
                         "The RecoveryWindowInDays value must be between 7 and 30 days "
                         "(inclusive).")
        with self.assertRaises(ClientError) as error:
            self.sm.delete_secret(SecretId="missing")
        self.assertAwsError(error, "ResourceNotFoundException", 400)
        self.sm.delete_secret(SecretId="s")
        with self.assertRaises(ClientError) as error:
            self.sm.delete_secret(SecretId="s")
        self.assertAwsError(error, "InvalidRequestException", 400)

    # --- tags and policies ---------------------------------------------------------------------
    def test_tag_and_untag_resource(self):
        self.sm.create_secret(Name="s")
        out = self.sm.tag_resource(SecretId="s", Tags=[{"Key": "a", "Value": "1"},
                                                       {"Key": "b", "Value": "2"}])
        self.assertEqual(out["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.sm.tag_resource(SecretId="s", Tags=[{"Key": "a", "Value": "changed"}])
        self.assertEqual(self.sm.describe_secret(SecretId="s")["Tags"],
                         [{"Key": "a", "Value": "changed"}, {"Key": "b", "Value": "2"}])
        self.sm.untag_resource(SecretId="s", TagKeys=["a"])
        self.assertEqual(self.sm.describe_secret(SecretId="s")["Tags"], [{"Key": "b", "Value": "2"}])
        self.sm.untag_resource(SecretId="s", TagKeys=["b"])
        self.assertEqual(self.sm.describe_secret(SecretId="s")["Tags"], [])
        with self.assertRaises(ClientError) as error:
            self.sm.tag_resource(SecretId="missing", Tags=[{"Key": "a", "Value": "1"}])
        self.assertAwsError(error, "ResourceNotFoundException", 400)

    def test_resource_policies(self):
        arn = self.create("s")["ARN"]
        got = self.sm.get_resource_policy(SecretId="s")
        self.assertEqual((got["ARN"], got["Name"]), (arn, "s"))
        self.assertNotIn("ResourcePolicy", got)
        put = self.sm.put_resource_policy(SecretId="s", ResourcePolicy=POLICY,
                                          BlockPublicPolicy=True)
        self.assertEqual((put["ARN"], put["Name"]), (arn, "s"))
        self.assertEqual(self.sm.get_resource_policy(SecretId="s")["ResourcePolicy"], POLICY)

        valid = self.sm.validate_resource_policy(SecretId="s", ResourcePolicy=POLICY)
        self.assertTrue(valid["PolicyValidationPassed"])
        self.assertEqual(valid["ValidationErrors"], [])
        with self.assertRaises(ClientError) as error:
            self.sm.validate_resource_policy(ResourcePolicy="{not json")
        self.assertAwsError(error, "MalformedPolicyDocumentException", 400)
        with self.assertRaises(ClientError) as error:
            self.sm.put_resource_policy(SecretId="s", ResourcePolicy="[1, 2]")
        self.assertAwsError(error, "MalformedPolicyDocumentException", 400)
        public = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:*", "Resource": "*"}]})
        with self.assertRaises(ClientError) as error:
            self.sm.put_resource_policy(SecretId="s", ResourcePolicy=public, BlockPublicPolicy=True)
        self.assertAwsError(error, "PublicPolicyException", 400)

        deleted = self.sm.delete_resource_policy(SecretId="s")
        self.assertEqual((deleted["ARN"], deleted["Name"]), (arn, "s"))
        self.assertNotIn("ResourcePolicy", self.sm.get_resource_policy(SecretId="s"))

    # --- GetRandomPassword -------------------------------------------------------------------
    def test_get_random_password(self):
        password = self.sm.get_random_password()["RandomPassword"]
        self.assertEqual(len(password), 32)
        self.assertTrue(re.search(r"[a-z]", password) and re.search(r"[A-Z]", password)
                        and re.search(r"[0-9]", password))
        self.assertTrue(any(c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" for c in password))

        password = self.sm.get_random_password(PasswordLength=100, ExcludePunctuation=True,
                                               ExcludeCharacters="abcABC012",
                                               IncludeSpace=True)["RandomPassword"]
        self.assertEqual(len(password), 100)
        self.assertRegex(password, r"^[d-zD-Z3-9 ]+$")
        only_digits = self.sm.get_random_password(
            PasswordLength=4096, ExcludeLowercase=True, ExcludeUppercase=True,
            ExcludePunctuation=True)["RandomPassword"]
        self.assertRegex(only_digits, r"^[0-9]{4096}$")
        self.assertNotEqual(self.sm.get_random_password()["RandomPassword"],
                            self.sm.get_random_password()["RandomPassword"])

        with self.assertRaises(ClientError) as error:
            self.sm.get_random_password(PasswordLength=4097)
        self.assertAwsError(error, "ValidationException", 400)
        with self.assertRaises(ClientError) as error:
            self.sm.get_random_password(PasswordLength=3)
        self.assertAwsError(error, "InvalidParameterException", 400)
        self.assertEqual(len(self.sm.get_random_password(
            PasswordLength=3, RequireEachIncludedType=False)["RandomPassword"]), 3)

    # --- BatchGetSecretValue -----------------------------------------------------------------
    def test_batch_get_secret_value(self):
        a = self.create("batch/a", "A")
        self.create("batch/b", "B")
        self.create("batch/gone", "G")
        self.sm.delete_secret(SecretId="batch/gone")

        out = self.sm.batch_get_secret_value(SecretIdList=[a["ARN"], "batch/b", "missing",
                                                           "batch/gone"])
        self.assertEqual([(v["Name"], v["SecretString"]) for v in out["SecretValues"]],
                         [("batch/a", "A"), ("batch/b", "B")])
        self.assertEqual(out["SecretValues"][0]["VersionStages"], ["AWSCURRENT"])
        self.assertEqual([(e["SecretId"], e["ErrorCode"]) for e in out["Errors"]],
                         [("missing", "ResourceNotFoundException"),
                          ("batch/gone", "InvalidRequestException")])

        page = self.sm.batch_get_secret_value(
            Filters=[{"Key": "name", "Values": ["batch/"]}], MaxResults=1)
        self.assertEqual([v["Name"] for v in page["SecretValues"]], ["batch/a"])
        page = self.sm.batch_get_secret_value(
            Filters=[{"Key": "name", "Values": ["batch/"]}], MaxResults=1,
            NextToken=page["NextToken"])
        self.assertEqual([v["Name"] for v in page["SecretValues"]], ["batch/b"])
        self.assertNotIn("NextToken", page)

        with self.assertRaises(ClientError) as error:
            self.sm.batch_get_secret_value(SecretIdList=["batch/a"],
                                           Filters=[{"Key": "name", "Values": ["batch"]}])
        self.assertAwsError(error, "InvalidParameterException", 400)
        with self.assertRaises(ClientError) as error:
            self.sm.batch_get_secret_value(SecretIdList=["batch/a"], MaxResults=2)
        self.assertAwsError(error, "InvalidParameterException", 400)

    # --- rotation ------------------------------------------------------------------------------
    def test_rotate_and_cancel_rotation(self):
        v1 = self.create("s", "current")["VersionId"]
        with self.assertRaises(ClientError) as error:
            self.sm.rotate_secret(SecretId="s")
        self.assertAwsError(error, "InvalidRequestException", 400)
        self.assertEqual(error.exception.response["Error"]["Message"],
                         "No Lambda rotation function ARN is associated with this secret.")

        out = self.sm.rotate_secret(SecretId="s", RotationLambdaARN=LAMBDA_ARN,
                                    RotationRules={"AutomaticallyAfterDays": 7, "Duration": "3h"})
        pending = out["VersionId"]
        described = self.sm.describe_secret(SecretId="s")
        self.assertTrue(described["RotationEnabled"])
        self.assertEqual(described["RotationLambdaARN"], LAMBDA_ARN)
        self.assertEqual(described["RotationRules"], {"AutomaticallyAfterDays": 7, "Duration": "3h"})
        self.assertAlmostEqual((described["NextRotationDate"] - now()).total_seconds(),
                               7 * 86400, delta=120)
        self.assertEqual(described["VersionIdsToStages"],
                         {v1: ["AWSCURRENT"], pending: ["AWSPENDING"]})
        with self.assertRaises(ClientError) as error:
            self.sm.rotate_secret(SecretId="s")
        self.assertAwsError(error, "InvalidRequestException", 400)

        # The rotation function's last step.
        self.sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                            MoveToVersionId=pending, RemoveFromVersionId=v1)
        described = self.sm.describe_secret(SecretId="s")
        self.assertLess(abs((now() - described["LastRotatedDate"]).total_seconds()), 60)

        self.sm.rotate_secret(SecretId="s", RotateImmediately=False,
                              RotationRules={"ScheduleExpression": "rate(10 days)"})
        self.assertEqual(self.sm.describe_secret(SecretId="s")["RotationRules"],
                         {"ScheduleExpression": "rate(10 days)"})
        with self.assertRaises(ClientError) as error:
            self.sm.rotate_secret(SecretId="s", RotationRules={"ScheduleExpression": "sometimes"})
        self.assertAwsError(error, "InvalidParameterException", 400)

        cancelled = self.sm.cancel_rotate_secret(SecretId="s")
        self.assertEqual(cancelled["Name"], "s")
        described = self.sm.describe_secret(SecretId="s")
        self.assertFalse(described["RotationEnabled"])
        self.assertNotIn("NextRotationDate", described)

    # --- replication ---------------------------------------------------------------------------
    def test_replicate_remove_and_stop_replication(self):
        west = self.server.client("secretsmanager", region="us-west-2")
        arn = self.create("shared", "v1")["ARN"]
        out = self.sm.replicate_secret_to_regions(
            SecretId="shared", AddReplicaRegions=[{"Region": "us-west-2"}])
        self.assertEqual(out["ARN"], arn)
        self.assertEqual(out["ReplicationStatus"][0]["Region"], "us-west-2")
        self.assertEqual(out["ReplicationStatus"][0]["Status"], "InSync")

        replica = west.describe_secret(SecretId="shared")
        self.assertEqual(replica["ARN"], arn.replace("us-east-1", "us-west-2"))
        self.assertEqual(replica["PrimaryRegion"], "us-east-1")
        primary = self.sm.describe_secret(SecretId="shared")
        self.assertEqual(primary["PrimaryRegion"], "us-east-1")
        self.assertEqual(primary["ReplicationStatus"][0]["Region"], "us-west-2")

        self.sm.put_secret_value(SecretId="shared", SecretString="v2")
        self.assertEqual(west.get_secret_value(SecretId="shared")["SecretString"], "v2")
        with self.assertRaises(ClientError) as error:
            west.put_secret_value(SecretId="shared", SecretString="mine")
        self.assertAwsError(error, "InvalidRequestException", 400)

        out = self.sm.remove_regions_from_replication(SecretId="shared",
                                                      RemoveReplicaRegions=["us-west-2"])
        self.assertEqual(out["ReplicationStatus"], [])
        with self.assertRaises(ClientError) as error:
            west.describe_secret(SecretId="shared")
        self.assertAwsError(error, "ResourceNotFoundException", 400)

        self.sm.replicate_secret_to_regions(SecretId="shared",
                                            AddReplicaRegions=[{"Region": "us-west-2"}])
        stopped = west.stop_replication_to_replica(SecretId="shared")
        self.assertEqual(stopped["ARN"], arn.replace("us-east-1", "us-west-2"))
        west.put_secret_value(SecretId="shared", SecretString="mine")
        self.assertEqual(west.get_secret_value(SecretId="shared")["SecretString"], "mine")
        self.assertEqual(self.sm.get_secret_value(SecretId="shared")["SecretString"], "v2")


    def test_replica_region_is_validated_without_regular_expression_recursion(self):
        self.create("shared", "v1")
        for region in ("us-west-2-", "-1", "US-west-2", "a" * 300000 + "-1"):
            with self.subTest(region=region[:20]):
                with self.assertRaises(ClientError) as error:
                    self.sm.replicate_secret_to_regions(SecretId="shared",
                                                        AddReplicaRegions=[{"Region": region}])
                self.assertAwsError(error, "ValidationException", 400)
        self.assertEqual(self.sm.get_secret_value(SecretId="shared")["SecretString"], "v1")


class SecretsManagerClockTest(AwsemuTestCase):
    """Against a fast clock: one emulated day lasts 0.864 real seconds."""

    server_args = ("--time-scale", "0.00001")

    def setUp(self):
        super().setUp()
        self.sm = self.server.client("secretsmanager")

    def test_secret_is_gone_when_the_recovery_window_passes(self):
        arn = self.sm.create_secret(Name="short-lived", SecretString="v")["ARN"]
        self.sm.delete_secret(SecretId="short-lived", RecoveryWindowInDays=7)
        self.sm.describe_secret(SecretId="short-lived")  # still restorable
        time.sleep(7 * 0.864 + 1)
        with self.assertRaises(ClientError) as error:
            self.sm.describe_secret(SecretId="short-lived")
        self.assertAwsError(error, "ResourceNotFoundException", 400)
        with self.assertRaises(ClientError) as error:
            self.sm.restore_secret(SecretId="short-lived")
        self.assertAwsError(error, "ResourceNotFoundException", 400)
        again = self.sm.create_secret(Name="short-lived", SecretString="new")
        self.assertNotEqual(again["ARN"], arn)

    def test_last_accessed_date_moves_only_when_the_day_changes(self):
        self.sm.create_secret(Name="read-me", SecretString="v")
        self.sm.get_secret_value(SecretId="read-me")
        first = self.sm.describe_secret(SecretId="read-me")["LastAccessedDate"]
        self.assertEqual((first.hour, first.minute, first.second), (0, 0, 0))
        time.sleep(2 * 0.864)
        self.assertEqual(self.sm.describe_secret(SecretId="read-me")["LastAccessedDate"], first)
        self.sm.get_secret_value(SecretId="read-me")
        later = self.sm.describe_secret(SecretId="read-me")["LastAccessedDate"]
        self.assertGreaterEqual((later - first).days, 2)
        self.assertEqual((later.hour, later.minute, later.second), (0, 0, 0))


if __name__ == "__main__":
    unittest.main()
