#!/usr/bin/env python3
"""Create the benchmark's secret through boto3 and read it back: seed_secret.py ENDPOINT VALUE.

Exits non-zero (with the error) if the secret cannot be created or read back with VALUE.
An existing secret of that name (a reused state directory) is updated instead.
"""
import sys

import boto3
from botocore.config import Config

endpoint, value = sys.argv[1], sys.argv[2]
client = boto3.client(
    "secretsmanager",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
    config=Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=30),
)
try:
    arn = client.create_secret(Name="bench-secret", SecretString=value)["ARN"]
except client.exceptions.ResourceExistsException:
    arn = client.put_secret_value(SecretId="bench-secret", SecretString=value)["ARN"]
got = client.get_secret_value(SecretId="bench-secret")["SecretString"]
if got != value:
    sys.exit(f"seed_secret: read back {got!r}, expected {value!r}")
print(arn)
