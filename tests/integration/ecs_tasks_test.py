"""ECS tasks in the process runtime: RunTask to STOPPED with exit codes, secrets, CloudWatch Logs,
the environment and metadata endpoint a task sees, an unmodified SDK inside a task, dependsOn
and health checks, StopTask, restarts, and the errors of bad requests."""

import json
import os
import unittest

from ecs_workload_base import CLUSTER, EcsWorkloadTestCase, shell
from harness import AwsemuServer, wait_until

# ECS reads a task's secrets with its execution role (awsemu does not check the role's rights).
EXECUTION_ROLE = "arn:aws:iam::000000000000:role/ecsTaskExecutionRole"


def read_text(path):
    with open(path) as f:
        return f.read()


class TaskLifecycleTest(EcsWorkloadTestCase):

    def test_a_migration_task_runs_to_its_exit_code_with_its_secret_and_its_logs(self):
        secrets = self.server.client("secretsmanager")
        secret_arn = secrets.create_secret(
            Name="db", SecretString=json.dumps({"password": "s3cr3t", "port": 5432}))["ARN"]
        definition = self.register("migrate", [self.container(
            "migrate", "echo migrating; echo password=$DB_PASSWORD port=$DB_PORT; "
                       "echo to-stderr >&2; exit 3",
            secrets=[{"name": "DB_PASSWORD", "valueFrom": secret_arn + ":password::"},
                     {"name": "DB_PORT", "valueFrom": secret_arn + ":port::"}],
            logConfiguration={"logDriver": "awslogs", "options": {
                "awslogs-group": "/ecs/migrate", "awslogs-region": "us-east-1",
                "awslogs-stream-prefix": "app", "awslogs-create-group": "true"}})],
            executionRoleArn=EXECUTION_ROLE)
        started = self.run_task(definition["taskDefinitionArn"], startedBy="ci")[0]
        self.assertEqual(started["lastStatus"], "PROVISIONING")
        self.assertEqual(started["desiredStatus"], "RUNNING")
        self.assertEqual(started["startedBy"], "ci")
        self.assertEqual(started["group"], "family:migrate")

        # The AWS CLI's own waiter, as a CI script would use it.
        self.server.cli("ecs", "wait", "tasks-stopped", "--cluster", CLUSTER,
                        "--tasks", started["taskArn"])
        task = self.describe(started["taskArn"])
        self.assertEqual(task["lastStatus"], "STOPPED")
        self.assertEqual(task["desiredStatus"], "STOPPED")
        self.assertEqual(task["stopCode"], "EssentialContainerExited")
        self.assertEqual(task["stoppedReason"], "Essential container in task exited")
        self.assertEqual(task["containers"][0]["exitCode"], 3)
        self.assertEqual(task["containers"][0]["lastStatus"], "STOPPED")
        for earlier, later in (("createdAt", "pullStartedAt"), ("pullStartedAt", "startedAt"),
                               ("startedAt", "stoppingAt"), ("stoppingAt", "stoppedAt")):
            self.assertLessEqual(task[earlier], task[later], (earlier, later))

        stream = "app/migrate/" + task["taskArn"].split("/")[-1]
        events = self.server.cli("logs", "get-log-events", "--log-group-name", "/ecs/migrate",
                                 "--log-stream-name", stream, "--start-from-head")["events"]
        self.assertEqual([e["message"] for e in events],
                         ["migrating", "password=s3cr3t port=5432", "to-stderr"])

    def test_a_task_gets_its_own_address_in_its_subnet_zone(self):
        definition = self.register("addr", [self.container("main", "exec sleep 600")])
        subnet = self.subnets[1]
        task = self.run_task(definition["taskDefinitionArn"],
                             networkConfiguration=self.network([subnet["SubnetId"]]))[0]
        # The AWS CLI v2's waiter (Debian's 2.9), polling DescribeTasks every 6 s at most.
        self.server.cli("ecs", "wait", "tasks-running", "--cluster", CLUSTER, "--tasks",
                        task["taskArn"], version=2)
        running = self.describe(task["taskArn"])
        self.assertEqual(running["lastStatus"], "RUNNING")
        details = {d["name"]: d["value"] for d in running["attachments"][0]["details"]}
        self.assertEqual(running["attachments"][0]["type"], "ElasticNetworkInterface")
        self.assertEqual(details["subnetId"], subnet["SubnetId"])
        self.assertEqual(running["availabilityZone"], subnet["AvailabilityZone"])
        # 172.31.16.0/20 -> 127.31.16.x: the subnet's own range, on loopback.
        cidr_octets = subnet["CidrBlock"].split("/")[0].split(".")
        self.assertEqual(details["privateIPv4Address"].split(".")[:3],
                         ["127", cidr_octets[1], cidr_octets[2]])
        self.assertEqual(running["containers"][0]["networkInterfaces"][0]["privateIpv4Address"],
                         details["privateIPv4Address"])
        second = self.run_task(definition["taskDefinitionArn"],
                               networkConfiguration=self.network([subnet["SubnetId"]]))[0]
        self.assertNotEqual(self.private_ip(self.wait_task(second["taskArn"], "RUNNING")),
                            details["privateIPv4Address"])

    def test_stop_task_sends_sigterm_then_sigkill_after_the_stop_timeout(self):
        polite = self.register("polite", [self.container("main", "exec sleep 600")])
        term_ignoring = self.register("ignores-term", [self.container(
            "main", "trap '' TERM; echo ready; while true; do sleep 0.2; done", stopTimeout=5)])
        polite_task = self.run_task(polite["taskDefinitionArn"])[0]
        term_ignoring_task = self.run_task(term_ignoring["taskDefinitionArn"])[0]
        for task in (polite_task, term_ignoring_task):
            self.wait_task(task["taskArn"], "RUNNING")
        stopped = self.ecs.stop_task(cluster=CLUSTER, task=polite_task["taskArn"],
                                     reason="deploying")["task"]
        self.assertEqual(stopped["desiredStatus"], "STOPPED")
        self.assertEqual(stopped["stopCode"], "UserInitiated")
        self.assertEqual(stopped["stoppedReason"], "deploying")
        self.ecs.stop_task(cluster=CLUSTER, task=term_ignoring_task["taskArn"])
        polite_done = self.wait_task(polite_task["taskArn"], "STOPPED")
        self.assertEqual(polite_done["containers"][0]["exitCode"], 143)  # 128 + SIGTERM
        # The shell ignores SIGTERM: it is killed 5 emulated seconds later.
        term_ignored_done = self.wait_task(term_ignoring_task["taskArn"], "STOPPED")
        self.assertEqual(term_ignored_done["containers"][0]["exitCode"], 137)  # 128 + SIGKILL
        self.assertEqual(term_ignored_done["stoppedReason"], "Task stopped by user")

    def test_depends_on_and_health_checks_order_the_containers(self):
        marker = os.path.join(self.scratch, "order")
        definition = self.register("ordered", [
            self.container("init", f"echo init >> {marker}", essential=False),
            self.container("app", f"echo app >> {marker}; exec sleep 600",
                           dependsOn=[{"containerName": "init", "condition": "SUCCESS"}],
                           healthCheck={"command": ["CMD-SHELL", f"grep -q app {marker}"],
                                        "interval": 5, "timeout": 2, "retries": 2}),
            self.container("sidecar", f"echo sidecar >> {marker}; exec sleep 600",
                           dependsOn=[{"containerName": "app", "condition": "HEALTHY"}]),
        ])
        task = self.run_task(definition["taskDefinitionArn"])[0]
        healthy = wait_until(lambda: (lambda t: t if t["healthStatus"] == "HEALTHY" and all(
            c["lastStatus"] == "RUNNING" for c in t["containers"] if c["name"] != "init")
            else None)(self.describe(task["taskArn"])), timeout=20, message="healthy task")
        containers = {c["name"]: c for c in healthy["containers"]}
        self.assertEqual(containers["init"]["exitCode"], 0)
        self.assertEqual(containers["app"]["healthStatus"], "HEALTHY")
        self.assertEqual(healthy["lastStatus"], "RUNNING")
        # RUNNING means the sidecar's process started, not that its shell has written yet.
        def lines():
            with open(marker) as f:
                written = f.read().split()
            return written if len(written) >= 3 else None
        self.assertEqual(wait_until(lines, timeout=10, message="three lines in the marker"),
                         ["init", "app", "sidecar"])

    def test_a_failing_health_check_makes_the_task_unhealthy(self):
        definition = self.register("sick", [self.container(
            "main", "exec sleep 600",
            healthCheck={"command": ["CMD", "false"], "interval": 5, "retries": 2})])
        task = self.run_task(definition["taskDefinitionArn"])[0]
        sick = wait_until(lambda: (lambda t: t if t["healthStatus"] == "UNHEALTHY" else None)(
            self.describe(task["taskArn"])), timeout=20, message="unhealthy task")
        self.assertEqual(sick["containers"][0]["healthStatus"], "UNHEALTHY")
        self.assertEqual(sick["lastStatus"], "RUNNING")  # a standalone task keeps running

    def test_an_image_without_a_mapping_fails_to_start(self):
        definition = self.register("nginx", [{"name": "web", "image": "nginx:1.27"}])
        task = self.run_task(definition["taskDefinitionArn"])[0]
        stopped = self.wait_task(task["taskArn"], "STOPPED")
        self.assertEqual(stopped["stopCode"], "TaskFailedToStart")
        self.assertTrue(stopped["stoppedReason"].startswith("CannotPullContainerError:"),
                        stopped["stoppedReason"])
        self.assertIn("--image-map", stopped["stoppedReason"])

    def test_a_missing_secret_fails_the_task_with_resource_initialization_error(self):
        missing = "arn:aws:secretsmanager:us-east-1:000000000000:secret:gone-AbCdEf"
        definition = self.register("nosecret", [self.container(
            "main", "true", secrets=[{"name": "X", "valueFrom": missing}])],
            executionRoleArn=EXECUTION_ROLE)
        task = self.run_task(definition["taskDefinitionArn"])[0]
        stopped = self.wait_task(task["taskArn"], "STOPPED")
        self.assertEqual(stopped["stopCode"], "TaskFailedToStart")
        self.assertIn("ResourceInitializationError", stopped["stoppedReason"])
        self.assertIn("ResourceNotFoundException", stopped["stoppedReason"])

    def test_a_missing_log_group_fails_the_task_unless_it_may_be_created(self):
        definition = self.register("nogroup", [self.container(
            "main", "echo hi", logConfiguration={"logDriver": "awslogs", "options": {
                "awslogs-group": "/missing", "awslogs-region": "us-east-1",
                "awslogs-stream-prefix": "p"}})])
        task = self.run_task(definition["taskDefinitionArn"])[0]
        stopped = self.wait_task(task["taskArn"], "STOPPED")
        self.assertEqual(stopped["stopCode"], "TaskFailedToStart")
        self.assertIn("The specified log group does not exist", stopped["stoppedReason"])

    def test_overrides_change_command_and_environment(self):
        definition = self.register("over", [self.container(
            "main", "echo default", environment=[{"name": "A", "value": "from-definition"},
                                                  {"name": "B", "value": "kept"}],
            logConfiguration={"logDriver": "awslogs", "options": {
                "awslogs-group": "/over", "awslogs-region": "us-east-1",
                "awslogs-stream-prefix": "p", "awslogs-create-group": "true"}})])
        task = self.run_task(definition["taskDefinitionArn"], overrides={"containerOverrides": [
            {"name": "main", "command": shell("echo $A $B; exit 0"),
             "environment": [{"name": "A", "value": "from-override"}]}]})[0]
        self.wait_task(task["taskArn"], "STOPPED")
        events = self.logs.get_log_events(
            logGroupName="/over", logStreamName="p/main/" + task["taskArn"].split("/")[-1],
            startFromHead=True)["events"]
        self.assertEqual([e["message"] for e in events], ["from-override kept"])

    def test_list_tasks_filters_and_describe_reports_missing_tasks(self):
        definition = self.register("listed", [self.container("main", "exec sleep 600")])
        mine = self.run_task(definition["taskDefinitionArn"], startedBy="me", count=2)
        other = self.run_task(definition["taskDefinitionArn"], startedBy="other")[0]
        self.assertEqual(len(mine), 2)
        self.assertEqual(
            sorted(self.ecs.list_tasks(cluster=CLUSTER, startedBy="me")["taskArns"]),
            sorted(t["taskArn"] for t in mine))
        self.assertEqual(len(self.ecs.list_tasks(cluster=CLUSTER, family="listed")["taskArns"]), 3)
        self.assertEqual(self.ecs.describe_clusters(clusters=[CLUSTER])["clusters"][0]
                         ["runningTasksCount"] + self.ecs.describe_clusters(clusters=[CLUSTER])
                         ["clusters"][0]["pendingTasksCount"], 3)
        page = self.ecs.list_tasks(cluster=CLUSTER, maxResults=2)
        self.assertEqual(len(page["taskArns"]), 2)
        rest = self.ecs.list_tasks(cluster=CLUSTER, nextToken=page["nextToken"])
        self.assertEqual(len(page["taskArns"] + rest["taskArns"]), 3)
        self.ecs.stop_task(cluster=CLUSTER, task=other["taskArn"])
        self.wait_task(other["taskArn"], "STOPPED")
        self.assertEqual(self.ecs.list_tasks(cluster=CLUSTER, desiredStatus="STOPPED")["taskArns"],
                         [other["taskArn"]])
        # Tags given to RunTask, and added later, are the task's.
        tagged = self.run_task(definition["taskDefinitionArn"], startedBy="tags",
                               tags=[{"key": "team", "value": "api"}])[0]
        self.assertEqual(tagged["tags"], [{"key": "team", "value": "api"}])
        self.ecs.tag_resource(resourceArn=tagged["taskArn"], tags=[{"key": "env", "value": "ci"}])
        self.assertEqual(self.ecs.describe_tasks(cluster=CLUSTER, tasks=[tagged["taskArn"]],
                                                 include=["TAGS"])["tasks"][0]["tags"],
                         [{"key": "team", "value": "api"}, {"key": "env", "value": "ci"}])
        self.ecs.stop_task(cluster=CLUSTER, task=tagged["taskArn"])
        described = self.ecs.describe_tasks(cluster=CLUSTER, tasks=[mine[0]["taskArn"], "nope"])
        self.assertEqual(len(described["tasks"]), 1)
        self.assertEqual(described["failures"][0]["reason"], "MISSING")
        self.assertTrue(described["failures"][0]["arn"].endswith("/nope"))
        # The CLI v2 (query of the same JSON protocol) sees the same tasks.
        listed = self.server.cli("ecs", "list-tasks", "--cluster", CLUSTER, "--started-by", "me",
                                 version=2)
        self.assertEqual(sorted(listed["taskArns"]), sorted(t["taskArn"] for t in mine))


