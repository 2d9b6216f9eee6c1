"""An ECS service behind an application load balancer, end to end: the service's tasks register
their address and container port in the target group while they run, a deployment completes
only once its targets pass their health checks, requests through the listener reach them, a task that fails the ELB health checks gets no traffic and is replaced
("Task failed ELB health checks in (target-group ...)"), and a killed task's replacement joins."""

import json
import os
import time
import urllib.error
import urllib.request

from ecs_workload_base import CLUSTER, EcsWorkloadTestCase
from harness import wait_until

# The container: an HTTP server on the task's own address. Its health check fails while a file
# named after the task's address, after its VERSION ("v2.sick"), or "all.sick", exists in the
# scratch directory.
SERVER = """
import http.server, os, sys
scratch, ip, port = sys.argv[1], os.environ["AWSEMU_TASK_IP"], int(os.environ["PORT"])
class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def do_GET(self):
        names = (ip + ".sick", "v" + os.environ.get("VERSION", "1") + ".sick", "all.sick")
        sick = self.path == "/health" and any(
            os.path.exists(os.path.join(scratch, name)) for name in names)
        body = ip.encode()
        self.send_response(500 if sick else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
http.server.ThreadingHTTPServer((ip, port), Handler).serve_forever()
"""


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class EcsBehindLoadBalancerTest(EcsWorkloadTestCase):

    def setUp(self):
        super().setUp()
        self.elb = self.server.client("elbv2")
        server_path = os.path.join(self.scratch, "server.py")
        with open(server_path, "w") as f:
            f.write(SERVER)
        self.server_command = self.pid_script(f"exec python3 {server_path} {self.scratch}")
        self.register("web", [self.container(
            "web", self.server_command, portMappings=[{"containerPort": 8080, "protocol": "tcp"}])])
        self.group_arn = self.elb.create_target_group(
            Name="web", Protocol="HTTP", Port=8080, TargetType="ip",
            VpcId=self.subnets[0]["VpcId"], HealthCheckPath="/health",
            HealthCheckIntervalSeconds=5, HealthCheckTimeoutSeconds=2,
            HealthyThresholdCount=2, UnhealthyThresholdCount=2,
        )["TargetGroups"][0]["TargetGroupArn"]
        lb_arn = self.elb.create_load_balancer(
            Name="web", Subnets=[s["SubnetId"] for s in self.subnets[:2]],
        )["LoadBalancers"][0]["LoadBalancerArn"]
        listener_arn = self.elb.create_listener(
            LoadBalancerArn=lb_arn, Protocol="HTTP", Port=80,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": self.group_arn}],
        )["Listeners"][0]["ListenerArn"]
        status = json.loads(self.server.http("GET", "/_awsemu/status")[2])
        self.url = [listener["url"] for lb in status["load_balancers"]
                    for listener in lb["listeners"] if listener["arn"] == listener_arn][0]

    def health(self):
        return {d["Target"]["Id"]: d["TargetHealth"]["State"]
                for d in self.elb.describe_target_health(
                    TargetGroupArn=self.group_arn)["TargetHealthDescriptions"]}

    def running_ips(self):
        return {self.private_ip(t) for t in self.service_tasks("web")
                if t["lastStatus"] == "RUNNING"}

    def wait_serving(self, count):
        """Until `count` running tasks are each registered and healthy; answers their IPs."""
        def serving():
            ips = self.running_ips()
            health = self.health()
            healthy = {ip for ip, state in health.items() if state == "healthy"}
            return ips if len(ips) == count and ips <= healthy else None
        return wait_until(serving, timeout=40, interval=0.2, message=f"{count} healthy tasks")

    def test_a_deployment_completes_only_once_its_targets_are_healthy(self):
        sick = os.path.join(self.scratch, "all.sick")
        open(sick, "w").close()
        self.ecs.create_service(
            cluster=CLUSTER, serviceName="web", taskDefinition="web", desiredCount=2,
            launchType="FARGATE", networkConfiguration=self.network(
                [s["SubnetId"] for s in self.subnets[:2]]),
            healthCheckGracePeriodSeconds=120,
            loadBalancers=[{"targetGroupArn": self.group_arn, "containerName": "web",
                            "containerPort": 8080}])
        wait_until(lambda: len(self.running_ips()) == 2, timeout=30, message="2 running tasks")
        # Both tasks are RUNNING from here on. The settle time is measured on the monotonic
        # clock rather than against startedAt: one ASan CI run waited 20 s for a startedAt
        # that stayed more than 9 s ahead of the test's wall clock (a stepped VM clock is the
        # only explanation found).
        both_running = time.monotonic()
        # Past the settle time (10 s of RUNNING) with the health checks failing: still going.
        wait_until(lambda: set(self.health().values()) == {"unhealthy"}, timeout=30,
                   interval=0.2, message="both targets unhealthy")
        wait_until(lambda: time.monotonic() > both_running + 11, timeout=20, interval=0.2,
                   message="the settle time passed")
        deployment = self.service("web")["deployments"][0]
        self.assertEqual(deployment["rolloutState"], "IN_PROGRESS")
        self.assertEqual(deployment["runningCount"], 2)
        os.remove(sick)
        self.wait_serving(2)
        wait_until(lambda: self.service("web")["deployments"][0]["rolloutState"] == "COMPLETED",
                   timeout=30, interval=0.2, message="the deployment completed")

    def test_a_rolling_deployment_keeps_the_old_tasks_until_the_new_ones_are_healthy(self):
        self.ecs.create_service(
            cluster=CLUSTER, serviceName="web", taskDefinition="web", desiredCount=2,
            launchType="FARGATE", networkConfiguration=self.network(
                [s["SubnetId"] for s in self.subnets[:2]]),
            healthCheckGracePeriodSeconds=120,
            deploymentConfiguration={"minimumHealthyPercent": 100, "maximumPercent": 200},
            loadBalancers=[{"targetGroupArn": self.group_arn, "containerName": "web",
                            "containerPort": 8080}])
        old = self.wait_serving(2)
        wait_until(lambda: self.service("web")["deployments"][0]["rolloutState"] == "COMPLETED",
                   timeout=30, interval=0.2, message="the first deployment completed")

        # Revision 2 fails its health checks at first: its tasks run, and the load balancer
        # finds them unhealthy, but the old tasks keep serving (minimumHealthyPercent 100).
        open(os.path.join(self.scratch, "v2.sick"), "w").close()
        v2 = self.register("web", [self.container(
            "web", self.server_command, environment=[{"name": "VERSION", "value": "2"}],
            portMappings=[{"containerPort": 8080, "protocol": "tcp"}])])["taskDefinitionArn"]
        self.ecs.update_service(cluster=CLUSTER, service="web", taskDefinition=v2)

        def new_ones_unhealthy():
            health = self.health()
            new = self.running_ips() - old
            return len(new) == 2 and all(health.get(ip) == "unhealthy" for ip in new)
        wait_until(new_ones_unhealthy, timeout=40, interval=0.2,
                   message="revision 2's two tasks running and unhealthy")
        tasks = self.service_tasks("web")
        self.assertEqual(len(tasks), 4)
        self.assertEqual({self.private_ip(t) for t in tasks
                          if t["taskDefinitionArn"] != v2 and t["lastStatus"] == "RUNNING"}, old)
        self.assertEqual({fetch(self.url + "/")[1] for _ in range(10)}, old)
        self.assertEqual(self.service("web")["deployments"][0]["rolloutState"], "IN_PROGRESS")

        # Once they pass, the old tasks stop and the deployment completes.
        os.remove(os.path.join(self.scratch, "v2.sick"))
        wait_until(lambda: self.service("web")["deployments"][0]["rolloutState"] == "COMPLETED"
                   and len(self.service_tasks("web")) == 2, timeout=60, interval=0.2,
                   message="revision 2's deployment completed")
        new = {self.private_ip(t) for t in self.service_tasks("web")}
        self.assertTrue(new.isdisjoint(old))
        self.assertEqual({t["taskDefinitionArn"] for t in self.service_tasks("web")}, {v2})
        wait_until(lambda: {fetch(self.url + "/")[1] for _ in range(10)} == new, timeout=20,
                   interval=0.2, message="only revision 2 answers")

    def test_a_service_of_two_serves_through_the_load_balancer_and_replaces_failed_tasks(self):
        self.ecs.create_service(
            cluster=CLUSTER, serviceName="web", taskDefinition="web", desiredCount=2,
            launchType="FARGATE", networkConfiguration=self.network(
                [s["SubnetId"] for s in self.subnets[:2]]),
            healthCheckGracePeriodSeconds=10,
            loadBalancers=[{"targetGroupArn": self.group_arn, "containerName": "web",
                            "containerPort": 8080}])
        first = self.wait_serving(2)
        self.assertEqual({fetch(self.url + "/")[1] for _ in range(10)}, first)

        # One task starts failing its health checks: it gets no more traffic, then the service
        # replaces it.
        sick = sorted(first)[0]
        open(os.path.join(self.scratch, sick + ".sick"), "w").close()
        wait_until(lambda: self.health().get(sick) in ("unhealthy", "draining", None),
                   timeout=20, interval=0.1, message="the sick task unhealthy")
        healthy_one = (first - {sick}).pop()
        self.assertEqual({fetch(self.url + "/")[1] for _ in range(10)}, {healthy_one})
        stopped = wait_until(
            lambda: [t for t in self.service_tasks("web", desired_status="STOPPED")
                     if self.private_ip(t) == sick], timeout=30, message="the sick task stopped")
        self.assertEqual(stopped[0]["stoppedReason"],
                         f"Task failed ELB health checks in (target-group {self.group_arn})")
        events = [e["message"] for e in self.service("web")["events"]]
        self.assertTrue(any(f"is unhealthy in (target-group {self.group_arn})" in e
                            for e in events), events)
        second = self.wait_serving(2)
        self.assertIn(healthy_one, second)
        self.assertNotIn(sick, self.health().keys() - {ip for ip, s in self.health().items()
                                                       if s == "draining"})

        # A task killed outright leaves the group; its replacement joins.
        victim = [t for t in self.service_tasks("web") if self.private_ip(t) == healthy_one][0]
        self.kill_task_process(victim)
        wait_until(lambda: victim["taskArn"] not in
                   {t["taskArn"] for t in self.service_tasks("web")}, timeout=20,
                   message="the killed task stopped")
        third = self.wait_serving(2)
        # The replacement may get the address the killed task had: count tasks, not addresses.
        running = [t for t in self.service_tasks("web") if t["lastStatus"] == "RUNNING"]
        self.assertEqual(len(running), 2)
        self.assertNotIn(victim["taskArn"], {t["taskArn"] for t in running})
        answers = {fetch(self.url + "/")[1] for _ in range(10)}
        self.assertEqual(answers, third)
