"""Secrets Manager state survives a restart, and a kill -9 right after an acknowledged write."""

import json
import shutil
import tempfile
import unittest

from botocore.exceptions import ClientError

from harness import AwsemuServer


class SecretsManagerPersistenceTest(unittest.TestCase):

    def setUp(self):
        self.state_dir = tempfile.mkdtemp(prefix="awsemu-sm-state-")
        self.addCleanup(shutil.rmtree, self.state_dir, True)
        self.server = AwsemuServer(state_dir=self.state_dir)
        self.addCleanup(self.server.cleanup)
        self.server.start()

    def client(self, region="us-east-1"):
        return self.server.client("secretsmanager", region=region)

    def snapshot(self, sm, secret_id):
        """Everything a client can read back about a secret."""
        described = sm.describe_secret(SecretId=secret_id)
        described.pop("ResponseMetadata")
        described.pop("LastAccessedDate", None)  # reading it below would change it
        versions = sm.list_secret_version_ids(SecretId=secret_id, IncludeDeprecated=True)
        versions.pop("ResponseMetadata")
        for version in versions["Versions"]:
            version.pop("LastAccessedDate", None)
        policy = sm.get_resource_policy(SecretId=secret_id)
        policy.pop("ResponseMetadata")
        return described, versions, policy

    def test_everything_comes_back_after_a_restart(self):
        sm = self.client()
        sm.create_secret(Name="app/db", SecretString='{"password":"p1"}', Description="db",
                         KmsKeyId="alias/app", Tags=[{"Key": "env", "Value": "prod"}])
        sm.put_secret_value(SecretId="app/db", SecretString='{"password":"p2"}')
        sm.put_resource_policy(SecretId="app/db", ResourcePolicy=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*",
                                                     "Action": "*", "Resource": "*"}]}))
        sm.rotate_secret(SecretId="app/db", RotateImmediately=False,
                         RotationLambdaARN="arn:aws:lambda:us-east-1:000000000000:function:r",
                         RotationRules={"AutomaticallyAfterDays": 30})
        sm.put_secret_value(SecretId="app/db", SecretString="pending",
                            VersionStages=["AWSPENDING"])
        binary = bytes(range(256))
        sm.create_secret(Name="bin", SecretBinary=binary)
        sm.create_secret(Name="doomed", SecretString="x")
        sm.delete_secret(SecretId="doomed", RecoveryWindowInDays=10)
        sm.create_secret(Name="replicated", SecretString="r",
                         AddReplicaRegions=[{"Region": "eu-west-1"}])
        before = {name: self.snapshot(sm, name) for name in ("app/db", "bin", "doomed")}
        values_before = sm.get_secret_value(SecretId="app/db")

        self.server.restart()
        sm = self.client()
        for name, snapshot in before.items():
            self.assertEqual(self.snapshot(sm, name), snapshot, name)
        values_after = sm.get_secret_value(SecretId="app/db")
        for key in ("ARN", "Name", "VersionId", "SecretString", "VersionStages", "CreatedDate"):
            self.assertEqual(values_after[key], values_before[key], key)
        self.assertEqual(sm.get_secret_value(SecretId="bin")["SecretBinary"], binary)
        self.assertEqual(sm.get_secret_value(SecretId="app/db", VersionStage="AWSPENDING")
                         ["SecretString"], "pending")
        with self.assertRaises(ClientError) as error:
            sm.get_secret_value(SecretId="doomed")
        self.assertEqual(error.exception.response["Error"]["Code"], "InvalidRequestException")
        self.assertEqual(self.client("eu-west-1").get_secret_value(SecretId="replicated")
                         ["SecretString"], "r")
        # And the restarted server keeps working.
        sm.restore_secret(SecretId="doomed")
        self.assertEqual(sm.get_secret_value(SecretId="doomed")["SecretString"], "x")

    def test_kill_9_after_an_acknowledged_write_loses_nothing(self):
        sm = self.client()
        sm.create_secret(Name="s", SecretString="one")
        put = sm.put_secret_value(SecretId="s", SecretString="two")
        sm.tag_resource(SecretId="s", Tags=[{"Key": "k", "Value": "v"}])
        self.assertEqual(put["ResponseMetadata"]["HTTPStatusCode"], 200)

        self.server.kill()
        self.server.start()
        sm = self.client()
        value = sm.get_secret_value(SecretId="s")
        self.assertEqual(value["SecretString"], "two")
        self.assertEqual(value["VersionId"], put["VersionId"])
        self.assertEqual(sm.get_secret_value(SecretId="s", VersionStage="AWSPREVIOUS")
                         ["SecretString"], "one")
        self.assertEqual(sm.describe_secret(SecretId="s")["Tags"], [{"Key": "k", "Value": "v"}])


if __name__ == "__main__":
    unittest.main()