class TaskEnvironmentTest(EcsWorkloadTestCase):

    def test_an_unmodified_sdk_inside_a_task_reaches_sqs_with_the_task_role(self):
        sqs = self.server.client("sqs")
        queue_url = sqs.create_queue(QueueName="from-task")["QueueUrl"]
        program = os.path.join(self.scratch, "task.py")
        with open(program, "w") as f:
            f.write(
                "import json, os, urllib.request, boto3\n"
                "meta = os.environ['ECS_CONTAINER_METADATA_URI_V4']\n"
                "container = json.load(urllib.request.urlopen(meta))\n"
                "task = json.load(urllib.request.urlopen(meta + '/task'))\n"
                "sqs = boto3.client('sqs')\n"  # region, endpoint and credentials from the task
                "url = sqs.get_queue_url(QueueName='from-task')['QueueUrl']\n"
                "sqs.send_message(QueueUrl=url, MessageBody=json.dumps({\n"
                "  'container': container['Name'], 'task': task['TaskARN'],\n"
                "  'family': task['Family'], 'ip': os.environ['AWSEMU_TASK_IP'],\n"
                "  'ips': container['Networks'][0]['IPv4Addresses'],\n"
                "  'region': os.environ['AWS_REGION'], 'env': os.environ['AWS_EXECUTION_ENV'],\n"
                "  'greeting': os.environ['GREETING'], 'port': os.environ.get('PORT'),\n"
                "  'zone': task['AvailabilityZone']}))\n")
        python = os.path.realpath(os.sys.executable)
        definition = self.register(
            "sdk", [self.container("worker", "", command=[python, program],
                                   environment=[{"name": "GREETING", "value": "hello"}],
                                   portMappings=[{"containerPort": 8080}])],
            taskRoleArn="arn:aws:iam::000000000000:role/worker")
        task = self.run_task(definition["taskDefinitionArn"])[0]
        stopped = self.wait_task(task["taskArn"], "STOPPED", timeout=60)
        self.assertEqual(stopped["containers"][0]["exitCode"], 0, stopped)
        messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1)["Messages"]
        body = json.loads(messages[0]["Body"])
        self.assertEqual(body["container"], "worker")
        self.assertEqual(body["task"], task["taskArn"])
        self.assertEqual(body["family"], "sdk")
        self.assertEqual(body["ips"], [body["ip"]])
        self.assertEqual(body["ip"], self.private_ip(stopped))
        self.assertEqual(body["region"], "us-east-1")
        self.assertEqual(body["env"], "AWS_ECS_FARGATE")
        self.assertEqual(body["greeting"], "hello")
        self.assertEqual(body["port"], "8080")
        self.assertEqual(body["zone"], stopped["availabilityZone"])

    def test_the_credentials_endpoint_serves_the_task_role(self):
        definition = self.register(
            "creds", [self.container("main", "exec sleep 600")],
            taskRoleArn="arn:aws:iam::000000000000:role/app")
        task = self.run_task(definition["taskDefinitionArn"])[0]
        self.wait_task(task["taskArn"], "RUNNING")
        task_id = task["taskArn"].split("/")[-1]
        status, _, body = self.server.http(
            "GET", f"/_awsemu/ecs/credentials/000000000000/us-east-1/{task_id}")
        self.assertEqual(status, 200)
        credentials = json.loads(body)
        self.assertEqual(credentials["RoleArn"], "arn:aws:iam::000000000000:role/app")
        self.assertTrue(credentials["AccessKeyId"].startswith("ASIA"))
        self.assertEqual(len(credentials["SecretAccessKey"]), 40)
        status, _, _ = self.server.http(
            "GET", "/_awsemu/ecs/credentials/000000000000/us-east-1/0123456789abcdef")
        self.assertEqual(status, 404)


