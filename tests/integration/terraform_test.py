"""Terraform's AWS provider against awsemu: apply, a plan with no drift, destroy; for Secrets
Manager (terraform/secrets.tf), for S3 with SQS (terraform/storage.tf), for an ECS cluster with
task definitions (terraform/ecs.tf), for the EC2 network (terraform/network.tf), for
CloudWatch Logs (terraform/logs.tf) and for an application load balancer with its target
groups, listeners and a rule (terraform/elbv2.tf)."""

import glob
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from harness import AwsemuTestCase

HERE = os.path.dirname(os.path.abspath(__file__))
TERRAFORM = shutil.which("terraform")
# The image carries an offline copy of the provider; no registry is reachable.
PROVIDER_MIRRORS = [
    path.split("/registry.terraform.io/")[0]
    for pattern in ("/opt/tf-plugins", os.path.expanduser("~/.terraform.d/plugins"))
    for path in glob.glob(pattern + "/registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws*")
]


@unittest.skipUnless(TERRAFORM and PROVIDER_MIRRORS, "terraform and an offline AWS provider are needed")
class TerraformTestCase(AwsemuTestCase):
    """Runs one configuration under terraform/ in a directory of its own."""
    configuration = None

    def setUp(self):
        super().setUp()
        self.work = tempfile.mkdtemp(prefix="awsemu-tf-")
        for name in ("provider.tf", self.configuration):
            shutil.copy(os.path.join(HERE, "terraform", name), self.work)
        config = os.path.join(self.work, "terraformrc")
        with open(config, "w") as f:
            f.write('provider_installation {\n'
                    f'  filesystem_mirror {{\n    path = "{PROVIDER_MIRRORS[0]}"\n  }}\n'
                    '}\n')
        self.env = dict(os.environ, TF_CLI_CONFIG_FILE=config, TF_IN_AUTOMATION="1",
                        CHECKPOINT_DISABLE="1", TF_VAR_endpoint=self.server.endpoint)
        for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
            self.env.pop(name, None)
        self.terraform("init", "-input=false", "-no-color")

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def terraform(self, *args, check=True):
        result = subprocess.run([TERRAFORM, *args], cwd=self.work, env=self.env,
                                capture_output=True, text=True, timeout=300)
        if check and result.returncode not in (0, 2):
            self.fail(f"terraform {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def apply(self):
        self.terraform("apply", "-auto-approve", "-input=false", "-no-color")
        return {name: output["value"]
                for name, output in json.loads(self.terraform("output", "-json").stdout).items()}

    def assert_no_drift(self):
        """Terraform reads back what it wrote: any difference would show up as drift."""
        plan = self.terraform("plan", "-detailed-exitcode", "-input=false", "-no-color")
        self.assertEqual(plan.returncode, 0, f"unexpected drift:\n{plan.stdout}")

    def destroy(self):
        self.terraform("destroy", "-auto-approve", "-input=false", "-no-color")


class TerraformSecretsTest(TerraformTestCase):
    configuration = "secrets.tf"

    def test_apply_refresh_without_drift_and_destroy(self):
        outputs = self.apply()
        self.assertEqual(outputs["account_id"], "000000000000")
        arn = outputs["secret_arn"]
        self.assertRegex(arn, r"^arn:aws:secretsmanager:us-east-1:000000000000:secret:pyshop/DATABASE_URL-[A-Za-z0-9]{6}$")

        sm = self.server.client("secretsmanager")
        value = json.loads(sm.get_secret_value(SecretId="pyshop/DATABASE_URL")["SecretString"])
        self.assertEqual(value, {"url": "postgres://app:pw@db:5432/app"})
        described = sm.describe_secret(SecretId=arn)
        self.assertEqual(described["Description"], "connection string for the API")
        self.assertEqual(described["Tags"], [{"Key": "app", "Value": "pyshop"}])
        policy = json.loads(sm.get_resource_policy(SecretId=arn)["ResourcePolicy"])
        self.assertEqual(policy["Statement"][0]["Action"], "secretsmanager:GetSecretValue")

        self.assert_no_drift()
        self.destroy()
        listed = sm.list_secrets(IncludePlannedDeletion=True)["SecretList"]
        self.assertEqual(len(listed), 1)
        self.assertIn("DeletedDate", listed[0])  # scheduled for deletion, 7-day window
        self.assertEqual(sm.list_secrets()["SecretList"], [])


class TerraformStorageTest(TerraformTestCase):
    configuration = "storage.tf"

    def test_apply_refresh_without_drift_and_destroy(self):
        outputs = self.apply()
        s3, sqs = self.server.client("s3"), self.server.client("sqs")
        self.assertEqual(outputs["bucket_arn"], "arn:aws:s3:::pyshop-assets")
        self.assertEqual(s3.get_bucket_versioning(Bucket="pyshop-assets")["Status"], "Enabled")
        rules = s3.get_bucket_lifecycle_configuration(Bucket="pyshop-assets")["Rules"]
        self.assertEqual([(r["ID"], r["Expiration"]["Days"]) for r in rules], [("tmp", 7)])
        self.assertEqual(s3.get_object(Bucket="pyshop-assets", Key="site/index.html")
                         ["Body"].read(), b"<h1>pyshop</h1>")
        attributes = sqs.get_queue_attributes(QueueUrl=outputs["queue_url"],
                                              AttributeNames=["All"])["Attributes"]
        self.assertEqual(attributes["VisibilityTimeout"], "60")
        self.assertEqual(json.loads(attributes["RedrivePolicy"])["maxReceiveCount"], 5)

        # The notification configuration Terraform wrote delivers.
        s3.put_object(Bucket="pyshop-assets", Key="uploads/photo.jpg", Body=b"jpeg")
        events = []
        for _ in range(20):
            for message in sqs.receive_message(QueueUrl=outputs["queue_url"],
                                               WaitTimeSeconds=1).get("Messages", []):
                events += json.loads(message["Body"]).get("Records", [])
            if events:
                break
        self.assertEqual([e["s3"]["object"]["key"] for e in events], ["uploads/photo.jpg"])

        self.assert_no_drift()
        self.destroy()
        self.assertEqual(s3.list_buckets()["Buckets"], [])
        self.assertEqual(sqs.list_queues().get("QueueUrls", []), [])


class TerraformEcsTest(TerraformTestCase):
    configuration = "ecs.tf"

    def test_apply_refresh_without_drift_and_destroy(self):
        outputs = self.apply()
        ecs = self.server.client("ecs")
        self.assertEqual(outputs["cluster_arn"], "arn:aws:ecs:us-east-1:000000000000:cluster/pyshop")
        self.assertEqual(outputs["api_task_definition_arn"],
                         "arn:aws:ecs:us-east-1:000000000000:task-definition/pyshop-api:1")
        cluster = ecs.describe_clusters(clusters=["pyshop"], include=["TAGS", "SETTINGS"])
        cluster = cluster["clusters"][0]
        self.assertEqual(cluster["settings"], [{"name": "containerInsights", "value": "enabled"}])
        self.assertEqual(cluster["tags"], [{"key": "app", "value": "pyshop"}])
        td = ecs.describe_task_definition(taskDefinition="pyshop-api", include=["TAGS"])
        self.assertEqual(td["tags"], [{"key": "app", "value": "pyshop"}])
        api = td["taskDefinition"]["containerDefinitions"][0]
        self.assertEqual(api["secrets"][0]["name"], "DATABASE_URL")
        self.assertEqual(api["logConfiguration"]["options"]["awslogs-group"], "/ecs/pyshop-api")
        self.assertEqual(api["portMappings"][0]["hostPort"], 8000)
        self.assert_no_drift()

        # A new image replaces the task definition: revision 2, revision 1 deregistered.
        self.env["TF_VAR_api_image"] = "python:3.13-slim"
        outputs = self.apply()
        self.assertEqual(outputs["api_revision"], 2)
        self.assertEqual(ecs.describe_task_definition(taskDefinition="pyshop-api:1")
                         ["taskDefinition"]["status"], "INACTIVE")
        self.assertEqual(ecs.describe_task_definition(taskDefinition="pyshop-api")
                         ["taskDefinition"]["containerDefinitions"][0]["image"],
                         "python:3.13-slim")
        self.assert_no_drift()
        self.destroy()
        self.assertEqual(ecs.describe_clusters(clusters=["pyshop"])["clusters"][0]["status"],
                         "INACTIVE")
        self.assertEqual(ecs.list_task_definitions()["taskDefinitionArns"], [])
        self.assertEqual(ecs.list_task_definitions(status="INACTIVE")["taskDefinitionArns"],
                         ["arn:aws:ecs:us-east-1:000000000000:task-definition/pyshop-api:1",
                          "arn:aws:ecs:us-east-1:000000000000:task-definition/pyshop-api:2",
                          "arn:aws:ecs:us-east-1:000000000000:task-definition/pyshop-worker:1"])
class TerraformNetworkTest(TerraformTestCase):
    configuration = "network.tf"

    def test_apply_refresh_without_drift_and_destroy(self):
        outputs = self.apply()
        ec2 = self.server.client("ec2")
        vpc = ec2.describe_vpcs(VpcIds=[outputs["vpc_id"]])["Vpcs"][0]
        self.assertEqual(vpc["CidrBlock"], "10.0.0.0/16")
        self.assertEqual(vpc["Tags"], [{"Key": "Name", "Value": "pyshop"}])
        self.assertEqual(ec2.describe_vpc_attribute(VpcId=vpc["VpcId"], Attribute="enableDnsHostnames")
                         ["EnableDnsHostnames"], {"Value": True})
        self.assertEqual(outputs["subnet_zones"], ["us-east-1a", "us-east-1b"])
        subnets = ec2.describe_subnets(SubnetIds=outputs["subnet_ids"])["Subnets"]
        self.assertEqual(sorted(s["CidrBlock"] for s in subnets), ["10.0.0.0/24", "10.0.1.0/24"])
        self.assertTrue(all(s["MapPublicIpOnLaunch"] for s in subnets))

        alb = ec2.describe_security_groups(GroupIds=[outputs["alb_group_id"]])["SecurityGroups"][0]
        self.assertEqual(sorted((p["FromPort"], p["IpRanges"][0]["Description"])
                                for p in alb["IpPermissions"]), [(80, "http"), (443, "https")])
        https = [p for p in alb["IpPermissions"] if p["FromPort"] == 443][0]
        self.assertEqual(https["Ipv6Ranges"], [{"CidrIpv6": "::/0", "Description": "https"}])
        self.assertEqual([p["IpProtocol"] for p in alb["IpPermissionsEgress"]], ["-1"])
        app = ec2.describe_security_groups(GroupIds=[outputs["app_group_id"]])["SecurityGroups"][0]
        self.assertEqual(app["IpPermissions"][0]["UserIdGroupPairs"][0]["GroupId"],
                         outputs["alb_group_id"])
        db_rules = ec2.describe_security_group_rules(
            Filters=[{"Name": "group-id", "Values": [outputs["db_group_id"]]}])["SecurityGroupRules"]
        ingress = [r for r in db_rules if not r["IsEgress"]]
        egress = [r for r in db_rules if r["IsEgress"]]
        self.assertEqual([(r["FromPort"], r["ReferencedGroupInfo"]["GroupId"], r["Description"])
                          for r in ingress], [(5432, outputs["app_group_id"], "postgres from the app")])
        self.assertEqual(ingress[0]["Tags"], [{"Key": "Name", "Value": "db-from-app"}])
        self.assertEqual([(r["IpProtocol"], r["CidrIpv4"]) for r in egress], [("-1", "10.0.0.0/16")])

        self.assert_no_drift()
        self.destroy()
        vpcs = ec2.describe_vpcs()["Vpcs"]
        self.assertEqual([v["IsDefault"] for v in vpcs], [True])  # only the default VPC is left
        self.assertEqual([g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]],
                         ["default"])
