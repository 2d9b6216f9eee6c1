#!/usr/bin/env python3
"""Put a target behind an awsemu ALB listener through boto3, and print the listener's URL:
alb_setup.py ENDPOINT TARGET_PORT.

Creates a load balancer (in the default VPC's first two subnets), an ip target group with the
shortest health check AWS allows (every 5 s, healthy after 2 passes, GET /), registers
127.0.0.1:TARGET_PORT, adds an HTTP listener on port 80 forwarding to the group, waits until
DescribeTargetHealth says "healthy" (at most 60 s), then reads the listener's local URL from
GET /_awsemu/status. Exits non-zero, with the reason, if any step fails.
"""
import json
import sys
import time
import urllib.request

import boto3
from botocore.config import Config

endpoint, target_port = sys.argv[1], int(sys.argv[2])


def client(service):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=30),
    )


ec2, elb = client("ec2"), client("elbv2")
subnets = sorted(ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"],
                 key=lambda s: s["AvailabilityZone"])
lb = elb.create_load_balancer(Name="bench", Subnets=[s["SubnetId"] for s in subnets[:2]])["LoadBalancers"][0]
group = elb.create_target_group(
    Name="bench", Protocol="HTTP", Port=target_port, VpcId=subnets[0]["VpcId"], TargetType="ip",
    HealthCheckPath="/", HealthCheckIntervalSeconds=5, HealthCheckTimeoutSeconds=2,
    HealthyThresholdCount=2, UnhealthyThresholdCount=2)["TargetGroups"][0]
group_arn = group["TargetGroupArn"]
elb.register_targets(TargetGroupArn=group_arn, Targets=[{"Id": "127.0.0.1", "Port": target_port}])
listener = elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
                               DefaultActions=[{"Type": "forward", "TargetGroupArn": group_arn}])["Listeners"][0]

deadline = time.monotonic() + 60
state = None
while time.monotonic() < deadline:
    health = elb.describe_target_health(TargetGroupArn=group_arn)["TargetHealthDescriptions"]
    state = health[0]["TargetHealth"]["State"] if health else None
    if state == "healthy":
        break
    time.sleep(0.1)
else:
    sys.exit(f"alb_setup: the target is still {state!r} after 60 s")

url = None
while url is None and time.monotonic() < deadline:
    with urllib.request.urlopen(endpoint + "/_awsemu/status", timeout=10) as response:
        status = json.load(response)
    url = next((l["url"] for b in status["load_balancers"] for l in b["listeners"]
                if l["arn"] == listener["ListenerArn"]), None)
    if url is None:
        time.sleep(0.1)
if url is None:
    sys.exit("alb_setup: the listener has no URL in /_awsemu/status")
print(url)
