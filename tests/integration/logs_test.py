"""CloudWatch Logs through boto3: every operation awsemu emulates, values, pagination with small
limits and AWS's error codes."""

import time
import unittest

from harness import AwsemuTestCase

ACCOUNT = "000000000000"


def now_ms():
    return int(time.time() * 1000)


class LogsTest(AwsemuTestCase):

    def setUp(self):
        super().setUp()
        self.logs = self.server.client("logs")

    def group_and_stream(self, group="/app/web", stream="web-1"):
        self.logs.create_log_group(logGroupName=group)
        self.logs.create_log_stream(logGroupName=group, logStreamName=stream)

    def put(self, group, stream, *messages, at=None):
        base = at if at is not None else now_ms() - 10_000
        return self.logs.put_log_events(
            logGroupName=group, logStreamName=stream,
            logEvents=[{"timestamp": base + i, "message": m} for i, m in enumerate(messages)])

    def test_log_groups(self):
        self.logs.create_log_group(logGroupName="/app/web", tags={"env": "test"},
                                   kmsKeyId="arn:aws:kms:us-east-1:000000000000:key/abc",
                                   logGroupClass="STANDARD")
        for name in ("/app/api", "/app/worker", "/other", "DataLogs"):
            self.logs.create_log_group(logGroupName=name)
        self.failed_response("ResourceAlreadyExistsException", 400, self.logs.create_log_group,
                             logGroupName="/app/web",
                             message="The specified log group already exists")

        before = now_ms()
        group = self.logs.describe_log_groups(logGroupNamePrefix="/app/web")["logGroups"][0]
        self.assertEqual(group["logGroupName"], "/app/web")
        self.assertEqual(group["arn"], f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/app/web:*")
        self.assertEqual(group["logGroupArn"], f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/app/web")
        self.assertEqual(group["metricFilterCount"], 0)
        self.assertEqual(group["storedBytes"], 0)
        self.assertEqual(group["kmsKeyId"], "arn:aws:kms:us-east-1:000000000000:key/abc")
        self.assertEqual(group["logGroupClass"], "STANDARD")
        self.assertLessEqual(abs(group["creationTime"] - before), 60_000)
        self.assertNotIn("retentionInDays", group)

        paginator = self.logs.get_paginator("describe_log_groups")
        pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
        self.assertEqual(len(pages), 3)
        self.assertEqual([g["logGroupName"] for p in pages for g in p["logGroups"]],
                         ["/app/api", "/app/web", "/app/worker", "/other", "DataLogs"])
        self.assertEqual([g["logGroupName"] for g in self.logs.describe_log_groups(
            logGroupNamePattern="app/w")["logGroups"]], ["/app/web", "/app/worker"])
        self.failed_response("InvalidParameterException", 400, self.logs.describe_log_groups,
                             logGroupNamePrefix="/app", logGroupNamePattern="w")

        self.logs.delete_log_group(logGroupName="/app/web")
        self.failed_response("ResourceNotFoundException", 400, self.logs.delete_log_group,
                             logGroupName="/app/web",
                             message="The specified log group does not exist.")
        self.assertEqual(len(self.logs.describe_log_groups()["logGroups"]), 4)

    def test_log_streams(self):
        self.group_and_stream("g", "b")
        for name in ("a", "c", "d"):
            self.logs.create_log_stream(logGroupName="g", logStreamName=name)
        self.failed_response("ResourceAlreadyExistsException", 400, self.logs.create_log_stream,
                             logGroupName="g", logStreamName="a",
                             message="The specified log stream already exists")
        self.failed_response("ResourceNotFoundException", 400, self.logs.create_log_stream,
                             logGroupName="nope", logStreamName="a")
        t = now_ms() - 60_000
        self.put("g", "c", "one", at=t)
        self.put("g", "a", "two", at=t + 100)

        def names(**kwargs):
            return [s["logStreamName"]
                    for s in self.logs.describe_log_streams(logGroupName="g", **kwargs)["logStreams"]]
        self.assertEqual(names(), ["a", "b", "c", "d"])
        self.assertEqual(names(descending=True), ["d", "c", "b", "a"])
        self.assertEqual(names(logStreamNamePrefix="c"), ["c"])
        self.assertEqual(names(orderBy="LastEventTime", descending=True), ["a", "c", "d", "b"])
        paginator = self.logs.get_paginator("describe_log_streams")
        for order in ("LogStreamName", "LastEventTime"):
            pages = list(paginator.paginate(logGroupName="g", orderBy=order,
                                            PaginationConfig={"PageSize": 1}))
            self.assertEqual(sorted(s["logStreamName"] for p in pages for s in p["logStreams"]),
                             ["a", "b", "c", "d"])
        stream = self.logs.describe_log_streams(logGroupName="g",
                                                logStreamNamePrefix="a")["logStreams"][0]
        self.assertEqual(stream["firstEventTimestamp"], t + 100)
        self.assertEqual(stream["lastEventTimestamp"], t + 100)
        self.assertIn("lastIngestionTime", stream)
        self.assertEqual(stream["arn"], f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:g:log-stream:a")
        self.assertRegex(stream["uploadSequenceToken"], r"^\d{56}$")
        by_arn = self.logs.describe_log_streams(
            logGroupIdentifier=f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:g")["logStreams"]
        self.assertEqual(len(by_arn), 4)
        self.failed_response("InvalidParameterException", 400, self.logs.describe_log_streams,
                             logGroupName="g", orderBy="LastEventTime", logStreamNamePrefix="a",
                             message="Cannot order by LastEventTime with a logStreamNamePrefix.")
        self.failed_response("ResourceNotFoundException", 400, self.logs.describe_log_streams,
                             logGroupName="nope")

        self.logs.delete_log_stream(logGroupName="g", logStreamName="a")
        self.failed_response("ResourceNotFoundException", 400, self.logs.delete_log_stream,
                             logGroupName="g", logStreamName="a",
                             message="The specified log stream does not exist.")
        self.assertEqual(names(), ["b", "c", "d"])

    def test_put_and_get_log_events(self):
        self.group_and_stream()
        t = now_ms() - 60_000
        first = self.put("/app/web", "web-1", *[f"line {i}" for i in range(10)], at=t)
        self.assertRegex(first["nextSequenceToken"], r"^\d{56}$")
        self.assertNotIn("rejectedLogEventsInfo", first)
        # The sequence token is accepted and ignored, right or wrong.
        self.logs.put_log_events(logGroupName="/app/web", logStreamName="web-1",
                                 sequenceToken="1234",
                                 logEvents=[{"timestamp": t + 10, "message": "line 10"}])

        latest = self.logs.get_log_events(logGroupName="/app/web", logStreamName="web-1", limit=3)
        self.assertEqual([e["message"] for e in latest["events"]], ["line 8", "line 9", "line 10"])
        self.assertEqual(latest["events"][0]["timestamp"], t + 8)
        self.assertIn("ingestionTime", latest["events"][0])
        self.assertTrue(latest["nextForwardToken"].startswith("f/"))
        self.assertTrue(latest["nextBackwardToken"].startswith("b/"))
        older = self.logs.get_log_events(logGroupName="/app/web", logStreamName="web-1", limit=3,
                                         nextToken=latest["nextBackwardToken"])
        self.assertEqual([e["message"] for e in older["events"]], ["line 5", "line 6", "line 7"])

        # Reading forward from the head, four at a time, until the token comes back unchanged.
        seen, token = [], None
        while True:
            kwargs = {"nextToken": token} if token else {}
            page = self.logs.get_log_events(logGroupName="/app/web", logStreamName="web-1",
                                            startFromHead=True, limit=4, **kwargs)
            seen += [e["message"] for e in page["events"]]
            if page["nextForwardToken"] == token:
                break
            token = page["nextForwardToken"]
        self.assertEqual(seen, [f"line {i}" for i in range(11)])
        self.put("/app/web", "web-1", "late", at=t + 20)
        page = self.logs.get_log_events(logGroupName="/app/web", logStreamName="web-1",
                                        startFromHead=True, nextToken=token)
        self.assertEqual([e["message"] for e in page["events"]], ["late"])

        window = self.logs.get_log_events(logGroupName="/app/web", logStreamName="web-1",
                                          startTime=t + 2, endTime=t + 4, startFromHead=True)
        self.assertEqual([e["message"] for e in window["events"]], ["line 2", "line 3"])
        stream = self.logs.describe_log_streams(logGroupName="/app/web")["logStreams"][0]
        self.assertEqual((stream["firstEventTimestamp"], stream["lastEventTimestamp"]),
                         (t, t + 20))
        stored = self.logs.describe_log_groups()["logGroups"][0]["storedBytes"]
        self.assertEqual(stored, sum(len(f"line {i}") for i in range(11)) + len("late"))

        self.failed_response("ResourceNotFoundException", 400, self.logs.get_log_events,
                             logGroupName="/app/web", logStreamName="nope",
                             message="The specified log stream does not exist.")
        self.failed_response("ResourceNotFoundException", 400, self.logs.get_log_events,
                             logGroupName="nope", logStreamName="web-1",
                             message="The specified log group does not exist.")
        self.failed_response("InvalidParameterException", 400, self.logs.get_log_events,
                             logGroupName="/app/web", logStreamName="web-1", nextToken="f/bogus")

    def test_put_log_events_rules(self):
        self.group_and_stream()
        now = now_ms()
        day = 24 * 3600 * 1000
        hour = 3600 * 1000
        # A batch spans at most 24 hours, so each rejection gets a batch of its own.
        result = self.logs.put_log_events(logGroupName="/app/web", logStreamName="web-1", logEvents=[
            {"timestamp": now - 14 * day - hour, "message": "too old"},
            {"timestamp": now - 14 * day + hour, "message": "old but kept"},
        ])
        self.assertEqual(result["rejectedLogEventsInfo"], {"tooOldLogEventEndIndex": 1})
        result = self.logs.put_log_events(logGroupName="/app/web", logStreamName="web-1", logEvents=[
            {"timestamp": now - 1000, "message": "kept"},
            {"timestamp": now + 3 * hour, "message": "too new"},
        ])
        self.assertEqual(result["rejectedLogEventsInfo"], {"tooNewLogEventStartIndex": 1})
        self.logs.put_retention_policy(logGroupName="/app/web", retentionInDays=1)
        result = self.logs.put_log_events(logGroupName="/app/web", logStreamName="web-1", logEvents=[
            {"timestamp": now - day - 60_000, "message": "expired"},
            {"timestamp": now - day + 60_000, "message": "kept too"},
        ])
        self.assertEqual(result["rejectedLogEventsInfo"], {"expiredLogEventEndIndex": 1})
        events = self.logs.get_log_events(logGroupName="/app/web", logStreamName="web-1")["events"]
        self.assertEqual([e["message"] for e in events], ["old but kept", "kept too", "kept"])
        self.failed_response(
            "InvalidParameterException", 400, self.logs.put_log_events,
            logGroupName="/app/web", logStreamName="web-1",
            logEvents=[{"timestamp": now - day - 1, "message": "a"},
                       {"timestamp": now, "message": "b"}],
            message="The batch of log events in a single PutLogEvents request cannot span more "
                    "than 24 hours.")

        self.failed_response(
            "InvalidParameterException", 400, self.logs.put_log_events,
            logGroupName="/app/web", logStreamName="web-1",
            logEvents=[{"timestamp": now, "message": "b"}, {"timestamp": now - 1, "message": "a"}],
            message="Log events in a single PutLogEvents request must be in chronological order.")
        self.failed_response(
            "InvalidParameterException", 400, self.logs.put_log_events,
            logGroupName="/app/web", logStreamName="web-1",
            logEvents=[{"timestamp": now, "message": "x" * 600_000},
                       {"timestamp": now, "message": "y" * 600_000}],
            message="Upload too large: 1200052 bytes exceeds limit of 1048576")
        self.failed_response(
            "InvalidParameterException", 400, self.logs.put_log_events,
            logGroupName="/app/web", logStreamName="web-1",
            logEvents=[{"timestamp": now, "message": "x"}] * 10_001)
        self.logs.put_log_events(logGroupName="/app/web", logStreamName="web-1",
                                 logEvents=[{"timestamp": now, "message": "x"}] * 10_000)
        self.failed_response("ResourceNotFoundException", 400, self.logs.put_log_events,
                             logGroupName="nope", logStreamName="web-1",
                             logEvents=[{"timestamp": now, "message": "x"}],
                             message="The specified log group does not exist.")
        self.failed_response("ResourceNotFoundException", 400, self.logs.put_log_events,
                             logGroupName="/app/web", logStreamName="nope",
                             logEvents=[{"timestamp": now, "message": "x"}],
                             message="The specified log stream does not exist.")

    def test_filter_log_events(self):
        self.group_and_stream("g", "web-1")
        self.logs.create_log_stream(logGroupName="g", logStreamName="web-2")
        self.logs.create_log_stream(logGroupName="g", logStreamName="api")
        t = now_ms() - 60_000
        self.put("g", "web-1", '{"level":"error","status":500,"user":{"id":1}}', at=t)
        self.put("g", "web-2", "ERROR connection refused", at=t + 10)
        self.put("g", "api", '{"level":"info","status":200}', at=t + 20)
        self.put("g", "web-1", "WARN slow request", at=t + 30)
        self.put("g", "web-2", '{"level":"error","status":503}', at=t + 40)
        self.put("g", "api", "127.0.0.1 GET /healthz 200 12", at=t + 50)

        def messages(**kwargs):
            return [e["message"] for e in
                    self.logs.filter_log_events(logGroupName="g", **kwargs)["events"]]
        every = self.logs.filter_log_events(logGroupName="g")
        self.assertEqual([e["logStreamName"] for e in every["events"]],
                         ["web-1", "web-2", "api", "web-1", "web-2", "api"])
        self.assertEqual({e["timestamp"] for e in every["events"]}, {t + i * 10 for i in range(6)})
        self.assertEqual(len({e["eventId"] for e in every["events"]}), 6)
        self.assertEqual(messages(filterPattern="ERROR"), ["ERROR connection refused"])
        self.assertEqual(messages(filterPattern='"connection refused"'),
                         ["ERROR connection refused"])
        self.assertEqual(messages(filterPattern="?ERROR ?WARN"),
                         ["ERROR connection refused", "WARN slow request"])
        self.assertEqual(len(messages(filterPattern='{ $.level = "error" }')), 2)
        self.assertEqual(len(messages(filterPattern="{ $.status >= 500 }")), 2)
        self.assertEqual(len(messages(filterPattern='{ $.level = "err*" && $.status != 500 }')), 1)
        self.assertEqual(len(messages(filterPattern='{ $.status = 200 || $.user.id = 1 }')), 2)
        self.assertEqual(len(messages(filterPattern="{ $.user IS NULL }")), 0)
        self.assertEqual(len(messages(filterPattern="{ $.user NOT EXISTS }")), 2)
        self.assertEqual(messages(filterPattern="[ip, method, path = /health*, status = 2*, ms]"),
                         ["127.0.0.1 GET /healthz 200 12"])
        self.assertEqual(len(messages(logStreamNames=["web-2"])), 2)
        self.assertEqual(len(messages(logStreamNamePrefix="web")), 4)
        self.assertEqual(len(messages(startTime=t + 10, endTime=t + 30)), 3)
        paginator = self.logs.get_paginator("filter_log_events")
        pages = list(paginator.paginate(logGroupName="g", PaginationConfig={"PageSize": 2}))
        self.assertEqual([e["message"] for p in pages for e in p["events"]],
                         [e["message"] for e in every["events"]])
        self.assertGreaterEqual(len(pages), 3)
        self.failed_response("InvalidParameterException", 400, self.logs.filter_log_events,
                             logGroupName="g", filterPattern="{ $.level = }")
        self.failed_response("ResourceNotFoundException", 400, self.logs.filter_log_events,
                             logGroupName="nope")

    def test_retention_policy(self):
        self.logs.create_log_group(logGroupName="g")
        for days in (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                     2192, 2557, 2922, 3288, 3653):
            self.logs.put_retention_policy(logGroupName="g", retentionInDays=days)
        self.assertEqual(self.logs.describe_log_groups()["logGroups"][0]["retentionInDays"], 3653)
        response = self.failed_response("InvalidParameterException", 400,
                                        self.logs.put_retention_policy,
                                        logGroupName="g", retentionInDays=2)
        self.assertIn("Member must satisfy enum value set: [1, 3, 5, 7, 14, 30,",
                      response["Error"]["Message"])
        self.failed_response("ResourceNotFoundException", 400, self.logs.put_retention_policy,
                             logGroupName="nope", retentionInDays=1)
        self.logs.delete_retention_policy(logGroupName="g")
        self.assertNotIn("retentionInDays", self.logs.describe_log_groups()["logGroups"][0])
        self.failed_response("ResourceNotFoundException", 400, self.logs.delete_retention_policy,
                             logGroupName="nope")

    def test_tags(self):
        self.logs.create_log_group(logGroupName="g", tags={"a": "1"})
        arn = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:g"
        self.logs.tag_resource(resourceArn=arn, tags={"b": "2"})
        self.assertEqual(self.logs.list_tags_for_resource(resourceArn=arn)["tags"],
                         {"a": "1", "b": "2"})
        # The ARN DescribeLogGroups answers as `arn` ends in ":*"; it names the same group.
        self.assertEqual(self.logs.list_tags_for_resource(resourceArn=arn + ":*")["tags"],
                         {"a": "1", "b": "2"})
        self.logs.untag_resource(resourceArn=arn, tagKeys=["a"])
        self.assertEqual(self.logs.list_tags_log_group(logGroupName="g")["tags"], {"b": "2"})
        self.logs.tag_log_group(logGroupName="g", tags={"c": "3", "b": "two"})
        self.logs.untag_log_group(logGroupName="g", tags=["c"])
        self.assertEqual(self.logs.list_tags_for_resource(resourceArn=arn)["tags"], {"b": "two"})
        self.failed_response("ResourceNotFoundException", 400, self.logs.list_tags_for_resource,
                             resourceArn=f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:nope")
        self.failed_response("ResourceNotFoundException", 400, self.logs.tag_log_group,
                             logGroupName="nope", tags={"a": "b"})

    def test_metric_and_subscription_filters_are_empty(self):
        self.logs.create_log_group(logGroupName="g")
        self.assertEqual(self.logs.describe_metric_filters(logGroupName="g")["metricFilters"], [])
        self.assertEqual(self.logs.describe_metric_filters()["metricFilters"], [])
        self.assertEqual(
            self.logs.describe_subscription_filters(logGroupName="g")["subscriptionFilters"], [])
        self.failed_response("UnknownOperationException", 400, self.logs.start_query,
                             logGroupName="g", startTime=0, endTime=1, queryString="fields @message")

    def test_a_stream_of_100k_events_reads_fast(self):
        self.group_and_stream("big", "s")
        self.logs.create_log_stream(logGroupName="big", logStreamName="other")
        t = now_ms() - 3_600_000
        for batch in range(10):
            self.logs.put_log_events(logGroupName="big", logStreamName="s", logEvents=[
                {"timestamp": t + batch * 10_000 + i, "message": f"event {batch * 10_000 + i}"}
                for i in range(10_000)])
        self.put("big", "other", "needle in the other stream", at=t + 50_000)

        def timed(call, **kwargs):
            started = time.monotonic()
            result = call(**kwargs)
            # Indexed reads: far below this even on a loaded machine; a full scan per page
            # of a 100k-event stream read page by page would not be.
            self.assertLess(time.monotonic() - started, 5.0, kwargs)
            return result
        tail = timed(self.logs.get_log_events, logGroupName="big", logStreamName="s", limit=100)
        self.assertEqual(tail["events"][-1]["message"], "event 99999")
        middle = timed(self.logs.get_log_events, logGroupName="big", logStreamName="s",
                       startTime=t + 55_000, limit=2, startFromHead=True)
        self.assertEqual([e["message"] for e in middle["events"]], ["event 55000", "event 55001"])
        back = timed(self.logs.get_log_events, logGroupName="big", logStreamName="s", limit=100,
                     nextToken=tail["nextBackwardToken"])
        self.assertEqual(back["events"][-1]["message"], "event 99899")
        found = timed(self.logs.filter_log_events, logGroupName="big", filterPattern="needle")
        self.assertEqual([e["logStreamName"] for e in found["events"]], ["other"])
        window = timed(self.logs.filter_log_events, logGroupName="big", startTime=t + 70_000,
                       endTime=t + 70_009, filterPattern="event")
        self.assertEqual(len(window["events"]), 10)

    def test_regions_are_apart(self):
        self.logs.create_log_group(logGroupName="g")
        other = self.server.client("logs", region="eu-west-1")
        self.assertEqual(other.describe_log_groups()["logGroups"], [])
        other.create_log_group(logGroupName="g")
        self.assertEqual(other.describe_log_groups()["logGroups"][0]["arn"],
                         f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:g:*")


if __name__ == "__main__":
    unittest.main()