class StrictAuthTaskTest(EcsWorkloadTestCase):
    server_auth = "strict"

    def test_a_task_signs_with_its_role_credentials_under_strict_auth(self):
        sqs = self.server.client("sqs")
        queue_url = sqs.create_queue(QueueName="strict")["QueueUrl"]
        program = os.path.join(self.scratch, "whoami.py")
        with open(program, "w") as f:
            f.write("import boto3\n"
                    "arn = boto3.client('sts').get_caller_identity()['Arn']\n"
                    "sqs = boto3.client('sqs')\n"
                    "sqs.send_message(QueueUrl=sqs.get_queue_url(QueueName='strict')['QueueUrl'],\n"
                    "                 MessageBody=arn)\n")
        definition = self.register(
            "strict", [self.container("main", "", command=[os.path.realpath(os.sys.executable),
                                                           program])],
            taskRoleArn="arn:aws:iam::000000000000:role/reader")
        task = self.run_task(definition["taskDefinitionArn"])[0]
        stopped = self.wait_task(task["taskArn"], "STOPPED", timeout=60)
        self.assertEqual(stopped["containers"][0]["exitCode"], 0, stopped)
        body = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1)["Messages"][0]["Body"]
        self.assertEqual(body, "arn:aws:sts::000000000000:assumed-role/reader/"
                         + task["taskArn"].split("/")[-1])


