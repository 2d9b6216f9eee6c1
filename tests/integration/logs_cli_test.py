"""CloudWatch Logs through the AWS CLI, v1 (python -m awscli) and v2 (Debian's /usr/bin/aws),
including `aws logs get-log-events`, `aws logs filter-log-events` and v2's `aws logs tail`
(once, and --follow while events arrive)."""

import os
import subprocess
import time
import unittest

from harness import AWS_CLI_V2, AwsemuTestCase, wait_until


class CliMixin:
    """The same scenario for both CLI versions; subclasses set `version`."""

    version = 1

    def aws(self, *args, check=True):
        return self.server.cli("logs", *args, version=self.version, check=check)

    def expect_error(self, code, *args):
        result = self.aws(*args, check=False)
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn(f"({code})", result.stderr)
        return result.stderr

    def test_groups_streams_and_events(self):
        group = f"/cli/v{self.version}"
        self.aws("create-log-group", "--log-group-name", group, "--tags", "env=test")
        self.aws("put-retention-policy", "--log-group-name", group, "--retention-in-days", "7")
        self.aws("create-log-stream", "--log-group-name", group, "--log-stream-name", "s1")
        now = int(time.time() * 1000)
        put = self.aws("put-log-events", "--log-group-name", group, "--log-stream-name", "s1",
                       "--log-events", f"timestamp={now - 2000},message=hello",
                       f"timestamp={now - 1000},message=world")
        self.assertIn("nextSequenceToken", put)

        groups = self.aws("describe-log-groups", "--log-group-name-prefix", group)["logGroups"]
        self.assertEqual([(g["logGroupName"], g["retentionInDays"]) for g in groups], [(group, 7)])
        self.assertEqual(self.aws("list-tags-log-group", "--log-group-name", group)["tags"],
                         {"env": "test"})
        streams = self.aws("describe-log-streams", "--log-group-name", group)["logStreams"]
        self.assertEqual([s["logStreamName"] for s in streams], ["s1"])

        got = self.aws("get-log-events", "--log-group-name", group, "--log-stream-name", "s1")
        self.assertEqual([e["message"] for e in got["events"]], ["hello", "world"])
        self.assertTrue(got["nextForwardToken"].startswith("f/"))
        head = self.aws("get-log-events", "--log-group-name", group, "--log-stream-name", "s1",
                        "--start-from-head", "--limit", "1")
        self.assertEqual([e["message"] for e in head["events"]], ["hello"])
        filtered = self.aws("filter-log-events", "--log-group-name", group,
                            "--filter-pattern", "world")
        self.assertEqual([e["message"] for e in filtered["events"]], ["world"])
        # The CLI pages FilterLogEvents itself with a small page size.
        paged = self.aws("filter-log-events", "--log-group-name", group, "--page-size", "1")
        self.assertEqual([e["message"] for e in paged["events"]], ["hello", "world"])

        self.expect_error("ResourceAlreadyExistsException", "create-log-group",
                          "--log-group-name", group)
        self.expect_error("InvalidParameterException", "put-retention-policy",
                          "--log-group-name", group, "--retention-in-days", "2")
        self.expect_error("ResourceNotFoundException", "get-log-events",
                          "--log-group-name", "nope", "--log-stream-name", "s1")
        self.aws("delete-log-stream", "--log-group-name", group, "--log-stream-name", "s1")
        self.aws("delete-log-group", "--log-group-name", group)
        self.assertEqual(self.aws("describe-log-groups")["logGroups"], [])


class LogsCliV1Test(CliMixin, AwsemuTestCase):
    version = 1


@unittest.skipUnless(os.path.exists(AWS_CLI_V2), "Debian's AWS CLI v2 is not installed")
class LogsCliV2Test(CliMixin, AwsemuTestCase):
    version = 2

    def put(self, group, stream, message):
        self.aws("put-log-events", "--log-group-name", group, "--log-stream-name", stream,
                 "--log-events", f"timestamp={int(time.time() * 1000)},message={message}")

    def test_tail(self):
        self.aws("create-log-group", "--log-group-name", "/tail/app")
        self.aws("create-log-stream", "--log-group-name", "/tail/app", "--log-stream-name", "web")
        self.put("/tail/app", "web", "first-line")
        argv, env = self.server.cli_command("logs", "tail", "/tail/app", version=2)
        result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("web first-line", result.stdout)

    def test_tail_follow(self):
        self.aws("create-log-group", "--log-group-name", "/tail/follow")
        self.aws("create-log-stream", "--log-group-name", "/tail/follow",
                 "--log-stream-name", "web")
        self.put("/tail/follow", "web", "before-follow")
        argv, env = self.server.cli_command("logs", "tail", "/tail/follow", "--follow",
                                            version=2)
        output_path = os.path.join(self.server.state_dir, "tail-follow.out")
        with open(output_path, "w") as output:
            follower = subprocess.Popen(argv, env=env, stdout=output, stderr=subprocess.STDOUT,
                                        text=True)
        self.addCleanup(follower.wait, 10)
        self.addCleanup(follower.kill)

        def printed(text):
            def check():
                if follower.poll() is not None:
                    raise AssertionError(f"aws logs tail exited with {follower.returncode}")
                with open(output_path) as f:
                    return text in f.read()
            return check
        wait_until(printed("before-follow"), timeout=30, interval=0.2,
                   message="the tail to print the first event")
        self.put("/tail/follow", "web", "arrived-while-following")
        wait_until(printed("arrived-while-following"), timeout=30, interval=0.2,
                   message="the tail to print an event put while it follows")
        with open(output_path) as f:
            self.assertEqual(f.read().count("before-follow"), 1)


if __name__ == "__main__":
    unittest.main()
