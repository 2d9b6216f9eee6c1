"""Losing an availability zone (`awsemu chaos lose-zone`) under the demo stack: ECS stops the
zone's tasks and its services replace them in the other zone, the load balancer sends the zone
no traffic and its targets' health checks time out, the Multi-AZ database fails over to its
standby; the application keeps answering. Bringing the zone back lets tasks and the standby
return to it."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from harness import BINARY, AwsemuServer, awsemu_only, wait_until
from rds_base import PSQL
from stack_up_test import fetch, output, wait_for_stack


@awsemu_only("starts awsemu with `up`")
@unittest.skipUnless(os.path.exists(PSQL), "PostgreSQL is not installed")
class ZoneOutageTest(unittest.TestCase):

    def setUp(self):
        self.state_dir = tempfile.mkdtemp(prefix="awsemu-chaos-")
        self.server = AwsemuServer(state_dir=self.state_dir, command="up")
        self.server.start()
        self.web = output(wait_for_stack(self.server), "Web (ALB, HTTP)")
        self.ecs = self.server.client("ecs")
        self.rds = self.server.client("rds")

    def tearDown(self):
        self.server.cleanup()
        shutil.rmtree(self.state_dir, ignore_errors=True)

    def chaos(self, *args):
        return subprocess.run([BINARY, "chaos", *args, "--endpoint", self.server.endpoint],
                              capture_output=True, text=True, timeout=30)

    def running_zones(self, service):
        arns = self.ecs.list_tasks(cluster="web-demo", serviceName=service,
                                   desiredStatus="RUNNING")["taskArns"]
        tasks = self.ecs.describe_tasks(cluster="web-demo", tasks=arns)["tasks"] if arns else []
        return sorted(t["availabilityZone"] for t in tasks if t["lastStatus"] == "RUNNING")

    def answering_zones(self, path="api/info", count=8):
        return {json.loads(fetch(self.web + path)[1])["availability_zone"] for _ in range(count)}

    def test_losing_a_zone_moves_tasks_and_traffic_and_fails_the_database_over(self):
        before = self.rds.describe_db_instances(DBInstanceIdentifier="web-demo")["DBInstances"][0]
        self.assertEqual(before["AvailabilityZone"], "us-east-1a")
        self.assertEqual(before["SecondaryAvailabilityZone"], "us-east-1b")
        self.assertEqual(self.answering_zones(), {"us-east-1a", "us-east-1b"})

        lost = self.chaos("lose-zone", "us-east-1a")
        self.assertEqual(lost.returncode, 0, lost.stderr)
        self.assertEqual(lost.stdout, "us-east-1a is down\nzones down: us-east-1a\n")
        # From now on only the other zone answers: the load balancer sends the lost one nothing.
        self.assertEqual(self.answering_zones(), {"us-east-1b"})

        for service in ("web-demo-api", "web-demo-web"):
            wait_until(lambda: self.running_zones(service) == ["us-east-1b", "us-east-1b"],
                       timeout=60, interval=0.2, message=f"{service} running twice in us-east-1b")
        stopped = self.ecs.describe_tasks(cluster="web-demo", tasks=self.ecs.list_tasks(
            cluster="web-demo", serviceName="web-demo-api", desiredStatus="STOPPED")["taskArns"])
        reasons = {(t["availabilityZone"], t["stopCode"], t["stoppedReason"])
                   for t in stopped["tasks"]}
        self.assertEqual(reasons, {("us-east-1a", "TerminationNotice", "Task stopped because "
                                    "availability zone us-east-1a became unavailable")})

        # The database fails over to its standby in us-east-1b, keeping its endpoint and data.
        wait_until(lambda: self.rds.describe_db_instances(DBInstanceIdentifier="web-demo")[
            "DBInstances"][0]["AvailabilityZone"] == "us-east-1b", timeout=60, interval=0.2,
            message="the database failed over")
        events = [e["Message"] for e in self.rds.describe_events(
            SourceIdentifier="web-demo", SourceType="db-instance")["Events"]]
        self.assertIn("Multi-AZ instance failover started. The primary's availability zone "
                      "us-east-1a is unavailable.", events)
        # A visit whose answer the failover cut may have been stored all the same: count on.
        visits = wait_until(lambda: (lambda r: r[0] == 201 and json.loads(r[1]))(
            fetch(self.web + "api/visits", "POST")), timeout=60, interval=0.5,
            message="a visit stored after the failover")
        self.assertEqual(json.loads(fetch(self.web + "api/visits")[1]),
                         {"visits": visits["visits"]})
        self.assertGreaterEqual(visits["visits"], 1)
        self.assertEqual(self.answering_zones("api/info", 4), {"us-east-1b"})

        status = json.loads(self.server.http("GET", "/_awsemu/chaos")[2])
        self.assertEqual(status, {"lost_zones": ["us-east-1a"], "faults": []})
        printed = subprocess.run([BINARY, "status", "--endpoint", self.server.endpoint],
                                 capture_output=True, text=True, timeout=10)
        self.assertIn("zones down: us-east-1a\n", printed.stdout)
        again = self.chaos("lose-zone", "us-east-1a")
        self.assertEqual(again.stdout, "us-east-1a is down (it already was)\n"
                                       "zones down: us-east-1a\n")

        # The zone comes back: the standby is rebuilt there, and tasks go back.
        status, _, body = self.server.http("POST", "/_awsemu/chaos/zones/us-east-1a/restore")
        self.assertEqual((status, json.loads(body)["lost_zones"]), (200, []))
        wait_until(lambda: self.rds.describe_db_instances(DBInstanceIdentifier="web-demo")[
            "DBInstances"][0].get("SecondaryAvailabilityZone") == "us-east-1a", timeout=60,
            interval=0.2, message="the standby back in us-east-1a")
        # ECS moves a task of each service back (availabilityZoneRebalancing, ENABLED by
        # default): it starts one in us-east-1a, then stops one in us-east-1b once the new one
        # passes the target group's health checks.
        for service in ("web-demo-api", "web-demo-web"):
            wait_until(lambda: self.running_zones(service) == ["us-east-1a", "us-east-1b"],
                       timeout=60, interval=0.2, message=f"{service} back in both zones")
            events = [e["message"] for e in self.ecs.describe_services(
                cluster="web-demo", services=[service])["services"][0]["events"]]
            wait_until(lambda: f"(service {service}) is AZ balanced with 1 tasks in us-east-1a "
                       "and 1 tasks in us-east-1b." in [e["message"] for e in
                       self.ecs.describe_services(cluster="web-demo", services=[service])[
                           "services"][0]["events"]], timeout=10, interval=0.2,
                       message=f"{service} announced balanced")
            self.assertIn(f"(service {service}) is not AZ balanced with 0 tasks in us-east-1a "
                          "and 2 tasks in us-east-1b. AZ Rebalancing in progress.", events)
        self.assertEqual(self.answering_zones(), {"us-east-1a", "us-east-1b"})
        self.assertEqual(self.chaos().stdout, "zones down: none\nfaults: none\n")

    def test_a_name_that_is_not_a_zone_is_refused(self):
        refused = self.chaos("lose-zone", "us-east-1")
        self.assertEqual(refused.returncode, 1)
        self.assertEqual(refused.stderr,
                         "awsemu: 'us-east-1' is not an availability zone name such as "
                         "us-east-1a\n")
        self.assertEqual(self.answering_zones(), {"us-east-1a", "us-east-1b"})
        nobody = subprocess.run([BINARY, "chaos", "--endpoint", "http://127.0.0.1:9"],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual(nobody.returncode, 1)
        self.assertIn("no awsemu answered at http://127.0.0.1:9", nobody.stderr)


if __name__ == "__main__":
    unittest.main()
