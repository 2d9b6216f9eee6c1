"""SNS state survives kill -9 and a restart on the same state directory: topics and
subscriptions, every message Publish acknowledged to SQS subscribers, what waited in the HTTP
outbox, and the key that signs messages (old signatures still verify)."""

import json
import shutil
import tempfile
import unittest

from harness import AwsemuServer, awsemu_only, wait_until
from sns_base import HttpSubscriber, verify_signature, wait_confirmed


@awsemu_only("kills and restarts the server")
class SnsPersistenceTest(unittest.TestCase):

    def setUp(self):
        self.state_dir = tempfile.mkdtemp(prefix="awsemu-sns-state-")
        self.addCleanup(shutil.rmtree, self.state_dir, True)
        self.server = AwsemuServer(state_dir=self.state_dir)
        self.addCleanup(self.server.cleanup)
        self.server.start()
        self.connect()

    def connect(self):
        self.sns = self.server.client("sns")
        self.sqs = self.server.client("sqs")

    def restart_after_kill_9(self):
        self.server.kill()
        self.server.start()
        self.connect()

    def queue(self, name):
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        return url, arn

    def receive_all(self, url, count):
        received = []

        def enough():
            received.extend(self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
                            .get("Messages", []))
            return len(received) >= count

        wait_until(enough, message=f"{count} messages (got {len(received)})")
        return received

    def test_published_messages_and_subscriptions_survive_kill_9(self):
        topic = self.sns.create_topic(Name="durable", Tags=[{"Key": "k", "Value": "v"}])[
            "TopicArn"]
        url, arn = self.queue("durable-q")
        subscription = self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn,
                                          Attributes={"FilterPolicy": '{"keep": ["yes"]}'})[
            "SubscriptionArn"]
        ids = [self.sns.publish(TopicArn=topic, Message=f"m{i}", MessageAttributes={
            "keep": {"DataType": "String", "StringValue": "yes"}})["MessageId"]
            for i in range(20)]
        self.restart_after_kill_9()
        bodies = [json.loads(m["Body"]) for m in self.receive_all(url, 20)]
        self.assertEqual(sorted(b["MessageId"] for b in bodies), sorted(ids))
        # The certificate is the one the messages were signed with, served again (on the new
        # port: the server listens on a free one each time).
        envelope = bodies[0]
        url = envelope["SigningCertURL"]
        envelope["SigningCertURL"] = self.server.endpoint + url[url.index("/_awsemu/"):]
        verify_signature(envelope)
        attributes = self.sns.get_subscription_attributes(SubscriptionArn=subscription)[
            "Attributes"]
        self.assertEqual(attributes["FilterPolicy"], '{"keep": ["yes"]}')
        self.assertEqual(self.sns.list_tags_for_resource(ResourceArn=topic)["Tags"],
                         [{"Key": "k", "Value": "v"}])

    def test_http_outbox_resumes_after_restart(self):
        topic = self.sns.create_topic(Name="outbox")["TopicArn"]
        subscriber = HttpSubscriber(status=500)
        self.addCleanup(subscriber.close)
        policy = {"healthyRetryPolicy": {"numRetries": 50, "minDelayTarget": 1,
                                         "maxDelayTarget": 1}}
        subscription = self.sns.subscribe(
            TopicArn=topic, Protocol="http", Endpoint=subscriber.url,
            Attributes={"DeliveryPolicy": json.dumps(policy)}, ReturnSubscriptionArn=True)[
            "SubscriptionArn"]
        wait_confirmed(self.sns, subscription)
        self.sns.publish(TopicArn=topic, Message="kept")
        subscriber.wait_for("Notification", 1)
        self.restart_after_kill_9()
        subscriber.status = 200
        before = len(subscriber.of_type("Notification"))
        subscriber.wait_for("Notification", before + 1, timeout=15)
        self.assertEqual(json.loads(subscriber.of_type("Notification")[-1][1])["Message"], "kept")


if __name__ == "__main__":
    unittest.main()
