"""ECS services in the process runtime: desired count kept (a task killed from outside is
replaced), tasks spread across zones, rolling deployments, the deployment circuit breaker with and
without rollback, deletion, restarts, and AWS's events and errors."""

import unittest

from ecs_workload_base import CLUSTER, EcsWorkloadTestCase, shell
from harness import AwsemuServer, wait_until


class ServiceTest(EcsWorkloadTestCase):

    def create(self, name, task_definition, desired=2, subnets=None, **extra):
        request = {"cluster": CLUSTER, "serviceName": name, "taskDefinition": task_definition,
                   "desiredCount": desired, "launchType": "FARGATE",
                   "networkConfiguration": self.network(
                       subnets or [s["SubnetId"] for s in self.subnets[:2]])}
        request.update(extra)
        return self.ecs.create_service(**request)["service"]

    def messages(self, name):
        return [e["message"] for e in self.service(name)["events"]]

    def test_a_service_keeps_its_desired_count_spread_across_zones(self):
        definition = self.register("web", [self.container("web", self.pid_script())])
        created = self.create("web", definition["taskDefinitionArn"])
        self.assertEqual(created["status"], "ACTIVE")
        self.assertEqual(created["desiredCount"], 2)
        self.assertEqual(created["deployments"][0]["status"], "PRIMARY")
        self.assertEqual(created["deployments"][0]["rolloutState"], "IN_PROGRESS")

        stable = self.wait_stable("web")
        self.assertEqual(stable["runningCount"], 2)
        self.assertEqual(stable["pendingCount"], 0)
        self.assertEqual(stable["deployments"][0]["rolloutState"], "COMPLETED")
        tasks = self.service_tasks("web")
        self.assertEqual(len(tasks), 2)
        self.assertEqual({t["availabilityZone"] for t in tasks},
                         {s["AvailabilityZone"] for s in self.subnets[:2]})
        self.assertTrue(all(t["group"] == "service:web" for t in tasks))
        self.assertTrue(all(t["startedBy"] == stable["deployments"][0]["id"] for t in tasks))
        self.assertIn("(service web) has reached a steady state.", self.messages("web"))
        started = [m for m in self.messages("web") if "has started 2 tasks" in m]
        self.assertEqual(len(started), 1, self.messages("web"))

        victim = tasks[0]
        self.kill_task_process(victim)
        stopped = self.wait_task(victim["taskArn"], "STOPPED")
        self.assertEqual(stopped["stopCode"], "EssentialContainerExited")
        self.assertEqual(stopped["containers"][0]["exitCode"], 137)
        replaced = wait_until(lambda: (lambda ts: ts if len(ts) == 2 and all(
            t["lastStatus"] == "RUNNING" for t in ts) and victim["taskArn"] not in
            [t["taskArn"] for t in ts] else None)(self.service_tasks("web")),
            timeout=30, message="a replacement task")
        # The replacement goes to the zone that lost its task.
        self.assertEqual({t["availabilityZone"] for t in replaced},
                         {s["AvailabilityZone"] for s in self.subnets[:2]})
        self.assertTrue(any("has started 1 tasks" in m for m in self.messages("web")))
        self.assertEqual(self.service("web")["runningCount"], 2)

    def test_scaling_in_and_out_follows_the_desired_count(self):
        definition = self.register("scale", [self.container("main", "exec sleep 600")])
        self.create("scale", definition["taskDefinitionArn"], desired=1)
        self.wait_stable("scale")
        self.ecs.update_service(cluster=CLUSTER, service="scale", desiredCount=3)
        self.assertEqual(self.wait_stable("scale")["runningCount"], 3)
        self.ecs.update_service(cluster=CLUSTER, service="scale", desiredCount=1)
        wait_until(lambda: len(self.service_tasks("scale")) == 1, timeout=20,
                   message="scale-in to one task")
        stopped = self.service_tasks("scale", desired_status="STOPPED")
        self.assertEqual(len(stopped), 2)
        self.assertTrue(all(t["stopCode"] == "ServiceSchedulerInitiated" for t in stopped))

    def test_a_rolling_deployment_replaces_every_task_with_the_new_revision(self):
        first = self.register("roll", [self.container("main", "exec sleep 600")])
        self.create("roll", first["taskDefinitionArn"],
                    deploymentConfiguration={"maximumPercent": 200, "minimumHealthyPercent": 50})
        before = self.wait_stable("roll")
        second = self.register("roll", [self.container(
            "main", "exec sleep 600", environment=[{"name": "VERSION", "value": "2"}])])
        updated = self.ecs.update_service(cluster=CLUSTER, service="roll",
                                          taskDefinition=second["taskDefinitionArn"])["service"]
        self.assertEqual([d["status"] for d in updated["deployments"]], ["PRIMARY", "ACTIVE"])
        self.assertEqual(updated["deployments"][0]["taskDefinition"], second["taskDefinitionArn"])
        self.assertEqual(updated["deployments"][1]["id"], before["deployments"][0]["id"])
        after = self.wait_stable("roll")
        self.assertEqual(after["taskDefinition"], second["taskDefinitionArn"])
        self.assertEqual(after["deployments"][0]["rolloutState"], "COMPLETED")
        tasks = self.service_tasks("roll")
        self.assertEqual({t["taskDefinitionArn"] for t in tasks}, {second["taskDefinitionArn"]})
        self.assertEqual(len(tasks), 2)
        messages = self.messages("roll")
        self.assertIn(f"(service roll) (deployment {after['deployments'][0]['id']}) "
                      "deployment completed.", messages)
        self.assertEqual(messages[0], "(service roll) has reached a steady state.")
        # force-new-deployment through the CLI v2 replaces the tasks with the same revision.
        self.server.cli("ecs", "update-service", "--cluster", CLUSTER, "--service", "roll",
                        "--force-new-deployment", version=2)
        forced = self.wait_stable("roll")
        self.assertNotEqual(forced["deployments"][0]["id"], after["deployments"][0]["id"])
        self.assertTrue(set(t["taskArn"] for t in self.service_tasks("roll")).isdisjoint(
            t["taskArn"] for t in tasks))

    def test_the_circuit_breaker_fails_a_deployment_and_rolls_back(self):
        good = self.register("breaker", [self.container("main", "exec sleep 600")])
        self.create("breaker", good["taskDefinitionArn"], deploymentConfiguration={
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "maximumPercent": 200, "minimumHealthyPercent": 100})
        self.wait_stable("breaker")
        bad = self.register("breaker", [self.container("main", "echo crash; exit 1")])
        self.ecs.update_service(cluster=CLUSTER, service="breaker",
                                taskDefinition=bad["taskDefinitionArn"])
        failed = wait_until(lambda: (lambda s: s if any(
            d["rolloutState"] == "FAILED" for d in s["deployments"]) or
            s["taskDefinition"] == good["taskDefinitionArn"] else None)(self.service("breaker")),
            timeout=60, message="the circuit breaker")
        self.assertEqual(failed["taskDefinition"], good["taskDefinitionArn"])
        after = self.wait_stable("breaker")
        self.assertEqual(after["taskDefinition"], good["taskDefinitionArn"])
        self.assertEqual({t["taskDefinitionArn"] for t in self.service_tasks("breaker")},
                         {good["taskDefinitionArn"]})
        messages = self.messages("breaker")
        self.assertTrue(any("deployment failed: tasks failed to start." in m for m in messages),
                        messages)
        self.assertTrue(any("rolling back to deployment" in m for m in messages), messages)
        # The old tasks kept serving throughout: the bad revision never ran a healthy task.
        self.assertGreaterEqual(len(self.service_tasks("breaker")), 2)

    def test_the_circuit_breaker_without_rollback_leaves_the_deployment_failed(self):
        bad = self.register("doomed", [self.container("main", "exit 1")])
        self.create("doomed", bad["taskDefinitionArn"], desired=1, deploymentConfiguration={
            "deploymentCircuitBreaker": {"enable": True, "rollback": False}})
        failed = wait_until(lambda: (lambda s: s if s["deployments"][0]["rolloutState"] ==
                                     "FAILED" else None)(self.service("doomed")),
                            timeout=60, message="a failed deployment")
        primary = failed["deployments"][0]
        self.assertGreaterEqual(primary["failedTasks"], 3)
        self.assertEqual(primary["rolloutStateReason"],
                         "ECS deployment circuit breaker: tasks failed to start.")
        # No task is started for a failed deployment (events are newest first).
        wait_until(lambda: self.service_tasks("doomed") == [], message="no running task")
        messages = self.messages("doomed")
        failed_at = next(i for i, m in enumerate(messages) if "deployment failed" in m)
        self.assertFalse([m for m in messages[:failed_at] if "has started" in m], messages)

    def test_delete_service_drains_it(self):
        definition = self.register("gone", [self.container("main", "exec sleep 600")])
        self.create("gone", definition["taskDefinitionArn"], desired=1)
        self.wait_stable("gone")
        self.failed_response("InvalidParameterException", 400, self.ecs.delete_service,
                             cluster=CLUSTER, service="gone",
                             message="The service cannot be stopped while it is scaled above 0.")
        draining = self.ecs.delete_service(cluster=CLUSTER, service="gone", force=True)["service"]
        self.assertEqual(draining["status"], "DRAINING")
        wait_until(lambda: self.service("gone")["status"] == "INACTIVE", timeout=20,
                   message="an inactive service")
        self.assertEqual(self.service_tasks("gone"), [])
        self.assertEqual(self.ecs.list_services(cluster=CLUSTER)["serviceArns"], [])
        # The name may be used again.
        self.create("gone", definition["taskDefinitionArn"], desired=0)

    def test_service_operations_answer_awss_errors(self):
        definition = self.register("errs", [self.container("main", "exec sleep 600")])
        self.create("errs", definition["taskDefinitionArn"], desired=0)
        self.failed_response("InvalidParameterException", 400, self.create, "errs",
                             definition["taskDefinitionArn"],
                             message="Creation of service was not idempotent.")
        self.failed_response("ServiceNotFoundException", 400, self.ecs.update_service,
                             cluster=CLUSTER, service="nope", desiredCount=1)
        self.failed_response("ClientException", 400, self.create, "other", "no-such:1")
        self.failed_response("InvalidParameterException", 400, self.ecs.create_service,
                             cluster=CLUSTER, serviceName="nonet",
                             taskDefinition=definition["taskDefinitionArn"], desiredCount=1,
                             launchType="FARGATE")
        described = self.ecs.describe_services(cluster=CLUSTER, services=["errs", "missing"])
        self.assertEqual([s["serviceName"] for s in described["services"]], ["errs"])
        self.assertEqual(described["failures"][0]["reason"], "MISSING")
        self.assertEqual(self.ecs.list_services(cluster=CLUSTER)["serviceArns"],
                         [described["services"][0]["serviceArn"]])
        clusters = self.ecs.describe_clusters(clusters=[CLUSTER], include=["STATISTICS"])
        self.assertEqual(clusters["clusters"][0]["activeServicesCount"], 1)
        self.failed_response("ClusterContainsServicesException", 400, self.ecs.delete_cluster,
                             cluster=CLUSTER)


