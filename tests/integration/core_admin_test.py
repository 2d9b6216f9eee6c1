"""awsemu's own endpoints, its request log, its command line and how it stops."""

import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from botocore.exceptions import ClientError

from harness import BINARY, AwsemuServer, AwsemuTestCase, wait_until


def log_line_with(server, request_id):
    """The server.log line that names request_id, once it is written."""

    def find():
        for line in server.log().splitlines():
            if request_id in line:
                return line
        return None

    return wait_until(find, message=f"a log line for request {request_id}")


class AdminEndpointsTest(AwsemuTestCase):
    def test_health_names_each_service_as_running(self):
        status, headers, body = self.server.http("GET", "/_awsemu/health")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("application/json"))
        health = json.loads(body)
        self.assertEqual(health["status"], "running")
        self.assertEqual(health["services"]["sts"], "running")
        self.assertEqual(health["services"]["secretsmanager"], "running")

    def test_reset_empties_state(self):
        secrets = self.server.client("secretsmanager")
        secrets.create_secret(Name="before-reset", SecretString="v")
        self.assertEqual([s["Name"] for s in secrets.list_secrets()["SecretList"]], ["before-reset"])

        status, _, body = self.server.http("POST", "/_awsemu/reset")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"status": "ok"})

        self.assertEqual(secrets.list_secrets()["SecretList"], [])
        with self.assertRaises(ClientError) as context:
            secrets.get_secret_value(SecretId="before-reset")
        self.assertAwsError(context, "ResourceNotFoundException", 400)

    def test_reset_keeps_serving_and_allows_the_same_names_again(self):
        secrets = self.server.client("secretsmanager")
        secrets.create_secret(Name="reused", SecretString="one")
        self.server.reset()
        secrets.create_secret(Name="reused", SecretString="two")
        self.assertEqual(secrets.get_secret_value(SecretId="reused")["SecretString"], "two")

    def test_moto_api_reset_answers_as_moto_and_empties_state(self):
        secrets = self.server.client("secretsmanager")
        secrets.create_secret(Name="moto-reset", SecretString="v")
        status, _, body = self.server.http("POST", "/moto-api/reset")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"status": "ok"})
        self.assertEqual(secrets.list_secrets()["SecretList"], [])

    def test_moto_api_reset_auth_answers_the_previous_count(self):
        try:
            status, _, body = self.server.http("POST", "/moto-api/reset-auth", b"5")
            self.assertEqual(status, 200)
            self.assertEqual(json.loads(body)["PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"], "inf")
            status, _, body = self.server.http("POST", "/moto-api/reset-auth", b"7")
            self.assertEqual(json.loads(body)["PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"], "5.0")
        finally:
            self.server.http("POST", "/moto-api/reset-auth", b"inf")
        status, _, body = self.server.http("POST", "/moto-api/reset-auth", b"inf")
        self.assertEqual(json.loads(body)["PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"], "inf")

    def test_moto_api_reset_auth_checks_requests_after_the_count(self):
        unknown = self.server.client("secretsmanager", key="AKIDNOBODYKNOWS", secret="x")
        try:
            self.server.http("POST", "/moto-api/reset-auth", b"1")
            unknown.list_secrets()  # the one request that passes unchecked
            with self.assertRaises(ClientError) as context:
                unknown.list_secrets()
            self.assertAwsError(context, "UnrecognizedClientException", 400)
            # Configured credentials still pass once checks are on.
            self.server.client("secretsmanager").list_secrets()
        finally:
            self.server.http("POST", "/moto-api/reset-auth", b"inf")
        unknown.list_secrets()

    def test_moto_api_reset_auth_refuses_a_body_that_is_not_a_number(self):
        status, _, body = self.server.http("POST", "/moto-api/reset-auth", b"lots")
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body)["error"], "InvalidParameterValue")

    def test_unknown_awsemu_path_is_a_json_404(self):
        for method, path in [("GET", "/_awsemu/nothing-here"), ("GET", "/_awsemu/reset"),
                             ("POST", "/moto-api/unknown")]:
            with self.subTest(path=path):
                status, headers, body = self.server.http(method, path)
                self.assertEqual(status, 404)
                self.assertTrue(headers["Content-Type"].startswith("application/json"))
                answer = json.loads(body)
                self.assertEqual(answer["error"], "NotFound")
                self.assertIn(path, answer["message"])


