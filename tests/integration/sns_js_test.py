"""The AWS SDK for JavaScript v3 as an SNS client (@aws-sdk/client-sns, with client-sqs for the
subscribed queue): topics, subscriptions, Publish and PublishBatch, and AWS's errors as the SDK
maps them."""

import json
import unittest

from harness import AwsemuTestCase

FANOUT = r"""
const sns = require("@aws-sdk/client-sns");
const sqs = require("@aws-sdk/client-sqs");

async function main() {
  const topics = new sns.SNSClient({});
  const queues = new sqs.SQSClient({});
  const { TopicArn } = await topics.send(new sns.CreateTopicCommand({
    Name: "js-topic", Attributes: { DisplayName: "From JS" }, Tags: [{ Key: "k", Value: "v" }],
  }));
  const { QueueUrl } = await queues.send(new sqs.CreateQueueCommand({ QueueName: "js-queue" }));
  const { Attributes } = await queues.send(new sqs.GetQueueAttributesCommand({
    QueueUrl, AttributeNames: ["QueueArn"] }));
  const { SubscriptionArn } = await topics.send(new sns.SubscribeCommand({
    TopicArn, Protocol: "sqs", Endpoint: Attributes.QueueArn,
    Attributes: { RawMessageDelivery: "true", FilterPolicy: JSON.stringify({ kind: ["keep"] }) },
  }));
  const published = await topics.send(new sns.PublishCommand({
    TopicArn, Message: "kept", MessageAttributes: { kind: { DataType: "String", StringValue: "keep" } },
  }));
  const batch = await topics.send(new sns.PublishBatchCommand({
    TopicArn, PublishBatchRequestEntries: [
      { Id: "a", Message: "dropped", MessageAttributes: { kind: { DataType: "String", StringValue: "drop" } } },
      { Id: "b", Message: "kept too", MessageAttributes: { kind: { DataType: "String", StringValue: "keep" } } },
    ],
  }));
  const received = [];
  for (let i = 0; i < 50 && received.length < 2; i++) {
    const { Messages } = await queues.send(new sqs.ReceiveMessageCommand({
      QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const m of Messages ?? []) received.push(m.Body);
  }
  const attributes = await topics.send(new sns.GetTopicAttributesCommand({ TopicArn }));
  const listed = await topics.send(new sns.ListSubscriptionsByTopicCommand({ TopicArn }));
  const tags = await topics.send(new sns.ListTagsForResourceCommand({ ResourceArn: TopicArn }));
  let missing;
  try {
    await topics.send(new sns.GetTopicAttributesCommand({ TopicArn: TopicArn + "-missing" }));
  } catch (error) {
    missing = { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
  }
  console.log(JSON.stringify({
    TopicArn, SubscriptionArn, MessageId: published.MessageId,
    successful: batch.Successful.map((e) => e.Id).sort(), failed: batch.Failed ?? [],
    received: received.sort(), displayName: attributes.Attributes.DisplayName,
    subscriptions: listed.Subscriptions.map((s) => s.SubscriptionArn), tags: tags.Tags, missing,
  }));
}

main().catch((error) => { console.error(error); process.exit(1); });
"""


class SnsJsSdkTest(AwsemuTestCase):

    def test_fanout_with_the_javascript_sdk(self):
        got = self.server.run_js(FANOUT)
        self.assertEqual(got["TopicArn"], "arn:aws:sns:us-east-1:000000000000:js-topic")
        self.assertTrue(got["SubscriptionArn"].startswith(got["TopicArn"] + ":"))
        self.assertRegex(got["MessageId"], r"^[0-9a-f-]{36}$")
        self.assertEqual(got["successful"], ["a", "b"])
        self.assertEqual(got["failed"], [])
        self.assertEqual(got["received"], ["kept", "kept too"])
        self.assertEqual(got["displayName"], "From JS")
        self.assertEqual(got["subscriptions"], [got["SubscriptionArn"]])
        self.assertEqual(got["tags"], [{"Key": "k", "Value": "v"}])
        self.assertEqual(got["missing"], {"name": "NotFoundException", "status": 404,
                                          "message": "Topic does not exist"})


if __name__ == "__main__":
    unittest.main()
