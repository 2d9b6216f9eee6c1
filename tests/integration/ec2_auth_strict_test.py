"""EC2 under --auth strict: the right secret works, a wrong secret or an unknown key is EC2's
AuthFailure (HTTP 401) in EC2's error shape."""

import unittest

from botocore.exceptions import ClientError

from harness import AwsemuServer, AwsemuTestCase

KEY = "AKIDSTRICTEC2"
SECRET = "goodsecret"


class Ec2StrictAuthTest(AwsemuTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = AwsemuServer(auth="strict", credentials=(f"{KEY}:{SECRET}",)).start()

    def test_the_right_secret_succeeds(self):
        ec2 = self.server.client("ec2", key=KEY, secret=SECRET)
        self.assertEqual(len(ec2.describe_availability_zones()["AvailabilityZones"]), 6)

    def test_a_wrong_secret_and_an_unknown_key_are_auth_failures(self):
        for key, secret in ((KEY, "badsecret"), ("AKIDNOBODY", SECRET)):
            with self.subTest(key=key, secret=secret):
                with self.assertRaises(ClientError) as context:
                    self.server.client("ec2", key=key, secret=secret).describe_vpcs()
                response = context.exception.response
                self.assertEqual(response["Error"]["Code"], "AuthFailure", response)
                self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 401, response)


if __name__ == "__main__":
    unittest.main()