class RequestLogTest(AwsemuTestCase):
    def test_one_text_line_per_request_with_the_clients_request_id(self):
        secrets = self.server.client("secretsmanager")
        created = secrets.create_secret(Name="logged", SecretString="v")
        request_id = created["ResponseMetadata"]["RequestId"]
        self.assertEqual(created["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"], request_id)
        line = log_line_with(self.server, request_id)
        self.assertIn(" secretsmanager CreateSecret 200 ", line)
        self.assertEqual(self.server.log().count(request_id), 1)

    def test_failed_requests_are_logged_with_their_status(self):
        secrets = self.server.client("secretsmanager")
        with self.assertRaises(ClientError) as context:
            secrets.describe_secret(SecretId="missing")
        request_id = context.exception.response["ResponseMetadata"]["RequestId"]
        self.assertTrue(request_id)
        self.assertIn(" secretsmanager DescribeSecret 400 ", log_line_with(self.server, request_id))

    def test_query_requests_are_logged_with_the_query_request_id(self):
        identity = self.server.client("sts").get_caller_identity()
        request_id = identity["ResponseMetadata"]["RequestId"]
        self.assertIn(" sts GetCallerIdentity 200 ", log_line_with(self.server, request_id))


class JsonLogFormatTest(AwsemuTestCase):
    server_args = ("--log-format", "json")

    def test_every_line_is_json_and_request_lines_have_the_fields(self):
        secrets = self.server.client("secretsmanager")
        created = secrets.create_secret(Name="json-logged", SecretString="v")
        request_id = created["ResponseMetadata"]["RequestId"]
        line = json.loads(log_line_with(self.server, request_id))
        self.assertEqual(line["service"], "secretsmanager")
        self.assertEqual(line["operation"], "CreateSecret")
        self.assertEqual(line["status"], 200)
        self.assertEqual(line["request_id"], request_id)
        self.assertIsInstance(line["duration_ms"], (int, float))
        self.assertIn("time", line)
        for text in self.server.log().splitlines():
            with self.subTest(line=text):
                json.loads(text)

    def test_error_lines_carry_the_error_status(self):
        with self.assertRaises(ClientError) as context:
            self.server.client("sts").assume_role(RoleArn="arn:aws:iam::123456789012:user/nope",
                                                  RoleSessionName="s1")
        request_id = context.exception.response["ResponseMetadata"]["RequestId"]
        line = json.loads(log_line_with(self.server, request_id))
        self.assertEqual((line["service"], line["operation"], line["status"]),
                         ("sts", "AssumeRole", 400))


class StoppingTest(unittest.TestCase):
    def stop_within_a_second(self, sig, keep_a_connection_open=False):
        server = AwsemuServer().start()
        connection = None
        try:
            if keep_a_connection_open:
                connection = socket.create_connection(("127.0.0.1", server.port), timeout=5)
                connection.sendall(b"GET /_awsemu/health HTTP/1.1\r\nHost: x\r\n\r\n")
                self.assertIn(b"200", connection.recv(4096))
            started = time.monotonic()
            server.process.send_signal(sig)
            code = server.process.wait(timeout=5)
            elapsed = time.monotonic() - started
            log = server.log()
        finally:
            if connection is not None:
                connection.close()
            server.cleanup()
        self.assertEqual(code, 0, log)
        self.assertLess(elapsed, 1.0)
        self.assertIn("stopping (" + ("SIGINT" if sig == signal.SIGINT else "SIGTERM") + ")", log)

    def test_sigterm_stops_the_server_with_exit_code_0(self):
        self.stop_within_a_second(signal.SIGTERM)

    def test_sigint_stops_the_server_with_exit_code_0(self):
        self.stop_within_a_second(signal.SIGINT)

    def test_sigterm_stops_the_server_while_a_client_keeps_a_connection(self):
        self.stop_within_a_second(signal.SIGTERM, keep_a_connection_open=True)

    def awsemu(self, *args):
        return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=60)

    def test_awsemu_down_stops_it_and_its_state_stays(self):
        server = AwsemuServer().start()
        try:
            server.client("secretsmanager").create_secret(Name="kept", SecretString="v")
            down = self.awsemu("down", "--endpoint", server.endpoint)
            self.assertEqual((down.returncode, down.stdout),
                             (0, f"awsemu at {server.endpoint} stopped\n"), down.stderr)
            # `down` returns once awsemu no longer answers; the process ends at once after.
            self.assertEqual(server.process.wait(timeout=5), 0, server.log())
            self.assertIn("stopping (awsemu down)", server.log())
            again = self.awsemu("down", "--endpoint", server.endpoint)
            self.assertEqual((again.returncode, again.stdout),
                             (0, f"no awsemu answers at {server.endpoint}: nothing to stop\n"))
            server.start()
            self.assertEqual(server.client("secretsmanager").get_secret_value(
                SecretId="kept")["SecretString"], "v")
        finally:
            server.cleanup()

    def test_awsemu_reset_empties_it_and_it_keeps_serving(self):
        server = AwsemuServer().start()
        try:
            secrets = server.client("secretsmanager")
            secrets.create_secret(Name="gone", SecretString="v")
            reset = self.awsemu("reset", "--endpoint", server.endpoint)
            self.assertEqual((reset.returncode, reset.stdout),
                             (0, f"awsemu at {server.endpoint} is empty\n"), reset.stderr)
            self.assertEqual(secrets.list_secrets()["SecretList"], [])
            secrets.create_secret(Name="gone", SecretString="again")
            self.assertEqual(secrets.get_secret_value(SecretId="gone")["SecretString"], "again")
        finally:
            server.cleanup()
        # Nothing answers any more: reset says so and fails.
        refused = self.awsemu("reset", "--endpoint", server.endpoint)
        self.assertEqual(refused.returncode, 1)
        self.assertIn(f"no awsemu answered at {server.endpoint}", refused.stderr)

    def test_restart_on_the_same_state_directory_keeps_secrets(self):
        server = AwsemuServer().start()
        try:
            server.client("secretsmanager").create_secret(Name="durable", SecretString="kept")
            server.restart()
            value = server.client("secretsmanager").get_secret_value(SecretId="durable")
            self.assertEqual(value["SecretString"], "kept")
        finally:
            server.cleanup()


