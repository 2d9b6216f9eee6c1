"""SNS topics, subscriptions (CRUD), tags and permissions through boto3 and the AWS CLI: AWS's
attributes and defaults, idempotent creation, FIFO rules, paging, and AWS's errors."""

import json
import time
import unittest

from harness import awsemu_only
from sns_base import SnsTestCase


class SnsTopicTest(SnsTestCase):

    def test_create_topic_is_idempotent_and_listed(self):
        arn = self.create_topic("orders")
        self.assertEqual(arn, "arn:aws:sns:us-east-1:000000000000:orders")
        self.assertEqual(self.create_topic("orders"), arn)
        topics = self.sns.list_topics()["Topics"]
        self.assertEqual(topics, [{"TopicArn": arn}])

    def test_default_attributes(self):
        arn = self.create_topic("defaults")
        attributes = self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        self.assertEqual(attributes["TopicArn"], arn)
        self.assertEqual(attributes["Owner"], "000000000000")
        self.assertEqual(attributes["DisplayName"], "")
        self.assertEqual(attributes["SubscriptionsConfirmed"], "0")
        self.assertEqual(attributes["SubscriptionsPending"], "0")
        policy = json.loads(attributes["Policy"])
        self.assertEqual(policy["Statement"][0]["Resource"], arn)
        delivery = json.loads(attributes["EffectiveDeliveryPolicy"])
        self.assertEqual(delivery["http"]["defaultHealthyRetryPolicy"]["numRetries"], 3)
        self.assertNotIn("FifoTopic", attributes)

    def test_set_topic_attributes_round_trips(self):
        arn = self.create_topic("attrs", DisplayName="Orders")
        policy = json.dumps({"http": {"defaultHealthyRetryPolicy": {"numRetries": 5}}})
        self.sns.set_topic_attributes(TopicArn=arn, AttributeName="DeliveryPolicy",
                                      AttributeValue=policy)
        self.sns.set_topic_attributes(TopicArn=arn, AttributeName="SignatureVersion",
                                      AttributeValue="2")
        attributes = self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        self.assertEqual(attributes["DisplayName"], "Orders")
        self.assertEqual(attributes["DeliveryPolicy"], policy)
        self.assertEqual(attributes["SignatureVersion"], "2")
        self.failed_response("InvalidParameter", 400, self.sns.set_topic_attributes,
                             TopicArn=arn, AttributeName="Bogus", AttributeValue="x",
                             message="Invalid parameter: AttributeName")
        self.failed_response("InvalidParameter", 400, self.sns.set_topic_attributes,
                             TopicArn=arn, AttributeName="SignatureVersion", AttributeValue="3")

    def test_create_with_different_attributes_is_refused(self):
        self.create_topic("same", DisplayName="a")
        self.failed_response("InvalidParameter", 400, self.sns.create_topic, Name="same",
                             Attributes={"DisplayName": "b"})

    def test_fifo_topics(self):
        arn = self.create_topic("jobs.fifo", FifoTopic="true", ContentBasedDeduplication="true")
        attributes = self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        self.assertEqual(attributes["FifoTopic"], "true")
        self.assertEqual(attributes["ContentBasedDeduplication"], "true")
        # A .fifo name needs FifoTopic, and FifoTopic needs a .fifo name.
        self.failed_response("InvalidParameter", 400, self.sns.create_topic, Name="x.fifo")
        self.failed_response("InvalidParameter", 400, self.sns.create_topic, Name="plain",
                             Attributes={"FifoTopic": "true"})
        self.failed_response("InvalidParameter", 400, self.sns.create_topic, Name="std",
                             Attributes={"ContentBasedDeduplication": "true"})

    def test_bad_names_and_arns(self):
        self.failed_response("InvalidParameter", 400, self.sns.create_topic, Name="bad name",
                             message="Invalid parameter: Topic Name")
        self.failed_response("InvalidParameter", 400, self.sns.create_topic, Name="x" * 257)
        self.failed_response("InvalidParameter", 400, self.sns.get_topic_attributes,
                             TopicArn="not-an-arn", message="Invalid parameter: TopicArn")
        self.failed_response("NotFound", 404, self.sns.get_topic_attributes,
                             TopicArn="arn:aws:sns:us-east-1:000000000000:missing",
                             message="Topic does not exist")

    def test_delete_topic_deletes_its_subscriptions(self):
        arn = self.create_topic("gone")
        queue = self.create_queue("gone-q")
        self.subscribe_queue(arn, queue)
        self.sns.delete_topic(TopicArn=arn)
        self.sns.delete_topic(TopicArn=arn)  # again: no error, as on AWS
        self.assertEqual(self.sns.list_topics()["Topics"], [])
        self.assertEqual(self.sns.list_subscriptions()["Subscriptions"], [])

    def test_list_topics_pages_by_100(self):
        for i in range(105):
            self.create_topic(f"t{i:03d}")
        first = self.sns.list_topics()
        self.assertEqual(len(first["Topics"]), 100)
        second = self.sns.list_topics(NextToken=first["NextToken"])
        self.assertEqual(len(second["Topics"]), 5)
        self.assertNotIn("NextToken", second)
        paginated = self.sns.get_paginator("list_topics").paginate()
        self.assertEqual(sum(len(page["Topics"]) for page in paginated), 105)

    def test_tags(self):
        arn = self.sns.create_topic(Name="tagged", Tags=[{"Key": "env", "Value": "dev"}])[
            "TopicArn"]
        self.sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "a"},
                                                     {"Key": "env", "Value": "prod"}])
        tags = self.sns.list_tags_for_resource(ResourceArn=arn)["Tags"]
        self.assertEqual({t["Key"]: t["Value"] for t in tags}, {"env": "prod", "team": "a"})
        self.sns.untag_resource(ResourceArn=arn, TagKeys=["env"])
        self.assertEqual(self.sns.list_tags_for_resource(ResourceArn=arn)["Tags"],
                         [{"Key": "team", "Value": "a"}])
        self.failed_response("ResourceNotFound", 404, self.sns.list_tags_for_resource,
                             ResourceArn="arn:aws:sns:us-east-1:000000000000:nope")
        too_many = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
        self.failed_response("TagLimitExceeded", 400, self.sns.tag_resource, ResourceArn=arn,
                             Tags=too_many)
        # Keys in aws: are AWS's; limits count characters.
        self.failed_response("InvalidParameter", 400, self.sns.tag_resource, ResourceArn=arn,
                             Tags=[{"Key": "aws:owner", "Value": "me"}])
        self.failed_response("InvalidParameter", 400, self.sns.create_topic, Name="reserved",
                             Tags=[{"Key": "aws:owner", "Value": "me"}])
        self.sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "é" * 128, "Value": "ü" * 256}])
        self.assertIn({"Key": "é" * 128, "Value": "ü" * 256},
                      self.sns.list_tags_for_resource(ResourceArn=arn)["Tags"])

    def test_permissions_are_kept_in_the_policy(self):
        arn = self.create_topic("shared")
        self.sns.add_permission(TopicArn=arn, Label="pub", AWSAccountId=["111122223333"],
                                ActionName=["Publish"])
        policy = json.loads(self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])
        statement = [s for s in policy["Statement"] if s["Sid"] == "pub"][0]
        self.assertEqual(statement["Action"], ["SNS:Publish"])
        self.assertEqual(statement["Principal"]["AWS"], ["arn:aws:iam::111122223333:root"])
        self.failed_response("InvalidParameter", 400, self.sns.add_permission, TopicArn=arn,
                             Label="pub", AWSAccountId=["111122223333"], ActionName=["Publish"])
        self.sns.remove_permission(TopicArn=arn, Label="pub")
        policy = json.loads(self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])
        self.assertNotIn("pub", [s["Sid"] for s in policy["Statement"]])

    def test_data_protection_policy(self):
        arn = self.create_topic("protected")
        policy = json.dumps({"Name": "p", "Version": "2021-06-01", "Statement": []})
        self.sns.put_data_protection_policy(ResourceArn=arn, DataProtectionPolicy=policy)
        self.assertEqual(self.sns.get_data_protection_policy(ResourceArn=arn)[
            "DataProtectionPolicy"], policy)

    def test_platform_applications_are_not_emulated(self):
        self.failed_response("InvalidParameter", 400, self.sns.create_platform_application,
                             Name="app", Platform="GCM", Attributes={"PlatformCredential": "x"})
        self.assertEqual(self.sns.list_platform_applications()["PlatformApplications"], [])
        self.failed_response("NotFound", 404, self.sns.get_endpoint_attributes,
                             EndpointArn="arn:aws:sns:us-east-1:000000000000:endpoint/GCM/a/b")


