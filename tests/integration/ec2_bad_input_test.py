"""Bad input sent to EC2, through boto3 without its client-side checks and as raw forms: every
case gets EC2's error shape (<Response><Errors><Error>, RequestID), AWS's code and HTTP status,
and afterwards the server still serves and what was stored before is still there."""

import unittest
import urllib.parse
import xml.etree.ElementTree as ElementTree

import boto3
from botocore.config import Config

from harness import AwsemuTestCase

FORM = "application/x-www-form-urlencoded; charset=utf-8"
EC2_AUTH = ("AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/ec2/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=0000")


class Ec2BadInputTest(AwsemuTestCase):

    def setUp(self):
        self.server.reset()
        self.ec2 = self.server.client("ec2")
        self.vpc_id = self.ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
        # boto3 without its own parameter checks, to put on the wire what it would refuse.
        self.loose = boto3.client("ec2", endpoint_url=self.server.endpoint,
                                  region_name="us-east-1", aws_access_key_id="test",
                                  aws_secret_access_key="test",
                                  config=Config(parameter_validation=False,
                                                retries={"max_attempts": 1}))

    def tearDown(self):
        status, _, _ = self.server.http("GET", "/_awsemu/health")
        self.assertEqual(status, 200)
        vpcs = self.ec2.describe_vpcs(VpcIds=[self.vpc_id])["Vpcs"]
        self.assertEqual(vpcs[0]["CidrBlock"], "10.9.0.0/16")

    def raw(self, params, signed=True):
        headers = {"Content-Type": FORM}
        if signed:
            headers.update({"Authorization": EC2_AUTH, "X-Amz-Date": "20240101T000000Z"})
        body = urllib.parse.urlencode(params).encode()
        return self.server.http("POST", "/", body, headers)

    def assertEc2Error(self, answer, code, status=400):
        got_status, headers, body = answer
        self.assertEqual(got_status, status, body)
        root = ElementTree.fromstring(body)
        self.assertEqual(root.tag, "Response", body)
        self.assertEqual(root.findtext("Errors/Error/Code"), code, body)
        self.assertTrue(root.findtext("Errors/Error/Message"), body)
        request_id = root.findtext("RequestID")
        self.assertTrue(request_id, body)
        lowered = {key.lower(): value for key, value in headers.items()}
        self.assertEqual(lowered.get("x-amzn-requestid"), request_id)
        return root.findtext("Errors/Error/Message")

    def test_unknown_and_missing_action(self):
        message = self.assertEc2Error(
            self.raw({"Action": "LaunchRockets", "Version": "2016-11-15"}), "InvalidAction")
        self.assertEqual(message, "The action LaunchRockets is not valid for this web service.")
        self.assertEc2Error(self.raw({"Version": "2016-11-15"}), "MissingAction")
        # Routed by the form's Version alone, without a signature.
        self.assertEc2Error(self.raw({"Action": "Nope", "Version": "2016-11-15"}, signed=False),
                            "InvalidAction")

    def test_a_good_raw_request_answers_ec2_xml(self):
        status, _, body = self.raw({"Action": "DescribeVpcs", "Version": "2016-11-15",
                                    "VpcId.1": self.vpc_id})
        self.assertEqual(status, 200, body)
        ns = "{http://ec2.amazonaws.com/doc/2016-11-15/}"
        root = ElementTree.fromstring(body)
        self.assertEqual(root.tag, ns + "DescribeVpcsResponse")
        self.assertTrue(root.findtext(ns + "requestId"))
        items = root.findall(f"{ns}vpcSet/{ns}item")
        self.assertEqual([i.findtext(ns + "vpcId") for i in items], [self.vpc_id])
        self.assertEqual(items[0].findtext(ns + "isDefault"), "false")

    def test_wrong_types(self):
        self.assertEc2Error(self.raw({"Action": "DescribeVpcs", "Version": "2016-11-15",
                                      "MaxResults": "many"}), "InvalidParameterValue")
        self.assertEc2Error(self.raw({"Action": "DescribeVpcs", "Version": "2016-11-15",
                                      "DryRun": "perhaps"}), "InvalidParameterValue")
        self.assertEc2Error(self.raw({"Action": "AuthorizeSecurityGroupIngress",
                                      "Version": "2016-11-15", "GroupId": "sg-0123456789abcdef0",
                                      "IpPermissions.1.FromPort": "eighty"}),
                            "InvalidParameterValue")

    def test_malformed_filters(self):
        self.assertEc2Error(self.raw({"Action": "DescribeSubnets", "Version": "2016-11-15",
                                      "Filter.1.Value.1": "x"}), "InvalidParameterValue")
        self.assertEc2Error(self.raw({"Action": "DescribeSubnets", "Version": "2016-11-15",
                                      "Filter.1.Name": "no-such-filter",
                                      "Filter.1.Value.1": "x"}), "InvalidParameterValue")
        # A filter without values matches nothing, as on AWS.
        status, _, body = self.raw({"Action": "DescribeVpcs", "Version": "2016-11-15",
                                    "Filter.1.Name": "vpc-id"})
        self.assertEqual(status, 200, body)

    def test_bad_values_through_boto3(self):
        cases = [
            ("InvalidParameterValue", self.loose.describe_vpcs, {"MaxResults": 4}),
            ("InvalidParameterValue", self.loose.describe_vpcs, {"MaxResults": 1001}),
            ("InvalidPaginationToken", self.loose.describe_vpcs,
             {"MaxResults": 5, "NextToken": "%%%not-a-token"}),
            ("MissingParameter", self.loose.create_vpc, {}),
            ("InvalidParameterValue", self.loose.create_vpc, {"CidrBlock": "10.0.0.1/16"}),
            ("InvalidParameterValue", self.loose.create_vpc, {"CidrBlock": "::/0"}),
            ("InvalidVpc.Range", self.loose.create_vpc, {"CidrBlock": "0.0.0.0/0"}),
            ("MissingParameter", self.loose.create_subnet, {"CidrBlock": "10.9.0.0/24"}),
            ("InvalidSubnet.Range", self.loose.create_subnet,
             {"VpcId": self.vpc_id, "CidrBlock": "172.16.0.0/24"}),
            ("InvalidParameterCombination", self.loose.create_subnet,
             {"VpcId": self.vpc_id, "CidrBlock": "10.9.0.0/24", "AvailabilityZone": "us-east-1a",
              "AvailabilityZoneId": "use1-az1"}),
            ("InvalidVpcID.Malformed", self.loose.delete_vpc, {"VpcId": "banana"}),
            ("MissingParameter", self.loose.delete_vpc, {}),
            ("MissingParameter", self.loose.create_security_group, {"GroupName": "x"}),
            ("InvalidParameterValue", self.loose.create_security_group,
             {"GroupName": "default", "Description": "x", "VpcId": self.vpc_id}),
            ("InvalidParameterValue", self.loose.create_vpc,
             {"CidrBlock": "10.0.0.0/16",
              "TagSpecifications": [{"ResourceType": "subnet",
                                     "Tags": [{"Key": "a", "Value": "b"}]}]}),
            ("InvalidParameterValue", self.loose.describe_vpc_attribute,
             {"VpcId": self.vpc_id, "Attribute": "colour"}),
            ("MissingParameter", self.loose.modify_vpc_attribute, {"VpcId": self.vpc_id}),
            ("InvalidParameterValue", self.loose.describe_availability_zones,
             {"ZoneIds": ["use1-az9"]}),
            ("MissingParameter", self.loose.authorize_security_group_ingress,
             {"GroupName": "default"}),
            ("MissingParameter", self.loose.create_tags, {"Resources": [self.vpc_id]}),
        ]
        for code, call, params in cases:
            with self.subTest(code=code, call=call.__name__, params=params):
                self.failed_response(code, 400, call, **params)


if __name__ == "__main__":
    unittest.main()