class CommandLineTest(unittest.TestCase):
    def run_awsemu(self, *args, timeout=10):
        return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=timeout)

    def test_help_prints_usage_and_exits_0(self):
        for args in (["--help"], ["-h"], ["help"]):
            with self.subTest(args=args):
                result = self.run_awsemu(*args)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn("Usage: awsemu <command>", result.stdout)
                self.assertIn("serve", result.stdout)
                self.assertIn("up", result.stdout)

    def test_command_help_prints_its_options_and_exits_0(self):
        usages = {"serve": "Usage: awsemu serve [options]",
                  "up": "Usage: awsemu up [--stack FILE | --no-stack] [options]",
                  "scenario": "Usage: awsemu scenario FILE [options]"}
        for command, usage in usages.items():
            with self.subTest(command=command):
                result = self.run_awsemu(command, "--help")
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn(usage, result.stdout)
                for flag in ("--port", "--state-dir", "--auth", "--credentials", "--log-format",
                             "--max-body-size", "--account-id", "--in-memory"):
                    self.assertIn(flag, result.stdout)

    def test_version_prints_the_version(self):
        result = self.run_awsemu("--version")
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r"^awsemu \d+\.\d+\.\d+")

    def test_bad_flag_exits_2_naming_the_flag(self):
        result = self.run_awsemu("serve", "--no-such-flag")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--no-such-flag", result.stderr)
        self.assertIn("awsemu serve --help", result.stderr)

    def test_bad_flag_values_exit_2_with_a_message(self):
        cases = [
            (["serve", "--port", "99999"], "--port 99999"),
            (["serve", "--auth", "sometimes"], "expected open or strict"),
            (["serve", "--log-format", "xml"], "expected text or json"),
            (["serve", "--credentials", "nosecret"], "expected KEY:SECRET"),
            (["serve", "--account-id", "42"], "expected 12 digits"),
            (["serve", "--port"], "--port needs a value"),
            (["serve", "--time-scale", "0"], "--time-scale 0"),
            (["frobnicate"], "unknown command 'frobnicate'"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                result = self.run_awsemu(*args)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(message, result.stderr)
                self.assertEqual(result.stdout, "")

    def test_port_in_use_exits_non_zero_saying_so(self):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            with tempfile.TemporaryDirectory() as state_dir:
                result = self.run_awsemu("serve", "--port", str(port), "--state-dir", state_dir)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(f"cannot listen on 127.0.0.1:{port}", result.stderr)
        self.assertIn("in use", result.stderr.lower())

    def test_second_server_on_the_same_state_dir_exits_saying_so(self):
        server = AwsemuServer().start()
        try:
            server.client("secretsmanager").create_secret(Name="kept", SecretString="v")
            result = self.run_awsemu("serve", "--port", "0", "--state-dir", server.state_dir)
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertIn("another awsemu is running on this --state-dir", result.stderr)
            # The first server is untouched and still has its data.
            value = server.client("secretsmanager").get_secret_value(SecretId="kept")
            self.assertEqual(value["SecretString"], "v")
        finally:
            server.cleanup()

    def test_port_file_names_the_bound_port(self):
        server = AwsemuServer().start()
        try:
            with open(os.path.join(server.state_dir, "port")) as f:
                self.assertEqual(int(f.read()), server.port)
            status, _, _ = server.http("GET", "/_awsemu/health")
            self.assertEqual(status, 200)
        finally:
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
