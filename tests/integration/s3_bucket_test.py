"""S3 buckets through boto3: create (with and without a location constraint), head, delete,
list, and every bucket sub-resource Terraform's aws_s3_bucket reads or writes — answered the way
AWS answers, including the defaults of a new bucket (SSE-S3 default encryption since January
2023; Block Public Access on and ACLs disabled (BucketOwnerEnforced) since April 2023) and the
"not configured" errors of the sub-resources that have no default."""

import datetime
import json
import unittest

from s3_base import ALL_USERS, S3TestCase

CORS_RULES = [
    {"ID": "web", "AllowedOrigins": ["https://app.example.com", "https://*.example.org"],
     "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["Content-Type", "x-amz-meta-*"],
     "ExposeHeaders": ["ETag", "x-amz-request-id"], "MaxAgeSeconds": 600},
    {"AllowedOrigins": ["*"], "AllowedMethods": ["HEAD"]},
]
LIFECYCLE_RULES = [
    {"ID": "expire-logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled",
     "Expiration": {"Days": 30}, "NoncurrentVersionExpiration": {"NoncurrentDays": 7},
     "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}},
    {"ID": "tmp",
     "Filter": {"And": {"Prefix": "tmp/", "Tags": [{"Key": "kind", "Value": "scratch"}]}},
     "Status": "Disabled", "Expiration": {"Days": 1}},
]
SSE_S3_DEFAULT = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
                  "BucketKeyEnabled": False}
ALL_BLOCKED = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
               "RestrictPublicBuckets": True}


def grants_of(acl):
    """(grantee type, id or group URI, permission) of each grant; DisplayName, which S3 is
    retiring, is left out."""
    return [(g["Grantee"]["Type"], g["Grantee"].get("ID") or g["Grantee"].get("URI"),
             g["Permission"]) for g in acl["Grants"]]


