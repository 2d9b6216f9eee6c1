"""ELBv2's data plane: every listener is a real reverse proxy on a local port (listed in
/_awsemu/status and by `awsemu status`), target groups run real health checks, and requests
reach healthy targets only, with AWS's headers, rules, fail-open, draining and 502/503/504.
Targets are HTTP servers this test starts; awsemu runs ten times faster (--time-scale 0.1), so
a 5 s health-check interval lasts half a second."""

import hashlib
import json
import socket
import ssl
import subprocess
import threading
import urllib.error
import urllib.request

from alb_targets import EchoUpgradeTarget, Target, free_port
from elbv2_test import Elbv2TestCase
from harness import BINARY, wait_until


def fetch(url, method="GET", body=None, headers=None, timeout=10):
    """(status, headers, body) for any status."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    context = ssl._create_unverified_context() if url.startswith("https") else None
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class DataPlaneTestCase(Elbv2TestCase):
    server_args = ("--time-scale", "0.1")

    def setUp(self):
        super().setUp()
        self.targets = []

    def tearDown(self):
        self.server.reset()  # closes the listeners before the targets go
        for target in self.targets:
            target.close()
        super().tearDown()

    def start_target(self, name, host="127.0.0.1"):
        target = Target(name, host)
        self.targets.append(target)
        return target

    def group(self, name="api", **kwargs):
        kwargs.setdefault("HealthCheckIntervalSeconds", 5)
        kwargs.setdefault("HealthCheckTimeoutSeconds", 2)
        kwargs.setdefault("HealthyThresholdCount", 2)
        kwargs.setdefault("UnhealthyThresholdCount", 2)
        kwargs.setdefault("HealthCheckPath", "/health")
        return self.target_group(name, **kwargs)["TargetGroupArn"]

    def register(self, group_arn, *targets):
        self.elb.register_targets(TargetGroupArn=group_arn, Targets=[
            {"Id": "127.0.0.1", "Port": t} if isinstance(t, int) else {"Id": t.host, "Port": t.port}
            for t in targets])

    def url_of(self, listener_arn):
        status, _, body = self.server.http("GET", "/_awsemu/status")
        self.assertEqual(status, 200)
        for lb in json.loads(body)["load_balancers"]:
            for listener in lb["listeners"]:
                if listener["arn"] == listener_arn:
                    return listener["url"]
        return None

    def serve(self, group_arn, lb_name="web", protocol="HTTP", port=80, **listener_args):
        """A load balancer with one listener forwarding to the group; answers its local URL."""
        lb = self.load_balancer(lb_name)
        self.lb_arn = lb["LoadBalancerArn"]
        listener_args.setdefault("DefaultActions", self.forward(group_arn))
        listener = self.elb.create_listener(LoadBalancerArn=self.lb_arn, Protocol=protocol,
                                            Port=port, **listener_args)["Listeners"][0]
        self.listener_arn = listener["ListenerArn"]
        return wait_until(lambda: self.url_of(self.listener_arn), message="the listener's URL")

    def states(self, group_arn):
        return {d["Target"]["Port"]: (d["TargetHealth"]["State"],
                                      d["TargetHealth"].get("Reason"))
                for d in self.elb.describe_target_health(
                    TargetGroupArn=group_arn)["TargetHealthDescriptions"]}

    def wait_state(self, group_arn, port, state, timeout=15):
        wait_until(lambda: self.states(group_arn).get(port, (None,))[0] == state,
                   timeout=timeout, interval=0.1, message=f"target {port} {state}")

    def wait_healthy(self, group_arn, *targets):
        for target in targets:
            self.wait_state(group_arn, target.port, "healthy")


class ProxyTest(DataPlaneTestCase):

    def test_listener_url_in_status_and_forwarding_with_aws_headers(self):
        app = self.start_target("app")
        group = self.group()
        self.register(group, app)
        url = self.serve(group)
        self.assertRegex(url, r"^http://127\.0\.0\.1:\d+$")
        self.wait_healthy(group, app)

        status, headers, body = fetch(url + "/hello?x=1")
        self.assertEqual((status, body), (200, b"app /hello?x=1"))

        status, _, body = fetch(url + "/headers", headers={"X-Forwarded-For": "203.0.113.9"})
        self.assertEqual(status, 200)
        seen = {k.lower(): v for k, v in json.loads(body).items()}
        self.assertEqual(seen["x-forwarded-for"], "203.0.113.9, 127.0.0.1")
        self.assertEqual(seen["x-forwarded-proto"], "http")
        self.assertEqual(seen["x-forwarded-port"], "80")
        self.assertRegex(seen["x-amzn-trace-id"], r"^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$")

        # `awsemu status` prints the same for people.
        printed = subprocess.run([BINARY, "status", "--endpoint", self.server.endpoint],
                                 capture_output=True, text=True, timeout=10)
        self.assertEqual(printed.returncode, 0, printed.stderr)
        self.assertIn("load balancer web (", printed.stdout)
        self.assertIn(f"HTTP 80 -> {url}", printed.stdout)

    def test_status_command_without_a_server_says_what_to_do(self):
        printed = subprocess.run([BINARY, "status", "--endpoint", f"http://127.0.0.1:{free_port()}"],
                                 capture_output=True, text=True, timeout=10)
        self.assertEqual(printed.returncode, 1)
        self.assertIn("start one with `awsemu up`", printed.stderr)

    def test_bodies_stream_both_ways(self):
        app = self.start_target("app")
        group = self.group()
        self.register(group, app)
        url = self.serve(group)
        self.wait_healthy(group, app)
        payload = bytes(range(256)) * 20000  # 5 MB
        status, _, body = fetch(url + "/upload", method="POST", body=payload)
        self.assertEqual(status, 200)
        self.assertEqual(hashlib.sha256(body).hexdigest(), hashlib.sha256(payload).hexdigest())

    def test_websocket_upgrades_pass_through(self):
        echo = EchoUpgradeTarget()
        self.targets.append(echo)
        group = self.group(HealthCheckPath="/")
        self.register(group, echo)
        url = self.serve(group)
        self.wait_state(group, echo.port, "healthy")
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
            client.sendall(b"GET /chat HTTP/1.1\r\nHost: app.example.com\r\n"
                           b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           b"Sec-WebSocket-Version: 13\r\n\r\n")
            head = b""
            while b"\r\n\r\n" not in head:
                head += client.recv(4096)
            self.assertTrue(head.startswith(b"HTTP/1.1 101"), head)
            for message in (b"\x81\x05hello", b"\x81\x05world" * 1000):
                client.sendall(message)
                echoed = b""
                while len(echoed) < len(message):
                    echoed += client.recv(65536)
                self.assertEqual(echoed, message)

    def test_https_listener_terminates_tls(self):
        app = self.start_target("app")
        group = self.group()
        self.register(group, app)
        url = self.serve(group, protocol="HTTPS", port=443, Certificates=[
            {"CertificateArn": "arn:aws:acm:us-east-1:000000000000:certificate/abc"}])
        self.assertTrue(url.startswith("https://127.0.0.1:"))
        self.wait_healthy(group, app)
        status, _, body = fetch(url + "/headers")
        self.assertEqual(status, 200)
        seen = {k.lower(): v for k, v in json.loads(body).items()}
        self.assertEqual(seen["x-forwarded-proto"], "https")
        self.assertEqual(seen["x-forwarded-port"], "443")


class HealthTest(DataPlaneTestCase):

    def test_a_failing_target_goes_unhealthy_and_stops_getting_traffic(self):
        good, bad = self.start_target("good"), self.start_target("bad")
        group = self.group()
        self.register(group, good, bad)
        url = self.serve(group)
        self.wait_healthy(group, good, bad)
        for _ in range(10):
            fetch(url + "/")
        self.assertGreater(bad.served, 0)
        self.assertGreater(good.served, 0)

        bad.health_status = 500
        self.wait_state(group, bad.port, "unhealthy")
        self.assertEqual(self.states(group)[bad.port][1], "Target.ResponseCodeMismatch")
        description = [d for d in self.elb.describe_target_health(TargetGroupArn=group)[
            "TargetHealthDescriptions"] if d["Target"]["Port"] == bad.port][0]
        self.assertEqual(description["TargetHealth"]["Description"],
                         "Health checks failed with these codes: [500]")
        served_before = bad.served
        answers = [fetch(url + "/")[2] for _ in range(20)]
        self.assertEqual(answers, [b"good /"] * 20)
        self.assertEqual(bad.served, served_before)

        bad.health_status = 200  # two passes make it healthy again
        self.wait_state(group, bad.port, "healthy")
        answers = {fetch(url + "/")[2] for _ in range(10)}
        self.assertEqual(answers, {b"good /", b"bad /"})

    def test_when_no_target_is_healthy_the_load_balancer_fails_open(self):
        one, two = self.start_target("one"), self.start_target("two")
        group = self.group()
        self.register(group, one, two)
        url = self.serve(group)
        one.health_status = two.health_status = 503
        self.wait_state(group, one.port, "unhealthy")
        self.wait_state(group, two.port, "unhealthy")
        answers = {fetch(url + "/")[2] for _ in range(10)}
        self.assertEqual(answers, {b"one /", b"two /"})

    def test_matcher_ranges_and_timeouts(self):
        app = self.start_target("app")
        app.health_status = 204
        group = self.group(Matcher={"HttpCode": "200-299"})
        self.register(group, app)
        self.serve(group)
        self.wait_state(group, app.port, "healthy")
        silent = free_port()
        self.register(group, silent)
        self.wait_state(group, silent, "unhealthy")
        self.assertEqual(self.states(group)[silent][1], "Target.FailedHealthChecks")

    def test_draining_lets_an_in_flight_request_finish(self):
        app = self.start_target("app")
        group = self.group()
        self.register(group, app)
        url = self.serve(group)
        self.wait_healthy(group, app)
        result = {}
        slow = threading.Thread(target=lambda: result.update(answer=fetch(url + "/slow?s=2")))
        slow.start()
        wait_until(lambda: app.served >= 1, message="the slow request reached the target")
        self.elb.deregister_targets(TargetGroupArn=group,
                                    Targets=[{"Id": "127.0.0.1", "Port": app.port}])
        self.assertEqual(self.states(group)[app.port],
                         ("draining", "Target.DeregistrationInProgress"))
        # Nothing new goes to a draining target; the group has no other.
        status, _, _ = fetch(url + "/")
        self.assertEqual(status, 503)
        slow.join(10)
        self.assertEqual(result["answer"][0], 200)
        self.assertEqual(result["answer"][2], b"app /slow?s=2")


class ZoneTest(DataPlaneTestCase):

    def test_a_target_in_a_zone_the_load_balancer_is_not_in_gets_no_traffic(self):
        # The third zone's subnet, as an ECS task there would have it: 172.31.32.0/20 becomes
        # 127.31.32.x on loopback.
        third = self.subnets[2]
        network = third["CidrBlock"].split("/")[0].split(".")
        app = self.start_target("app", f"127.{network[1]}.{network[2]}.10")
        group = self.group()
        self.register(group, app)
        url = self.serve(group)  # in the first two zones
        self.assertEqual(self.states(group)[app.port], ("unused", "Target.NotInUse"))
        self.assertEqual(fetch(url + "/")[0], 503)
        self.assertEqual(app.health_checks, 0)

        self.elb.set_subnets(LoadBalancerArn=self.lb_arn,
                             Subnets=[s["SubnetId"] for s in self.subnets[:3]])
        self.wait_healthy(group, app)
        status, _, body = fetch(url + "/")
        self.assertEqual((status, body), (200, b"app /"))


class FailureAnswersTest(DataPlaneTestCase):

    def test_503_when_the_group_has_no_targets(self):
        url = self.serve(self.group())
        status, headers, body = fetch(url + "/")
        self.assertEqual(status, 503)
        self.assertEqual(headers.get("Server"), "awselb/2.0")
        self.assertIn(b"<title>503 Service Temporarily Unavailable</title>", body)

    def test_502_when_the_target_refuses_or_answers_garbage(self):
        group = self.group()
        self.register(group, free_port())
        url = self.serve(group)
        status, headers, body = fetch(url + "/")
        self.assertEqual(status, 502)
        self.assertIn(b"<title>502 Bad Gateway</title>", body)

        self.elb.deregister_targets(TargetGroupArn=group, Targets=[
            {"Id": "127.0.0.1", "Port": t["Target"]["Port"]} for t in
            self.elb.describe_target_health(TargetGroupArn=group)["TargetHealthDescriptions"]])
        app = self.start_target("app")
        self.register(group, app)
        wait_until(lambda: fetch(url + "/")[0] == 200, message="the new target serves")
        status, _, body = fetch(url + "/garbage")
        self.assertEqual(status, 502)

    def test_504_when_the_target_does_not_answer_within_the_idle_timeout(self):
        app = self.start_target("app")
        group = self.group()
        self.register(group, app)
        url = self.serve(group)
        self.elb.modify_load_balancer_attributes(LoadBalancerArn=self.lb_arn, Attributes=[
            {"Key": "idle_timeout.timeout_seconds", "Value": "1"}])
        self.wait_healthy(group, app)
        status, headers, body = fetch(url + "/hang")
        self.assertEqual(status, 504)
        self.assertIn(b"<title>504 Gateway Time-out</title>", body)
        self.assertEqual(fetch(url + "/after")[0], 200)


class RulesTest(DataPlaneTestCase):

    def test_path_and_host_rules_redirects_and_fixed_responses(self):
        web, api = self.start_target("web"), self.start_target("api")
        web_group = self.group("web-tg")
        api_group = self.group("api-tg")
        self.register(web_group, web)
        self.register(api_group, api)
        url = self.serve(web_group)
        self.elb.create_rule(ListenerArn=self.listener_arn, Priority=10, Conditions=[
            {"Field": "path-pattern", "Values": ["/api/*"]}], Actions=self.forward(api_group))
        self.elb.create_rule(ListenerArn=self.listener_arn, Priority=5, Conditions=[
            {"Field": "host-header", "Values": ["admin.*"]}], Actions=[
            {"Type": "fixed-response", "FixedResponseConfig": {
                "StatusCode": "403", "ContentType": "text/plain", "MessageBody": "no admins"}}])
        self.elb.create_rule(ListenerArn=self.listener_arn, Priority=20, Conditions=[
            {"Field": "path-pattern", "Values": ["/old/*"]}], Actions=[
            {"Type": "redirect", "RedirectConfig": {
                "Protocol": "HTTPS", "Port": "443", "Path": "/new/#{path}",
                "StatusCode": "HTTP_301"}}])
        self.wait_healthy(web_group, web)
        self.wait_healthy(api_group, api)

        self.assertEqual(fetch(url + "/api/items")[2], b"api /api/items")
        self.assertEqual(fetch(url + "/index.html")[2], b"web /index.html")
        status, _, body = fetch(url + "/api/x", headers={"Host": "admin.example.com"})
        self.assertEqual((status, body), (403, b"no admins"))

        opener = urllib.request.build_opener(NoRedirects)
        try:
            opener.open(urllib.request.Request(url + "/old/page?q=1",
                                               headers={"Host": "shop.example.com"}), timeout=10)
            self.fail("no redirect")
        except urllib.error.HTTPError as error:
            self.assertEqual(error.code, 301)
            self.assertEqual(error.headers["Location"], "https://shop.example.com/new/old/page?q=1")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class RestartTest(DataPlaneTestCase):

    def test_listeners_come_back_on_their_port_after_a_restart(self):
        app = self.start_target("app")
        group = self.group()
        self.register(group, app)
        url = self.serve(group)
        self.wait_healthy(group, app)
        self.server.restart()
        self.assertEqual(wait_until(lambda: self.url_of(self.listener_arn),
                                    message="the listener after the restart"), url)
        wait_until(lambda: fetch(url + "/")[0] == 200, timeout=15,
                   message="traffic after the restart")


del Elbv2TestCase  # only its subclasses here run