class TaskBadRequestTest(EcsWorkloadTestCase):

    def test_run_task_errors_are_awss(self):
        definition = self.register("bad", [self.container("main", "true")])
        arn = definition["taskDefinitionArn"]
        self.failed_response("ClientException", 400, self.ecs.run_task, cluster=CLUSTER,
                             taskDefinition="no-such-family", message="TaskDefinition not found.")
        self.failed_response("InvalidParameterException", 400, self.ecs.run_task,
                             cluster=CLUSTER, taskDefinition=arn, launchType="FARGATE",
                             message="Network Configuration must be provided when networkMode "
                                     "'awsvpc' is specified.")
        response = self.failed_response("InvalidParameterException", 400, self.ecs.run_task,
                                        cluster=CLUSTER, taskDefinition=arn,
                                        networkConfiguration=self.network(["subnet-0123456789"]))
        self.assertIn("The subnet ID 'subnet-0123456789' does not exist",
                      response["Error"]["Message"])
        self.failed_response("InvalidParameterException", 400, self.ecs.run_task,
                             cluster=CLUSTER, taskDefinition=arn, count=11,
                             networkConfiguration=self.network())
        self.failed_response("ClusterNotFoundException", 400, self.ecs.run_task,
                             cluster="nowhere", taskDefinition=arn,
                             networkConfiguration=self.network())
        self.failed_response("InvalidParameterException", 400, self.ecs.run_task,
                             cluster=CLUSTER, taskDefinition=arn,
                             networkConfiguration=self.network(), overrides={
                                 "containerOverrides": [{"name": "ghost", "command": ["x"]}]})
        self.failed_response("InvalidParameterException", 400, self.ecs.stop_task,
                             cluster=CLUSTER, task="0123456789abcdef0123456789abcdef",
                             message="The referenced task was not found.")
        self.failed_response("InvalidParameterException", 400, self.ecs.describe_tasks,
                             cluster=CLUSTER, tasks=[])
        self.ecs.deregister_task_definition(taskDefinition=arn)
        self.failed_response("ClientException", 400, self.ecs.run_task, cluster=CLUSTER,
                             taskDefinition=arn, networkConfiguration=self.network())
        # Nothing was started by any of them.
        self.assertEqual(self.ecs.list_tasks(cluster=CLUSTER)["taskArns"], [])


