"""Bad input sent to CloudWatch Logs over raw HTTP: AWS-shaped 4xx JSON errors, and the server
keeps serving with its data intact."""

import json
import time
import unittest

from harness import RawJsonTestCase


class LogsBadInputTest(RawJsonTestCase):
    target_prefix = "Logs_20140328"
    signing_name = "logs"

    def ok(self, operation, body):
        status, _, raw = self.call(operation, body)
        self.assertEqual(status, 200, raw)
        return json.loads(raw) if raw else {}

    def test_bad_input_gets_aws_shaped_errors_and_nothing_is_lost(self):
        now = int(time.time() * 1000)
        self.ok("CreateLogGroup", {"logGroupName": "keep"})
        self.ok("CreateLogStream", {"logGroupName": "keep", "logStreamName": "s"})
        self.ok("PutLogEvents", {"logGroupName": "keep", "logStreamName": "s",
                                 "logEvents": [{"timestamp": now, "message": "safe"}]})

        # Malformed JSON and wrong types.
        self.assertJsonError("CreateLogGroup", b'{"logGroupName": "x", ', "SerializationException")
        self.assertJsonError("CreateLogGroup", b"\xff\xfe not json", "SerializationException")
        self.assertJsonError("CreateLogGroup", b"[1, 2]", "SerializationException")
        self.assertJsonError("CreateLogGroup", {"logGroupName": 5}, "SerializationException")
        self.assertJsonError("CreateLogGroup", {"logGroupName": "x", "tags": ["a"]},
                             "SerializationException")
        self.assertJsonError("DescribeLogGroups", {"limit": "ten"}, "SerializationException")
        self.assertJsonError("PutLogEvents", {"logGroupName": "keep", "logStreamName": "s",
                                              "logEvents": {"timestamp": now}},
                             "SerializationException")
        self.assertJsonError("PutLogEvents", {"logGroupName": "keep", "logStreamName": "s",
                                              "logEvents": [{"timestamp": "now", "message": "x"}]},
                             "SerializationException")
        self.assertJsonError("PutLogEvents", {"logGroupName": "keep", "logStreamName": "s",
                                              "logEvents": ["x"]}, "SerializationException")
        # Missing and invalid members.
        self.assertJsonError("CreateLogGroup", {}, "InvalidParameterException",
                             message="1 validation error detected: Value null at 'logGroupName' "
                                     "failed to satisfy constraint: Member must not be null")
        self.assertJsonError("CreateLogGroup", {"logGroupName": "has space"},
                             "InvalidParameterException")
        self.assertJsonError("CreateLogGroup", {"logGroupName": "x" * 513},
                             "InvalidParameterException")
        self.assertJsonError("CreateLogStream", {"logGroupName": "keep", "logStreamName": "a:b"},
                             "InvalidParameterException")
        self.assertJsonError("PutLogEvents", {"logGroupName": "keep", "logStreamName": "s",
                                              "logEvents": [{"message": "x"}]},
                             "InvalidParameterException")
        self.assertJsonError("PutLogEvents", {"logGroupName": "keep", "logStreamName": "s",
                                              "logEvents": []}, "InvalidParameterException")
        self.assertJsonError("GetLogEvents", {"logGroupName": "keep", "logStreamName": "s",
                                              "limit": 10001}, "InvalidParameterException")
        # Out of order, oversized, unknown group.
        self.assertJsonError("PutLogEvents", {"logGroupName": "keep", "logStreamName": "s",
                                              "logEvents": [{"timestamp": now, "message": "b"},
                                                            {"timestamp": now - 5, "message": "a"}]},
                             "InvalidParameterException",
                             message="Log events in a single PutLogEvents request must be in "
                                     "chronological order.")
        self.assertJsonError("PutLogEvents", {"logGroupName": "keep", "logStreamName": "s",
                                              "logEvents": [{"timestamp": now,
                                                             "message": "x" * 1_048_551}]},
                             "InvalidParameterException")
        self.assertJsonError("PutLogEvents", {"logGroupName": "keep", "logStreamName": "s",
                                              "logEvents": [{"timestamp": now, "message": "x"}]
                                              * 10_001}, "InvalidParameterException")
        self.assertJsonError("PutLogEvents", {"logGroupName": "gone", "logStreamName": "s",
                                              "logEvents": [{"timestamp": now, "message": "x"}]},
                             "ResourceNotFoundException",
                             message="The specified log group does not exist.")
        self.assertJsonError("FilterLogEvents", {"logGroupName": "keep",
                                                 "filterPattern": '{ $.a = "x" '},
                             "InvalidParameterException")
        self.assertJsonError("GetLogEvents", {"logGroupName": "keep", "logStreamName": "s",
                                              "nextToken": "b/" + "9" * 50},
                             "InvalidParameterException")
        self.assertJsonError("NoSuchOperation", {}, "UnknownOperationException")

        # Still serving, nothing lost, nothing half-written.
        events = self.ok("GetLogEvents", {"logGroupName": "keep", "logStreamName": "s"})["events"]
        self.assertEqual([e["message"] for e in events], ["safe"])
        groups = self.ok("DescribeLogGroups", {})["logGroups"]
        self.assertEqual([g["logGroupName"] for g in groups], ["keep"])


if __name__ == "__main__":
    unittest.main()
