"""ELBv2 (application load balancers), the control plane, through boto3: load balancers with
their attributes, subnets and security groups, target groups and targets, listeners, rules,
certificates, tags, paging, and AWS's errors with their HTTP statuses."""

import time
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from harness import AwsemuTestCase, awsemu_only


class Elbv2TestCase(AwsemuTestCase):

    def setUp(self):
        self.server.reset()
        self.elb = self.server.client("elbv2")
        self.ec2 = self.server.client("ec2")
        subnets = self.ec2.describe_subnets(
            Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
        subnets.sort(key=lambda s: s["AvailabilityZone"])
        self.subnets = subnets
        self.vpc_id = subnets[0]["VpcId"]

    def load_balancer(self, name="web", **kwargs):
        kwargs.setdefault("Subnets", [self.subnets[0]["SubnetId"], self.subnets[1]["SubnetId"]])
        return self.elb.create_load_balancer(Name=name, **kwargs)["LoadBalancers"][0]

    def target_group(self, name="api", **kwargs):
        kwargs.setdefault("Protocol", "HTTP")
        kwargs.setdefault("Port", 8080)
        kwargs.setdefault("VpcId", self.vpc_id)
        kwargs.setdefault("TargetType", "ip")
        return self.elb.create_target_group(Name=name, **kwargs)["TargetGroups"][0]

    def forward(self, tg_arn):
        return [{"Type": "forward", "TargetGroupArn": tg_arn}]

    def listener(self, lb_arn, tg_arn, port=80):
        return self.elb.create_listener(LoadBalancerArn=lb_arn, Protocol="HTTP", Port=port,
                                        DefaultActions=self.forward(tg_arn))["Listeners"][0]


class LoadBalancerTest(Elbv2TestCase):

    def test_create_describe_and_become_active(self):
        lb = self.load_balancer(Tags=[{"Key": "env", "Value": "test"}])
        arn = lb["LoadBalancerArn"]
        self.assertRegex(arn, r"^arn:aws:elasticloadbalancing:us-east-1:000000000000:"
                              r"loadbalancer/app/web/[0-9a-f]{16}$")
        self.assertEqual(lb["Scheme"], "internet-facing")
        self.assertEqual(lb["Type"], "application")
        self.assertEqual(lb["IpAddressType"], "ipv4")
        self.assertEqual(lb["VpcId"], self.vpc_id)
        self.assertEqual(lb["CanonicalHostedZoneId"], "Z35SXDOTRQ7X7K")
        self.assertTrue(lb["DNSName"].startswith("web-"))
        self.assertTrue(lb["DNSName"].endswith(".us-east-1.elb.localhost"))
        self.assertEqual(lb["State"], {"Code": "provisioning"})
        self.assertEqual([z["ZoneName"] for z in lb["AvailabilityZones"]],
                         ["us-east-1a", "us-east-1b"])
        self.assertEqual(lb["AvailabilityZones"][0]["SubnetId"], self.subnets[0]["SubnetId"])
        default_group = self.ec2.describe_security_groups(Filters=[
            {"Name": "vpc-id", "Values": [self.vpc_id]},
            {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]["GroupId"]
        self.assertEqual(lb["SecurityGroups"], [default_group])
        self.assertIn("CreatedTime", lb)

        waiter = self.elb.get_waiter("load_balancer_available")
        waiter.wait(LoadBalancerArns=[arn], WaiterConfig={"Delay": 1, "MaxAttempts": 10})
        found = self.elb.describe_load_balancers(Names=["web"])["LoadBalancers"]
        self.assertEqual(found[0]["State"], {"Code": "active"})
        tags = self.elb.describe_tags(ResourceArns=[arn])["TagDescriptions"]
        self.assertEqual(tags, [{"ResourceArn": arn, "Tags": [{"Key": "env", "Value": "test"}]}])

    def test_internal_scheme_subnet_mappings_and_groups(self):
        group = self.ec2.create_security_group(GroupName="alb", Description="alb",
                                               VpcId=self.vpc_id)["GroupId"]
        lb = self.load_balancer(
            "inner", Subnets=[], Scheme="internal", SecurityGroups=[group],
            SubnetMappings=[{"SubnetId": s["SubnetId"]} for s in self.subnets[:3]])
        self.assertTrue(lb["DNSName"].startswith("internal-inner-"))
        self.assertEqual(len(lb["AvailabilityZones"]), 3)
        self.assertEqual(lb["SecurityGroups"], [group])
        arn = lb["LoadBalancerArn"]
        answer = self.elb.set_subnets(LoadBalancerArn=arn, Subnets=[
            self.subnets[3]["SubnetId"], self.subnets[4]["SubnetId"]])
        self.assertEqual([z["ZoneName"] for z in answer["AvailabilityZones"]],
                         ["us-east-1d", "us-east-1e"])
        self.assertEqual(self.elb.set_security_groups(
            LoadBalancerArn=arn, SecurityGroups=[group])["SecurityGroupIds"], [group])
        self.assertEqual(self.elb.set_ip_address_type(
            LoadBalancerArn=arn, IpAddressType="dualstack")["IpAddressType"], "dualstack")
        self.failed_response("InvalidConfigurationRequest", 400, self.elb.set_ip_address_type,
                             LoadBalancerArn=arn, IpAddressType="dualstack-without-public-ipv4")
        self.failed_response("InvalidSecurityGroup", 400, self.elb.set_security_groups,
                             LoadBalancerArn=arn, SecurityGroups=["sg-00000000000000000"])

    def test_attributes_defaults_modify_and_deletion_protection(self):
        arn = self.load_balancer()["LoadBalancerArn"]
        attributes = {a["Key"]: a["Value"] for a in self.elb.describe_load_balancer_attributes(
            LoadBalancerArn=arn)["Attributes"]}
        self.assertEqual(attributes["idle_timeout.timeout_seconds"], "60")
        self.assertEqual(attributes["deletion_protection.enabled"], "false")
        self.assertEqual(attributes["routing.http2.enabled"], "true")
        self.assertEqual(attributes["access_logs.s3.enabled"], "false")
        self.assertEqual(attributes["routing.http.drop_invalid_header_fields.enabled"], "false")
        changed = self.elb.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[
            {"Key": "idle_timeout.timeout_seconds", "Value": "120"},
            {"Key": "deletion_protection.enabled", "Value": "true"}])["Attributes"]
        changed = {a["Key"]: a["Value"] for a in changed}
        self.assertEqual(changed["idle_timeout.timeout_seconds"], "120")
        self.assertEqual(changed["routing.http2.enabled"], "true")  # untouched
        self.failed_response("ValidationError", 400, self.elb.modify_load_balancer_attributes,
                             LoadBalancerArn=arn, Attributes=[
                                 {"Key": "idle_timeout.timeout_seconds", "Value": "0"}])
        self.failed_response("ValidationError", 400, self.elb.modify_load_balancer_attributes,
                             LoadBalancerArn=arn, Attributes=[{"Key": "nope", "Value": "1"}])
        self.failed_response("OperationNotPermitted", 400, self.elb.delete_load_balancer,
                             LoadBalancerArn=arn)
        self.elb.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[
            {"Key": "deletion_protection.enabled", "Value": "false"}])
        self.elb.delete_load_balancer(LoadBalancerArn=arn)
        self.elb.delete_load_balancer(LoadBalancerArn=arn)  # gone already: still fine
        self.assertEqual(self.elb.describe_load_balancers()["LoadBalancers"], [])

    def test_errors(self):
        self.load_balancer()
        self.failed_response("DuplicateLoadBalancerName", 400, self.load_balancer, "web",
                             Scheme="internal")
        self.failed_response("ValidationError", 400, self.load_balancer, "one",
                             Subnets=[self.subnets[0]["SubnetId"]])
        self.failed_response("SubnetNotFound", 400, self.load_balancer, "two",
                             Subnets=["subnet-00000000000000000", self.subnets[0]["SubnetId"]])
        self.failed_response("ValidationError", 400, self.load_balancer, "bad_name")
        self.failed_response("LoadBalancerNotFound", 400, self.elb.describe_load_balancers,
                             Names=["missing"])
        self.failed_response(
            "LoadBalancerNotFound", 400, self.elb.describe_load_balancers, LoadBalancerArns=[
                "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/x/"
                "0000000000000000"])

    def test_paging(self):
        for i in range(5):
            self.load_balancer(f"lb-{i}")
        page = self.elb.describe_load_balancers(PageSize=2)
        self.assertEqual(len(page["LoadBalancers"]), 2)
        self.assertIn("NextMarker", page)
        paginator = self.elb.get_paginator("describe_load_balancers")
        names = [lb["LoadBalancerName"] for p in paginator.paginate(PaginationConfig={
            "PageSize": 2}) for lb in p["LoadBalancers"]]
        self.assertEqual(names, [f"lb-{i}" for i in range(5)])
        self.failed_response("ValidationError", 400, self.elb.describe_load_balancers,
                             PageSize=401)


class TargetGroupTest(Elbv2TestCase):

    def test_defaults(self):
        tg = self.target_group()
        self.assertRegex(tg["TargetGroupArn"], r"^arn:aws:elasticloadbalancing:us-east-1:"
                                               r"000000000000:targetgroup/api/[0-9a-f]{16}$")
        expected = {
            "TargetGroupName": "api", "Protocol": "HTTP", "Port": 8080, "VpcId": self.vpc_id,
            "HealthCheckProtocol": "HTTP", "HealthCheckPort": "traffic-port",
            "HealthCheckEnabled": True, "HealthCheckIntervalSeconds": 30,
            "HealthCheckTimeoutSeconds": 5, "HealthyThresholdCount": 5,
            "UnhealthyThresholdCount": 2, "HealthCheckPath": "/",
            "Matcher": {"HttpCode": "200"}, "LoadBalancerArns": [], "TargetType": "ip",
            "ProtocolVersion": "HTTP1", "IpAddressType": "ipv4"}
        for key, value in expected.items():
            self.assertEqual(tg[key], value, key)
        attributes = {a["Key"]: a["Value"] for a in self.elb.describe_target_group_attributes(
            TargetGroupArn=tg["TargetGroupArn"])["Attributes"]}
        self.assertEqual(attributes["deregistration_delay.timeout_seconds"], "300")
        self.assertEqual(attributes["stickiness.enabled"], "false")
        self.assertEqual(attributes["stickiness.type"], "lb_cookie")
        self.assertEqual(attributes["slow_start.duration_seconds"], "0")
        self.assertEqual(attributes["load_balancing.algorithm.type"], "round_robin")

    def test_modify_health_check_and_attributes(self):
        arn = self.target_group(HealthCheckPath="/healthz", Matcher={"HttpCode": "200-299"},
                                HealthCheckIntervalSeconds=10,
                                HealthCheckTimeoutSeconds=3)["TargetGroupArn"]
        tg = self.elb.modify_target_group(TargetGroupArn=arn, HealthyThresholdCount=3,
                                          Matcher={"HttpCode": "200,204"})["TargetGroups"][0]
        self.assertEqual(tg["HealthCheckPath"], "/healthz")
        self.assertEqual(tg["HealthyThresholdCount"], 3)
        self.assertEqual(tg["HealthCheckIntervalSeconds"], 10)
        self.assertEqual(tg["Matcher"], {"HttpCode": "200,204"})
        attributes = self.elb.modify_target_group_attributes(TargetGroupArn=arn, Attributes=[
            {"Key": "deregistration_delay.timeout_seconds", "Value": "5"},
            {"Key": "stickiness.enabled", "Value": "true"}])["Attributes"]
        values = {a["Key"]: a["Value"] for a in attributes}
        self.assertEqual(values["deregistration_delay.timeout_seconds"], "5")
        self.assertEqual(values["stickiness.enabled"], "true")
        self.assertEqual(values["stickiness.type"], "lb_cookie")
        self.failed_response("ValidationError", 400, self.elb.modify_target_group_attributes,
                             TargetGroupArn=arn, Attributes=[
                                 {"Key": "slow_start.duration_seconds", "Value": "10"}])

    def test_invalid_health_checks(self):
        # Out-of-range numbers reach the server only past botocore's own checks.
        unchecked = boto3.client("elbv2", endpoint_url=self.server.endpoint,
                                 region_name="us-east-1", aws_access_key_id="test",
                                 aws_secret_access_key="test",
                                 config=Config(parameter_validation=False,
                                               retries={"max_attempts": 1}))
        bad = [dict(HealthCheckIntervalSeconds=4), dict(HealthCheckTimeoutSeconds=1),
               dict(HealthCheckIntervalSeconds=10, HealthCheckTimeoutSeconds=10),
               dict(HealthyThresholdCount=11), dict(UnhealthyThresholdCount=1),
               dict(HealthCheckPath="healthz"), dict(Matcher={"HttpCode": "600"}),
               dict(Matcher={"HttpCode": "200-"}), dict(HealthCheckPort="0")]
        for i, settings in enumerate(bad):
            with self.subTest(settings=settings):
                try:
                    unchecked.create_target_group(Name=f"bad-{i}", Protocol="HTTP", Port=80,
                                                  VpcId=self.vpc_id, **settings)
                    self.fail(f"{settings} accepted")
                except ClientError as error:
                    self.assertEqual(error.response["Error"]["Code"], "ValidationError")
                    self.assertEqual(error.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertEqual(self.elb.describe_target_groups()["TargetGroups"], [])

    def test_duplicates_lookup_and_paging(self):
        first = self.target_group()
        self.assertEqual(self.target_group()["TargetGroupArn"], first["TargetGroupArn"])
        self.failed_response("DuplicateTargetGroupName", 400, self.target_group, Port=9090)
        for i in range(4):
            self.target_group(f"tg-{i}")
        found = self.elb.describe_target_groups(Names=["tg-1", "api"])["TargetGroups"]
        self.assertEqual([t["TargetGroupName"] for t in found], ["tg-1", "api"])
        paginator = self.elb.get_paginator("describe_target_groups")
        names = [t["TargetGroupName"] for p in paginator.paginate(
            PaginationConfig={"PageSize": 2}) for t in p["TargetGroups"]]
        self.assertEqual(names, ["api", "tg-0", "tg-1", "tg-2", "tg-3"])
        self.failed_response("TargetGroupNotFound", 400, self.elb.describe_target_groups,
                             Names=["nope"])
        self.failed_response("ValidationError", 400, self.elb.create_target_group,
                             Name="novpc", Protocol="HTTP", Port=80)
        self.failed_response("ValidationError", 400, self.elb.create_target_group,
                             Name="fn", TargetType="lambda", Protocol="HTTP")
        lam = self.elb.create_target_group(Name="fn", TargetType="lambda")["TargetGroups"][0]
        self.assertEqual(lam["HealthCheckEnabled"], False)
        self.assertNotIn("Port", lam)


class TargetsTest(Elbv2TestCase):

    def test_registration_health_and_drain(self):
        lb = self.load_balancer()["LoadBalancerArn"]
        tg = self.target_group()["TargetGroupArn"]
        self.elb.modify_target_group_attributes(TargetGroupArn=tg, Attributes=[
            {"Key": "deregistration_delay.timeout_seconds", "Value": "1"}])
        self.elb.register_targets(TargetGroupArn=tg, Targets=[
            {"Id": "172.31.0.10"}, {"Id": "172.31.16.20", "Port": 9000}])
        health = self.elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]
        self.assertEqual([(h["Target"]["Id"], h["Target"]["Port"], h["HealthCheckPort"])
                          for h in health],
                         [("172.31.0.10", 8080, "8080"), ("172.31.16.20", 9000, "9000")])
        self.assertEqual(health[0]["TargetHealth"], {
            "State": "unused", "Reason": "Target.NotInUse",
            "Description": "Target group is not configured to receive traffic from the load "
                           "balancer"})
        self.listener(lb, tg)
        health = self.elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]
        self.assertEqual(health[0]["TargetHealth"]["State"], "initial")
        self.assertEqual(health[0]["TargetHealth"]["Reason"], "Elb.RegistrationInProgress")

        self.elb.deregister_targets(TargetGroupArn=tg, Targets=[{"Id": "172.31.0.10"}])
        one = self.elb.describe_target_health(TargetGroupArn=tg, Targets=[
            {"Id": "172.31.0.10"}])["TargetHealthDescriptions"]
        self.assertEqual(one[0]["TargetHealth"]["State"], "draining")
        self.assertEqual(one[0]["TargetHealth"]["Reason"], "Target.DeregistrationInProgress")
        time.sleep(1.2)
        left = self.elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]
        self.assertEqual([h["Target"]["Id"] for h in left], ["172.31.16.20"])
        gone = self.elb.describe_target_health(TargetGroupArn=tg, Targets=[
            {"Id": "172.31.0.10"}])["TargetHealthDescriptions"]
        self.assertEqual(gone[0]["TargetHealth"]["Reason"], "Target.NotRegistered")

    def test_invalid_targets(self):
        tg = self.target_group()["TargetGroupArn"]
        self.failed_response("InvalidTarget", 400, self.elb.register_targets, TargetGroupArn=tg,
                             Targets=[{"Id": "8.8.8.8"}])
        self.failed_response("InvalidTarget", 400, self.elb.register_targets, TargetGroupArn=tg,
                             Targets=[{"Id": "i-123"}])
        self.failed_response("InvalidTarget", 400, self.elb.deregister_targets,
                             TargetGroupArn=tg, Targets=[{"Id": "172.31.0.1"}])
        missing = tg.replace("/api/", "/nope/")
        self.failed_response("TargetGroupNotFound", 400, self.elb.register_targets,
                             TargetGroupArn=missing, Targets=[{"Id": "172.31.0.1"}],
                             message=f"Target groups '{missing}' not found")
        # Loopback addresses are where awsemu's tasks live.
        self.elb.register_targets(TargetGroupArn=tg, Targets=[{"Id": "127.31.0.5"}])
        instances = self.target_group("inst", TargetType="instance")["TargetGroupArn"]
        self.elb.register_targets(TargetGroupArn=instances,
                                  Targets=[{"Id": "i-0123456789abcdef0"}])


