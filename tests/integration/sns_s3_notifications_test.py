"""S3 event notifications to SNS topics (TopicConfigurations), fanned out to SQS queues whose
policies let the topic send, as the usual S3 -> SNS -> SQS wiring does."""

import json
import unittest

from harness import queue_send_policy
from sns_base import SnsTestCase


class SnsS3NotificationTest(SnsTestCase):

    def setUp(self):
        super().setUp()
        self.s3 = self.server.client("s3")
        self.s3.create_bucket(Bucket="uploads")

    def test_object_events_reach_queues_through_a_topic(self):
        topic = self.create_topic("uploads-events")
        queue = self.create_queue("uploads-q")
        policy = queue_send_policy(self.queue_arn(queue), "sns", topic)
        self.sqs.set_queue_attributes(QueueUrl=queue, Attributes={"Policy": policy})
        self.assertEqual(self.attributes(queue, "Policy")["Policy"], policy)
        self.subscribe_queue(topic, queue)
        self.s3.put_bucket_notification_configuration(
            Bucket="uploads", NotificationConfiguration={"TopicConfigurations": [{
                "Id": "to-topic", "TopicArn": topic, "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "suffix", "Value": ".jpg"}]}}}]})
        test_event = json.loads(self.bodies(queue, 1)[0])
        self.assertEqual(test_event["Subject"], "Amazon S3 Notification")
        self.assertEqual(json.loads(test_event["Message"])["Event"], "s3:TestEvent")
        self.s3.put_object(Bucket="uploads", Key="a.txt", Body=b"skipped")
        self.s3.put_object(Bucket="uploads", Key="photo.jpg", Body=b"picture")
        envelope = json.loads(self.bodies(queue, 1)[0])
        record = json.loads(envelope["Message"])["Records"][0]
        self.assertEqual(envelope["TopicArn"], topic)
        self.assertEqual(record["eventName"], "ObjectCreated:Put")
        self.assertEqual(record["s3"]["object"]["key"], "photo.jpg")
        self.assertEqual(record["s3"]["configurationId"], "to-topic")
        self.assert_empty(queue)

    def test_missing_topic_is_refused(self):
        with self.assertRaises(Exception) as context:
            self.s3.put_bucket_notification_configuration(
                Bucket="uploads", NotificationConfiguration={"TopicConfigurations": [{
                    "TopicArn": "arn:aws:sns:us-east-1:000000000000:none",
                    "Events": ["s3:ObjectCreated:*"]}]})
        self.assertEqual(context.exception.response["Error"]["Code"], "InvalidArgument")


if __name__ == "__main__":
    unittest.main()