class TaskRestartTest(unittest.TestCase):
    """A standalone task does not survive awsemu: after a restart it is reported stopped."""

    def test_running_tasks_are_reported_stopped_after_kill_and_restart(self):
        with AwsemuServer() as server:
            ecs = server.client("ecs")
            ec2 = server.client("ec2")
            ecs.create_cluster(clusterName=CLUSTER)
            subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
            scratch = server.state_dir
            definition = ecs.register_task_definition(
                family="long", networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
                cpu="256", memory="512", containerDefinitions=[{
                    "name": "main", "image": "awsemu/host",
                    "command": shell(f"echo $$ > {scratch}/pid; exec sleep 600")}])
            task = ecs.run_task(cluster=CLUSTER, taskDefinition="long", launchType="FARGATE",
                                networkConfiguration={"awsvpcConfiguration": {
                                    "subnets": [subnet]}})["tasks"][0]
            pid_path = os.path.join(scratch, "pid")
            pid = int(wait_until(lambda: os.path.exists(pid_path) and read_text(pid_path).strip(),
                                 message="the task's pid"))
            server.kill()
            # The container dies with awsemu.
            wait_until(lambda: not os.path.exists(f"/proc/{pid}") or
                       read_text(f"/proc/{pid}/stat").split()[2] == "Z",
                       message="the task's process to die with awsemu")
            server.start()
            described = server.client("ecs").describe_tasks(
                cluster=CLUSTER, tasks=[task["taskArn"]])["tasks"][0]
            self.assertEqual(described["lastStatus"], "STOPPED")
            self.assertEqual(described["stopCode"], "TerminationNotice")
            self.assertIn("awsemu restarted", described["stoppedReason"])
            self.assertEqual(definition["taskDefinition"]["revision"], 1)
            self.assertEqual(server.client("ecs").describe_task_definition(
                taskDefinition="long")["taskDefinition"]["revision"], 1)