class SnsSubscriptionTest(SnsTestCase):

    def test_subscribe_queue_and_attributes(self):
        arn = self.create_topic("subs")
        queue = self.create_queue("subs-q")
        subscription = self.subscribe_queue(arn, queue, RawMessageDelivery="true")
        self.assertTrue(subscription.startswith(arn + ":"))
        # Subscribing again is idempotent.
        self.assertEqual(self.subscribe_queue(arn, queue, RawMessageDelivery="true"),
                         subscription)
        self.failed_response("InvalidParameter", 400, self.subscribe_queue, arn, queue,
                             RawMessageDelivery="false")
        attributes = self.sns.get_subscription_attributes(SubscriptionArn=subscription)[
            "Attributes"]
        self.assertEqual(attributes["Protocol"], "sqs")
        self.assertEqual(attributes["Endpoint"], self.queue_arn(queue))
        self.assertEqual(attributes["RawMessageDelivery"], "true")
        self.assertEqual(attributes["PendingConfirmation"], "false")
        policy = json.dumps({"color": ["red"]})
        self.sns.set_subscription_attributes(SubscriptionArn=subscription,
                                             AttributeName="FilterPolicy", AttributeValue=policy)
        attributes = self.sns.get_subscription_attributes(SubscriptionArn=subscription)[
            "Attributes"]
        self.assertEqual(attributes["FilterPolicy"], policy)
        self.assertEqual(attributes["FilterPolicyScope"], "MessageAttributes")
        topic = self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        self.assertEqual(topic["SubscriptionsConfirmed"], "1")

    def test_lists_and_unsubscribe(self):
        a = self.create_topic("a")
        b = self.create_topic("b")
        queue = self.create_queue("lists-q")
        sa = self.subscribe_queue(a, queue)
        sb = self.subscribe_queue(b, queue)
        email = self.sns.subscribe(TopicArn=a, Protocol="email", Endpoint="x@example.com")
        self.assertEqual(email["SubscriptionArn"], "pending confirmation")
        listed = self.sns.list_subscriptions()["Subscriptions"]
        self.assertEqual(sorted(s["SubscriptionArn"] for s in listed),
                         sorted([sa, sb, "PendingConfirmation"]))
        by_topic = self.sns.list_subscriptions_by_topic(TopicArn=a)["Subscriptions"]
        self.assertEqual(len(by_topic), 2)
        self.sns.unsubscribe(SubscriptionArn=sa)
        self.assertEqual(len(self.sns.list_subscriptions_by_topic(TopicArn=a)["Subscriptions"]), 1)
        # Unsubscribing again succeeds, as on AWS.
        self.assertEqual(self.sns.unsubscribe(SubscriptionArn=sa)["ResponseMetadata"]
                         ["HTTPStatusCode"], 200)
        self.failed_response("InvalidParameter", 400, self.sns.unsubscribe,
                             SubscriptionArn="garbage")

    def test_subscription_lists_page_by_100(self):
        arn = self.create_topic("many")
        for i in range(103):
            self.sns.subscribe(TopicArn=arn, Protocol="sms", Endpoint=f"+1555000{i:04d}")
        for call in (lambda **k: self.sns.list_subscriptions(**k),
                     lambda **k: self.sns.list_subscriptions_by_topic(TopicArn=arn, **k)):
            first = call()
            self.assertEqual(len(first["Subscriptions"]), 100)
            second = call(NextToken=first["NextToken"])
            self.assertEqual(len(second["Subscriptions"]), 3)
            self.assertNotIn("NextToken", second)
            arns = {s["SubscriptionArn"] for s in first["Subscriptions"] + second["Subscriptions"]}
            self.assertEqual(len(arns), 103)
        self.failed_response("InvalidParameter", 400, self.sns.list_subscriptions,
                             NextToken="!!not a token!!")

    def test_return_subscription_arn_for_pending(self):
        arn = self.create_topic("pending")
        result = self.sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="x@example.com",
                                    ReturnSubscriptionArn=True)
        attributes = self.sns.get_subscription_attributes(
            SubscriptionArn=result["SubscriptionArn"])["Attributes"]
        self.assertEqual(attributes["PendingConfirmation"], "true")
        self.failed_response("InvalidParameter", 400, self.sns.confirm_subscription,
                             TopicArn=arn, Token="not-the-token")

    def test_subscribe_errors(self):
        arn = self.create_topic("errs")
        self.failed_response("InvalidParameter", 400, self.sns.subscribe, TopicArn=arn,
                             Protocol="carrier-pigeon", Endpoint="x")
        self.failed_response("InvalidParameter", 400, self.sns.subscribe, TopicArn=arn,
                             Protocol="sqs", Endpoint="http://not-an-arn")
        self.failed_response("InvalidParameter", 400, self.sns.subscribe, TopicArn=arn,
                             Protocol="http", Endpoint="https://wrong-scheme")
        self.failed_response("InvalidParameter", 400, self.sns.subscribe, TopicArn=arn,
                             Protocol="email", Endpoint="x@example.com",
                             Attributes={"RawMessageDelivery": "true"})
        self.failed_response("NotFound", 404, self.sns.subscribe,
                             TopicArn="arn:aws:sns:us-east-1:000000000000:none", Protocol="sqs",
                             Endpoint="arn:aws:sqs:us-east-1:000000000000:q")
        self.failed_response("InvalidParameter", 400, self.sns.subscribe, TopicArn=arn,
                             Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:000000000000:q",
                             Attributes={"Bogus": "x"})

    def test_fifo_topics_take_only_queues(self):
        arn = self.create_topic("only-queues.fifo", FifoTopic="true")
        self.failed_response("InvalidParameter", 400, self.sns.subscribe, TopicArn=arn,
                             Protocol="https", Endpoint="https://example.com/hook")
        self.subscribe_queue(arn, self.create_fifo_queue("ok.fifo"))

    def test_dead_letter_queue_rules(self):
        standard = self.create_topic("dlq-rules")
        queue = self.create_queue("dlq-rules-q")
        self.failed_response("InvalidParameter", 400, self.subscribe_queue, standard, queue,
                             RedrivePolicy={"deadLetterTargetArn":
                                            "arn:aws:sqs:us-east-1:111122223333:elsewhere"})
        self.failed_response("InvalidParameter", 400, self.subscribe_queue, standard, queue,
                             RedrivePolicy={"deadLetterTargetArn":
                                            "arn:aws:sqs:us-east-1:000000000000:dlq.fifo"})
        subscription = self.subscribe_queue(standard, queue)
        self.failed_response("InvalidParameter", 400, self.sns.set_subscription_attributes,
                             SubscriptionArn=subscription, AttributeName="RedrivePolicy",
                             AttributeValue='{"deadLetterTargetArn": "not-an-arn"}')

    def test_delivery_policies_are_checked(self):
        arn = self.create_topic("policies")
        self.failed_response("InvalidParameter", 400, self.sns.set_topic_attributes,
                             TopicArn=arn, AttributeName="DeliveryPolicy",
                             AttributeValue='{"http": {"defaultHealthyRetryPolicy": '
                                            '{"numRetries": 1000}}}')
        queue = self.create_queue("policies-q")
        subscription = self.subscribe_queue(arn, queue)
        # Only HTTP(S) subscriptions take a delivery policy.
        self.failed_response("InvalidParameter", 400, self.sns.set_subscription_attributes,
                             SubscriptionArn=subscription, AttributeName="DeliveryPolicy",
                             AttributeValue='{"healthyRetryPolicy": {"numRetries": 1}}')


