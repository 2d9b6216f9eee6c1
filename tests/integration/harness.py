"""Runs the real awsemu binary for integration tests and hands out real clients for it.

The server listens on a free port (--port 0 --port-file), in a temporary state directory, and
is stopped when the test is done. Clients: boto3, the AWS CLI v1 (python3 -m awscli) and v2
(Debian's /usr/bin/aws), and the AWS SDK for JavaScript v3 (node, tests/integration/js).

With AWSEMU_TEST_ENDPOINT=http://127.0.0.1:PORT set, the tests run against that already-running
server instead (moto's, to check the tests themselves), emptied through /moto-api/reset; tests
that restart the server, pass it options or check awsemu-only behaviour skip themselves.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("AWSEMU_BINARY", os.path.join(ROOT, "build", "awsemu"))
AWS_CLI_V2 = "/usr/bin/aws"
# Installed by scripts/install-deps.sh (npm ci) from tests/integration/js/package-lock.json.
JS_NODE_MODULES = os.path.join(ROOT, "tests", "integration", "js", "node_modules")
EXTERNAL_ENDPOINT = os.environ.get("AWSEMU_TEST_ENDPOINT")


def awsemu_only(reason):
    """Skips a test or class when the tests run against an external server."""
    return unittest.skipIf(EXTERNAL_ENDPOINT, f"{reason} (AWSEMU_TEST_ENDPOINT is set)")


def queue_send_policy(queue_arn, service, source_arn):
    """The SQS queue policy AWS requires before `service` ("s3", "sns") may send the queue
    messages on behalf of `source_arn` (a bucket, a topic)."""
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": f"{service}.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": queue_arn,
            "Condition": {"ArnLike": {"aws:SourceArn": source_arn}},
        }],
    })


def wait_until(condition, timeout=10.0, interval=0.01, message="condition"):
    """Polls `condition` until it returns a true value; fails the test after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


