"""SNS to HTTP subscribers run by the test: the SubscriptionConfirmation request and its
SubscribeURL, notifications with AWS's headers and signatures that verify against the
certificate at SigningCertURL, retries with backoff, the dead-letter queue, and a slow or dead
subscriber that slows no one."""

import json
import time
import unittest

from sns_base import SnsTestCase, verify_signature, wait_confirmed

FAST_RETRIES = {"healthyRetryPolicy": {"numRetries": 2, "minDelayTarget": 1,
                                       "maxDelayTarget": 1}}


class SnsHttpTest(SnsTestCase):

    def subscribe_http(self, topic, subscriber, **attributes):
        request = {"TopicArn": topic, "Protocol": subscriber.scheme, "Endpoint": subscriber.url,
                   "ReturnSubscriptionArn": True}
        if attributes:
            request["Attributes"] = {key: json.dumps(value) if isinstance(value, dict) else
                                     str(value) for key, value in attributes.items()}
        arn = self.sns.subscribe(**request)["SubscriptionArn"]
        if subscriber.confirm:
            subscriber.wait_for("SubscriptionConfirmation", 1)
            wait_confirmed(self.sns, arn)
        return arn

    def test_confirmation_then_signed_notifications(self):
        topic = self.create_topic("web")
        subscriber = self.http_subscriber()
        arn = self.subscribe_http(topic, subscriber)
        headers, body = subscriber.of_type("SubscriptionConfirmation")[0]
        confirmation = json.loads(body)
        self.assertEqual(confirmation["Type"], "SubscriptionConfirmation")
        self.assertEqual(confirmation["TopicArn"], topic)
        self.assertIn("Token", confirmation)
        self.assertIn("ConfirmSubscription", confirmation["SubscribeURL"])
        self.assertEqual(headers["x-amz-sns-topic-arn"], topic)
        verify_signature(confirmation)

        published = self.sns.publish(TopicArn=topic, Message="to the web", Subject="S")
        headers, body = subscriber.wait_for("Notification", 1)[0]
        notification = json.loads(body)
        self.assertEqual(headers["x-amz-sns-message-type"], "Notification")
        self.assertEqual(headers["x-amz-sns-message-id"], published["MessageId"])
        self.assertEqual(headers["x-amz-sns-topic-arn"], topic)
        self.assertEqual(headers["x-amz-sns-subscription-arn"], arn)
        self.assertEqual(headers["Content-Type"], "text/plain; charset=UTF-8")
        self.assertEqual(notification["Message"], "to the web")
        self.assertEqual(notification["Subject"], "S")
        verify_signature(notification)
        # A tampered message does not verify.
        notification["Message"] = "changed"
        with self.assertRaises(Exception):
            verify_signature(notification)

    def test_confirm_subscription_with_the_token(self):
        topic = self.create_topic("manual", SignatureVersion="2")
        subscriber = self.http_subscriber(confirm=False)
        result = self.sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=subscriber.url)
        self.assertEqual(result["SubscriptionArn"], "pending confirmation")
        _, body = subscriber.wait_for("SubscriptionConfirmation", 1)[0]
        confirmation = json.loads(body)
        self.assertEqual(confirmation["SignatureVersion"], "2")
        verify_signature(confirmation)
        # Nothing goes to a pending subscription.
        self.sns.publish(TopicArn=topic, Message="not yet")
        arn = self.sns.confirm_subscription(TopicArn=topic,
                                            Token=confirmation["Token"])["SubscriptionArn"]
        self.assertTrue(arn.startswith(topic + ":"))
        self.sns.publish(TopicArn=topic, Message="now")
        _, body = subscriber.wait_for("Notification", 1)[0]
        self.assertEqual(json.loads(body)["Message"], "now")
        time.sleep(0.2)
        self.assertEqual(len(subscriber.of_type("Notification")), 1)

    def test_https_subscriber_with_a_self_signed_certificate(self):
        topic = self.create_topic("secure")
        subscriber = self.http_subscriber(tls=True)
        arn = self.subscribe_http(topic, subscriber)
        self.assertEqual(self.sns.get_subscription_attributes(SubscriptionArn=arn)[
            "Attributes"]["Protocol"], "https")
        self.sns.publish(TopicArn=topic, Message="over tls")
        _, body = subscriber.wait_for("Notification", 1)[0]
        notification = json.loads(body)
        self.assertEqual(notification["Message"], "over tls")
        verify_signature(notification)

    def test_raw_delivery_over_http(self):
        topic = self.create_topic("raw-web")
        subscriber = self.http_subscriber()
        self.subscribe_http(topic, subscriber, RawMessageDelivery="true")
        self.sns.publish(TopicArn=topic, Message="bare")
        headers, body = subscriber.wait_for("Notification", 1)[0]
        self.assertEqual(body, "bare")
        self.assertEqual(headers["x-amz-sns-rawdelivery"], "true")

    def test_failing_subscriber_is_retried_then_dead_lettered(self):
        topic = self.create_topic("flaky")
        dlq = self.create_queue("http-dlq")
        subscriber = self.http_subscriber(status=500)
        self.subscribe_http(topic, subscriber, DeliveryPolicy=FAST_RETRIES,
                            RedrivePolicy={"deadLetterTargetArn": self.queue_arn(dlq)})
        started = time.monotonic()
        self.sns.publish(TopicArn=topic, Message="doomed")
        dead = json.loads(self.bodies(dlq, 1, timeout=15)[0])
        self.assertEqual(dead["Message"], "doomed")
        self.assertEqual(len(subscriber.of_type("Notification")), 3)  # first try + 2 retries
        self.assertGreaterEqual(time.monotonic() - started, 1.9)  # two 1-second delays

    def test_recovering_subscriber_gets_the_message_on_a_retry(self):
        topic = self.create_topic("recovering")
        subscriber = self.http_subscriber(status=lambda n: 503 if n <= 2 else 200)
        self.subscribe_http(topic, subscriber, DeliveryPolicy=FAST_RETRIES)
        self.sns.publish(TopicArn=topic, Message="eventually")
        subscriber.wait_for("Notification", 2)
        time.sleep(1.5)
        self.assertEqual(len(subscriber.of_type("Notification")), 2)

    def test_a_large_answer_is_not_read(self):
        topic = self.create_topic("chatty")
        subscriber = self.http_subscriber(reply=b"x" * (8 * 1024 * 1024))
        self.subscribe_http(topic, subscriber, DeliveryPolicy=FAST_RETRIES)
        self.sns.publish(TopicArn=topic, Message="hello")
        subscriber.wait_for("Notification", 1)
        time.sleep(1.5)
        self.assertEqual(len(subscriber.of_type("Notification")), 1)  # delivered, no retry

    def test_client_error_is_not_retried(self):
        topic = self.create_topic("refused")
        dlq = self.create_queue("refused-dlq")
        subscriber = self.http_subscriber(status=403)
        self.subscribe_http(topic, subscriber, DeliveryPolicy=FAST_RETRIES,
                            RedrivePolicy={"deadLetterTargetArn": self.queue_arn(dlq)})
        self.sns.publish(TopicArn=topic, Message="forbidden")
        self.bodies(dlq, 1)
        self.assertEqual(len(subscriber.of_type("Notification")), 1)

    def test_slow_and_dead_subscribers_slow_no_one(self):
        topic = self.create_topic("mixed")
        queue = self.create_queue("mixed-q")
        slow = self.http_subscriber(delay=2.0)
        self.subscribe_http(topic, slow)
        # A subscriber whose port nobody listens on.
        dead = self.http_subscriber()
        dead_url = dead.url
        self.subscribe_http(topic, dead)
        dead.close()
        self.subscribe_queue(topic, queue)
        started = time.monotonic()
        for i in range(5):
            self.sns.publish(TopicArn=topic, Message=f"m{i}")
        self.assertLess(time.monotonic() - started, 1.0)
        self.assertEqual(len(self.bodies(queue, 5)), 5)
        self.assertLess(time.monotonic() - started, 1.5)
        self.assertTrue(dead_url)


class SnsStrictAuthHttpTest(SnsHttpTest):
    """With --auth strict, the SubscribeURL and UnsubscribeURL still work unsigned, as on AWS;
    other unsigned calls do not."""

    server_auth = "strict"

    def test_only_the_url_operations_go_unsigned(self):
        topic = self.create_topic("strict")
        subscriber = self.http_subscriber()
        self.subscribe_http(topic, subscriber)
        status, _, body = self.server.http(
            "GET", "/?Action=Publish&Version=2010-03-31&Message=x&TopicArn=" + topic)
        self.assertEqual(status, 403, body)
        self.assertIn(b"MissingAuthenticationToken", body)


if __name__ == "__main__":
    unittest.main()