class ImageMapTest(EcsWorkloadTestCase):
    image_map = None

    @classmethod
    def setUpClass(cls):
        import tempfile as _tempfile
        handle, cls.image_map = _tempfile.mkstemp(suffix=".json", prefix="awsemu-images-")
        with os.fdopen(handle, "w") as f:
            json.dump({"registry.local/greeter:*": {
                "entryPoint": ["/bin/sh", "-c"], "command": ["echo image-default"],
                "workingDirectory": "/tmp"}}, f)
        cls.server_args = ("--time-scale", "0.1", "--image-map", cls.image_map)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        os.remove(cls.image_map)

    def test_a_mapped_image_runs_its_entry_point_with_the_container_command(self):
        log = {"logDriver": "awslogs", "options": {
            "awslogs-group": "/greeter", "awslogs-region": "us-east-1",
            "awslogs-stream-prefix": "g", "awslogs-create-group": "true"}}
        definition = self.register("greeter", [
            {"name": "default", "image": "registry.local/greeter:v1", "logConfiguration": log,
             "essential": False},
            # After "default" has ended: the essential container's exit stops the task, which
            # would otherwise kill "default" before it may have written.
            {"name": "custom", "image": "registry.local/greeter:v2", "logConfiguration": log,
             "command": ["echo custom from $(pwd)"],
             "dependsOn": [{"containerName": "default", "condition": "SUCCESS"}]}])
        task = self.run_task(definition["taskDefinitionArn"])[0]
        stopped = self.wait_task(task["taskArn"], "STOPPED")
        task_id = task["taskArn"].split("/")[-1]

        def lines(container):
            return [e["message"] for e in self.logs.get_log_events(
                logGroupName="/greeter", logStreamName=f"g/{container}/{task_id}",
                startFromHead=True)["events"]]
        self.assertEqual(lines("default"), ["image-default"])
        self.assertEqual(lines("custom"), ["custom from /tmp"])
        self.assertEqual({c["name"]: c["exitCode"] for c in stopped["containers"]},
                         {"default": 0, "custom": 0})

    def test_an_unreadable_image_map_stops_awsemu_with_a_clear_message(self):
        broken = os.path.join(self.scratch, "broken.json")
        with open(broken, "w") as f:
            f.write('{"x": {"entryPoint": "not-a-list"}}')
        server = AwsemuServer("--image-map", broken)
        with self.assertRaises(AssertionError) as context:
            server.start()
        server.cleanup()
        self.assertIn("entryPoint must be an array of strings", str(context.exception))


if __name__ == "__main__":
    unittest.main()
