"""`awsemu up`: the default demo stack (fixtures/web-demo) comes up and works end to end through
real clients: the ALB's listeners route /api/* and /* to two ECS services spread over two
zones, the API keeps visits in the Multi-AZ PostgreSQL whose credentials RDS keeps in Secrets
Manager and announces them on SNS, which feeds SQS. Run again on the same state directory it
makes no call twice and the data is still there. A stack that fails stops awsemu with exit
status 1 and says which step failed and why."""

import json
import os
import re
import shutil
import ssl
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.request

from harness import BINARY, AwsemuServer, awsemu_only, wait_until
from rds_base import PSQL

READY = "stack web-demo ready in"


def fetch(url, method="GET"):
    context = ssl._create_unverified_context()  # the HTTPS listener's certificate is self-signed
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=15, context=context) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for_stack(server, starts=1):
    """Until the demo stack is ready for the `starts`-th time in the server's log; answers the
    log. Fails at once, with the log, when the server exits."""
    wait_until(lambda: server.log().count(READY) >= starts or server.process.poll() is not None,
               timeout=180, interval=0.2, message="the demo stack ready")
    if server.process.poll() is not None:
        raise AssertionError(f"awsemu exited with {server.process.returncode}:\n{server.log()}")
    return server.log()


def output(log, name):
    """The value of one of the stack's outputs, as `up` printed it."""
    match = re.findall(r"  " + re.escape(name) + r": (\S+)", log)
    if not match:
        raise AssertionError(f"no output {name!r} in:\n{log}")
    return match[-1]


