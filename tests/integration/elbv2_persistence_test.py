"""ELBv2 state survives kill -9 and a restart on the same state directory: load balancers with
their attributes, target groups with their targets, listeners, rules and tags."""

import shutil
import tempfile
import unittest

from harness import AwsemuServer, awsemu_only


@awsemu_only("kills and restarts the server")
class Elbv2PersistenceTest(unittest.TestCase):

    def setUp(self):
        self.state_dir = tempfile.mkdtemp(prefix="awsemu-elbv2-state-")
        self.addCleanup(shutil.rmtree, self.state_dir, True)
        self.server = AwsemuServer(state_dir=self.state_dir)
        self.addCleanup(self.server.cleanup)
        self.server.start()

    def snapshot(self):
        elb = self.server.client("elbv2")
        lbs = elb.describe_load_balancers()["LoadBalancers"]
        for lb in lbs:
            lb.pop("State")  # provisioning turns active with time
        tgs = elb.describe_target_groups()["TargetGroups"]
        listeners = [l for lb in lbs for l in elb.describe_listeners(
            LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]]
        rules = [r for l in listeners for r in elb.describe_rules(
            ListenerArn=l["ListenerArn"])["Rules"]]
        arns = ([lb["LoadBalancerArn"] for lb in lbs] + [t["TargetGroupArn"] for t in tgs] +
                [l["ListenerArn"] for l in listeners] + [r["RuleArn"] for r in rules])
        return {
            "lbs": lbs, "tgs": tgs, "listeners": listeners, "rules": rules,
            "lb_attributes": [elb.describe_load_balancer_attributes(
                LoadBalancerArn=lb["LoadBalancerArn"])["Attributes"] for lb in lbs],
            "tg_attributes": [elb.describe_target_group_attributes(
                TargetGroupArn=t["TargetGroupArn"])["Attributes"] for t in tgs],
            "targets": [sorted(h["Target"]["Id"] for h in elb.describe_target_health(
                TargetGroupArn=t["TargetGroupArn"])["TargetHealthDescriptions"]) for t in tgs],
            "tags": elb.describe_tags(ResourceArns=arns)["TagDescriptions"],
        }

    def test_everything_survives_kill_9(self):
        elb = self.server.client("elbv2")
        ec2 = self.server.client("ec2")
        subnets = sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])
        lb = elb.create_load_balancer(Name="kept", Subnets=[s["SubnetId"] for s in subnets[:2]],
                                      Tags=[{"Key": "k", "Value": "v"}])["LoadBalancers"][0]
        elb.modify_load_balancer_attributes(LoadBalancerArn=lb["LoadBalancerArn"], Attributes=[
            {"Key": "idle_timeout.timeout_seconds", "Value": "90"}])
        tg = elb.create_target_group(Name="kept", Protocol="HTTP", Port=80,
                                     VpcId=subnets[0]["VpcId"], TargetType="ip",
                                     HealthCheckPath="/healthz")["TargetGroups"][0]
        elb.register_targets(TargetGroupArn=tg["TargetGroupArn"], Targets=[{"Id": "172.31.0.9"}])
        listener = elb.create_listener(
            LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80, DefaultActions=[
                {"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}])["Listeners"][0]
        elb.create_rule(ListenerArn=listener["ListenerArn"], Priority=7, Conditions=[
            {"Field": "host-header", "Values": ["a.example.com"]}], Actions=[
            {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}],
            Tags=[{"Key": "rule", "Value": "yes"}])
        before = self.snapshot()

        self.server.kill()
        self.server.start()
        after = self.snapshot()
        self.assertEqual(after, before)
        self.assertEqual(after["targets"], [["172.31.0.9"]])


if __name__ == "__main__":
    unittest.main()
