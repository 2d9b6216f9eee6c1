"""`awsemu scenario FILE`: the shipped scenarios hold (the demo stack under load loses a zone and
gets it back, with a short outage while the database fails over; SNS throttles the API's
Publish calls, which it retries), and a scenario whose expectations are not met exits 1 with
MISSED beside what was missed."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import BINARY, ROOT, awsemu_only
from rds_base import PSQL


def run_scenario(path, timeout=240):
    return subprocess.run([BINARY, "scenario", path, "--port", "0"], capture_output=True,
                          text=True, timeout=timeout)


@awsemu_only("runs the awsemu binary")
class ScenarioTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="awsemu-scenario-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def write(self, name, document):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            json.dump(document, f)
        return path

    def small_scenario(self, url, expect):
        self.write("stack.json", {"name": "mini", "steps": [
            {"id": "queue", "call": "sqs:CreateQueue", "input": {"QueueName": "jobs"}}]})
        return self.write("scenario.json", {
            "name": "mini", "stack": "stack.json", "duration_seconds": 2,
            "load": {"url": url, "requests_per_second": 20}, "expect": expect})

    def shipped_scenario_held(self, name):
        """Runs scenarios/NAME.json, which must hold; answers its output and the numbers of
        requests sent and failed."""
        result = run_scenario(os.path.join(ROOT, "scenarios", name + ".json"))
        self.assertEqual(result.returncode, 0, result.stdout[-4000:] + result.stderr)
        out = result.stdout
        summary = re.search(rf"scenario {name}: (\d+) requests, (\d+) failed", out)
        self.assertIsNotNone(summary, out[-3000:])
        self.assertIn(f"scenario {name} held", out)
        return out, int(summary.group(1)), int(summary.group(2))

    @unittest.skipUnless(os.path.exists(PSQL), "PostgreSQL is not installed")
    def test_the_zone_loss_scenario_holds(self):
        out, requests, failed = self.shipped_scenario_held("zone-loss")
        self.assertIn("fault at 5.0 s: us-east-1a lost", out)
        self.assertIn("fault at 15.0 s: us-east-1a restored", out)
        self.assertEqual(requests, 400)
        # How many requests fail is how long the failover takes, which depends on the machine
        # (seven on an idle one, two dozen under AddressSanitizer beside other tests): the
        # scenario's own bounds judge it. What does not depend on the machine: the load
        # balancer answers every request, a failure being 502 (the target went away mid-request)
        # or 503 (the API could not reach the database), never silence.
        failures = {answer: int(count)
                    for answer, count in re.findall(r"failed with (.+?): (\d+)", out)}
        self.assertEqual(sum(failures.values()), failed, out[-3000:])
        self.assertLessEqual(set(failures), {"502", "503"}, out[-3000:])
        self.assertRegex(out, r"error rate [\d.e+-]+ <= 0\.1: met")
        self.assertRegex(out, r"longest outage [\d.e+-]+ s <= 5 s: met")

    @unittest.skipUnless(os.path.exists(PSQL), "PostgreSQL is not installed")
    def test_the_sns_throttling_scenario_holds_because_the_api_retries(self):
        out, requests, failed = self.shipped_scenario_held("sns-throttling")
        self.assertRegex(out, r"fault at 5\.0 s: added fault-\d+: sns Publish -> "
                              r"ThrottlingException \(400\), probability 0\.33")
        self.assertIn("fault at 15.0 s: API faults cleared", out)
        self.assertEqual(requests, 400)
        self.assertLessEqual(failed, 8)
        # The fault was met: the log has throttled Publish calls, each retried.
        self.assertRegex(out, r" sns Publish 400 ")

    def test_a_scenario_whose_load_meets_its_expectations_holds(self):
        path = self.small_scenario("${stack.endpoint}/_awsemu/health", {"max_error_rate": 0})
        result = run_scenario(path, timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("scenario mini: 40 requests, 0 failed", result.stdout)
        self.assertIn("error rate 0 <= 0: met", result.stdout)
        self.assertIn("scenario mini held", result.stdout)

    def test_a_scenario_whose_expectations_are_missed_exits_1(self):
        path = self.small_scenario("http://127.0.0.1:1/", {"max_error_rate": 0.5})
        result = run_scenario(path, timeout=60)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("scenario mini: 40 requests, 40 failed", result.stdout)
        self.assertIn("failed with no answer: 40", result.stdout)
        self.assertIn("error rate 1 <= 0.5: MISSED", result.stdout)
        self.assertIn("scenario mini did not hold", result.stdout)

    def test_a_scenario_file_that_is_not_valid_is_refused_before_anything_runs(self):
        path = self.write("bad.json", {"name": "bad", "stack": "stack.json",
                                       "load": {"url": "http://x/"},
                                       "faults": [{"at_seconds": 1, "lose_zone": "nowhere"}]})
        result = run_scenario(path, timeout=30)
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"awsemu: {path}: fault 1: \"lose_zone\" must name an availability zone "
                      "such as us-east-1a", result.stderr)
        missing = run_scenario(os.path.join(self.dir, "missing.json"), timeout=30)
        self.assertEqual(missing.returncode, 1)
        self.assertIn("cannot read the scenario file", missing.stderr)


if __name__ == "__main__":
    unittest.main()
