"""EC2 state survives kill -9 and a restart on the same state directory: the default VPC (made
once, not again), VPCs and their attributes, subnets, security groups with their rules, and
tags."""

import shutil
import tempfile
import unittest

from harness import AwsemuServer, awsemu_only


@awsemu_only("kills and restarts the server")
class Ec2PersistenceTest(unittest.TestCase):

    def setUp(self):
        self.state_dir = tempfile.mkdtemp(prefix="awsemu-ec2-state-")
        self.addCleanup(shutil.rmtree, self.state_dir, True)
        self.server = AwsemuServer(state_dir=self.state_dir)
        self.addCleanup(self.server.cleanup)
        self.server.start()
        self.ec2 = self.server.client("ec2")

    def snapshot(self):
        return {
            "vpcs": sorted(self.ec2.describe_vpcs()["Vpcs"], key=lambda v: v["VpcId"]),
            "subnets": sorted(self.ec2.describe_subnets()["Subnets"],
                              key=lambda s: s["SubnetId"]),
            "groups": sorted(self.ec2.describe_security_groups()["SecurityGroups"],
                             key=lambda g: g["GroupId"]),
            "rules": sorted(self.ec2.describe_security_group_rules()["SecurityGroupRules"],
                            key=lambda r: r["SecurityGroupRuleId"]),
            "tags": self.ec2.describe_tags()["Tags"],
        }

    def test_everything_survives_kill_9(self):
        vpc_id = self.ec2.create_vpc(CidrBlock="10.5.0.0/16", TagSpecifications=[
            {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "kept"}]}])["Vpc"]["VpcId"]
        self.ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
        subnet_id = self.ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.5.1.0/24",
                                           AvailabilityZone="us-east-1c")["Subnet"]["SubnetId"]
        self.ec2.modify_subnet_attribute(SubnetId=subnet_id, MapPublicIpOnLaunch={"Value": True})
        group_id = self.ec2.create_security_group(GroupName="web", Description="web",
                                                  VpcId=vpc_id)["GroupId"]
        self.ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
             "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "https"}]}])
        before = self.snapshot()
        self.assertEqual(len(before["vpcs"]), 2)  # and the default VPC

        self.server.kill()
        self.server.start()
        self.ec2 = self.server.client("ec2")
        after = self.snapshot()
        self.assertEqual(after, before)
        self.assertEqual(self.ec2.describe_vpc_attribute(
            VpcId=vpc_id, Attribute="enableDnsHostnames")["EnableDnsHostnames"], {"Value": True})
        # Still enforced after the restart.
        with self.assertRaises(Exception) as raised:
            self.ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.5.1.0/25")
        self.assertEqual(raised.exception.response["Error"]["Code"], "InvalidSubnet.Conflict")

    def test_a_deleted_default_vpc_stays_deleted(self):
        default = self.ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
        for subnet in self.ec2.describe_subnets()["Subnets"]:
            self.ec2.delete_subnet(SubnetId=subnet["SubnetId"])
        self.ec2.delete_vpc(VpcId=default)
        self.assertEqual(self.ec2.describe_vpcs()["Vpcs"], [])
        self.server.restart()
        self.ec2 = self.server.client("ec2")
        self.assertEqual(self.ec2.describe_vpcs()["Vpcs"], [])
        with self.assertRaises(Exception) as raised:
            self.ec2.create_security_group(GroupName="x", Description="x")
        self.assertEqual(raised.exception.response["Error"]["Code"], "VPCIdNotSpecified")


if __name__ == "__main__":
    unittest.main()