class ListenerAndRuleTest(Elbv2TestCase):

    def test_listener_forward_and_target_group_use(self):
        lb = self.load_balancer()["LoadBalancerArn"]
        tg = self.target_group()["TargetGroupArn"]
        listener = self.listener(lb, tg)
        self.assertEqual(listener["Port"], 80)
        self.assertEqual(listener["Protocol"], "HTTP")
        self.assertEqual(listener["DefaultActions"], [{
            "Type": "forward", "TargetGroupArn": tg,
            "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": tg, "Weight": 1}],
                              "TargetGroupStickinessConfig": {"Enabled": False}}}])
        self.assertRegex(listener["ListenerArn"], r":listener/app/web/[0-9a-f]{16}/[0-9a-f]{16}$")
        self.assertEqual(self.elb.describe_target_groups(TargetGroupArns=[tg])["TargetGroups"][0]
                         ["LoadBalancerArns"], [lb])
        self.assertEqual([t["TargetGroupArn"] for t in self.elb.describe_target_groups(
            LoadBalancerArn=lb)["TargetGroups"]], [tg])
        self.assertEqual(self.elb.describe_target_groups(LoadBalancerArn=lb, Names=["api"])
                         ["TargetGroups"][0]["TargetGroupArn"], tg)
        self.target_group("idle")
        self.assertEqual(self.elb.describe_target_groups(LoadBalancerArn=lb, Names=["idle"])
                         ["TargetGroups"], [])
        self.failed_response("ResourceInUse", 400, self.elb.delete_target_group,
                             TargetGroupArn=tg)
        # The same listener asked for again is answered as it is (CreateListener is
        # idempotent); other settings on its port are a duplicate.
        self.assertEqual(self.listener(lb, tg)["ListenerArn"], listener["ListenerArn"])
        self.failed_response("DuplicateListener", 400, self.elb.create_listener,
                             LoadBalancerArn=lb, Protocol="HTTP", Port=80,
                             DefaultActions=[{"Type": "fixed-response",
                                              "FixedResponseConfig": {"StatusCode": "404"}}])
        listeners = self.elb.describe_listeners(LoadBalancerArn=lb)["Listeners"]
        self.assertEqual([l["ListenerArn"] for l in listeners], [listener["ListenerArn"]])
        self.elb.delete_listener(ListenerArn=listener["ListenerArn"])
        self.failed_response("ListenerNotFound", 400, self.elb.describe_listeners,
                             ListenerArns=[listener["ListenerArn"]])
        self.elb.delete_target_group(TargetGroupArn=tg)

    def test_http_redirect_to_https_with_certificates(self):
        lb = self.load_balancer()["LoadBalancerArn"]
        tg = self.target_group()["TargetGroupArn"]
        redirect = self.elb.create_listener(
            LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=[{
                "Type": "redirect",
                "RedirectConfig": {"Protocol": "HTTPS", "Port": "443",
                                   "StatusCode": "HTTP_301"}}])["Listeners"][0]
        self.assertEqual(redirect["DefaultActions"][0]["RedirectConfig"], {
            "Protocol": "HTTPS", "Port": "443", "Host": "#{host}", "Path": "/#{path}",
            "Query": "#{query}", "StatusCode": "HTTP_301"})
        cert = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555"
        https = self.elb.create_listener(
            LoadBalancerArn=lb, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": cert}],
            DefaultActions=self.forward(tg))["Listeners"][0]
        self.assertEqual(https["SslPolicy"], "ELBSecurityPolicy-2016-08")
        self.assertEqual(https["Certificates"], [{"CertificateArn": cert}])
        extra = cert.replace("1111", "9999")
        self.elb.add_listener_certificates(ListenerArn=https["ListenerArn"],
                                           Certificates=[{"CertificateArn": extra}])
        certs = self.elb.describe_listener_certificates(
            ListenerArn=https["ListenerArn"])["Certificates"]
        self.assertEqual(certs, [{"CertificateArn": cert, "IsDefault": True},
                                 {"CertificateArn": extra, "IsDefault": False}])
        self.elb.remove_listener_certificates(ListenerArn=https["ListenerArn"],
                                              Certificates=[{"CertificateArn": extra}])
        self.assertEqual(len(self.elb.describe_listener_certificates(
            ListenerArn=https["ListenerArn"])["Certificates"]), 1)
        modified = self.elb.modify_listener(
            ListenerArn=https["ListenerArn"],
            SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06")["Listeners"][0]
        self.assertEqual(modified["SslPolicy"], "ELBSecurityPolicy-TLS13-1-2-2021-06")
        self.assertEqual(modified["Port"], 443)
        self.failed_response("SSLPolicyNotFound", 400, self.elb.modify_listener,
                             ListenerArn=https["ListenerArn"], SslPolicy="nope")
        self.failed_response("ValidationError", 400, self.elb.create_listener,
                             LoadBalancerArn=lb, Protocol="HTTPS", Port=8443,
                             DefaultActions=self.forward(tg))
        self.failed_response("InvalidLoadBalancerAction", 400, self.elb.create_listener,
                             LoadBalancerArn=lb, Protocol="HTTP", Port=81, DefaultActions=[{
                                 "Type": "redirect",
                                 "RedirectConfig": {"StatusCode": "HTTP_302"}}])
        fixed = self.elb.create_listener(
            LoadBalancerArn=lb, Protocol="HTTP", Port=8080, DefaultActions=[{
                "Type": "fixed-response", "FixedResponseConfig": {
                    "StatusCode": "503", "ContentType": "text/plain",
                    "MessageBody": "down"}}])["Listeners"][0]
        self.assertEqual(fixed["DefaultActions"][0]["FixedResponseConfig"],
                         {"StatusCode": "503", "ContentType": "text/plain", "MessageBody": "down"})
        ports = [l["Port"] for l in self.elb.describe_listeners(LoadBalancerArn=lb)["Listeners"]]
        self.assertEqual(ports, [80, 443, 8080])
        self.failed_response("ValidationError", 400, self.elb.describe_listeners)
        self.failed_response("ValidationError", 400, self.elb.create_listener,
                             LoadBalancerArn=lb, DefaultActions=self.forward(tg))
        self.failed_response("ValidationError", 400, self.elb.create_listener,
                             LoadBalancerArn=lb, Protocol="TCP", Port=9000,
                             DefaultActions=self.forward(tg))

    def test_listener_attributes(self):
        lb = self.load_balancer()["LoadBalancerArn"]
        tg = self.target_group()["TargetGroupArn"]
        listener = self.listener(lb, tg)["ListenerArn"]
        attributes = {a["Key"]: a["Value"] for a in self.elb.describe_listener_attributes(
            ListenerArn=listener)["Attributes"]}
        self.assertEqual(attributes["routing.http.response.server.enabled"], "true")
        self.assertEqual(attributes["routing.http.response.x_frame_options.header_value"], "")
        self.assertNotIn("routing.http.request.x_amzn_tls_version.header_name", attributes)
        changed = self.elb.modify_listener_attributes(ListenerArn=listener, Attributes=[
            {"Key": "routing.http.response.server.enabled", "Value": "false"}])["Attributes"]
        self.assertIn({"Key": "routing.http.response.server.enabled", "Value": "false"}, changed)
        self.failed_response("ValidationError", 400, self.elb.modify_listener_attributes,
                             ListenerArn=listener, Attributes=[
                                 {"Key": "tcp.idle_timeout.seconds", "Value": "100"}])

    def test_rules(self):
        lb = self.load_balancer()["LoadBalancerArn"]
        api = self.target_group("api")["TargetGroupArn"]
        web = self.target_group("web")["TargetGroupArn"]
        listener = self.listener(lb, web)["ListenerArn"]
        rule = self.elb.create_rule(
            ListenerArn=listener, Priority=10,
            Conditions=[{"Field": "path-pattern", "Values": ["/api/*"]}],
            Actions=self.forward(api), Tags=[{"Key": "team", "Value": "api"}])["Rules"][0]
        self.assertEqual(rule["Priority"], "10")
        self.assertEqual(rule["IsDefault"], False)
        self.assertEqual(rule["Conditions"], [{
            "Field": "path-pattern", "Values": ["/api/*"],
            "PathPatternConfig": {"Values": ["/api/*"]}}])
        weighted = self.elb.create_rule(
            ListenerArn=listener, Priority=5,
            Conditions=[
                {"Field": "host-header", "HostHeaderConfig": {"Values": ["*.example.com"]}},
                {"Field": "http-header", "HttpHeaderConfig": {
                    "HttpHeaderName": "X-Canary", "Values": ["yes"]}},
                {"Field": "query-string", "QueryStringConfig": {
                    "Values": [{"Key": "v", "Value": "2"}]}},
                {"Field": "http-request-method",
                 "HttpRequestMethodConfig": {"Values": ["GET"]}},
                {"Field": "source-ip", "SourceIpConfig": {"Values": ["10.0.0.0/8"]}}],
            Actions=[{"Type": "forward", "ForwardConfig": {
                "TargetGroups": [{"TargetGroupArn": api, "Weight": 90},
                                 {"TargetGroupArn": web, "Weight": 10}],
                "TargetGroupStickinessConfig": {"Enabled": True, "DurationSeconds": 300}}}])
        weighted = weighted["Rules"][0]
        self.assertNotIn("TargetGroupArn", weighted["Actions"][0])
        self.assertEqual(weighted["Actions"][0]["ForwardConfig"]["TargetGroupStickinessConfig"],
                         {"Enabled": True, "DurationSeconds": 300})
        self.assertEqual(weighted["Conditions"][1]["HttpHeaderConfig"],
                         {"HttpHeaderName": "X-Canary", "Values": ["yes"]})
        rules = self.elb.describe_rules(ListenerArn=listener)["Rules"]
        self.assertEqual([r["Priority"] for r in rules], ["5", "10", "default"])
        self.assertEqual(rules[2]["IsDefault"], True)
        self.assertEqual(rules[2]["Conditions"], [])
        self.assertEqual(rules[2]["Actions"][0]["TargetGroupArn"], web)

        self.failed_response("PriorityInUse", 400, self.elb.create_rule, ListenerArn=listener,
                             Priority=10, Conditions=[{"Field": "path-pattern",
                                                       "Values": ["/x"]}],
                             Actions=self.forward(api))
        self.failed_response("ValidationError", 400, self.elb.create_rule, ListenerArn=listener,
                             Priority=50001, Conditions=[{"Field": "path-pattern",
                                                          "Values": ["/x"]}],
                             Actions=self.forward(api))
        self.failed_response("ValidationError", 400, self.elb.create_rule, ListenerArn=listener,
                             Priority=11, Conditions=[{"Field": "colour", "Values": ["x"]}],
                             Actions=self.forward(api))
        self.failed_response("OperationNotPermitted", 400, self.elb.delete_rule,
                             RuleArn=rules[2]["RuleArn"])

        modified = self.elb.modify_rule(RuleArn=rule["RuleArn"], Conditions=[
            {"Field": "path-pattern", "Values": ["/v2/*"]}])["Rules"][0]
        self.assertEqual(modified["Conditions"][0]["Values"], ["/v2/*"])
        self.assertEqual(modified["Actions"][0]["TargetGroupArn"], api)
        moved = self.elb.set_rule_priorities(RulePriorities=[
            {"RuleArn": rule["RuleArn"], "Priority": 5},
            {"RuleArn": weighted["RuleArn"], "Priority": 10}])["Rules"]
        self.assertEqual(sorted(r["Priority"] for r in moved), ["10", "5"])
        self.failed_response("PriorityInUse", 400, self.elb.set_rule_priorities, RulePriorities=[
            {"RuleArn": rule["RuleArn"], "Priority": 10}])

        # The default rule's actions are the listener's default actions.
        self.elb.modify_rule(RuleArn=rules[2]["RuleArn"], Actions=self.forward(api))
        self.assertEqual(self.elb.describe_listeners(ListenerArns=[listener])["Listeners"][0]
                         ["DefaultActions"][0]["TargetGroupArn"], api)

        self.elb.delete_rule(RuleArn=weighted["RuleArn"])
        self.failed_response("RuleNotFound", 400, self.elb.describe_rules,
                             RuleArns=[weighted["RuleArn"]])
        self.failed_response("TargetGroupNotFound", 400, self.elb.create_rule,
                             ListenerArn=listener, Priority=30,
                             Conditions=[{"Field": "path-pattern", "Values": ["/x"]}],
                             Actions=self.forward(api.replace("/api/", "/gone/")))

    def test_rule_pointing_at_a_deleted_target_group(self):
        lb = self.load_balancer()["LoadBalancerArn"]
        web = self.target_group("web")["TargetGroupArn"]
        old = self.target_group("old")["TargetGroupArn"]
        listener = self.listener(lb, web)["ListenerArn"]
        self.elb.delete_target_group(TargetGroupArn=old)
        self.failed_response("TargetGroupNotFound", 400, self.elb.create_rule,
                             ListenerArn=listener, Priority=1,
                             Conditions=[{"Field": "path-pattern", "Values": ["/old/*"]}],
                             Actions=self.forward(old))
        self.failed_response("TargetGroupNotFound", 400, self.elb.modify_listener,
                             ListenerArn=listener, DefaultActions=self.forward(old))
        self.assertEqual(len(self.elb.describe_rules(ListenerArn=listener)["Rules"]), 1)


class TagsPoliciesAndLimitsTest(Elbv2TestCase):

    def test_tags_on_every_resource_type(self):
        lb = self.load_balancer()["LoadBalancerArn"]
        tg = self.target_group()["TargetGroupArn"]
        listener = self.listener(lb, tg)["ListenerArn"]
        rule = self.elb.create_rule(ListenerArn=listener, Priority=1, Conditions=[
            {"Field": "path-pattern", "Values": ["/a"]}],
            Actions=self.forward(tg))["Rules"][0]["RuleArn"]
        arns = [lb, tg, listener, rule]
        self.elb.add_tags(ResourceArns=arns, Tags=[{"Key": "a", "Value": "1"},
                                                   {"Key": "b", "Value": "2"}])
        self.elb.add_tags(ResourceArns=[lb], Tags=[{"Key": "a", "Value": "changed"}])
        self.elb.remove_tags(ResourceArns=[tg], TagKeys=["a"])
        described = {d["ResourceArn"]: d["Tags"] for d in self.elb.describe_tags(
            ResourceArns=arns)["TagDescriptions"]}
        self.assertEqual(described[lb], [{"Key": "a", "Value": "changed"},
                                         {"Key": "b", "Value": "2"}])
        self.assertEqual(described[tg], [{"Key": "b", "Value": "2"}])
        self.assertEqual(described[rule], [{"Key": "a", "Value": "1"},
                                           {"Key": "b", "Value": "2"}])
        self.failed_response("DuplicateTagKeys", 400, self.elb.add_tags, ResourceArns=[lb],
                             Tags=[{"Key": "x", "Value": "1"}, {"Key": "x", "Value": "2"}])
        self.failed_response("TooManyTags", 400, self.elb.add_tags, ResourceArns=[lb],
                             Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
        self.failed_response("LoadBalancerNotFound", 400, self.elb.describe_tags,
                             ResourceArns=[lb.replace("/web/", "/gone/")])

    def test_ssl_policies_and_limits(self):
        policies = self.elb.describe_ssl_policies()["SslPolicies"]
        names = [p["Name"] for p in policies]
        self.assertIn("ELBSecurityPolicy-2016-08", names)
        self.assertIn("ELBSecurityPolicy-TLS13-1-2-2021-06", names)
        one = self.elb.describe_ssl_policies(Names=["ELBSecurityPolicy-TLS13-1-3-2021-06"])
        self.assertEqual(one["SslPolicies"][0]["SslProtocols"], ["TLSv1.3"])
        self.failed_response("SSLPolicyNotFound", 400, self.elb.describe_ssl_policies,
                             Names=["nope"])
        limits = {l["Name"]: l["Max"] for l in self.elb.describe_account_limits()["Limits"]}
        self.assertEqual(limits["application-load-balancers"], "50")
        self.assertEqual(limits["targets-per-target-group"], "1000")


class BadInputTest(Elbv2TestCase):

    def test_malformed_forms_get_aws_shaped_errors(self):
        cases = [
            "Action=CreateTargetGroup&Version=2015-12-01&Name=x&Protocol=HTTP&Port=eighty"
            f"&VpcId={self.vpc_id}",
            "Action=CreateLoadBalancer&Version=2015-12-01",
            "Action=DescribeListeners&Version=2015-12-01",
            "Action=NoSuchAction&Version=2015-12-01",
            "Action=CreateListener&Version=2015-12-01&LoadBalancerArn=nope&DefaultActions.member.1"
            ".Type=forward",
        ]
        auth = ("AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/elasticloadbalancing/"
                "aws4_request, SignedHeaders=host, Signature=00")
        for body in cases:
            with self.subTest(body=body):
                status, _, answer = self.server.http(
                    "POST", "/", body=body.encode(), headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Authorization": auth})
                self.assertGreaterEqual(status, 400)
                self.assertLess(status, 500)
                self.assertIn(b"<ErrorResponse", answer)
        self.assertEqual(self.elb.describe_load_balancers()["LoadBalancers"], [])


if __name__ == "__main__":
    unittest.main()