class SnsCrossAccountTest(SnsTestCase):

    def test_a_queue_of_another_account_confirms_its_subscription(self):
        topic = self.create_topic("shared-events")
        other_sqs = self.server.client("sqs", key="111122223333")
        other_sns = self.server.client("sns", key="111122223333")
        queue = self.create_queue("their-queue", client=other_sqs)
        queue_arn = other_sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        self.assertIn(":111122223333:", queue_arn)
        result = self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
        self.assertEqual(result["SubscriptionArn"], "pending confirmation")
        message = self.receive_until(queue, 1, client=other_sqs)[0]
        confirmation = json.loads(message["Body"])
        self.assertEqual(confirmation["Type"], "SubscriptionConfirmation")
        other_sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
        arn = other_sns.confirm_subscription(TopicArn=topic, Token=confirmation["Token"])[
            "SubscriptionArn"]
        self.assertTrue(arn.startswith(topic))
        self.sns.publish(TopicArn=topic, Message="across accounts")
        got = self.receive_until(queue, 1, client=other_sqs)
        self.assertEqual(json.loads(got[0]["Body"])["Message"], "across accounts")

    def test_authenticated_confirmation_protects_unsubscribe(self):
        topic = self.create_topic("protected-subscription")
        other_sqs = self.server.client("sqs", key="111122223333")
        queue = self.create_queue("guarded", client=other_sqs)
        queue_arn = other_sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
        token = json.loads(self.receive_until(queue, 1, client=other_sqs)[0]["Body"])["Token"]
        arn = self.sns.confirm_subscription(TopicArn=topic, Token=token,
                                            AuthenticateOnUnsubscribe="true")["SubscriptionArn"]
        self.assertEqual(self.sns.get_subscription_attributes(SubscriptionArn=arn)[
            "Attributes"]["ConfirmationWasAuthenticated"], "true")
        status, _, body = self.server.http(
            "GET", "/?Action=Unsubscribe&Version=2010-03-31&SubscriptionArn=" + arn)
        self.assertEqual(status, 403, body)
        self.assertIn(b"<Code>AuthorizationError</Code>", body)
        self.sns.unsubscribe(SubscriptionArn=arn)  # signed: allowed