@awsemu_only("starts awsemu with `up`")
@unittest.skipUnless(os.path.exists(PSQL), "PostgreSQL is not installed")
class DemoStackTest(unittest.TestCase):

    def setUp(self):
        self.state_dir = tempfile.mkdtemp(prefix="awsemu-up-")
        self.server = AwsemuServer(state_dir=self.state_dir, command="up")

    def tearDown(self):
        self.server.cleanup()
        shutil.rmtree(self.state_dir, ignore_errors=True)

    def start_and_wait_ready(self):
        self.server.start()
        self.starts += 1
        return wait_for_stack(self.server, self.starts)

    def test_the_demo_stack_serves_through_the_load_balancer_and_comes_back_after_a_restart(self):
        self.starts = 0
        log = self.start_and_wait_ready()
        web = output(log, "Web (ALB, HTTP)")
        web_tls = output(log, "Web (ALB, HTTPS, self-signed)")
        self.assertTrue(web_tls.startswith("https://127.0.0.1:"), web_tls)

        # /* goes to the web service, /api/* to the API; both over HTTP and HTTPS.
        for base in (web, web_tls):
            status, page = fetch(base)
            self.assertEqual(status, 200)
            self.assertIn("<h1>awsemu web demo</h1>", page)
            self.assertRegex(page, r"task 127\.0\.1[01]\.\d+ in us-east-1[ab]")
        zones = set()
        for _ in range(12):
            status, body = fetch(web + "api/info")
            self.assertEqual(status, 200, body)
            info = json.loads(body)
            self.assertEqual(info["service"], "api")
            zones.add(info["availability_zone"])
        self.assertEqual(zones, {"us-east-1a", "us-east-1b"})  # two tasks, one per zone
        self.assertEqual(fetch(web + "api/nothing")[0], 404)

        # Visits go to PostgreSQL (the table the migration task made) and out through SNS.
        counts = [json.loads(fetch(web + "api/visits", "POST")[1])["visits"] for _ in range(3)]
        self.assertEqual(counts, [1, 2, 3])
        self.assertEqual(json.loads(fetch(web_tls + "api/visits")[1]), {"visits": 3})
        sqs = self.server.client("sqs")
        queue = sqs.get_queue_url(QueueName="web-demo-events")["QueueUrl"]
        bodies = []
        wait_until(lambda: bodies.extend(m["Body"] for m in sqs.receive_message(
            QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []))
            or len(bodies) >= 3, timeout=20, message="three visit events in the queue")
        self.assertEqual(sorted(json.loads(b)["visits"] for b in bodies), [1, 2, 3])
        attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["RedrivePolicy"])
        self.assertIn("web-demo-events-dlq", attributes["Attributes"]["RedrivePolicy"])

        # What the stack made, as the AWS APIs tell it.
        ecs = self.server.client("ecs")
        services = ecs.describe_services(cluster="web-demo",
                                         services=["web-demo-api", "web-demo-web"])["services"]
        self.assertEqual([(s["runningCount"], s["desiredCount"]) for s in services],
                         [(2, 2), (2, 2)])
        tasks = ecs.describe_tasks(cluster="web-demo", tasks=ecs.list_tasks(
            cluster="web-demo", serviceName="web-demo-web")["taskArns"])["tasks"]
        self.assertEqual(sorted(t["availabilityZone"] for t in tasks), ["us-east-1a", "us-east-1b"])
        migrations = ecs.list_tasks(cluster="web-demo", family="web-demo-migrate",
                                    desiredStatus="STOPPED")["taskArns"]
        self.assertEqual(len(migrations), 1)
        db = self.server.client("rds").describe_db_instances(
            DBInstanceIdentifier="web-demo")["DBInstances"][0]
        self.assertEqual((db["DBInstanceStatus"], db["MultiAZ"]), ("available", True))
        self.assertIn(f"postgres://127.0.0.1:{db['Endpoint']['Port']}/app",
                      self.server.log())
        secrets = self.server.client("secretsmanager")
        credentials = json.loads(secrets.get_secret_value(
            SecretId=db["MasterUserSecret"]["SecretArn"])["SecretString"])
        self.assertEqual(credentials["username"], "app")
        self.assertEqual(len(json.loads(secrets.get_secret_value(
            SecretId="web-demo/app")["SecretString"])["session_key"]), 32)
        s3 = self.server.client("s3")
        self.assertEqual(s3.get_bucket_versioning(Bucket="web-demo-assets-000000000000")["Status"],
                         "Enabled")
        streams = self.server.client("logs").describe_log_streams(
            logGroupName="/ecs/web-demo")["logStreams"]
        prefixes = {s["logStreamName"].split("/")[0] for s in streams}
        self.assertEqual(prefixes, {"api", "web", "migrate"})

        # Again on the same state directory: nothing is made twice, the visits are still there.
        self.server.stop()
        log = self.start_and_wait_ready()
        self.assertIn("stack web-demo: 44 steps (40 done before, on this state directory)", log)
        web_again = output(log, "Web (ALB, HTTP)")
        self.assertEqual(web_again, web)  # listeners keep their local ports
        self.assertEqual(json.loads(fetch(web + "api/visits")[1]), {"visits": 3})
        # The restart listens on another port (--port 0): new clients.
        ecs, sqs = self.server.client("ecs"), self.server.client("sqs")
        self.assertEqual(len(ecs.list_clusters()["clusterArns"]), 1)
        self.assertEqual(len(sqs.list_queues()["QueueUrls"]), 2)
        self.assertIn(f"-> queue {self.server.endpoint}/000000000000/web-demo-events", log)

    def test_a_failing_step_stops_awsemu_and_says_which_and_why(self):
        stack = os.path.join(self.state_dir, "broken.json")
        with open(stack, "w") as f:
            json.dump({"name": "broken", "steps": [
                {"id": "ok", "call": "sqs:CreateQueue", "input": {"QueueName": "fine"}},
                {"id": "bad", "call": "sqs:CreateQueue", "input": {"QueueName": "no spaces"}},
                {"id": "never", "call": "sqs:CreateQueue", "input": {"QueueName": "never"}}]}, f)
        process = subprocess.run([BINARY, "up", "--stack", stack, "--port", "0",
                                  "--state-dir", self.state_dir],
                                 capture_output=True, text=True, timeout=30)
        self.assertEqual(process.returncode, 1)
        log = process.stdout
        self.assertIn("stack broken failed: bad (sqs:CreateQueue) failed: InvalidParameterValue: ",
                      log)
        self.assertIn("or run `awsemu up --no-stack` for the server alone", log)
        self.assertIn("done: ok (sqs:CreateQueue)", log)
        self.assertNotIn("done: never", log)

    def test_a_stack_file_that_is_not_valid_stops_before_serving(self):
        stack = os.path.join(self.state_dir, "invalid.json")
        with open(stack, "w") as f:
            f.write('{"name": "x", "steps": [{"id": "a", "call": "sqsCreateQueue"}]}')
        process = subprocess.run(
            [BINARY, "up", "--stack", stack, "--in-memory", "--port", "0"],
            capture_output=True, text=True, timeout=30)
        self.assertEqual(process.returncode, 1)
        self.assertIn(f"awsemu: {stack}: step 1 (a): \"sqsCreateQueue\" should read "
                      "service:Operation", process.stderr)


if __name__ == "__main__":
    unittest.main()
