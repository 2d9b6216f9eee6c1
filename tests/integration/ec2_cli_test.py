"""EC2's networking subset through the AWS CLI, v1 (python -m awscli) and v2 (Debian's
/usr/bin/aws): the ec2 protocol's lists, filters, shorthand permissions and errors."""

import unittest

from harness import AwsemuTestCase


class CliMixin:
    """The same scenario for both CLI versions; subclasses set `version`."""

    version = 1

    def aws(self, *args, check=True):
        return self.server.cli("ec2", *args, version=self.version, check=check)

    def expect_error(self, code, *args):
        result = self.aws(*args, check=False)
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn(f"({code})", result.stderr)
        return result.stderr

    def setUp(self):
        self.server.reset()

    def test_network_lifecycle(self):
        zones = self.aws("describe-availability-zones")["AvailabilityZones"]
        self.assertEqual(len(zones), 6)
        self.assertEqual(zones[0]["ZoneId"], "use1-az1")

        vpc = self.aws("create-vpc", "--cidr-block", "10.20.0.0/16", "--tag-specifications",
                       "ResourceType=vpc,Tags=[{Key=Name,Value=cli}]")["Vpc"]
        vpc_id = vpc["VpcId"]
        self.assertEqual(vpc["Tags"], [{"Key": "Name", "Value": "cli"}])
        found = self.aws("describe-vpcs", "--filters", "Name=tag:Name,Values=cli",
                         "Name=cidr,Values=10.20.0.0/16")["Vpcs"]
        self.assertEqual([v["VpcId"] for v in found], [vpc_id])
        self.aws("modify-vpc-attribute", "--vpc-id", vpc_id, "--enable-dns-hostnames",
                 "{\"Value\":true}")
        attribute = self.aws("describe-vpc-attribute", "--vpc-id", vpc_id, "--attribute",
                             "enableDnsHostnames")
        self.assertEqual(attribute["EnableDnsHostnames"], {"Value": True})

        a = self.aws("create-subnet", "--vpc-id", vpc_id, "--cidr-block", "10.20.1.0/24",
                     "--availability-zone", "us-east-1a")["Subnet"]
        b = self.aws("create-subnet", "--vpc-id", vpc_id, "--cidr-block", "10.20.2.0/24",
                     "--availability-zone-id", "use1-az2")["Subnet"]
        self.assertEqual(b["AvailabilityZone"], "us-east-1b")
        subnets = self.aws("describe-subnets", "--subnet-ids", a["SubnetId"], b["SubnetId"])
        self.assertEqual(sorted(s["CidrBlock"] for s in subnets["Subnets"]),
                         ["10.20.1.0/24", "10.20.2.0/24"])
        self.aws("modify-subnet-attribute", "--subnet-id", a["SubnetId"],
                 "--map-public-ip-on-launch")
        public = self.aws("describe-subnets", "--filters", "Name=vpc-id,Values=" + vpc_id,
                          "Name=map-public-ip-on-launch,Values=true")["Subnets"]
        self.assertEqual([s["SubnetId"] for s in public], [a["SubnetId"]])

        group_id = self.aws("create-security-group", "--group-name", "web", "--description",
                            "web tier", "--vpc-id", vpc_id)["GroupId"]
        rules = self.aws("authorize-security-group-ingress", "--group-id", group_id,
                         "--ip-permissions",
                         "IpProtocol=tcp,FromPort=443,ToPort=443,"
                         "IpRanges=[{CidrIp=0.0.0.0/0,Description=https}]")
        self.assertTrue(rules["Return"])
        self.assertEqual(rules["SecurityGroupRules"][0]["CidrIpv4"], "0.0.0.0/0")
        self.aws("authorize-security-group-ingress", "--group-id", group_id, "--protocol",
                 "tcp", "--port", "22", "--cidr", "10.0.0.0/8")
        group = self.aws("describe-security-groups", "--group-ids", group_id)[
            "SecurityGroups"][0]
        self.assertEqual([(p["IpProtocol"], p["FromPort"]) for p in group["IpPermissions"]],
                         [("tcp", 443), ("tcp", 22)])
        self.assertEqual(group["IpPermissions"][0]["IpRanges"],
                         [{"CidrIp": "0.0.0.0/0", "Description": "https"}])
        self.expect_error("InvalidPermission.Duplicate", "authorize-security-group-ingress",
                          "--group-id", group_id, "--protocol", "tcp", "--port", "22",
                          "--cidr", "10.0.0.0/8")
        self.aws("revoke-security-group-ingress", "--group-id", group_id, "--protocol", "tcp",
                 "--port", "22", "--cidr", "10.0.0.0/8")
        described = self.aws("describe-security-group-rules", "--filters",
                             "Name=group-id,Values=" + group_id)["SecurityGroupRules"]
        self.assertEqual(len(described), 2)

        self.aws("create-tags", "--resources", a["SubnetId"], group_id, "--tags",
                 "Key=tier,Value=web")
        tags = self.aws("describe-tags", "--filters", "Name=key,Values=tier")["Tags"]
        self.assertEqual(sorted(t["ResourceType"] for t in tags), ["security-group", "subnet"])
        self.aws("delete-tags", "--resources", a["SubnetId"], "--tags", "Key=tier")
        self.assertEqual(len(self.aws("describe-tags", "--filters",
                                      "Name=key,Values=tier")["Tags"]), 1)

        self.expect_error("DependencyViolation", "delete-vpc", "--vpc-id", vpc_id)
        self.aws("delete-security-group", "--group-id", group_id)
        self.aws("delete-subnet", "--subnet-id", a["SubnetId"])
        self.aws("delete-subnet", "--subnet-id", b["SubnetId"])
        self.aws("delete-vpc", "--vpc-id", vpc_id)
        self.expect_error("InvalidVpcID.NotFound", "describe-vpcs", "--vpc-ids", vpc_id)

    def test_errors(self):
        self.expect_error("InvalidVpc.Range", "create-vpc", "--cidr-block", "10.0.0.0/8")
        self.expect_error("InvalidSubnetID.NotFound", "describe-subnets", "--subnet-ids",
                          "subnet-0123456789abcdef0")
        self.expect_error("InvalidParameterValue", "describe-vpcs", "--filters",
                          "Name=colour,Values=red")
        self.expect_error("DryRunOperation", "create-vpc", "--cidr-block", "10.0.0.0/16",
                          "--dry-run")

    def test_default_vpc_and_paging(self):
        subnets = self.aws("describe-subnets", "--filters", "Name=default-for-az,Values=true")
        self.assertEqual(sorted(s["AvailabilityZone"] for s in subnets["Subnets"]),
                         [f"us-east-1{c}" for c in "abcdef"])
        # The CLI follows NextToken itself; a small page size makes it.
        paged = self.aws("describe-subnets", "--page-size", "5")
        self.assertEqual(len(paged["Subnets"]), 6)


class Ec2CliV1Test(CliMixin, AwsemuTestCase):
    version = 1


class Ec2CliV2Test(CliMixin, AwsemuTestCase):
    version = 2


if __name__ == "__main__":
    unittest.main()