class TerraformLogsTest(TerraformTestCase):
    configuration = "logs.tf"

    def test_apply_refresh_without_drift_and_destroy(self):
        outputs = self.apply()
        self.assertEqual(outputs["log_group_arn"],
                         "arn:aws:logs:us-east-1:000000000000:log-group:/ecs/pyshop-api")
        logs = self.server.client("logs")
        groups = logs.describe_log_groups(logGroupNamePrefix="/ecs/pyshop")["logGroups"]
        self.assertEqual([(g["logGroupName"], g.get("retentionInDays")) for g in groups],
                         [("/ecs/pyshop-api", 14), ("/ecs/pyshop-web", None)])
        tags = logs.list_tags_for_resource(resourceArn=outputs["log_group_arn"])["tags"]
        self.assertEqual(tags, {"app": "pyshop", "tier": "api"})

        self.assert_no_drift()
        self.destroy()
        self.assertEqual(logs.describe_log_groups()["logGroups"], [])


class TerraformElbv2Test(TerraformTestCase):
    configuration = "elbv2.tf"

    def test_apply_refresh_without_drift_and_destroy(self):
        outputs = self.apply()
        elb = self.server.client("elbv2")
        lb = elb.describe_load_balancers(LoadBalancerArns=[outputs["lb_arn"]])["LoadBalancers"][0]
        self.assertEqual(lb["DNSName"], outputs["lb_dns_name"])
        self.assertEqual(lb["State"], {"Code": "active"})
        attributes = {a["Key"]: a["Value"] for a in elb.describe_load_balancer_attributes(
            LoadBalancerArn=outputs["lb_arn"])["Attributes"]}
        self.assertEqual(attributes["idle_timeout.timeout_seconds"], "120")
        listeners = elb.describe_listeners(LoadBalancerArn=outputs["lb_arn"])["Listeners"]
        self.assertEqual([(l["Port"], l["DefaultActions"][0]["Type"]) for l in listeners],
                         [(80, "redirect"), (443, "forward")])
        rules = elb.describe_rules(ListenerArn=outputs["https_listener_arn"])["Rules"]
        self.assertEqual([r["Priority"] for r in rules], ["10", "default"])
        self.assertEqual(rules[0]["Actions"][0]["TargetGroupArn"], outputs["api_target_group_arn"])
        api = elb.describe_target_groups(
            TargetGroupArns=[outputs["api_target_group_arn"]])["TargetGroups"][0]
        self.assertEqual((api["HealthCheckPath"], api["Matcher"]), ("/healthz", {"HttpCode": "200-299"}))
        self.assertEqual(api["LoadBalancerArns"], [outputs["lb_arn"]])

        self.assert_no_drift()
        self.destroy()
        self.assertEqual(elb.describe_load_balancers()["LoadBalancers"], [])
        self.assertEqual(elb.describe_target_groups()["TargetGroups"], [])


if __name__ == "__main__":
    unittest.main()