class ServiceRestartTest(unittest.TestCase):
    """A service's tasks die with awsemu; the service starts them again when it comes back."""

    def test_services_start_their_tasks_again_after_a_restart(self):
        with AwsemuServer("--time-scale", "0.1") as server:
            ecs = server.client("ecs")
            subnets = [s["SubnetId"] for s in server.client("ec2").describe_subnets()["Subnets"]]
            ecs.create_cluster(clusterName=CLUSTER)
            ecs.register_task_definition(
                family="durable", networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
                cpu="256", memory="512", containerDefinitions=[{
                    "name": "main", "image": "awsemu/host", "command": shell("exec sleep 600")}])
            ecs.create_service(cluster=CLUSTER, serviceName="durable", taskDefinition="durable",
                               desiredCount=2, launchType="FARGATE", networkConfiguration={
                                   "awsvpcConfiguration": {"subnets": subnets[:2]}})

            def running(client):
                arns = client.list_tasks(cluster=CLUSTER, serviceName="durable")["taskArns"]
                tasks = client.describe_tasks(cluster=CLUSTER, tasks=arns)["tasks"] if arns else []
                return [t for t in tasks if t["lastStatus"] == "RUNNING"]

            before = wait_until(lambda: len(running(ecs)) == 2 and running(ecs), timeout=20,
                                message="two running tasks")
            server.kill()
            server.start()
            ecs = server.client("ecs")
            after = wait_until(lambda: len(running(ecs)) == 2 and running(ecs), timeout=20,
                               message="two running tasks after the restart")
            self.assertTrue({t["taskArn"] for t in before}.isdisjoint(t["taskArn"] for t in after))
            old = ecs.describe_tasks(cluster=CLUSTER, tasks=[before[0]["taskArn"]])["tasks"][0]
            self.assertEqual(old["lastStatus"], "STOPPED")


if __name__ == "__main__":
    unittest.main()
