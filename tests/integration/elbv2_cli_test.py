"""ELBv2 through the AWS CLI, v1 (python -m awscli) and v2 (Debian's /usr/bin/aws): an ALB with
an HTTP listener redirecting to HTTPS, a target group with targets, a path rule, and errors."""

import unittest

from harness import AwsemuTestCase


class CliMixin:
    """The same scenario for both CLI versions; subclasses set `version`."""

    version = 1

    def aws(self, *args, check=True):
        return self.server.cli("elbv2", *args, version=self.version, check=check)

    def expect_error(self, code, *args):
        result = self.aws(*args, check=False)
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn(f"({code})", result.stderr)
        return result.stderr

    def setUp(self):
        self.server.reset()

    def test_load_balancer_stack(self):
        subnets = self.server.cli("ec2", "describe-subnets", version=self.version)["Subnets"]
        subnets.sort(key=lambda s: s["AvailabilityZone"])
        vpc_id = subnets[0]["VpcId"]
        lb = self.aws("create-load-balancer", "--name", "cli", "--subnets",
                      subnets[0]["SubnetId"], subnets[1]["SubnetId"],
                      "--tags", "Key=env,Value=cli")["LoadBalancers"][0]
        lb_arn = lb["LoadBalancerArn"]
        self.assertEqual(lb["Scheme"], "internet-facing")
        tg = self.aws("create-target-group", "--name", "cli-tg", "--protocol", "HTTP",
                      "--port", "8080", "--vpc-id", vpc_id, "--target-type", "ip",
                      "--health-check-path", "/healthz", "--matcher",
                      "HttpCode=200-299")["TargetGroups"][0]
        tg_arn = tg["TargetGroupArn"]
        self.assertEqual(tg["HealthCheckPath"], "/healthz")
        self.assertEqual(tg["Matcher"], {"HttpCode": "200-299"})
        self.aws("register-targets", "--target-group-arn", tg_arn, "--targets",
                 "Id=172.31.0.5,Port=8080", "Id=172.31.16.5")
        redirect = self.aws(
            "create-listener", "--load-balancer-arn", lb_arn, "--protocol", "HTTP", "--port",
            "80", "--default-actions",
            "Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}"
        )["Listeners"][0]
        self.assertEqual(redirect["DefaultActions"][0]["RedirectConfig"]["Path"], "/#{path}")
        https = self.aws(
            "create-listener", "--load-balancer-arn", lb_arn, "--protocol", "HTTPS", "--port",
            "443", "--certificates",
            "CertificateArn=arn:aws:acm:us-east-1:000000000000:certificate/abc",
            "--default-actions", f"Type=forward,TargetGroupArn={tg_arn}")["Listeners"][0]
        self.assertEqual(https["SslPolicy"], "ELBSecurityPolicy-2016-08")
        rule = self.aws("create-rule", "--listener-arn", https["ListenerArn"], "--priority", "10",
                        "--conditions", "Field=path-pattern,Values=/api/*", "--actions",
                        f"Type=forward,TargetGroupArn={tg_arn}")["Rules"][0]
        self.assertEqual(rule["Priority"], "10")
        rules = self.aws("describe-rules", "--listener-arn", https["ListenerArn"])["Rules"]
        self.assertEqual([r["Priority"] for r in rules], ["10", "default"])
        health = self.aws("describe-target-health", "--target-group-arn",
                          tg_arn)["TargetHealthDescriptions"]
        self.assertEqual(sorted(h["Target"]["Id"] for h in health),
                         ["172.31.0.5", "172.31.16.5"])
        self.assertEqual(health[0]["TargetHealth"]["State"], "initial")
        attributes = self.aws("modify-target-group-attributes", "--target-group-arn", tg_arn,
                              "--attributes",
                              "Key=deregistration_delay.timeout_seconds,Value=30")["Attributes"]
        self.assertIn({"Key": "deregistration_delay.timeout_seconds", "Value": "30"}, attributes)
        groups = self.aws("describe-target-groups", "--load-balancer-arn", lb_arn)["TargetGroups"]
        self.assertEqual([g["TargetGroupArn"] for g in groups], [tg_arn])
        tags = self.aws("describe-tags", "--resource-arns", lb_arn)["TagDescriptions"]
        self.assertEqual(tags[0]["Tags"], [{"Key": "env", "Value": "cli"}])

        self.expect_error("ResourceInUse", "delete-target-group", "--target-group-arn", tg_arn)
        self.expect_error("PriorityInUse", "create-rule", "--listener-arn",
                          https["ListenerArn"], "--priority", "10", "--conditions",
                          "Field=path-pattern,Values=/x", "--actions",
                          f"Type=forward,TargetGroupArn={tg_arn}")
        self.expect_error("ValidationError", "create-target-group", "--name", "bad",
                          "--protocol", "HTTP", "--port", "80", "--vpc-id", vpc_id,
                          "--health-check-interval-seconds", "5",
                          "--health-check-timeout-seconds", "6")

        self.aws("delete-load-balancer", "--load-balancer-arn", lb_arn)
        self.aws("delete-target-group", "--target-group-arn", tg_arn)
        self.assertEqual(self.aws("describe-load-balancers")["LoadBalancers"], [])
        self.assertEqual(self.aws("describe-target-groups")["TargetGroups"], [])


class Elbv2CliV1Test(CliMixin, AwsemuTestCase):
    version = 1


class Elbv2CliV2Test(CliMixin, AwsemuTestCase):
    version = 2


if __name__ == "__main__":
    unittest.main()