class AwsemuServer:
    def __init__(self, *extra_args, state_dir=None, auth="open", credentials=("test:test",),
                 command="serve"):
        self.extra_args = list(extra_args)
        self.command = command
        self.auth = auth
        self.credentials = list(credentials)
        self._own_state_dir = state_dir is None
        self.state_dir = state_dir or tempfile.mkdtemp(prefix="awsemu-test-")
        self.log_path = os.path.join(self.state_dir, "server.log")
        self.process = None
        self.port = None

    # --- lifecycle -------------------------------------------------------------------------
    def start(self):
        port_file = os.path.join(self.state_dir, "port")
        if os.path.exists(port_file):
            os.remove(port_file)
        args = [BINARY, self.command, "--port", "0", "--port-file", port_file,
                "--state-dir", self.state_dir, "--auth", self.auth]
        for pair in self.credentials:
            args += ["--credentials", pair]
        args += self.extra_args
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT)

        def port_written():
            if self.process.poll() is not None:
                raise AssertionError(f"awsemu exited with {self.process.returncode}:\n{self.log()}")
            try:
                with open(port_file) as f:
                    return int(f.read().strip())
            except (FileNotFoundError, ValueError):
                return None

        self.port = wait_until(port_written, message="awsemu's port file")
        return self

    def stop(self, sig=signal.SIGTERM, timeout=5):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=timeout)
        if self.process:
            self._log.close()
        return self.process.returncode if self.process else None

    def kill(self):
        return self.stop(signal.SIGKILL)

    def restart(self):
        self.stop()
        return self.start()

    def cleanup(self):
        self.stop()
        reports = self.sanitizer_reports()
        if self._own_state_dir:
            shutil.rmtree(self.state_dir, ignore_errors=True)
        if reports:
            raise AssertionError("the sanitizers reported:\n" + reports)

    def sanitizer_reports(self):
        """What AddressSanitizer/UBSan printed, for runs of the sanitizer build."""
        if not os.path.exists(self.log_path):
            return ""
        lines = self.log().splitlines()
        marks = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")
        return "\n".join(line for line in lines if any(mark in line for mark in marks))

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    # --- talking to it ---------------------------------------------------------------------
    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def http(self, method, path, body=None, headers=None):
        """A raw HTTP request; answers (status, headers, body bytes) for any status."""
        request = urllib.request.Request(self.endpoint + path, data=body, method=method,
                                         headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def reset(self):
        status, _, body = self.http("POST", "/_awsemu/reset")
        assert status == 200, body

    def client(self, service, key="test", secret="test", region="us-east-1", token=None):
        return boto3.client(service, endpoint_url=self.endpoint, region_name=region,
                            aws_access_key_id=key, aws_secret_access_key=secret,
                            aws_session_token=token,
                            config=Config(retries={"max_attempts": 1}))

    def cli_command(self, *args, version=1, key="test", secret="test", region="us-east-1"):
        """The AWS CLI command line for awsemu and its environment: (argv, env), for callers that
        run it themselves (a long-running `aws logs tail --follow`)."""
        command = ([AWS_CLI_V2] if version == 2 else ["python3", "-m", "awscli"])
        env = dict(os.environ, AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret,
                   AWS_DEFAULT_REGION=region, AWS_PAGER="", AWS_CONFIG_FILE="/dev/null",
                   AWS_SHARED_CREDENTIALS_FILE="/dev/null")
        env.pop("AWS_PROFILE", None)
        return command + ["--endpoint-url", self.endpoint] + list(args), env

    def cli(self, *args, version=1, key="test", secret="test", region="us-east-1", check=True):
        """Runs the AWS CLI against awsemu; answers the parsed JSON output (or the process)."""
        argv, env = self.cli_command("--output", "json", *args, version=version, key=key,
                                     secret=secret, region=region)
        result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        if not check:
            return result
        if result.returncode != 0:
            raise AssertionError(f"aws {' '.join(args)} failed ({result.returncode}):\n"
                                 f"{result.stderr}")
        return json.loads(result.stdout) if result.stdout.strip() else None

    def run_js(self, script, *args, key="test", secret="test", region="us-east-1", timeout=60):
        """Runs a Node.js script (its text, or the path of a .js/.cjs file) against awsemu.

        The script is CommonJS: it require()s the SDK clients (found through NODE_PATH; ES module
        imports ignore NODE_PATH), reads its arguments from process.argv.slice(2), and prints one
        JSON value on stdout, which is what this answers (None for no output). The SDK finds
        awsemu through AWS_ENDPOINT_URL. A non-zero exit fails the test with node's stderr.
        """
        if not os.path.isdir(JS_NODE_MODULES):
            raise AssertionError(f"{JS_NODE_MODULES} is missing: run scripts/install-deps.sh")
        env = dict(os.environ, NODE_PATH=JS_NODE_MODULES, AWS_ENDPOINT_URL=self.endpoint,
                   AWS_REGION=region, AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret,
                   AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
        dropped = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION",
                   "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        for name in list(env):
            if name in dropped or name.startswith("AWS_ENDPOINT_URL_"):
                env.pop(name)
        with tempfile.TemporaryDirectory(prefix="awsemu-js-") as scratch:
            if "\n" not in script and os.path.isfile(script):
                path = script
            else:
                path = os.path.join(scratch, "script.cjs")
                with open(path, "w") as f:
                    f.write(script)
            result = subprocess.run(["node", path] + [str(arg) for arg in args], env=env,
                                    cwd=scratch, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise AssertionError(f"node {os.path.basename(path)} failed ({result.returncode}):\n"
                                 f"{result.stderr}")
        return json.loads(result.stdout) if result.stdout.strip() else None


class ExternalServer(AwsemuServer):
    """A server someone else started (AWSEMU_TEST_ENDPOINT); never started or stopped here."""

    def __init__(self, endpoint):
        self._endpoint = endpoint.rstrip("/")
        self.process = None

    def start(self):
        return self

    def stop(self, *args, **kwargs):
        return None

    def cleanup(self):
        pass

    @property
    def endpoint(self):
        return self._endpoint

    def reset(self):
        status, _, body = self.http("POST", "/moto-api/reset")
        assert status == 200, body


class AwsemuTestCase(unittest.TestCase):
    """One server per test class (fast), emptied before each test."""

    def failed_response(self, code, status, call, *args, message=None, **request):
        """Calls a boto3 `call`, which must fail with this AWS code and HTTP status (and message,
        when given); answers botocore's error response."""
        with self.assertRaises(ClientError) as context:
            call(*args, **request)
        response = context.exception.response
        self.assertEqual(response["Error"]["Code"], code, response)
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], status, response)
        if message is not None:
            self.assertEqual(response["Error"]["Message"], message, response)
        return response

    server_args = ()
    server_auth = "open"

    @classmethod
    def setUpClass(cls):
        if EXTERNAL_ENDPOINT:
            if cls.server_args or cls.server_auth != "open":
                raise unittest.SkipTest(f"needs awsemu started with {list(cls.server_args)} "
                                        f"--auth {cls.server_auth} (AWSEMU_TEST_ENDPOINT is set)")
            cls.server = ExternalServer(EXTERNAL_ENDPOINT)
            return
        cls.server = AwsemuServer(*cls.server_args, auth=cls.server_auth).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def setUp(self):
        self.server.reset()

    def assertAwsError(self, context, code, status):
        """Checks a botocore ClientError's code and HTTP status."""
        error = context.exception.response
        self.assertEqual(error["Error"]["Code"], code, error)
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], status, error)


class RawJsonTestCase(AwsemuTestCase):
    """Raw AWS JSON 1.1 requests to one service, for bad input a client library would refuse to
    send; subclasses set the service's X-Amz-Target prefix and SigV4 signing name."""

    target_prefix = ""
    signing_name = ""

    def call(self, operation, body):
        """Sends `body` (bytes, text, or a value to encode as JSON) to `operation`; answers
        (status, headers, body bytes)."""
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        headers = {
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": f"AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/"
                             f"{self.signing_name}/aws4_request, "
                             "SignedHeaders=host;x-amz-date, Signature=0000",
            "X-Amz-Date": "20240101T000000Z",
            "X-Amz-Target": f"{self.target_prefix}.{operation}",
        }
        return self.server.http("POST", "/", body=body, headers=headers)

    def assertJsonError(self, operation, body, code, status=400, message=None):
        """The call must fail with this `__type` and status (and message, when given), as a
        JSON 1.1 error with a request id; answers the decoded error."""
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
