"""SQS queue settings as AWS keeps and checks them, through boto3: redrive policies stored in
AWS's own form, the two exclusive kinds of server-side encryption, tag limits, and the grants
AddPermission takes (also into a policy written by hand)."""

import json
import unittest

from sqs_base import SqsTestCase, account_of

ONE_SSE_AT_A_TIME = ("Invalid value for the parameter SqsManagedSseEnabled. Reason: You can use "
                     "one type of server-side encryption (SSE) at one time. You can either enable "
                     "KMS SSE or SQS SSE.")


class SqsQueueSettingsTest(SqsTestCase):

    # --- RedrivePolicy / RedriveAllowPolicy ----------------------------------------------------
    def test_redrive_policies_are_stored_compact_with_a_numeric_max_receive_count(self):
        dlq_arn = self.queue_arn(self.create_queue("dlq"))
        compact = f'{{"deadLetterTargetArn":"{dlq_arn}","maxReceiveCount":5}}'
        spaced = json.dumps({"maxReceiveCount": "5", "deadLetterTargetArn": dlq_arn}, indent=1)
        url = self.create_queue("work", RedrivePolicy=spaced)
        self.assertEqual(self.attributes(url, "RedrivePolicy")["RedrivePolicy"], compact)
        # The same policy written another way is the same queue, not QueueAlreadyExists.
        for written in (spaced, compact, json.dumps({"deadLetterTargetArn": dlq_arn,
                                                     "maxReceiveCount": 5})):
            with self.subTest(written=written):
                self.assertEqual(self.create_queue("work", RedrivePolicy=written), url)
        self.expect_error("QueueAlreadyExists", 400, self.sqs.create_queue, QueueName="work",
                          Attributes={"RedrivePolicy": json.dumps(
                              {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 6})})

        # An empty policy asks for none: the same queue again, as often as asked.
        for attribute in ("Policy", "RedrivePolicy", "KmsMasterKeyId"):
            with self.subTest(attribute=attribute):
                plain = self.create_queue("plain-" + attribute.lower(), **{attribute: ""})
                self.assertEqual(self.create_queue("plain-" + attribute.lower(),
                                                   **{attribute: ""}), plain)

        other = self.create_queue("other")
        self.sqs.set_queue_attributes(QueueUrl=other, Attributes={"RedrivePolicy": spaced})
        self.assertEqual(self.attributes(other, "RedrivePolicy")["RedrivePolicy"], compact)
        self.sqs.set_queue_attributes(QueueUrl=other, Attributes={
            "RedriveAllowPolicy": '{ "redrivePermission" : "denyAll" }'})
        self.assertEqual(self.attributes(other, "RedriveAllowPolicy")["RedriveAllowPolicy"],
                         '{"redrivePermission":"denyAll"}')

    # --- server-side encryption ----------------------------------------------------------------
    def test_sse_kms_and_sqs_managed_sse_exclude_each_other(self):
        kms = self.create_queue("kms", KmsMasterKeyId="alias/aws/sqs")
        got = self.attributes(kms)
        self.assertEqual(got["KmsMasterKeyId"], "alias/aws/sqs")
        self.assertEqual(got["SqsManagedSseEnabled"], "false")
        self.assertEqual(got["KmsDataKeyReusePeriodSeconds"], "300")

        self.sqs.set_queue_attributes(QueueUrl=kms, Attributes={"SqsManagedSseEnabled": "true"})
        got = self.attributes(kms)
        self.assertEqual(got["SqsManagedSseEnabled"], "true")
        self.assertNotIn("KmsMasterKeyId", got)

        managed = self.create_queue("managed", SqsManagedSseEnabled="true")
        self.sqs.set_queue_attributes(QueueUrl=managed, Attributes={
            "KmsMasterKeyId": "alias/mine", "KmsDataKeyReusePeriodSeconds": "600"})
        got = self.attributes(managed)
        self.assertEqual((got["KmsMasterKeyId"], got["SqsManagedSseEnabled"],
                          got["KmsDataKeyReusePeriodSeconds"]), ("alias/mine", "false", "600"))

        both = {"KmsMasterKeyId": "alias/aws/sqs", "SqsManagedSseEnabled": "true"}
        self.expect_error("InvalidAttributeValue", 400, self.sqs.create_queue, QueueName="both",
                          Attributes=both, message=ONE_SSE_AT_A_TIME)
        self.expect_error("InvalidAttributeValue", 400, self.sqs.set_queue_attributes,
                          QueueUrl=managed, Attributes=both, message=ONE_SSE_AT_A_TIME)
        self.assertEqual(self.attributes(managed, "KmsMasterKeyId")["KmsMasterKeyId"],
                         "alias/mine")

    # --- tags ----------------------------------------------------------------------------------
    def test_tags_are_limited_alike_at_create_queue_and_tag_queue(self):
        fifty_one = {f"k{i}": "v" for i in range(51)}
        self.expect_error("InvalidParameterValue", 400, self.sqs.create_queue,
                          QueueName="crowded", tags=fifty_one)
        url = self.create_queue("tagged", tags={f"k{i}": "v" for i in range(50)})
        self.expect_error("InvalidParameterValue", 400, self.sqs.tag_queue, QueueUrl=url,
                          Tags={"one-more": "v"})
        plain = self.create_queue("plain")
        for tags in ({"": "v"}, {"k" * 129: "v"}, {"k": "v" * 257}, {"aws:owner": "me"}):
            with self.subTest(tags=str(tags)[:30]):
                self.expect_error("InvalidParameterValue", 400, self.sqs.create_queue,
                                  QueueName="bad-tags", tags=tags)
                self.expect_error("InvalidParameterValue", 400, self.sqs.tag_queue,
                                  QueueUrl=plain, Tags=tags)
        self.sqs.tag_queue(QueueUrl=plain, Tags={"k" * 128: "v" * 256, "owner:aws": "",
                                                 "é" * 128: "ü" * 256})  # characters, not bytes
        self.assertEqual(len(self.sqs.list_queue_tags(QueueUrl=plain)["Tags"]), 3)
        self.assertNotIn("bad-tags", " ".join(self.sqs.list_queues()["QueueUrls"]))

    # --- AddPermission / RemovePermission ------------------------------------------------------
    def test_permissions_go_into_a_policy_whose_statement_is_a_single_object(self):
        url = self.create_queue("hand-written")
        arn = self.queue_arn(url)
        statement = {"Sid": "mine", "Effect": "Allow", "Principal": "*",
                     "Action": "sqs:SendMessage", "Resource": arn}
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(
            {"Version": "2012-10-17", "Statement": statement})})
        self.expect_error("InvalidParameterValue", 400, self.sqs.add_permission, QueueUrl=url,
                          Label="mine", AWSAccountIds=[account_of(url)], Actions=["SendMessage"])
        self.sqs.add_permission(QueueUrl=url, Label="theirs", AWSAccountIds=["111122223333"],
                                Actions=["ReceiveMessage"])
        policy = json.loads(self.attributes(url, "Policy")["Policy"])
        self.assertEqual([s["Sid"] for s in policy["Statement"]], ["mine", "theirs"])

        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(
            {"Version": "2012-10-17", "Statement": statement})})
        self.sqs.remove_permission(QueueUrl=url, Label="mine")
        self.assertNotIn("Policy", self.attributes(url, "Policy"))

    def test_add_permission_grants_only_sqs_actions_to_account_ids(self):
        url = self.create_queue("shared")
        for action in ("Bogus", "SendMessageBatch", "CreateQueue", "sendmessage"):
            with self.subTest(action=action):
                self.expect_error("InvalidParameterValue", 400, self.sqs.add_permission,
                                  QueueUrl=url, Label="l", AWSAccountIds=["111122223333"],
                                  Actions=[action],
                                  message=f"Value SQS:{action} for parameter ActionName is "
                                          "invalid. Reason: Please refer to the appropriate "
                                          "WSDL for a list of valid actions.")
        for account in ("1234", "11112222333a", "1111222233334",
                        "arn:aws:iam::111122223333:root"):
            with self.subTest(account=account):
                self.expect_error("InvalidParameterValue", 400, self.sqs.add_permission,
                                  QueueUrl=url, Label="l", AWSAccountIds=[account],
                                  Actions=["SendMessage"])
        self.assertNotIn("Policy", self.attributes(url, "Policy"))
        every = ["*", "SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility",
                 "GetQueueAttributes", "GetQueueUrl", "ListDeadLetterSourceQueues", "PurgeQueue",
                 "ListQueueTags"]
        self.sqs.add_permission(QueueUrl=url, Label="all", AWSAccountIds=["111122223333"],
                                Actions=every)
        policy = json.loads(self.attributes(url, "Policy")["Policy"])
        self.assertEqual(sorted(policy["Statement"][0]["Action"]),
                         sorted("SQS:" + action for action in every))


if __name__ == "__main__":
    unittest.main()
