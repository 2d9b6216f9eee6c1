"""CloudWatch Logs state survives a restart and a kill -9 right after an acknowledged write."""

import shutil
import tempfile
import time
import unittest

from harness import AwsemuServer, awsemu_only


@awsemu_only("restarts the server")
class LogsPersistenceTest(unittest.TestCase):

    def setUp(self):
        self.state_dir = tempfile.mkdtemp(prefix="awsemu-logs-state-")
        self.addCleanup(shutil.rmtree, self.state_dir, True)
        self.server = AwsemuServer(state_dir=self.state_dir)
        self.addCleanup(self.server.cleanup)
        self.server.start()

    def snapshot(self, logs):
        groups = logs.describe_log_groups()["logGroups"]
        streams = logs.describe_log_streams(logGroupName="/app/web")["logStreams"]
        tags = logs.list_tags_log_group(logGroupName="/app/web")["tags"]
        events = logs.get_log_events(logGroupName="/app/web", logStreamName="web-1",
                                     startFromHead=True)["events"]
        return groups, streams, tags, events

    def test_everything_comes_back_after_kill_9(self):
        logs = self.server.client("logs")
        logs.create_log_group(logGroupName="/app/web", tags={"env": "prod"})
        logs.put_retention_policy(logGroupName="/app/web", retentionInDays=30)
        logs.create_log_stream(logGroupName="/app/web", logStreamName="web-1")
        now = int(time.time() * 1000)
        for batch in range(5):
            logs.put_log_events(logGroupName="/app/web", logStreamName="web-1", logEvents=[
                {"timestamp": now - 10_000 + batch * 100 + i, "message": f"event {batch}.{i}"}
                for i in range(20)])
        before = self.snapshot(logs)
        self.assertEqual(len(before[3]), 100)

        self.server.kill()
        self.server.start()
        logs = self.server.client("logs")
        self.assertEqual(self.snapshot(logs), before)
        # Tokens handed out before the restart still read on.
        tail = logs.get_log_events(logGroupName="/app/web", logStreamName="web-1", limit=1)
        logs.put_log_events(logGroupName="/app/web", logStreamName="web-1",
                            logEvents=[{"timestamp": now, "message": "after restart"}])
        self.server.kill()
        self.server.start()
        logs = self.server.client("logs")
        after = logs.get_log_events(logGroupName="/app/web", logStreamName="web-1",
                                    startFromHead=True, nextToken=tail["nextForwardToken"])
        self.assertEqual([e["message"] for e in after["events"]], ["after restart"])


if __name__ == "__main__":
    unittest.main()