def policy_for(bucket):
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Sid": "ReadOnly", "Effect": "Allow",
                       "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                       "Action": ["s3:GetObject"], "Resource": f"arn:aws:s3:::{bucket}/*"}],
    }, indent=2)


class S3BucketLifecycleTest(S3TestCase):

    # --- CreateBucket / HeadBucket / GetBucketLocation -----------------------------------------
    def test_create_bucket_without_location_constraint_is_in_us_east_1(self):
        before = datetime.datetime.now(datetime.timezone.utc)
        created = self.s3.create_bucket(Bucket="plain-bucket")
        self.assertEqual(created["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertIn("plain-bucket", created["Location"])
        self.assertTrue(created["ResponseMetadata"]["HTTPHeaders"].get("x-amz-request-id"))

        head = self.s3.head_bucket(Bucket="plain-bucket")
        self.assertEqual(head["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(head["BucketRegion"], "us-east-1")
        # us-east-1 is answered as an empty LocationConstraint, which boto3 gives as None.
        self.assertIsNone(self.s3.get_bucket_location(Bucket="plain-bucket")["LocationConstraint"])

        listed = self.s3.list_buckets()["Buckets"]
        self.assertEqual([b["Name"] for b in listed], ["plain-bucket"])
        self.assertLess(abs((listed[0]["CreationDate"] - before).total_seconds()), 60)

    def test_create_bucket_with_a_location_constraint(self):
        eu = self.s3_client(region="eu-west-1")
        eu.create_bucket(Bucket="eu-bucket",
                         CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        self.assertEqual(eu.get_bucket_location(Bucket="eu-bucket")["LocationConstraint"],
                         "eu-west-1")
        self.assertEqual(eu.head_bucket(Bucket="eu-bucket")["BucketRegion"], "eu-west-1")

        # Bucket names are global: a us-east-1 client lists every region's buckets.
        self.s3.create_bucket(Bucket="us-bucket")
        self.assertEqual([b["Name"] for b in self.s3.list_buckets()["Buckets"]],
                         ["eu-bucket", "us-bucket"])
        self.assertEqual([b["Name"] for b in self.s3.list_buckets(
            BucketRegion="eu-west-1")["Buckets"]], ["eu-bucket"])
        self.assertEqual(self.s3.get_bucket_location(Bucket="eu-bucket")["LocationConstraint"],
                         "eu-west-1")

    def test_create_bucket_with_tags(self):
        self.s3.create_bucket(Bucket="tagged-at-birth", CreateBucketConfiguration={
            "Tags": [{"Key": "env", "Value": "dev"}]})
        self.assertEqual(self.s3.get_bucket_tagging(Bucket="tagged-at-birth")["TagSet"],
                         [{"Key": "env", "Value": "dev"}])
        self.expect_error("InvalidTag", 400, self.s3.create_bucket, Bucket="badly-tagged",
                          CreateBucketConfiguration={"Tags": [{"Key": "aws:x", "Value": "v"}]})
        self.expect_error("NoSuchBucket", 404, self.s3.get_bucket_tagging, Bucket="badly-tagged")

    def test_location_constraint_must_fit_the_endpoint_region(self):
        self.expect_error("InvalidLocationConstraint", 400, self.s3.create_bucket,
                          Bucket="explicit-us-east-1",
                          CreateBucketConfiguration={"LocationConstraint": "us-east-1"})
        self.expect_error("InvalidLocationConstraint", 400, self.s3.create_bucket,
                          Bucket="bogus-region",
                          CreateBucketConfiguration={"LocationConstraint": "mars-north-1"})
        eu = self.s3_client(region="eu-west-1")
        self.expect_error("IllegalLocationConstraintException", 400, eu.create_bucket,
                          Bucket="unspecified-in-eu")
        self.expect_error("IllegalLocationConstraintException", 400, eu.create_bucket,
                          Bucket="other-region-in-eu",
                          CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
        self.assertEqual(self.s3.list_buckets()["Buckets"], [])

    def test_create_an_existing_bucket(self):
        self.create_bucket("taken")
        self.put("taken", "keep", b"kept")
        # In us-east-1 S3 answers 200 to its owner, for legacy compatibility.
        again = self.s3.create_bucket(Bucket="taken")
        self.assertEqual(again["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(self.body("taken", "keep"), b"kept")

        eu = self.s3_client(region="eu-west-1")
        eu.create_bucket(Bucket="taken-in-eu",
                         CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        error = self.expect_error("BucketAlreadyOwnedByYou", 409, eu.create_bucket,
                                  Bucket="taken-in-eu",
                                  CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        self.assertEqual(error.get("BucketName"), "taken-in-eu")

        # Bucket names are global across accounts: another account's bucket exists already.
        other = self.s3_client(key="111122223333")
        self.expect_error("BucketAlreadyExists", 409, other.create_bucket, Bucket="taken")
        self.assertEqual(other.list_buckets()["Buckets"], [])

    def test_head_bucket_of_a_missing_bucket_is_a_bare_404(self):
        error = self.expect_error("404", 404, self.s3.head_bucket, Bucket="nobody-has-this")
        self.assertEqual(error["Message"], "Not Found")

    # --- DeleteBucket ------------------------------------------------------------------------
    def test_delete_bucket_only_when_empty(self):
        self.create_bucket("doomed")
        self.put("doomed", "dir/file", b"x")
        error = self.expect_error("BucketNotEmpty", 409, self.s3.delete_bucket, Bucket="doomed",
                                  message="The bucket you tried to delete is not empty")
        self.assertEqual(error.get("BucketName"), "doomed")
        self.assertEqual(self.body("doomed", "dir/file"), b"x")

        self.s3.delete_object(Bucket="doomed", Key="dir/file")
        deleted = self.s3.delete_bucket(Bucket="doomed")
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.expect_error("404", 404, self.s3.head_bucket, Bucket="doomed")
        error = self.expect_error("NoSuchBucket", 404, self.s3.delete_bucket, Bucket="doomed",
                                  message="The specified bucket does not exist")
        self.assertEqual(error.get("BucketName"), "doomed")
        self.assertEqual(self.s3.list_buckets()["Buckets"], [])
        # The name is free again.
        self.create_bucket("doomed")
        self.assertEqual(self.keys("doomed"), [])

    # --- ListBuckets -------------------------------------------------------------------------
    def test_list_buckets_in_name_order_with_owner_and_pages(self):
        for name in ("charlie", "alpha", "bravo-2", "bravo-1"):
            self.create_bucket(name)
        self.s3_client(key="111122223333").create_bucket(Bucket="someone-elses")
        listed = self.s3.list_buckets()
        self.assertEqual([b["Name"] for b in listed["Buckets"]],
                         ["alpha", "bravo-1", "bravo-2", "charlie"])
        self.assertRegex(listed["Owner"]["ID"], r"^[0-9a-f]{64}$")  # a canonical user id
        self.assertNotIn("ContinuationToken", listed)

        first = self.s3.list_buckets(MaxBuckets=3)
        self.assertEqual([b["Name"] for b in first["Buckets"]], ["alpha", "bravo-1", "bravo-2"])
        # With any parameter, each bucket also names its region.
        self.assertEqual({b["BucketRegion"] for b in first["Buckets"]}, {"us-east-1"})
        rest = self.s3.list_buckets(MaxBuckets=3, ContinuationToken=first["ContinuationToken"])
        self.assertEqual([b["Name"] for b in rest["Buckets"]], ["charlie"])
        self.assertNotIn("ContinuationToken", rest)

        by_prefix = self.s3.list_buckets(Prefix="bravo")
        self.assertEqual([b["Name"] for b in by_prefix["Buckets"]], ["bravo-1", "bravo-2"])
        self.assertEqual(by_prefix["Prefix"], "bravo")


class S3BucketConfigurationTest(S3TestCase):

    def setUp(self):
        super().setUp()
        self.bucket = self.create_bucket("configured")

    # --- what an unconfigured bucket answers (Terraform's aws_s3_bucket refresh) ---------------
    def test_an_unconfigured_bucket_answers_each_sub_resource_as_aws_does(self):
        b = self.bucket
        not_found = [
            ("NoSuchCORSConfiguration", self.s3.get_bucket_cors,
             "The CORS configuration does not exist"),
            ("NoSuchTagSet", self.s3.get_bucket_tagging, "The TagSet does not exist"),
            ("NoSuchLifecycleConfiguration", self.s3.get_bucket_lifecycle_configuration,
             "The lifecycle configuration does not exist"),
            ("NoSuchBucketPolicy", self.s3.get_bucket_policy,
             "The bucket policy does not exist"),
            ("NoSuchWebsiteConfiguration", self.s3.get_bucket_website,
             "The specified bucket does not have a website configuration"),
            ("ReplicationConfigurationNotFoundError", self.s3.get_bucket_replication,
             "The replication configuration was not found"),
            ("ObjectLockConfigurationNotFoundError", self.s3.get_object_lock_configuration,
             "Object Lock configuration does not exist for this bucket"),
        ]
        for code, call, message in not_found:
            with self.subTest(code=code):
                error = self.expect_error(code, 404, call, Bucket=b, message=message)
                self.assertEqual(error.get("BucketName"), b)

        # Defaults every new bucket has.
        self.assertEqual(self.s3.get_bucket_encryption(Bucket=b)
                         ["ServerSideEncryptionConfiguration"]["Rules"], [SSE_S3_DEFAULT])
        self.assertEqual(self.s3.get_public_access_block(Bucket=b)
                         ["PublicAccessBlockConfiguration"], ALL_BLOCKED)
        self.assertEqual(self.s3.get_bucket_ownership_controls(Bucket=b)["OwnershipControls"],
                         {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
        self.assertNotIn("Status", self.s3.get_bucket_versioning(Bucket=b))
        self.assertNotIn("MFADelete", self.s3.get_bucket_versioning(Bucket=b))
        self.assertNotIn("Status", self.s3.get_bucket_accelerate_configuration(Bucket=b))
        self.assertEqual(self.s3.get_bucket_request_payment(Bucket=b)["Payer"], "BucketOwner")
        self.assertNotIn("LoggingEnabled", self.s3.get_bucket_logging(Bucket=b))
        notification = self.s3.get_bucket_notification_configuration(Bucket=b)
        for kind in ("TopicConfigurations", "QueueConfigurations",
                     "LambdaFunctionConfigurations", "EventBridgeConfiguration"):
            self.assertNotIn(kind, notification)
        acl = self.s3.get_bucket_acl(Bucket=b)
        self.assertEqual(grants_of(acl), [("CanonicalUser", acl["Owner"]["ID"], "FULL_CONTROL")])

    def test_sub_resources_of_a_missing_bucket_are_no_such_bucket(self):
        for call in (self.s3.get_bucket_cors, self.s3.get_bucket_tagging,
                     self.s3.get_bucket_versioning, self.s3.get_bucket_encryption,
                     self.s3.get_bucket_policy, self.s3.get_bucket_acl,
                     self.s3.get_bucket_location, self.s3.list_objects_v2):
            with self.subTest(operation=call.__name__):
                error = self.expect_error("NoSuchBucket", 404, call, Bucket="no-such-bucket")
                self.assertEqual(error.get("BucketName"), "no-such-bucket")

    # --- versioning --------------------------------------------------------------------------
    def test_versioning_enabled_then_suspended(self):
        self.s3.put_bucket_versioning(Bucket=self.bucket,
                                      VersioningConfiguration={"Status": "Enabled"})
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=self.bucket)["Status"], "Enabled")
        self.s3.put_bucket_versioning(Bucket=self.bucket,
                                      VersioningConfiguration={"Status": "Suspended"})
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=self.bucket)["Status"], "Suspended")
        self.expect_error("MalformedXML", 400, self.s3.put_bucket_versioning, Bucket=self.bucket,
                          VersioningConfiguration={"Status": "Sometimes"})
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=self.bucket)["Status"], "Suspended")

    # --- tagging -----------------------------------------------------------------------------
    def test_bucket_tagging_put_get_replace_delete(self):
        tags = [{"Key": "team", "Value": "payments"}, {"Key": "empty", "Value": ""},
                {"Key": "unicode ключ", "Value": "värde + = . _ : / @"}]
        self.s3.put_bucket_tagging(Bucket=self.bucket, Tagging={"TagSet": tags})
        got = self.s3.get_bucket_tagging(Bucket=self.bucket)["TagSet"]
        self.assertCountEqual(got, tags)

        self.s3.put_bucket_tagging(Bucket=self.bucket,
                                   Tagging={"TagSet": [{"Key": "only", "Value": "one"}]})
        self.assertEqual(self.s3.get_bucket_tagging(Bucket=self.bucket)["TagSet"],
                         [{"Key": "only", "Value": "one"}])

        self.expect_error("InvalidTag", 400, self.s3.put_bucket_tagging, Bucket=self.bucket,
                          Tagging={"TagSet": [{"Key": "dup", "Value": "1"},
                                              {"Key": "dup", "Value": "2"}]})
        for tag_set in ([{"Key": "aws:reserved", "Value": "1"}],
                        [{"Key": "k", "Value": "v" * 257}],
                        [{"Key": f"k{i}", "Value": "v"} for i in range(51)]):
            with self.subTest(tags=len(tag_set)):
                self.expect_error("InvalidTag", 400, self.s3.put_bucket_tagging,
                                  Bucket=self.bucket, Tagging={"TagSet": tag_set})
        fifty = [{"Key": f"k{i}", "Value": "v" * 256} for i in range(50)]
        self.s3.put_bucket_tagging(Bucket=self.bucket, Tagging={"TagSet": fifty})
        self.assertEqual(len(self.s3.get_bucket_tagging(Bucket=self.bucket)["TagSet"]), 50)
        self.s3.put_bucket_tagging(Bucket=self.bucket,
                                   Tagging={"TagSet": [{"Key": "only", "Value": "one"}]})

        deleted = self.s3.delete_bucket_tagging(Bucket=self.bucket)
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.expect_error("NoSuchTagSet", 404, self.s3.get_bucket_tagging, Bucket=self.bucket)

    # --- policy ------------------------------------------------------------------------------
    def test_bucket_policy_put_get_delete(self):
        policy = policy_for(self.bucket)
        put = self.s3.put_bucket_policy(Bucket=self.bucket, Policy=policy)
        self.assertEqual(put["ResponseMetadata"]["HTTPStatusCode"], 204)
        got = self.s3.get_bucket_policy(Bucket=self.bucket)["Policy"]
        self.assertEqual(json.loads(got), json.loads(policy))

        self.expect_error("MalformedPolicy", 400, self.s3.put_bucket_policy, Bucket=self.bucket,
                          Policy="this is not json")
        statement = json.loads(policy)["Statement"][0]
        for reason, broken in (
                ("Missing required field Statement", {"Version": "2012-10-17"}),
                ("Invalid effect: Maybe", {"Statement": [dict(statement, Effect="Maybe")]}),
                ("Policy has invalid action", {"Statement": [
                    dict(statement, Action="sqs:SendMessage")]}),
                ("Policy has invalid resource", {"Statement": [
                    dict(statement, Resource="arn:aws:s3:::another-bucket/*")]}),
                ("Missing required field Principal", {"Statement": [
                    {k: v for k, v in statement.items() if k != "Principal"}]})):
            with self.subTest(reason=reason):
                self.expect_error("MalformedPolicy", 400, self.s3.put_bucket_policy,
                                  Bucket=self.bucket, Policy=json.dumps(broken),
                                  message=reason)
        self.assertEqual(json.loads(self.s3.get_bucket_policy(Bucket=self.bucket)["Policy"]),
                         json.loads(policy))

        deleted = self.s3.delete_bucket_policy(Bucket=self.bucket)
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.expect_error("NoSuchBucketPolicy", 404, self.s3.get_bucket_policy, Bucket=self.bucket)

    def test_public_policies_need_block_public_policy_off(self):
        public = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{self.bucket}/*"}]})
        error = self.expect_error("AccessDenied", 403, self.s3.put_bucket_policy,
                                  Bucket=self.bucket, Policy=public)
        self.assertIn("BlockPublicPolicy", error["Message"])
        self.expect_error("NoSuchBucketPolicy", 404, self.s3.get_bucket_policy, Bucket=self.bucket)
        # A condition limits who: not public. Nor is denying everyone.
        limited = json.loads(public)
        limited["Statement"][0]["Condition"] = {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
        self.s3.put_bucket_policy(Bucket=self.bucket, Policy=json.dumps(limited))
        # With the block lifted, as Terraform does with aws_s3_bucket_public_access_block.
        self.s3.put_public_access_block(Bucket=self.bucket, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False})
        self.s3.put_bucket_policy(Bucket=self.bucket, Policy=public)
        self.assertEqual(json.loads(self.s3.get_bucket_policy(Bucket=self.bucket)["Policy"]),
                         json.loads(public))

    # --- CORS --------------------------------------------------------------------------------
    def test_cors_put_get_delete(self):
        self.s3.put_bucket_cors(Bucket=self.bucket, CORSConfiguration={"CORSRules": CORS_RULES})
        self.assertEqual(self.s3.get_bucket_cors(Bucket=self.bucket)["CORSRules"], CORS_RULES)
        deleted = self.s3.delete_bucket_cors(Bucket=self.bucket)
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.expect_error("NoSuchCORSConfiguration", 404, self.s3.get_bucket_cors,
                          Bucket=self.bucket)

    def preflight(self, origin, method, request_headers=None, key="photos/cat.jpg"):
        headers = {"Access-Control-Request-Method": method}
        if origin:
            headers["Origin"] = origin
        if request_headers:
            headers["Access-Control-Request-Headers"] = request_headers
        # Browsers send preflights without credentials.
        return self.raw("OPTIONS", f"/{self.bucket}/{key}", headers=headers, sign=False)

    def test_options_preflight_is_answered_from_the_cors_rules(self):
        status, headers, body = self.preflight("https://app.example.com", "PUT")
        self.assertRawError((status, headers, body), "AccessForbidden", 403)  # no CORS yet

        self.s3.put_bucket_cors(Bucket=self.bucket, CORSConfiguration={"CORSRules": CORS_RULES})
        status, headers, body = self.preflight("https://app.example.com", "PUT",
                                               "Content-Type, X-Amz-Meta-Owner")
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["access-control-allow-origin"], "https://app.example.com")
        self.assertEqual(headers["access-control-allow-methods"], "GET, PUT")
        # Header names are case-insensitive; S3 answers the requested ones.
        self.assertEqual(headers["access-control-allow-headers"].lower(),
                         "content-type, x-amz-meta-owner")
        self.assertEqual(headers["access-control-expose-headers"], "ETag, x-amz-request-id")
        self.assertEqual(headers["access-control-max-age"], "600")
        self.assertEqual(headers["access-control-allow-credentials"], "true")
        self.assertIn("Origin", headers.get("vary", ""))

        # A wildcard origin pattern; the first matching rule answers.
        status, headers, _ = self.preflight("https://cdn.example.org", "GET")
        self.assertEqual(status, 200)
        self.assertEqual(headers["access-control-allow-origin"], "https://cdn.example.org")
        # The "*" origin rule answers "*".
        status, headers, _ = self.preflight("https://anyone.test", "HEAD")
        self.assertEqual(status, 200)
        self.assertEqual(headers["access-control-allow-origin"], "*")
        self.assertEqual(headers["access-control-allow-methods"], "HEAD")

        for origin, method, requested in [("https://evil.example.net", "GET", None),
                                          ("https://app.example.com", "DELETE", None),
                                          ("https://app.example.com", "PUT", "x-forbidden")]:
            with self.subTest(origin=origin, method=method, requested=requested):
                answer = self.preflight(origin, method, requested)
                self.assertRawError(answer, "AccessForbidden", 403)
                self.assertNotIn("access-control-allow-origin", answer[1])

        answer = self.preflight(None, "GET")
        self.assertRawError(answer, "BadRequest", 400)

    def test_actual_requests_from_an_allowed_origin_carry_cors_headers(self):
        self.s3.put_bucket_cors(Bucket=self.bucket, CORSConfiguration={"CORSRules": CORS_RULES})
        self.put(self.bucket, "page.html", b"<p>hi</p>")
        status, headers, body = self.raw("GET", f"/{self.bucket}/page.html",
                                         headers={"Origin": "https://app.example.com"})
        self.assertEqual((status, body), (200, b"<p>hi</p>"))
        self.assertEqual(headers["access-control-allow-origin"], "https://app.example.com")
        self.assertEqual(headers["access-control-allow-methods"], "GET, PUT")
        status, headers, _ = self.raw("GET", f"/{self.bucket}/page.html",
                                      headers={"Origin": "https://evil.example.net"})
        self.assertEqual(status, 200)
        self.assertNotIn("access-control-allow-origin", headers)

    # --- lifecycle ---------------------------------------------------------------------------
    def test_lifecycle_configuration_is_stored_and_returned(self):
        self.s3.put_bucket_lifecycle_configuration(
            Bucket=self.bucket, LifecycleConfiguration={"Rules": LIFECYCLE_RULES})
        self.assertEqual(self.s3.get_bucket_lifecycle_configuration(Bucket=self.bucket)["Rules"],
                         LIFECYCLE_RULES)
        deleted = self.s3.delete_bucket_lifecycle(Bucket=self.bucket)
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.expect_error("NoSuchLifecycleConfiguration", 404,
                          self.s3.get_bucket_lifecycle_configuration, Bucket=self.bucket)

    # --- encryption --------------------------------------------------------------------------
    def test_encryption_configuration_replaces_and_returns_to_the_sse_s3_default(self):
        key_arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        kms = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                      "KMSMasterKeyID": key_arn},
               "BucketKeyEnabled": True}
        self.s3.put_bucket_encryption(Bucket=self.bucket,
                                      ServerSideEncryptionConfiguration={"Rules": [kms]})
        rule = self.s3.get_bucket_encryption(Bucket=self.bucket)[
            "ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"],
                         kms["ApplyServerSideEncryptionByDefault"])
        self.assertIs(rule["BucketKeyEnabled"], True)

        deleted = self.s3.delete_bucket_encryption(Bucket=self.bucket)
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 204)
        # Deleting the configuration puts the bucket back on SSE-S3.
        self.assertEqual(self.s3.get_bucket_encryption(Bucket=self.bucket)
                         ["ServerSideEncryptionConfiguration"]["Rules"], [SSE_S3_DEFAULT])

    # --- public access block / ownership controls / ACL --------------------------------------
    def test_public_access_block_put_get_delete(self):
        open_config = {"BlockPublicAcls": False, "IgnorePublicAcls": True,
                       "BlockPublicPolicy": False, "RestrictPublicBuckets": True}
        self.s3.put_public_access_block(Bucket=self.bucket,
                                        PublicAccessBlockConfiguration=open_config)
        self.assertEqual(self.s3.get_public_access_block(Bucket=self.bucket)
                         ["PublicAccessBlockConfiguration"], open_config)
        deleted = self.s3.delete_public_access_block(Bucket=self.bucket)
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.expect_error("NoSuchPublicAccessBlockConfiguration", 404,
                          self.s3.get_public_access_block, Bucket=self.bucket,
                          message="The public access block configuration was not found")

    def test_ownership_controls_put_get_delete(self):
        for ownership in ("BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"):
            self.s3.put_bucket_ownership_controls(
                Bucket=self.bucket, OwnershipControls={"Rules": [{"ObjectOwnership": ownership}]})
            self.assertEqual(self.s3.get_bucket_ownership_controls(Bucket=self.bucket)
                             ["OwnershipControls"]["Rules"], [{"ObjectOwnership": ownership}])
        deleted = self.s3.delete_bucket_ownership_controls(Bucket=self.bucket)
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.expect_error("OwnershipControlsNotFoundError", 404,
                          self.s3.get_bucket_ownership_controls, Bucket=self.bucket,
                          message="The bucket ownership controls were not found")

        self.create_bucket("writer-owned", ObjectOwnership="ObjectWriter")
        self.assertEqual(self.s3.get_bucket_ownership_controls(Bucket="writer-owned")
                         ["OwnershipControls"]["Rules"], [{"ObjectOwnership": "ObjectWriter"}])

    def test_canned_acls_need_acls_enabled(self):
        owner = self.s3.get_bucket_acl(Bucket=self.bucket)["Owner"]["ID"]
        # ACLs are disabled (BucketOwnerEnforced): only the owner-only ACLs are accepted.
        self.s3.put_bucket_acl(Bucket=self.bucket, ACL="private")
        self.expect_error("AccessControlListNotSupported", 400, self.s3.put_bucket_acl,
                          Bucket=self.bucket, ACL="public-read",
                          message="The bucket does not allow ACLs")
        self.expect_error("InvalidBucketAclWithObjectOwnership", 400, self.s3.create_bucket,
                          Bucket="acl-without-ownership", ACL="public-read")

        # Nor does an ACL document that grants anyone else anything.
        public_read = {"Owner": {"ID": owner}, "Grants": [
            {"Grantee": {"Type": "CanonicalUser", "ID": owner}, "Permission": "FULL_CONTROL"},
            {"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"}]}
        self.expect_error("AccessControlListNotSupported", 400, self.s3.put_bucket_acl,
                          Bucket=self.bucket, AccessControlPolicy=public_read)
        self.assertEqual(grants_of(self.s3.get_bucket_acl(Bucket=self.bucket)),
                         [("CanonicalUser", owner, "FULL_CONTROL")])
        self.s3.put_bucket_acl(Bucket=self.bucket, AccessControlPolicy={
            "Owner": {"ID": owner}, "Grants": public_read["Grants"][:1]})

        self.create_bucket("acls-on", ObjectOwnership="BucketOwnerPreferred")
        self.s3.delete_public_access_block(Bucket="acls-on")
        self.s3.put_bucket_acl(Bucket="acls-on", ACL="public-read")
        self.assertCountEqual(grants_of(self.s3.get_bucket_acl(Bucket="acls-on")),
                              [("CanonicalUser", owner, "FULL_CONTROL"),
                               ("Group", ALL_USERS, "READ")])
        self.s3.put_bucket_acl(Bucket="acls-on", ACL="private")
        self.assertEqual(grants_of(self.s3.get_bucket_acl(Bucket="acls-on")),
                         [("CanonicalUser", owner, "FULL_CONTROL")])

    # --- the other sub-resources -------------------------------------------------------------
    def test_website_accelerate_request_payment_logging_round_trip(self):
        website = {"IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "404.html"}}
        self.s3.put_bucket_website(Bucket=self.bucket, WebsiteConfiguration=website)
        got = self.s3.get_bucket_website(Bucket=self.bucket)
        self.assertEqual({k: got[k] for k in website}, website)
        self.s3.delete_bucket_website(Bucket=self.bucket)
        self.expect_error("NoSuchWebsiteConfiguration", 404, self.s3.get_bucket_website,
                          Bucket=self.bucket)

        self.s3.put_bucket_accelerate_configuration(
            Bucket=self.bucket, AccelerateConfiguration={"Status": "Enabled"})
        self.assertEqual(self.s3.get_bucket_accelerate_configuration(Bucket=self.bucket)["Status"],
                         "Enabled")

        self.s3.put_bucket_request_payment(Bucket=self.bucket,
                                           RequestPaymentConfiguration={"Payer": "Requester"})
        self.assertEqual(self.s3.get_bucket_request_payment(Bucket=self.bucket)["Payer"],
                         "Requester")

        self.create_bucket("access-logs")
        self.s3.put_bucket_logging(Bucket=self.bucket, BucketLoggingStatus={"LoggingEnabled": {
            "TargetBucket": "access-logs", "TargetPrefix": "configured/"}})
        logging = self.s3.get_bucket_logging(Bucket=self.bucket)["LoggingEnabled"]
        self.assertEqual((logging["TargetBucket"], logging["TargetPrefix"]),
                         ("access-logs", "configured/"))
        self.s3.put_bucket_logging(Bucket=self.bucket, BucketLoggingStatus={})
        self.assertNotIn("LoggingEnabled", self.s3.get_bucket_logging(Bucket=self.bucket))

    def test_object_lock_enabled_at_creation(self):
        self.create_bucket("locked", ObjectLockEnabledForBucket=True)
        self.assertEqual(self.s3.get_object_lock_configuration(Bucket="locked")
                         ["ObjectLockConfiguration"]["ObjectLockEnabled"], "Enabled")
        # Object Lock turns versioning on.
        self.assertEqual(self.s3.get_bucket_versioning(Bucket="locked")["Status"], "Enabled")

    def test_notification_configuration_is_stored(self):
        self.s3.put_bucket_notification_configuration(
            Bucket=self.bucket, NotificationConfiguration={"EventBridgeConfiguration": {}})
        got = self.s3.get_bucket_notification_configuration(Bucket=self.bucket)
        self.assertEqual(got["EventBridgeConfiguration"], {})
        self.s3.put_bucket_notification_configuration(Bucket=self.bucket,
                                                      NotificationConfiguration={})
        self.assertNotIn("EventBridgeConfiguration",
                         self.s3.get_bucket_notification_configuration(Bucket=self.bucket))


if __name__ == "__main__":
    unittest.main()
