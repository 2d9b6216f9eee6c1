"""EC2's networking subset through boto3: availability zones, the default VPC and its subnets,
VPCs, subnets, security groups and their rules, tags, paging, filters and AWS's errors."""

import unittest

from harness import AwsemuTestCase


def tag_spec(resource_type, **tags):
    return [{"ResourceType": resource_type,
             "Tags": [{"Key": key, "Value": value} for key, value in tags.items()]}]


class Ec2TestCase(AwsemuTestCase):

    def setUp(self):
        self.server.reset()
        self.ec2 = self.server.client("ec2")

    def vpc(self, cidr="10.0.0.0/16", **tags):
        kwargs = {"TagSpecifications": tag_spec("vpc", **tags)} if tags else {}
        return self.ec2.create_vpc(CidrBlock=cidr, **kwargs)["Vpc"]["VpcId"]

    def subnet(self, vpc_id, cidr, **kwargs):
        return self.ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, **kwargs)["Subnet"]


class Ec2ZonesAndDefaultsTest(Ec2TestCase):

    def test_us_east_1_has_six_zones_with_ids(self):
        zones = self.ec2.describe_availability_zones()["AvailabilityZones"]
        self.assertEqual([z["ZoneName"] for z in zones],
                         [f"us-east-1{c}" for c in "abcdef"])
        self.assertEqual([z["ZoneId"] for z in zones], [f"use1-az{i}" for i in range(1, 7)])
        self.assertEqual(zones[0], {
            "ZoneName": "us-east-1a", "ZoneId": "use1-az1", "State": "available",
            "RegionName": "us-east-1", "GroupName": "us-east-1",
            "NetworkBorderGroup": "us-east-1", "OptInStatus": "opt-in-not-required",
            "ZoneType": "availability-zone", "Messages": []})
        named = self.ec2.describe_availability_zones(ZoneNames=["us-east-1b"])
        self.assertEqual([z["ZoneId"] for z in named["AvailabilityZones"]], ["use1-az2"])
        by_id = self.ec2.describe_availability_zones(ZoneIds=["use1-az6"])
        self.assertEqual(by_id["AvailabilityZones"][0]["ZoneName"], "us-east-1f")
        filtered = self.ec2.describe_availability_zones(
            Filters=[{"Name": "zone-name", "Values": ["us-east-1a", "us-east-1c"]},
                     {"Name": "state", "Values": ["available"]}])
        self.assertEqual(len(filtered["AvailabilityZones"]), 2)
        self.failed_response("InvalidParameterValue", 400,
                             self.ec2.describe_availability_zones, ZoneNames=["us-east-1z"])
        self.failed_response("InvalidParameterValue", 400,
                             self.ec2.describe_availability_zones,
                             Filters=[{"Name": "colour", "Values": ["red"]}],
                             message="The filter 'colour' is invalid")

    def test_other_regions_have_three_zones(self):
        west = self.server.client("ec2", region="us-west-2")
        zones = west.describe_availability_zones()["AvailabilityZones"]
        self.assertEqual([(z["ZoneName"], z["ZoneId"]) for z in zones],
                         [("us-west-2a", "usw2-az1"), ("us-west-2b", "usw2-az2"),
                          ("us-west-2c", "usw2-az3")])
        self.assertEqual(len(west.describe_subnets()["Subnets"]), 3)
        eu = self.server.client("ec2", region="eu-west-1")
        self.assertEqual(eu.describe_availability_zones()["AvailabilityZones"][0]["ZoneId"],
                         "euw1-az1")

    def test_the_default_vpc_has_a_default_subnet_per_zone(self):
        vpcs = self.ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])
        self.assertEqual(len(vpcs["Vpcs"]), 1)
        vpc = vpcs["Vpcs"][0]
        self.assertEqual(vpc["CidrBlock"], "172.31.0.0/16")
        self.assertTrue(vpc["IsDefault"])
        self.assertEqual(vpc["State"], "available")
        self.assertEqual(vpc["OwnerId"], "000000000000")
        self.assertRegex(vpc["VpcId"], r"^vpc-[0-9a-f]{17}$")
        subnets = self.ec2.describe_subnets(
            Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]},
                     {"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
        by_zone = sorted(subnets, key=lambda s: s["AvailabilityZone"])
        self.assertEqual([s["AvailabilityZone"] for s in by_zone],
                         [f"us-east-1{c}" for c in "abcdef"])
        self.assertEqual([s["CidrBlock"] for s in by_zone],
                         [f"172.31.{16 * i}.0/20" for i in range(6)])
        for subnet in subnets:
            self.assertTrue(subnet["MapPublicIpOnLaunch"])
            self.assertTrue(subnet["DefaultForAz"])
            self.assertEqual(subnet["AvailableIpAddressCount"], 4091)
            self.assertRegex(subnet["SubnetId"], r"^subnet-[0-9a-f]{17}$")
        groups = self.ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"]
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0]["VpcId"], vpc["VpcId"])
        self.assertEqual(groups[0]["Description"], "default VPC security group")
        # The default VPC is made once: the same on every call.
        self.assertEqual(self.ec2.describe_vpcs()["Vpcs"][0]["VpcId"], vpc["VpcId"])

    def test_accounts_have_their_own_default_vpcs(self):
        mine = self.ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
        other = self.server.client("ec2", key="111122223333", secret="x")
        theirs = other.describe_vpcs()["Vpcs"]
        self.assertEqual(len(theirs), 1)
        self.assertNotEqual(theirs[0]["VpcId"], mine)
        self.assertEqual(theirs[0]["OwnerId"], "111122223333")


