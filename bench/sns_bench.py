"""Helpers of bench/run_sns.sh, against awsemu or moto at ENDPOINT:

  sns_bench.py setup ENDPOINT SUBSCRIBERS [raw|envelope]
                                             creates a topic and SUBSCRIBERS queues subscribed to
                                             it (raw delivery, or AWS's signed envelope); prints
                                             the topic ARN
  sns_bench.py depth ENDPOINT                prints how many messages each bench queue holds
  sns_bench.py latency ENDPOINT SAMPLES      publish -> visible in SQS, one message at a time:
                                             prints p50 and p99 in milliseconds

The latency client speaks plain HTTP (query protocol for SNS, JSON for SQS) on kept-alive
connections, so that what it measures is the servers, not an SDK's request building."""

import http.client
import json
import sys
import time
import urllib.parse

import boto3

QUEUE_PREFIX = "bench-sns-"
AUTH = ("AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service}/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64)


def clients(endpoint):
    options = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                   aws_secret_access_key="test")
    return boto3.client("sns", **options), boto3.client("sqs", **options)


def setup(endpoint, subscribers, delivery="raw"):
    sns, sqs = clients(endpoint)
    topic = sns.create_topic(Name="bench-topic")["TopicArn"]
    for i in range(subscribers):
        url = sqs.create_queue(QueueName=f"{QUEUE_PREFIX}{i}")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn,
                      Attributes={"RawMessageDelivery": str(delivery == "raw").lower()})
    return topic


def depth(endpoint):
    _, sqs = clients(endpoint)
    counts = []
    for url in sqs.list_queues(QueueNamePrefix=QUEUE_PREFIX).get("QueueUrls", []):
        counts.append(int(sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"][
            "ApproximateNumberOfMessages"]))
    print(" ".join(str(c) for c in counts))


def latency(endpoint, samples):
    topic = setup(endpoint, 1)
    _, sqs = clients(endpoint)
    queue_url = sqs.get_queue_url(QueueName=f"{QUEUE_PREFIX}0")["QueueUrl"]
    parsed = urllib.parse.urlparse(endpoint)
    sns_conn = http.client.HTTPConnection(parsed.hostname, parsed.port)
    sqs_conn = http.client.HTTPConnection(parsed.hostname, parsed.port)
    publish_body = urllib.parse.urlencode({"Action": "Publish", "Version": "2010-03-31",
                                           "TopicArn": topic, "Message": "latency probe"})
    sns_headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                   "X-Amz-Date": "20260101T000000Z", "Authorization": AUTH.format(service="sns")}
    sqs_headers = {"Content-Type": "application/x-amz-json-1.0",
                   "X-Amz-Date": "20260101T000000Z", "Authorization": AUTH.format(service="sqs")}

    def sqs_call(operation, body):
        sqs_conn.request("POST", "/", json.dumps(body),
                         dict(sqs_headers, **{"X-Amz-Target": "AmazonSQS." + operation}))
        response = sqs_conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise SystemExit(f"{operation} answered {response.status}: {data[:200]}")
        return json.loads(data or b"{}")

    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        sns_conn.request("POST", "/", publish_body, sns_headers)
        response = sns_conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise SystemExit(f"Publish answered {response.status}: {data[:200]}")
        while True:
            messages = sqs_call("ReceiveMessage", {"QueueUrl": queue_url, "WaitTimeSeconds": 5,
                                                   "MaxNumberOfMessages": 1}).get("Messages", [])
            if messages:
                break
        timings.append(time.perf_counter() - started)
        sqs_call("DeleteMessage", {"QueueUrl": queue_url,
                                   "ReceiptHandle": messages[0]["ReceiptHandle"]})
    timings.sort()
    pick = lambda q: timings[min(len(timings) - 1, int(q * len(timings)))] * 1000
    print(f"{pick(0.50):.2f} {pick(0.99):.2f}")


if __name__ == "__main__":
    command, endpoint = sys.argv[1], sys.argv[2]
    if command == "setup":
        print(setup(endpoint, int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else "raw"))
    elif command == "depth":
        depth(endpoint)
    elif command == "latency":
        latency(endpoint, int(sys.argv[3]))
    else:
        raise SystemExit(__doc__)