class SnsCliTest(SnsTestCase):

    def test_cli_v1_round_trip(self):
        arn = self.server.cli("sns", "create-topic", "--name", "cli-topic")["TopicArn"]
        self.server.cli("sns", "set-topic-attributes", "--topic-arn", arn, "--attribute-name",
                        "DisplayName", "--attribute-value", "From CLI")
        got = self.server.cli("sns", "get-topic-attributes", "--topic-arn", arn)
        self.assertEqual(got["Attributes"]["DisplayName"], "From CLI")
        queue = self.create_queue("cli-q")
        self.server.cli("sns", "subscribe", "--topic-arn", arn, "--protocol", "sqs",
                        "--notification-endpoint", self.queue_arn(queue))
        published = self.server.cli("sns", "publish", "--topic-arn", arn, "--message", "hi")
        body = json.loads(self.bodies(queue, 1)[0])
        self.assertEqual(body["MessageId"], published["MessageId"])
        self.assertEqual(body["Message"], "hi")

    def test_cli_v1_fanout_with_filter_policy_and_raw_delivery(self):
        arn = self.server.cli("sns", "create-topic", "--name", "cli-fanout")["TopicArn"]
        red, everything = self.create_queue("cli-red"), self.create_queue("cli-all")
        self.server.cli("sns", "subscribe", "--topic-arn", arn, "--protocol", "sqs",
                        "--notification-endpoint", self.queue_arn(red), "--attributes",
                        json.dumps({"FilterPolicy": json.dumps({"color": ["red"]}),
                                    "RawMessageDelivery": "true"}))
        self.server.cli("sns", "subscribe", "--topic-arn", arn, "--protocol", "sqs",
                        "--notification-endpoint", self.queue_arn(everything))
        for message, color in [("m1", "red"), ("m2", "blue")]:
            self.server.cli("sns", "publish", "--topic-arn", arn, "--message", message,
                            "--message-attributes",
                            json.dumps({"color": {"DataType": "String", "StringValue": color}}))
        self.server.cli("sns", "publish", "--topic-arn", arn, "--message", "m3")
        # The filtered queue gets m1 alone, raw: the body as published, its attributes as SQS's.
        [raw] = self.receive_until(red, 1, MessageAttributeNames=["All"])
        self.assertEqual(raw["Body"], "m1")
        self.assertEqual(raw["MessageAttributes"],
                         {"color": {"DataType": "String", "StringValue": "red"}})
        # The other gets all three, in AWS's envelope.
        envelopes = [json.loads(body) for body in self.bodies(everything, 3)]
        self.assertEqual(sorted(e["Message"] for e in envelopes), ["m1", "m2", "m3"])
        self.assertTrue(all(e["Type"] == "Notification" for e in envelopes))
        time.sleep(0.05)
        self.assert_empty(red)
        self.assert_empty(everything)

    @awsemu_only("Debian's AWS CLI v2 binary")
    def test_cli_v2_lists(self):
        self.create_topic("v2-topic")
        topics = self.server.cli("sns", "list-topics", version=2)["Topics"]
        self.assertEqual(len(topics), 1)
        result = self.server.cli("sns", "get-topic-attributes", "--topic-arn",
                                 "arn:aws:sns:us-east-1:000000000000:none", version=2,
                                 check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("NotFound", result.stderr)


if __name__ == "__main__":
    unittest.main()
