"""Many SQS consumers at once, through boto3 on parallel threads: while a message is invisible
no second consumer gets it, so every message is received and deleted exactly once, and a FIFO
group is still handed out in order."""

import collections
import threading
import unittest

from sqs_base import SqsTestCase

CONSUMERS = 8
MESSAGES = 400


class SqsConcurrencyTest(SqsTestCase):

    def run_threads(self, targets):
        errors = []

        def guarded(target):
            try:
                target()
            except Exception as error:  # reported below, with the others
                errors.append(error)

        threads = [threading.Thread(target=guarded, args=(t,), daemon=True) for t in targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertFalse(any(t.is_alive() for t in threads), "a worker never finished")
        self.assertEqual(errors, [])

    def consumer(self, url, client, seen, lock, expected, on_batch=None):
        """Receives and deletes until `expected` messages were seen by all consumers."""
        def work():
            while True:
                with lock:
                    if sum(seen.values()) >= expected:
                        return
                messages = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                                  WaitTimeSeconds=1, VisibilityTimeout=60
                                                  ).get("Messages", [])
                if not messages:
                    continue
                with lock:
                    for message in messages:
                        seen[message["MessageId"]] += 1
                    if on_batch:
                        on_batch(messages)
                deleted = client.delete_message_batch(QueueUrl=url, Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                    for i, m in enumerate(messages)])
                if deleted.get("Failed"):
                    raise AssertionError(f"delete failed: {deleted['Failed']}")
        return work

    def send_all(self, url, client, bodies, **entry):
        def work():
            for start in range(0, len(bodies), 10):
                out = client.send_message_batch(QueueUrl=url, Entries=[
                    dict(Id=str(i), MessageBody=body, **entry)
                    for i, body in enumerate(bodies[start:start + 10])])
                if out.get("Failed"):
                    raise AssertionError(f"send failed: {out['Failed']}")
        return work

    def test_concurrent_consumers_receive_every_message_exactly_once(self):
        url = self.create_queue("shared-work")
        self.send_all(url, self.sqs, [f"m{i}" for i in range(MESSAGES)])()
        self.assertEqual(self.counts(url), (MESSAGES, 0, 0))

        seen, lock = collections.Counter(), threading.Lock()
        clients = [self.server.client("sqs") for _ in range(CONSUMERS)]
        self.run_threads([self.consumer(url, c, seen, lock, MESSAGES) for c in clients])
        self.assertEqual([key for key, count in seen.items() if count != 1], [])
        self.assertEqual(len(seen), MESSAGES)
        self.assertEqual(self.counts(url), (0, 0, 0))

    def test_producers_and_consumers_at_the_same_time(self):
        url = self.create_queue("busy")
        producers, per_producer = 4, MESSAGES // 4
        seen, lock = collections.Counter(), threading.Lock()
        send_clients = [self.server.client("sqs") for _ in range(producers)]
        receive_clients = [self.server.client("sqs") for _ in range(CONSUMERS // 2)]
        self.run_threads(
            [self.send_all(url, c, [f"p{p}-{i}" for i in range(per_producer)])
             for p, c in enumerate(send_clients)]
            + [self.consumer(url, c, seen, lock, producers * per_producer)
               for c in receive_clients])
        self.assertEqual([key for key, count in seen.items() if count != 1], [])
        self.assertEqual(len(seen), producers * per_producer)
        self.assertEqual(self.counts(url), (0, 0, 0))

    def test_concurrent_consumers_of_a_fifo_queue_keep_each_group_in_order(self):
        url = self.create_fifo_queue("shared.fifo", ContentBasedDeduplication="true")
        groups, per_group = 5, 30
        for g in range(groups):
            self.send_all(url, self.sqs, [f"g{g}:{i:03}" for i in range(per_group)],
                          MessageGroupId=f"g{g}")()
        seen, lock = collections.Counter(), threading.Lock()
        order = collections.defaultdict(list)

        def record(messages):
            for message in messages:
                group, index = message["Body"].split(":")
                order[group].append(int(index))

        clients = [self.server.client("sqs") for _ in range(4)]
        self.run_threads([self.consumer(url, c, seen, lock, groups * per_group, record)
                          for c in clients])
        self.assertEqual([key for key, count in seen.items() if count != 1], [])
        self.assertEqual(len(seen), groups * per_group)
        for g in range(groups):
            self.assertEqual(order[f"g{g}"], list(range(per_group)), f"group g{g}")


if __name__ == "__main__":
    unittest.main()
