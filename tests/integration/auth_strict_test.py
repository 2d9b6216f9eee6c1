"""--auth strict: SigV4 signatures are verified, with each protocol's error codes."""

import datetime
import json
import unittest
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from unittest import mock

import boto3
import botocore.auth
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from harness import AwsemuServer, AwsemuTestCase

KEY = "AKIDSTRICT"
SECRET = "goodsecret"
ROLE_ARN = "arn:aws:iam::111122223333:role/deploy"
STS_NS = "{https://sts.amazonaws.com/doc/2011-06-15/}"


def fetch(url, method="GET"):
    """Requests a URL with no body; answers (status, body) for any status."""
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def query_error_code(body):
    return ElementTree.fromstring(body).findtext(f"{STS_NS}Error/{STS_NS}Code")


class StrictAuthTest(AwsemuTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = AwsemuServer(auth="strict", credentials=(f"{KEY}:{SECRET}",)).start()

    def client(self, service, key=KEY, secret=SECRET, token=None):
        return self.server.client(service, key=key, secret=secret, token=token)

    def unsigned_client(self, service):
        return boto3.client(service, endpoint_url=self.server.endpoint, region_name="us-east-1",
                            config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}))

    # --- the right secret ------------------------------------------------------------------
    def test_boto3_with_the_right_secret_succeeds(self):
        secrets = self.client("secretsmanager")
        secrets.create_secret(Name="strict-ok", SecretString="v")
        self.assertEqual(secrets.get_secret_value(SecretId="strict-ok")["SecretString"], "v")
        self.assertEqual(self.client("sts").get_caller_identity()["Account"], "000000000000")

    def test_cli_v1_and_v2_with_the_right_secret_succeed(self):
        for version in (1, 2):
            with self.subTest(cli=version):
                identity = self.server.cli("sts", "get-caller-identity", version=version, key=KEY,
                                           secret=SECRET)
                self.assertEqual(identity["Arn"], "arn:aws:iam::000000000000:root")
                created = self.server.cli("secretsmanager", "create-secret", "--name",
                                          f"cli-strict-{version}", "--secret-string", "v",
                                          version=version, key=KEY, secret=SECRET)
                self.assertEqual(created["Name"], f"cli-strict-{version}")

    # --- the wrong secret ------------------------------------------------------------------
    def test_boto3_with_a_wrong_secret_is_refused_in_each_protocol(self):
        with self.assertRaises(ClientError) as context:
            self.client("secretsmanager", secret="badsecret").list_secrets()
        self.assertAwsError(context, "InvalidSignatureException", 400)
        with self.assertRaises(ClientError) as context:
            self.client("sts", secret="badsecret").get_caller_identity()
        self.assertAwsError(context, "SignatureDoesNotMatch", 403)

    def test_cli_v1_and_v2_with_a_wrong_secret_are_refused(self):
        for version in (1, 2):
            with self.subTest(cli=version):
                secrets = self.server.cli("secretsmanager", "list-secrets", version=version,
                                          key=KEY, secret="badsecret", check=False)
                self.assertNotEqual(secrets.returncode, 0)
                self.assertIn("InvalidSignatureException", secrets.stderr)
                sts = self.server.cli("sts", "get-caller-identity", version=version, key=KEY,
                                      secret="badsecret", check=False)
                self.assertNotEqual(sts.returncode, 0)
                self.assertIn("SignatureDoesNotMatch", sts.stderr)

    def test_refused_writes_store_nothing(self):
        with self.assertRaises(ClientError):
            self.client("secretsmanager", secret="badsecret").create_secret(Name="sneaky",
                                                                           SecretString="v")
        self.assertEqual(self.client("secretsmanager").list_secrets()["SecretList"], [])

    # --- unknown keys and no signature -----------------------------------------------------
    def test_unknown_key_is_refused_in_each_protocol(self):
        with self.assertRaises(ClientError) as context:
            self.client("secretsmanager", key="AKIDNOBODY").list_secrets()
        self.assertAwsError(context, "UnrecognizedClientException", 400)
        with self.assertRaises(ClientError) as context:
            self.client("sts", key="AKIDNOBODY").get_caller_identity()
        self.assertAwsError(context, "InvalidClientTokenId", 403)

    def test_the_open_mode_default_key_is_unknown_in_strict_mode(self):
        with self.assertRaises(ClientError) as context:
            self.client("sts", key="test", secret="test").get_caller_identity()
        self.assertAwsError(context, "InvalidClientTokenId", 403)

    def test_unsigned_request_is_missing_authentication_token(self):
        with self.assertRaises(ClientError) as context:
            self.unsigned_client("secretsmanager").list_secrets()
        self.assertAwsError(context, "MissingAuthenticationTokenException", 403)
        with self.assertRaises(ClientError) as context:
            self.unsigned_client("sts").get_caller_identity()
        self.assertAwsError(context, "MissingAuthenticationToken", 403)

    def test_awsemu_endpoints_need_no_signature(self):
        status, _, body = self.server.http("GET", "/_awsemu/health")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["status"], "running")
        status, _, body = self.server.http("POST", "/_awsemu/reset")
        self.assertEqual(status, 200)

    # --- temporary credentials -------------------------------------------------------------
    def assume(self):
        return self.client("sts").assume_role(RoleArn=ROLE_ARN,
                                              RoleSessionName="strict-run")["Credentials"]

    def test_temporary_credentials_work_in_strict_mode(self):
        credentials = self.assume()
        token = credentials["SessionToken"]
        identity = self.client("sts", key=credentials["AccessKeyId"],
                               secret=credentials["SecretAccessKey"], token=token).get_caller_identity()
        self.assertEqual(identity["Arn"], "arn:aws:sts::111122223333:assumed-role/deploy/strict-run")
        secrets = self.client("secretsmanager", key=credentials["AccessKeyId"],
                              secret=credentials["SecretAccessKey"], token=token)
        created = secrets.create_secret(Name="temporary", SecretString="v")
        self.assertIn(":111122223333:", created["ARN"])

    def test_temporary_credentials_fail_with_a_wrong_or_missing_session_token(self):
        credentials = self.assume()
        for token in ("not-the-token", None):
            with self.subTest(token=token):
                with self.assertRaises(ClientError) as context:
                    self.client("sts", key=credentials["AccessKeyId"],
                                secret=credentials["SecretAccessKey"], token=token).get_caller_identity()
                self.assertAwsError(context, "InvalidClientTokenId", 403)
                with self.assertRaises(ClientError) as context:
                    self.client("secretsmanager", key=credentials["AccessKeyId"],
                                secret=credentials["SecretAccessKey"], token=token).list_secrets()
                self.assertAwsError(context, "UnrecognizedClientException", 400)

    def test_temporary_credentials_fail_with_a_wrong_secret(self):
        credentials = self.assume()
        with self.assertRaises(ClientError) as context:
            self.client("sts", key=credentials["AccessKeyId"], secret="wrong",
                        token=credentials["SessionToken"]).get_caller_identity()
        self.assertAwsError(context, "SignatureDoesNotMatch", 403)

    def test_temporary_credentials_from_the_cli_work(self):
        credentials = self.server.cli("sts", "assume-role", "--role-arn", ROLE_ARN,
                                      "--role-session-name", "cli-run", version=2, key=KEY,
                                      secret=SECRET)["Credentials"]
        identity = self.client("sts", key=credentials["AccessKeyId"],
                               secret=credentials["SecretAccessKey"],
                               token=credentials["SessionToken"]).get_caller_identity()
        self.assertEqual(identity["Account"], "111122223333")

    # --- presigned URLs --------------------------------------------------------------------
    def test_presigned_get_caller_identity_url_works(self):
        url = self.client("sts").generate_presigned_url("get_caller_identity", ExpiresIn=300,
                                                            HttpMethod="GET")
        self.assertIn("X-Amz-Signature=", url)
        status, body = fetch(url)
        self.assertEqual(status, 200, body)
        root = ElementTree.fromstring(body)
        self.assertEqual(root.findtext(f"{STS_NS}GetCallerIdentityResult/{STS_NS}Account"),
                         "000000000000")

    def test_presigned_url_signed_for_post_works_with_post(self):
        # Without HttpMethod botocore signs the operation's own method, POST.
        url = self.client("sts").generate_presigned_url("get_caller_identity", ExpiresIn=300)
        status, body = fetch(url, method="POST")
        self.assertEqual(status, 200, body)
        status, body = fetch(url, method="GET")
        self.assertEqual(status, 403, body)
        self.assertEqual(query_error_code(body), "SignatureDoesNotMatch")

    def test_presigned_url_with_a_wrong_secret_is_refused(self):
        url = self.client("sts", secret="badsecret").generate_presigned_url("get_caller_identity",
                                                                           ExpiresIn=300,
                                                                           HttpMethod="GET")
        status, body = fetch(url)
        self.assertEqual(status, 403, body)
        self.assertEqual(query_error_code(body), "SignatureDoesNotMatch")

    def test_expired_presigned_url_is_refused(self):
        # Signed an hour ago for five minutes: botocore reads the time to sign with from
        # botocore.auth.get_current_datetime.
        an_hour_ago = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - \
            datetime.timedelta(hours=1)
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=an_hour_ago):
            url = self.client("sts").generate_presigned_url("get_caller_identity", ExpiresIn=300,
                                                            HttpMethod="GET")
        self.assertIn("X-Amz-Date=" + an_hour_ago.strftime("%Y%m%dT%H"), url)
        status, body = fetch(url)
        self.assertEqual(status, 400, body)
        self.assertEqual(query_error_code(body), "RequestExpired")
        # The same request signed now is fine: only the time made the difference.
        status, _ = fetch(self.client("sts").generate_presigned_url("get_caller_identity",
                                                                    ExpiresIn=300,
                                                                    HttpMethod="GET"))
        self.assertEqual(status, 200)

    def test_tampered_presigned_url_is_refused(self):
        url = self.client("sts").generate_presigned_url("get_caller_identity", ExpiresIn=300,
                                                            HttpMethod="GET")
        status, body = fetch(url.replace("X-Amz-Expires=300", "X-Amz-Expires=301"))
        self.assertEqual(status, 403, body)
        self.assertEqual(query_error_code(body), "SignatureDoesNotMatch")


if __name__ == "__main__":
    unittest.main()
