"""The AWS SDK for JavaScript v3 as a client: Secrets Manager (@aws-sdk/client-secrets-manager).

The scripts run under node with harness.run_js, which points the SDK at awsemu through
AWS_ENDPOINT_URL, exactly as an application configured for awsemu would find it.
"""

import base64
import os
import tempfile
import unittest

from harness import AwsemuTestCase

SECRET_LIFECYCLE = r"""
const {
  SecretsManagerClient, CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand,
  DescribeSecretCommand,
} = require("@aws-sdk/client-secrets-manager");

async function main() {
  const [name] = process.argv.slice(2);
  const client = new SecretsManagerClient({});  // endpoint, region and keys from the environment
  const created = await client.send(new CreateSecretCommand({
    Name: name, SecretString: '{"user":"app","password":"p\u00e4ss"}', Description: "from js",
    Tags: [{ Key: "env", Value: "test" }],
  }));
  const first = await client.send(new GetSecretValueCommand({ SecretId: name }));
  const put = await client.send(new PutSecretValueCommand({
    SecretId: created.ARN, SecretBinary: Uint8Array.from([0, 1, 2, 254, 255]),
  }));
  const second = await client.send(new GetSecretValueCommand({ SecretId: created.ARN }));
  const previous = await client.send(new GetSecretValueCommand({
    SecretId: name, VersionStage: "AWSPREVIOUS",
  }));
  const described = await client.send(new DescribeSecretCommand({ SecretId: name }));
  console.log(JSON.stringify({
    created: { ARN: created.ARN, Name: created.Name, VersionId: created.VersionId,
               status: created.$metadata.httpStatusCode },
    first: { SecretString: first.SecretString, VersionId: first.VersionId,
             VersionStages: first.VersionStages, CreatedDate: first.CreatedDate instanceof Date },
    put: { VersionId: put.VersionId, VersionStages: put.VersionStages },
    second: { SecretBinary: Buffer.from(second.SecretBinary).toString("base64"),
              SecretString: second.SecretString ?? null, VersionId: second.VersionId },
    previous: { SecretString: previous.SecretString, VersionId: previous.VersionId },
    described: { Description: described.Description, Tags: described.Tags,
                 stages: described.VersionIdsToStages },
  }));
}

main().catch((error) => { console.error(error); process.exit(1); });
"""

MISSING_SECRET = r"""
const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager");

new SecretsManagerClient({ maxAttempts: 1 })
  .send(new GetSecretValueCommand({ SecretId: process.argv[2] }))
  .then(() => console.log(JSON.stringify({ unexpected: "success" })))
  .catch((error) => console.log(JSON.stringify({
    name: error.name, message: error.message, status: error.$metadata?.httpStatusCode,
    fault: error.$fault, requestId: error.$metadata?.requestId ?? null,
  })));
"""


class JsSdkSecretsManagerTest(AwsemuTestCase):
    def test_create_read_and_update_a_secret(self):
        out = self.server.run_js(SECRET_LIFECYCLE, "js/app/db")

        self.assertEqual(out["created"]["status"], 200)
        self.assertEqual(out["created"]["Name"], "js/app/db")
        self.assertRegex(out["created"]["ARN"],
                         r"^arn:aws:secretsmanager:us-east-1:000000000000:secret:js/app/db-"
                         r"[A-Za-z0-9]{6}$")

        first = out["first"]
        self.assertEqual(first["SecretString"], '{"user":"app","password":"p\u00e4ss"}')
        self.assertEqual(first["VersionId"], out["created"]["VersionId"])
        self.assertEqual(first["VersionStages"], ["AWSCURRENT"])
        self.assertTrue(first["CreatedDate"], "the SDK should parse CreatedDate into a Date")

        self.assertEqual(out["put"]["VersionStages"], ["AWSCURRENT"])
        self.assertNotEqual(out["put"]["VersionId"], first["VersionId"])
        second = out["second"]
        self.assertEqual(base64.b64decode(second["SecretBinary"]), bytes([0, 1, 2, 254, 255]))
        self.assertIsNone(second["SecretString"])
        self.assertEqual(second["VersionId"], out["put"]["VersionId"])
        self.assertEqual(out["previous"], {"SecretString": first["SecretString"],
                                           "VersionId": first["VersionId"]})

        described = out["described"]
        self.assertEqual(described["Description"], "from js")
        self.assertEqual(described["Tags"], [{"Key": "env", "Value": "test"}])
        self.assertEqual(described["stages"], {first["VersionId"]: ["AWSPREVIOUS"],
                                               second["VersionId"]: ["AWSCURRENT"]})

        # The same secret, read back by another client.
        value = self.server.client("secretsmanager").get_secret_value(SecretId="js/app/db")
        self.assertEqual(value["SecretBinary"], bytes([0, 1, 2, 254, 255]))

    def test_missing_secret_is_a_typed_sdk_error(self):
        out = self.server.run_js(MISSING_SECRET, "js/missing")
        self.assertEqual(out["name"], "ResourceNotFoundException")
        self.assertEqual(out["status"], 400)
        self.assertEqual(out["fault"], "client")
        self.assertIn("can't find the specified secret", out["message"])
        self.assertTrue(out["requestId"])

    def test_region_and_account_come_from_the_environment(self):
        script = r"""
const { SecretsManagerClient, CreateSecretCommand } = require("@aws-sdk/client-secrets-manager");
new SecretsManagerClient({})
  .send(new CreateSecretCommand({ Name: "regional", SecretString: "x" }))
  .then((out) => console.log(JSON.stringify(out.ARN)));
"""
        arn = self.server.run_js(script, region="eu-west-1", key="123456789012")
        self.assertRegex(arn, r"^arn:aws:secretsmanager:eu-west-1:123456789012:secret:regional-")

    def test_script_from_a_file_and_failures_carry_stderr(self):
        with tempfile.TemporaryDirectory() as scratch:
            path = os.path.join(scratch, "echo.cjs")
            with open(path, "w") as f:
                f.write("console.log(JSON.stringify(process.argv.slice(2)));\n")
            self.assertEqual(self.server.run_js(path, "a", 2), ["a", "2"])
        with self.assertRaises(AssertionError) as failure:
            self.server.run_js('console.error("boom on stderr"); process.exit(3);')
        self.assertIn("boom on stderr", str(failure.exception))


if __name__ == "__main__":
    unittest.main()
