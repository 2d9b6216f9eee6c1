"""A Multi-AZ RDS instance: a standby kept by synchronous streaming replication, promoted by
RebootDBInstance with ForceFailover while a client writes through the endpoint without pause.
Every write the client saw acknowledged is there afterwards, and the client reconnects to the
same endpoint."""

import threading
import time
import unittest

from rds_base import RdsTestCase, open_session, psql


class RdsMultiAzTest(RdsTestCase):

    def test_failover_keeps_every_acknowledged_write(self):
        created = self.create("ha", MultiAZ=True, DBName="ha")
        self.assertTrue(created["MultiAZ"])
        instance = self.wait_available("ha")
        endpoint = instance["Endpoint"]
        primary_zone = instance["AvailabilityZone"]
        secondary_zone = instance["SecondaryAvailabilityZone"]
        self.assertNotEqual(primary_zone, secondary_zone)
        psql(endpoint, "app", "s3cret-pass", "ha", "CREATE TABLE writes (n int PRIMARY KEY)")
        # The standby streams before a failover can promote it.
        self.assertEqual(self.sync_state(endpoint), "sync")

        acknowledged = []
        writes = []  # (started, finished, ok) of every write
        stop = threading.Event()

        def writer():
            n = 0
            while not stop.is_set():
                n += 1
                started = time.monotonic()
                result = psql(endpoint, "app", "s3cret-pass", "ha",
                              f"INSERT INTO writes VALUES ({n})", check=False)
                writes.append((started, time.monotonic(), result.returncode == 0))
                if result.returncode == 0:
                    acknowledged.append(n)

        # A connection opened before the failover is cut by it, as on AWS.
        session = open_session(endpoint, "app", "s3cret-pass", "ha")
        thread = threading.Thread(target=writer)
        thread.start()
        try:
            time.sleep(1.0)
            failover_started = time.monotonic()
            self.rds.reboot_db_instance(DBInstanceIdentifier="ha", ForceFailover=True)
            after = self.wait_available("ha")
            time.sleep(2.0)
        finally:
            stop.set()
            thread.join(timeout=60)

        out, err = session.communicate("SELECT 'still here';\n", timeout=30)
        self.assertNotIn("still here", out)
        self.assertNotEqual(session.returncode, 0)
        self.assertIn("connection", err)
        self.assertEqual(after["AvailabilityZone"], secondary_zone)
        self.assertEqual(after["SecondaryAvailabilityZone"], primary_zone)
        self.assertEqual(after["Endpoint"], endpoint)
        # The client goes on writing through the same endpoint after the failover.
        self.assertTrue(any(ok and started > failover_started + 0.5
                            for started, _, ok in writes[-5:]))
        failed = [w for w in writes if not w[2]]
        if failed:
            first_good = next(w for w in writes if w[2] and w[0] > failed[0][0])
            pause = first_good[1] - failed[0][0]
        else:  # no write failed: the longest write is the pause
            pause = max(finished - started for started, finished, _ in writes
                        if finished > failover_started)
        print(f"\nMulti-AZ failover: writes paused {pause * 1000:.0f} ms "
              f"({len(failed)} failed of {len(writes)})")
        present = set(int(x) for x in psql(endpoint, "app", "s3cret-pass", "ha",
                                           "SELECT n FROM writes").split())
        missing = [n for n in acknowledged if n not in present]
        self.assertEqual(missing, [])
        self.assertGreater(len(acknowledged), 10)
        messages = [e["Message"] for e in self.rds.describe_events(
            SourceIdentifier="ha", SourceType="db-instance")["Events"]]
        self.assertTrue(any(m.startswith("Multi-AZ instance failover started") for m in messages))
        self.assertIn("Multi-AZ instance failover completed", messages)

        # A new standby is built and streams again.
        self.assertEqual(self.sync_state(endpoint), "sync")

    def sync_state(self, endpoint, database="postgres", timeout=60):
        deadline = time.monotonic() + timeout
        state = ""
        while time.monotonic() < deadline:
            state = psql(endpoint, "app", "s3cret-pass", database,
                         "SELECT sync_state FROM pg_stat_replication")
            if state == "sync":
                break
            time.sleep(0.5)
        return state

    def test_standby_switched_on_kept_across_restarts_and_off(self):
        self.create("switch")
        endpoint = self.wait_available("switch")["Endpoint"]
        self.assertEqual(psql(endpoint, "app", "s3cret-pass", "postgres",
                              "SELECT count(*) FROM pg_stat_replication"), "0")
        modified = self.rds.modify_db_instance(DBInstanceIdentifier="switch", MultiAZ=True,
                                               ApplyImmediately=True)["DBInstance"]
        self.assertTrue(modified["MultiAZ"])
        self.assertIn("SecondaryAvailabilityZone", modified)
        self.assertEqual(self.sync_state(endpoint), "sync")
        psql(endpoint, "app", "s3cret-pass", "postgres", "CREATE TABLE kept (n int)")

        self.server.stop(timeout=30)
        self.server.start()
        self.rds = self.server.client("rds")
        self.wait_available("switch")
        psql(endpoint, "app", "s3cret-pass", "postgres", "INSERT INTO kept VALUES (1)")
        self.assertEqual(self.sync_state(endpoint), "sync")

        self.rds.modify_db_instance(DBInstanceIdentifier="switch", MultiAZ=False,
                                    ApplyImmediately=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and psql(
                endpoint, "app", "s3cret-pass", "postgres",
                "SELECT count(*) FROM pg_stat_replication") != "0":
            time.sleep(0.5)
        self.assertEqual(psql(endpoint, "app", "s3cret-pass", "postgres",
                              "SELECT count(*) FROM pg_stat_replication"), "0")
        psql(endpoint, "app", "s3cret-pass", "postgres", "INSERT INTO kept VALUES (2)")
        self.assertEqual(psql(endpoint, "app", "s3cret-pass", "postgres",
                              "SELECT count(*) FROM kept"), "2")
        described = self.rds.describe_db_instances(DBInstanceIdentifier="switch")["DBInstances"][0]
        self.assertFalse(described["MultiAZ"])
        self.assertNotIn("SecondaryAvailabilityZone", described)

    def test_failover_is_refused_for_single_az(self):
        self.create("single")
        self.wait_available("single")
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as caught:
            self.rds.reboot_db_instance(DBInstanceIdentifier="single", ForceFailover=True)
        self.assertEqual(caught.exception.response["Error"]["Code"],
                         "InvalidParameterCombination")


if __name__ == "__main__":
    unittest.main()