class Ec2VpcTest(Ec2TestCase):

    def test_create_describe_delete(self):
        created = self.ec2.create_vpc(CidrBlock="10.0.0.0/16",
                                      TagSpecifications=tag_spec("vpc", Name="main"))["Vpc"]
        vpc_id = created["VpcId"]
        self.assertEqual(created["CidrBlock"], "10.0.0.0/16")
        self.assertFalse(created["IsDefault"])
        self.assertEqual(created["Tags"], [{"Key": "Name", "Value": "main"}])
        self.ec2.get_waiter("vpc_available").wait(VpcIds=[vpc_id])
        described = self.ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]
        self.assertEqual(described["State"], "available")
        self.assertEqual(described["InstanceTenancy"], "default")
        self.assertEqual(described["CidrBlockAssociationSet"][0]["CidrBlock"], "10.0.0.0/16")
        self.assertEqual(described["CidrBlockAssociationSet"][0]["CidrBlockState"]["State"],
                         "associated")
        self.assertRegex(described["DhcpOptionsId"], r"^dopt-")
        # Its own default security group came with it.
        groups = self.ec2.describe_security_groups(
            Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"]
        self.assertEqual([g["GroupName"] for g in groups], ["default"])
        self.assertEqual(groups[0]["IpPermissions"][0]["UserIdGroupPairs"][0]["GroupId"],
                         groups[0]["GroupId"])
        self.assertEqual(groups[0]["IpPermissionsEgress"],
                         [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                           "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}])
        self.ec2.delete_vpc(VpcId=vpc_id)
        self.failed_response("InvalidVpcID.NotFound", 400, self.ec2.describe_vpcs,
                             VpcIds=[vpc_id], message=f"The vpc ID '{vpc_id}' does not exist")
        self.assertEqual(self.ec2.describe_security_groups(
            Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"], [])

    def test_cidr_blocks_are_checked(self):
        self.failed_response("InvalidVpc.Range", 400, self.ec2.create_vpc, CidrBlock="10.0.0.0/8",
                             message="The CIDR '10.0.0.0/8' is invalid.")
        self.failed_response("InvalidVpc.Range", 400, self.ec2.create_vpc,
                             CidrBlock="10.0.0.0/29")
        self.failed_response("InvalidParameterValue", 400, self.ec2.create_vpc,
                             CidrBlock="10.0.0.300/16")
        self.failed_response("InvalidParameterValue", 400, self.ec2.create_vpc, CidrBlock="vpc")
        self.vpc("10.0.0.0/28")  # the smallest

    def test_filters(self):
        a = self.vpc("10.0.0.0/16", env="prod", Name="a")
        b = self.vpc("10.1.0.0/16", env="dev")

        def ids(*filters):
            vpcs = self.ec2.describe_vpcs(
                Filters=[{"Name": n, "Values": v} for n, v in filters])["Vpcs"]
            return sorted(v["VpcId"] for v in vpcs)

        self.assertEqual(ids(("tag:env", ["prod"])), [a])
        self.assertEqual(ids(("tag:env", ["prod", "dev"])), sorted([a, b]))
        self.assertEqual(ids(("tag:env", ["d*"])), [b])
        self.assertEqual(ids(("tag-key", ["Name"])), [a])
        self.assertEqual(ids(("cidr", ["10.1.0.0/16"])), [b])
        self.assertEqual(ids(("cidr-block-association.cidr-block", ["10.0.0.0/16"])), [a])
        self.assertEqual(ids(("vpc-id", [a, b]), ("is-default", ["false"])), sorted([a, b]))
        self.assertEqual(ids(("state", ["available"]), ("owner-id", ["000000000000"]),
                             ("is-default", ["false"])), sorted([a, b]))
        self.assertEqual(ids(("tag:env", ["prod"]), ("cidr", ["10.1.0.0/16"])), [])

    def test_paging(self):
        created = [self.vpc(f"10.{i}.0.0/16") for i in range(7)]
        pages = list(self.ec2.get_paginator("describe_vpcs").paginate(
            PaginationConfig={"PageSize": 5}))
        self.assertEqual(len(pages), 2)
        seen = [v["VpcId"] for page in pages for v in page["Vpcs"]]
        self.assertEqual(len(seen), 8)  # and the default VPC
        self.assertTrue(set(created) <= set(seen))

    def test_attributes(self):
        vpc_id = self.vpc()
        support = self.ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsSupport")
        self.assertEqual(support["EnableDnsSupport"], {"Value": True})
        self.assertEqual(support["VpcId"], vpc_id)
        hostnames = self.ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")
        self.assertEqual(hostnames["EnableDnsHostnames"], {"Value": False})
        self.ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
        self.assertEqual(self.ec2.describe_vpc_attribute(
            VpcId=vpc_id, Attribute="enableDnsHostnames")["EnableDnsHostnames"], {"Value": True})
        self.ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport={"Value": False})
        self.assertEqual(self.ec2.describe_vpc_attribute(
            VpcId=vpc_id, Attribute="enableDnsSupport")["EnableDnsSupport"], {"Value": False})
        default = self.ec2.describe_vpcs(
            Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
        self.assertEqual(self.ec2.describe_vpc_attribute(
            VpcId=default, Attribute="enableDnsHostnames")["EnableDnsHostnames"], {"Value": True})
        self.failed_response("InvalidVpcID.NotFound", 400, self.ec2.modify_vpc_attribute,
                             VpcId="vpc-0123456789abcdef0", EnableDnsSupport={"Value": True})

    def test_delete_refuses_while_subnets_or_groups_remain(self):
        vpc_id = self.vpc()
        subnet_id = self.subnet(vpc_id, "10.0.1.0/24")["SubnetId"]
        self.failed_response("DependencyViolation", 400, self.ec2.delete_vpc, VpcId=vpc_id,
                             message=f"The vpc '{vpc_id}' has dependencies and cannot be deleted.")
        self.ec2.delete_subnet(SubnetId=subnet_id)
        group_id = self.ec2.create_security_group(GroupName="g", Description="g",
                                                  VpcId=vpc_id)["GroupId"]
        self.failed_response("DependencyViolation", 400, self.ec2.delete_vpc, VpcId=vpc_id)
        self.ec2.delete_security_group(GroupId=group_id)
        self.ec2.delete_vpc(VpcId=vpc_id)
        self.failed_response("InvalidVpcID.NotFound", 400, self.ec2.delete_vpc, VpcId=vpc_id)

    def test_dry_run(self):
        self.failed_response("DryRunOperation", 412, self.ec2.create_vpc, CidrBlock="10.0.0.0/16",
                             DryRun=True)
        self.assertEqual(len(self.ec2.describe_vpcs()["Vpcs"]), 1)


class Ec2SubnetTest(Ec2TestCase):

    def test_create_in_zones_and_describe(self):
        vpc_id = self.vpc()
        a = self.subnet(vpc_id, "10.0.1.0/24", AvailabilityZone="us-east-1a",
                        TagSpecifications=tag_spec("subnet", Name="a"))
        b = self.subnet(vpc_id, "10.0.2.0/24", AvailabilityZoneId="use1-az2")
        self.assertEqual(a["AvailabilityZone"], "us-east-1a")
        self.assertEqual(a["AvailabilityZoneId"], "use1-az1")
        self.assertEqual(b["AvailabilityZone"], "us-east-1b")
        self.assertEqual(a["AvailableIpAddressCount"], 251)
        self.assertEqual(a["Tags"], [{"Key": "Name", "Value": "a"}])
        self.assertFalse(a["DefaultForAz"])
        self.assertFalse(a["MapPublicIpOnLaunch"])
        self.assertEqual(a["SubnetArn"],
                         f"arn:aws:ec2:us-east-1:000000000000:subnet/{a['SubnetId']}")
        self.ec2.get_waiter("subnet_available").wait(SubnetIds=[a["SubnetId"]])
        # Without a zone, the one with the fewest of the VPC's subnets.
        c = self.subnet(vpc_id, "10.0.3.0/28")
        self.assertEqual(c["AvailabilityZone"], "us-east-1c")
        self.assertEqual(c["AvailableIpAddressCount"], 11)

        def ids(*filters):
            subnets = self.ec2.describe_subnets(
                Filters=[{"Name": n, "Values": v} for n, v in filters])["Subnets"]
            return sorted(s["SubnetId"] for s in subnets)

        self.assertEqual(ids(("vpc-id", [vpc_id])),
                         sorted([a["SubnetId"], b["SubnetId"], c["SubnetId"]]))
        self.assertEqual(ids(("vpc-id", [vpc_id]), ("availability-zone", ["us-east-1b"])),
                         [b["SubnetId"]])
        self.assertEqual(ids(("vpc-id", [vpc_id]), ("availability-zone-id", ["use1-az1"])),
                         [a["SubnetId"]])
        self.assertEqual(ids(("cidr-block", ["10.0.3.0/28"])), [c["SubnetId"]])
        self.assertEqual(ids(("tag:Name", ["a"])), [a["SubnetId"]])
        self.assertEqual(ids(("tag-key", ["Name"])), [a["SubnetId"]])
        self.assertEqual(ids(("state", ["available"]), ("default-for-az", ["false"])),
                         sorted([a["SubnetId"], b["SubnetId"], c["SubnetId"]]))
        self.assertEqual(ids(("subnet-id", [b["SubnetId"]])), [b["SubnetId"]])
        by_id = self.ec2.describe_subnets(SubnetIds=[a["SubnetId"]])["Subnets"]
        self.assertEqual(by_id[0]["CidrBlock"], "10.0.1.0/24")
        self.failed_response("InvalidSubnetID.NotFound", 400, self.ec2.describe_subnets,
                             SubnetIds=["subnet-0123456789abcdef0"],
                             message="The subnet ID 'subnet-0123456789abcdef0' does not exist")

    def test_cidr_rules(self):
        vpc_id = self.vpc()
        self.subnet(vpc_id, "10.0.0.0/24")
        self.failed_response("InvalidSubnet.Conflict", 400, self.ec2.create_subnet, VpcId=vpc_id,
                             CidrBlock="10.0.0.128/25",
                             message="The CIDR '10.0.0.128/25' conflicts with another subnet")
        self.failed_response("InvalidSubnet.Range", 400, self.ec2.create_subnet, VpcId=vpc_id,
                             CidrBlock="10.1.0.0/24", message="The CIDR '10.1.0.0/24' is invalid.")
        self.failed_response("InvalidSubnet.Range", 400, self.ec2.create_subnet, VpcId=vpc_id,
                             CidrBlock="10.0.5.0/29")
        self.failed_response("InvalidParameterValue", 400, self.ec2.create_subnet, VpcId=vpc_id,
                             CidrBlock="10.0.5.0/33")
        self.failed_response("InvalidParameterValue", 400, self.ec2.create_subnet, VpcId=vpc_id,
                             CidrBlock="10.0.5.0/24", AvailabilityZone="eu-west-1a")
        self.failed_response("InvalidVpcID.NotFound", 400, self.ec2.create_subnet,
                             VpcId="vpc-0123456789abcdef0", CidrBlock="10.0.5.0/24")

    def test_modify_and_delete(self):
        vpc_id = self.vpc()
        subnet_id = self.subnet(vpc_id, "10.0.1.0/24")["SubnetId"]
        self.ec2.modify_subnet_attribute(SubnetId=subnet_id, MapPublicIpOnLaunch={"Value": True})
        described = self.ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"][0]
        self.assertTrue(described["MapPublicIpOnLaunch"])
        self.ec2.modify_subnet_attribute(SubnetId=subnet_id,
                                         PrivateDnsHostnameTypeOnLaunch="resource-name")
        described = self.ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"][0]
        self.assertEqual(described["PrivateDnsNameOptionsOnLaunch"]["HostnameType"],
                         "resource-name")
        self.assertTrue(described["MapPublicIpOnLaunch"])  # a partial update
        self.ec2.delete_subnet(SubnetId=subnet_id)
        self.failed_response("InvalidSubnetID.NotFound", 400, self.ec2.delete_subnet,
                             SubnetId=subnet_id)
        self.failed_response("InvalidSubnetID.Malformed", 400, self.ec2.delete_subnet,
                             SubnetId="banana")


class Ec2SecurityGroupTest(Ec2TestCase):

    def group(self, name, vpc_id=None, **kwargs):
        extra = {"VpcId": vpc_id} if vpc_id else {}
        return self.ec2.create_security_group(GroupName=name, Description=f"{name} group",
                                              **extra, **kwargs)["GroupId"]

    def test_create_describe_delete(self):
        vpc_id = self.vpc()
        created = self.ec2.create_security_group(
            GroupName="web", Description="web tier", VpcId=vpc_id,
            TagSpecifications=tag_spec("security-group", Name="web"))
        group_id = created["GroupId"]
        self.assertRegex(group_id, r"^sg-[0-9a-f]{17}$")
        self.assertEqual(created["Tags"], [{"Key": "Name", "Value": "web"}])
        group = self.ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
        self.assertEqual(group["GroupName"], "web")
        self.assertEqual(group["Description"], "web tier")
        self.assertEqual(group["VpcId"], vpc_id)
        self.assertEqual(group["OwnerId"], "000000000000")
        self.assertEqual(group["IpPermissions"], [])
        self.assertEqual(group["IpPermissionsEgress"],
                         [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                           "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}])
        self.assertEqual(group["Tags"], [{"Key": "Name", "Value": "web"}])
        self.failed_response("InvalidGroup.Duplicate", 400, self.ec2.create_security_group,
                             GroupName="web", Description="again", VpcId=vpc_id,
                             message=f"The security group 'web' already exists for VPC "
                                     f"'{vpc_id}'")
        # Without a VpcId: the default VPC's.
        in_default = self.group("web")
        default_vpc = self.ec2.describe_vpcs(
            Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
        self.assertEqual(self.ec2.describe_security_groups(GroupIds=[in_default])[
            "SecurityGroups"][0]["VpcId"], default_vpc)

        def names(*filters):
            groups = self.ec2.describe_security_groups(
                Filters=[{"Name": n, "Values": v} for n, v in filters])["SecurityGroups"]
            return sorted(g["GroupName"] for g in groups)

        self.assertEqual(names(("vpc-id", [vpc_id])), ["default", "web"])
        self.assertEqual(names(("group-name", ["web"])), ["web", "web"])
        self.assertEqual(names(("group-id", [group_id])), ["web"])
        self.assertEqual(names(("tag:Name", ["web"])), ["web"])
        self.assertEqual(self.ec2.describe_security_groups(GroupNames=["web"])[
            "SecurityGroups"][0]["GroupId"], in_default)

        self.ec2.delete_security_group(GroupId=group_id)
        self.failed_response("InvalidGroup.NotFound", 400, self.ec2.describe_security_groups,
                             GroupIds=[group_id],
                             message=f"The security group '{group_id}' does not exist")
        self.ec2.delete_security_group(GroupName="web")
        self.failed_response("InvalidGroup.NotFound", 400, self.ec2.delete_security_group,
                             GroupName="web")
        default_group = self.ec2.describe_security_groups(
            Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"][0]["GroupId"]
        self.failed_response("CannotDelete", 400, self.ec2.delete_security_group,
                             GroupId=default_group)

    def test_rules_round_trip(self):
        vpc_id = self.vpc()
        web = self.group("web", vpc_id)
        lb = self.group("lb", vpc_id)
        answer = self.ec2.authorize_security_group_ingress(GroupId=web, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
             "IpRanges": [{"CidrIp": "10.0.0.0/16", "Description": "vpc"},
                          {"CidrIp": "192.168.0.0/24"}],
             "Ipv6Ranges": [{"CidrIpv6": "::/0", "Description": "v6"}],
             "UserIdGroupPairs": [{"GroupId": lb, "Description": "from lb"}]},
            {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53,
             "PrefixListIds": [{"PrefixListId": "pl-12345678"}]},
            {"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1,
             "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        ])
        self.assertTrue(answer["Return"])
        rules = answer["SecurityGroupRules"]
        self.assertEqual(len(rules), 6)
        for rule in rules:
            self.assertRegex(rule["SecurityGroupRuleId"], r"^sgr-[0-9a-f]{17}$")
            self.assertEqual(rule["GroupId"], web)
            self.assertFalse(rule["IsEgress"])
        self.assertEqual(rules[0]["CidrIpv4"], "10.0.0.0/16")
        self.assertEqual(rules[0]["Description"], "vpc")
        self.assertEqual(rules[3]["ReferencedGroupInfo"]["GroupId"], lb)

        group = self.ec2.describe_security_groups(GroupIds=[web])["SecurityGroups"][0]
        self.assertEqual(group["IpPermissions"], [
            {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
             "IpRanges": [{"CidrIp": "10.0.0.0/16", "Description": "vpc"},
                          {"CidrIp": "192.168.0.0/24"}],
             "Ipv6Ranges": [{"CidrIpv6": "::/0", "Description": "v6"}],
             "PrefixListIds": [],
             "UserIdGroupPairs": [{"GroupId": lb, "UserId": "000000000000",
                                   "Description": "from lb"}]},
            {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "IpRanges": [],
             "Ipv6Ranges": [], "PrefixListIds": [{"PrefixListId": "pl-12345678"}],
             "UserIdGroupPairs": []},
            {"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1,
             "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [],
             "UserIdGroupPairs": []},
        ])
        described = self.ec2.describe_security_group_rules(
            Filters=[{"Name": "group-id", "Values": [web]}])["SecurityGroupRules"]
        self.assertEqual(len(described), 7)  # and the default egress rule
        self.assertEqual(sum(1 for r in described if r["IsEgress"]), 1)
        one = self.ec2.describe_security_group_rules(
            SecurityGroupRuleIds=[rules[0]["SecurityGroupRuleId"]])["SecurityGroupRules"]
        self.assertEqual(one[0]["CidrIpv4"], "10.0.0.0/16")

        self.failed_response(
            "InvalidPermission.Duplicate", 400, self.ec2.authorize_security_group_ingress,
            GroupId=web, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
                                         "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}],
            message='the specified rule "peer: 10.0.0.0/16, TCP, from port: 80, to port: 80, '
                    'ALLOW" already exists')
        # A protocol number is stored by name.
        self.ec2.authorize_security_group_egress(GroupId=web, IpPermissions=[
            {"IpProtocol": "6", "FromPort": 5432, "ToPort": 5432,
             "UserIdGroupPairs": [{"GroupId": lb}]}])
        egress = self.ec2.describe_security_groups(GroupIds=[web])["SecurityGroups"][0][
            "IpPermissionsEgress"]
        self.assertEqual([p["IpProtocol"] for p in egress], ["-1", "tcp"])

        self.ec2.revoke_security_group_ingress(GroupId=web, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
             "IpRanges": [{"CidrIp": "192.168.0.0/24"}]}])
        self.failed_response(
            "InvalidPermission.NotFound", 400, self.ec2.revoke_security_group_ingress,
            GroupId=web, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
                                         "IpRanges": [{"CidrIp": "192.168.0.0/24"}]}])
        revoked = self.ec2.revoke_security_group_ingress(
            GroupId=web, SecurityGroupRuleIds=[rules[5]["SecurityGroupRuleId"]])
        self.assertTrue(revoked["Return"])
        self.assertEqual(revoked["RevokedSecurityGroupRules"][0]["SecurityGroupRuleId"],
                         rules[5]["SecurityGroupRuleId"])
        self.ec2.revoke_security_group_egress(GroupId=web, IpPermissions=[
            {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        group = self.ec2.describe_security_groups(GroupIds=[web])["SecurityGroups"][0]
        self.assertEqual([p["IpProtocol"] for p in group["IpPermissions"]], ["tcp", "udp"])
        self.assertEqual(len(group["IpPermissions"][0]["IpRanges"]), 1)
        self.assertEqual([p["IpProtocol"] for p in group["IpPermissionsEgress"]], ["tcp"])

        # lb is named by web's rules: it cannot go before they do.
        self.failed_response("DependencyViolation", 400, self.ec2.delete_security_group,
                             GroupId=lb)

    def test_bad_rules(self):
        web = self.group("web")

        def bad(code, permission):
            self.failed_response(code, 400, self.ec2.authorize_security_group_ingress,
                                 GroupId=web, IpPermissions=[permission])

        bad("InvalidParameterValue", {"IpProtocol": "tcpx", "FromPort": 1, "ToPort": 2,
                                      "IpRanges": [{"CidrIp": "0.0.0.0/0"}]})
        bad("InvalidParameterValue", {"IpProtocol": "tcp", "FromPort": 90, "ToPort": 80,
                                      "IpRanges": [{"CidrIp": "0.0.0.0/0"}]})
        bad("InvalidParameterValue", {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 70000,
                                      "IpRanges": [{"CidrIp": "0.0.0.0/0"}]})
        bad("InvalidParameterValue", {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 2,
                                      "IpRanges": [{"CidrIp": "10.0.0/8"}]})
        bad("InvalidGroup.NotFound", {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 2,
                                      "UserIdGroupPairs": [{"GroupId": "sg-0123456789abcdef0"}]})
        self.failed_response("InvalidGroup.NotFound", 400,
                             self.ec2.authorize_security_group_ingress,
                             GroupId="sg-0123456789abcdef0",
                             IpPermissions=[{"IpProtocol": "-1",
                                             "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        self.failed_response("InvalidGroupId.Malformed", 400,
                             self.ec2.describe_security_groups, GroupIds=["web"])
        self.failed_response("InvalidParameterValue", 400, self.ec2.create_security_group,
                             GroupName="sg-bad", Description="x")
        # The older, flat form of one permission.
        self.ec2.authorize_security_group_ingress(GroupId=web, IpProtocol="tcp", FromPort=22,
                                                  ToPort=22, CidrIp="10.0.0.0/8")
        group = self.ec2.describe_security_groups(GroupIds=[web])["SecurityGroups"][0]
        self.assertEqual(group["IpPermissions"][0]["IpRanges"], [{"CidrIp": "10.0.0.0/8"}])

    def test_rule_descriptions_change_in_place(self):
        web = self.group("web")
        permission = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                      "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "old"}]}
        rule_id = self.ec2.authorize_security_group_ingress(
            GroupId=web, IpPermissions=[permission])["SecurityGroupRules"][0][
            "SecurityGroupRuleId"]
        permission["IpRanges"][0]["Description"] = "new"
        answer = self.ec2.update_security_group_rule_descriptions_ingress(
            GroupId=web, IpPermissions=[permission])
        self.assertTrue(answer["Return"])
        rule = self.ec2.describe_security_group_rules(
            SecurityGroupRuleIds=[rule_id])["SecurityGroupRules"][0]
        self.assertEqual(rule["Description"], "new")
        self.ec2.update_security_group_rule_descriptions_ingress(
            GroupId=web, SecurityGroupRuleDescriptions=[
                {"SecurityGroupRuleId": rule_id, "Description": "by id"}])
        group = self.ec2.describe_security_groups(GroupIds=[web])["SecurityGroups"][0]
        self.assertEqual(group["IpPermissions"][0]["IpRanges"],
                         [{"CidrIp": "10.0.0.0/8", "Description": "by id"}])
        permission["FromPort"] = permission["ToPort"] = 23
        self.failed_response("InvalidPermission.NotFound", 400,
                             self.ec2.update_security_group_rule_descriptions_ingress,
                             GroupId=web, IpPermissions=[permission])

    def test_modify_security_group_rules(self):
        web = self.group("web")
        rule_id = self.ec2.authorize_security_group_ingress(GroupId=web, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
             "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])["SecurityGroupRules"][0][
            "SecurityGroupRuleId"]
        answer = self.ec2.modify_security_group_rules(GroupId=web, SecurityGroupRules=[
            {"SecurityGroupRuleId": rule_id,
             "SecurityGroupRule": {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53,
                                   "CidrIpv4": "10.1.0.0/16", "Description": "dns"}}])
        self.assertTrue(answer["Return"])
        rule = self.ec2.describe_security_group_rules(
            SecurityGroupRuleIds=[rule_id])["SecurityGroupRules"][0]
        self.assertEqual((rule["IpProtocol"], rule["FromPort"], rule["ToPort"],
                          rule["CidrIpv4"], rule["Description"]),
                         ("udp", 53, 53, "10.1.0.0/16", "dns"))
        self.failed_response("InvalidSecurityGroupRuleId.NotFound", 400,
                             self.ec2.modify_security_group_rules, GroupId=web,
                             SecurityGroupRules=[{"SecurityGroupRuleId": "sgr-0123456789abcdef0",
                                                  "SecurityGroupRule": {"IpProtocol": "-1",
                                                                        "CidrIpv4": "0.0.0.0/0"}}])


class Ec2VpcDefaultsTest(Ec2TestCase):
    """What Terraform reads of a VPC besides the VPC: its default network ACL, its main route
    table, and its subnets' network interfaces (awsemu makes none)."""

    def test_default_network_acl_route_table_and_no_interfaces(self):
        vpc_id = self.vpc("10.4.0.0/16")
        subnet_id = self.subnet(vpc_id, "10.4.1.0/24")["SubnetId"]
        acls = self.ec2.describe_network_acls(Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "default", "Values": ["true"]}])["NetworkAcls"]
        self.assertEqual(len(acls), 1)
        self.assertRegex(acls[0]["NetworkAclId"], r"^acl-[0-9a-f]{17}$")
        self.assertTrue(acls[0]["IsDefault"])
        self.assertEqual(acls[0]["VpcId"], vpc_id)
        self.assertEqual(sorted((e["RuleNumber"], e["Egress"], e["RuleAction"])
                                for e in acls[0]["Entries"]),
                         [(100, False, "allow"), (100, True, "allow"), (32767, False, "deny"),
                          (32767, True, "deny")])
        self.assertEqual([a["SubnetId"] for a in acls[0]["Associations"]], [subnet_id])

        tables = self.ec2.describe_route_tables(Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "association.main", "Values": ["true"]}])["RouteTables"]
        self.assertEqual(len(tables), 1)
        self.assertRegex(tables[0]["RouteTableId"], r"^rtb-[0-9a-f]{17}$")
        self.assertEqual(tables[0]["Routes"], [{"DestinationCidrBlock": "10.4.0.0/16",
                                                "GatewayId": "local",
                                                "Origin": "CreateRouteTable",
                                                "State": "active"}])
        self.assertTrue(tables[0]["Associations"][0]["Main"])
        same = self.ec2.describe_route_tables(RouteTableIds=[tables[0]["RouteTableId"]])
        self.assertEqual(same["RouteTables"][0]["VpcId"], vpc_id)

        interfaces = self.ec2.describe_network_interfaces(
            Filters=[{"Name": "subnet-id", "Values": [subnet_id]}])
        self.assertEqual(interfaces["NetworkInterfaces"], [])
        self.failed_response("InvalidNetworkInterfaceID.NotFound", 400,
                             self.ec2.describe_network_interfaces,
                             NetworkInterfaceIds=["eni-0123456789abcdef0"])


class Ec2TagsTest(Ec2TestCase):

    def test_create_describe_delete_tags(self):
        vpc_id = self.vpc()
        subnet_id = self.subnet(vpc_id, "10.0.1.0/24")["SubnetId"]
        group_id = self.ec2.create_security_group(GroupName="g", Description="g",
                                                  VpcId=vpc_id)["GroupId"]
        self.ec2.create_tags(Resources=[vpc_id, subnet_id, group_id],
                             Tags=[{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": ""}])
        tags = self.ec2.describe_tags()["Tags"]
        self.assertEqual(len(tags), 6)
        self.assertIn({"ResourceId": subnet_id, "ResourceType": "subnet", "Key": "env",
                       "Value": "dev"}, tags)
        self.assertIn({"ResourceId": group_id, "ResourceType": "security-group", "Key": "team",
                       "Value": ""}, tags)

        def described(*filters):
            return self.ec2.describe_tags(
                Filters=[{"Name": n, "Values": v} for n, v in filters])["Tags"]

        self.assertEqual(len(described(("resource-type", ["vpc"]))), 2)
        self.assertEqual(len(described(("resource-id", [vpc_id, group_id]), ("key", ["env"]))), 2)
        self.assertEqual(len(described(("value", ["de*"]))), 3)
        # Overwriting a value, and the resource shows its tags.
        self.ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "env", "Value": "prod"}])
        vpc = self.ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in vpc["Tags"]),
                         [("env", "prod"), ("team", "")])
        # DeleteTags: a value deletes only that value; a key alone whatever the value.
        self.ec2.delete_tags(Resources=[vpc_id], Tags=[{"Key": "env", "Value": "dev"}])
        self.assertEqual(len(described(("resource-id", [vpc_id]))), 2)
        self.ec2.delete_tags(Resources=[vpc_id], Tags=[{"Key": "env"}])
        self.assertEqual([t["Key"] for t in described(("resource-id", [vpc_id]))], ["team"])
        self.ec2.delete_tags(Resources=[subnet_id])
        self.assertEqual(described(("resource-id", [subnet_id])), [])

        pages = list(self.ec2.get_paginator("describe_tags").paginate(
            PaginationConfig={"PageSize": 5}))
        self.assertEqual(sum(len(p["Tags"]) for p in pages), 3)

        self.failed_response("InvalidVpcID.NotFound", 400, self.ec2.create_tags,
                             Resources=["vpc-0123456789abcdef0"], Tags=[{"Key": "a", "Value": "b"}])
        self.failed_response("InvalidID", 400, self.ec2.create_tags, Resources=["i-1234"],
                             Tags=[{"Key": "a", "Value": "b"}])
        self.failed_response("InvalidParameterValue", 400, self.ec2.create_tags,
                             Resources=[vpc_id], Tags=[{"Key": "aws:reserved", "Value": "b"}])
        self.failed_response("TagLimitExceeded", 400, self.ec2.create_tags, Resources=[vpc_id],
                             Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)])


if __name__ == "__main__":
    unittest.main()
