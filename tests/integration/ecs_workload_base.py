"""What the ECS task and service integration tests share: clients, a task definition builder
whose containers run on this machine (image awsemu/host), and waits on task and service state."""

import os
import shutil
import signal
import tempfile

from harness import AwsemuTestCase, wait_until

CLUSTER = "workloads"


def shell(script):
    """A container command that runs `script` with /bin/sh."""
    return ["/bin/sh", "-c", script]


class EcsWorkloadTestCase(AwsemuTestCase):
    # Ten times faster: health-check intervals, stop timeouts and scheduler back-off.
    server_args = ("--time-scale", "0.1")

    def setUp(self):
        super().setUp()
        self.ecs = self.server.client("ecs")
        self.logs = self.server.client("logs")
        self.ec2 = self.server.client("ec2")
        self.ecs.create_cluster(clusterName=CLUSTER)
        subnets = self.ec2.describe_subnets(
            Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
        subnets.sort(key=lambda s: s["AvailabilityZone"])
        self.subnets = subnets
        self.scratch = tempfile.mkdtemp(prefix="awsemu-ecs-test-")

    def tearDown(self):
        # Tasks still running are killed by the reset; nothing of theirs must outlive the
        # test's scratch directory, which goes with them.
        self.server.reset()
        shutil.rmtree(self.scratch, ignore_errors=True)
        super().tearDown()

    # --- task definitions ------------------------------------------------------------------
    def register(self, family, containers, **extra):
        request = {
            "family": family,
            "networkMode": "awsvpc",
            "requiresCompatibilities": ["FARGATE"],
            "cpu": "256",
            "memory": "512",
            "containerDefinitions": containers,
        }
        request.update(extra)
        return self.ecs.register_task_definition(**request)["taskDefinition"]

    def container(self, name, script, **extra):
        definition = {"name": name, "image": "awsemu/host", "command": shell(script),
                      "essential": True}
        definition.update(extra)
        return definition

    def network(self, subnets=None):
        subnets = subnets or [self.subnets[0]["SubnetId"]]
        return {"awsvpcConfiguration": {"subnets": subnets, "assignPublicIp": "DISABLED"}}

    # --- tasks -----------------------------------------------------------------------------
    def run_task(self, task_definition, **extra):
        request = {"cluster": CLUSTER, "taskDefinition": task_definition,
                   "launchType": "FARGATE", "networkConfiguration": self.network()}
        request.update(extra)
        response = self.ecs.run_task(**request)
        self.assertEqual(response["failures"], [])
        return response["tasks"]

    def describe(self, task_arn):
        return self.ecs.describe_tasks(cluster=CLUSTER, tasks=[task_arn])["tasks"][0]

    def wait_task(self, task_arn, status, timeout=20):
        return wait_until(lambda: (lambda t: t if t["lastStatus"] == status else None)(
            self.describe(task_arn)), timeout=timeout, message=f"task {status}")

    def kill_task_process(self, task):
        """Kills the task's container process from outside (its pid file, written by the
        container command `pid_script`)."""
        ip = self.private_ip(task)
        path = os.path.join(self.scratch, ip + ".pid")
        def written():
            if not os.path.exists(path):
                return None
            with open(path) as f:
                return f.read().strip()
        pid = wait_until(written, message="the container's pid file")
        os.kill(int(pid), signal.SIGKILL)

    def pid_script(self, then="exec sleep 600"):
        """A container command that records its pid by its task's address, then `then`."""
        return f'echo $$ > {self.scratch}/$AWSEMU_TASK_IP.pid; {then}'

    @staticmethod
    def private_ip(task):
        details = {d["name"]: d["value"] for d in task["attachments"][0]["details"]}
        return details["privateIPv4Address"]

    # --- services --------------------------------------------------------------------------
    def service(self, name):
        return self.ecs.describe_services(cluster=CLUSTER, services=[name])["services"][0]

    def service_tasks(self, name, desired_status="RUNNING"):
        arns = self.ecs.list_tasks(cluster=CLUSTER, serviceName=name,
                                   desiredStatus=desired_status)["taskArns"]
        return self.ecs.describe_tasks(cluster=CLUSTER, tasks=arns)["tasks"] if arns else []

    def wait_stable(self, name, timeout=60):
        """`aws ecs wait services-stable` through the AWS CLI v1 (its waiter polls DescribeServices
        every 15 s; it returns at once when the service is already stable)."""
        wait_until(lambda: (lambda s: len(s["deployments"]) == 1
                            and s["deployments"][0]["rolloutState"] == "COMPLETED"
                            and s["runningCount"] == s["desiredCount"])(self.service(name)),
                   timeout=timeout, interval=0.1, message=f"service {name} stable")
        self.server.cli("ecs", "wait", "services-stable", "--cluster", CLUSTER,
                        "--services", name)
        return self.service(name)
