"""RDS instances backed by real PostgreSQL servers: created by awsemu, reached through their
endpoint with psql, kept across restarts of awsemu, stopped, started, rebooted and deleted."""

import errno
import socket
import time
import unittest

from botocore.exceptions import ClientError

from rds_base import RdsTestCase, WAIT, postgres_processes, psql


class RdsInstancesTest(RdsTestCase):

    def test_create_write_restart_read(self):
        started = time.monotonic()
        created = self.create("orders", DBName="orders", BackupRetentionPeriod=7,
                              Tags=[{"Key": "team", "Value": "payments"}])
        self.assertEqual(created["DBInstanceStatus"], "creating")
        instance = self.wait_available("orders")
        elapsed_ms = (time.monotonic() - started) * 1000
        print(f"\nCreateDBInstance to available: {elapsed_ms:.0f} ms")
        self.assertEqual(instance["DBInstanceStatus"], "available")
        self.assertEqual(instance["Engine"], "postgres")
        self.assertEqual(instance["DBName"], "orders")
        self.assertEqual(instance["BackupRetentionPeriod"], 7)
        self.assertEqual(instance["TagList"], [{"Key": "team", "Value": "payments"}])
        endpoint = instance["Endpoint"]
        self.assertEqual(endpoint["Address"], "127.0.0.1")
        # The server itself listens on the endpoint: nothing relays between client and server.
        self.assertEqual(psql(endpoint, "app", "s3cret-pass", "orders",
                              "SELECT inet_server_port()"), str(endpoint["Port"]))

        psql(endpoint, "app", "s3cret-pass", "orders",
             "CREATE TABLE items (id int PRIMARY KEY, name text); "
             "INSERT INTO items VALUES (1, 'kept across restarts')")
        self.assertEqual(psql(endpoint, "app", "s3cret-pass", "orders",
                              "SELECT current_user || ' ' || current_database()"), "app orders")
        wrong = psql(endpoint, "app", "wrong-password", "orders", "SELECT 1", check=False)
        self.assertNotEqual(wrong.returncode, 0)
        self.assertIn("password authentication failed", wrong.stderr)

        # Stopping awsemu stops the server cleanly; starting it brings the instance back.
        self.server.stop(timeout=30)
        self.assertEqual(postgres_processes(self.server.state_dir), [])
        self.server.start()
        self.rds = self.server.client("rds")
        again = self.wait_available("orders")
        self.assertEqual(again["Endpoint"], endpoint)
        self.assertEqual(psql(endpoint, "app", "s3cret-pass", "orders",
                              "SELECT name FROM items WHERE id = 1"), "kept across restarts")

        # The AWS CLI sees the same instance.
        described = self.server.cli("rds", "describe-db-instances",
                                    "--db-instance-identifier", "orders")
        self.assertEqual(described["DBInstances"][0]["Endpoint"]["Port"], endpoint["Port"])

        self.rds.delete_db_instance(DBInstanceIdentifier="orders", SkipFinalSnapshot=True)
        self.rds.get_waiter("db_instance_deleted").wait(DBInstanceIdentifier="orders",
                                                        WaiterConfig=WAIT)
        self.assertEqual(postgres_processes(self.server.state_dir), [])
        events = self.rds.describe_events(SourceIdentifier="orders",
                                          SourceType="db-instance")["Events"]
        messages = [e["Message"] for e in events]
        self.assertIn("DB instance created", messages)
        self.assertIn("DB instance deleted", messages)

    def test_servers_do_not_outlive_a_killed_awsemu(self):
        self.create("orphan")
        instance = self.wait_available("orphan")
        self.assertTrue(postgres_processes(self.server.state_dir))
        self.server.kill()
        deadline = time.monotonic() + 10
        while postgres_processes(self.server.state_dir) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(postgres_processes(self.server.state_dir), [])
        self.server.start()
        self.rds = self.server.client("rds")
        # "starting" until its server is up again, on the same endpoint.
        self.assertEqual(self.wait_available("orphan")["Endpoint"], instance["Endpoint"])
        self.assertEqual(psql(instance["Endpoint"], "app", "s3cret-pass", "postgres", "SELECT 41 + 1"),
                         "42")

    def test_stop_start_reboot_and_modify_password(self):
        self.create("cycle")
        endpoint = self.wait_available("cycle")["Endpoint"]
        stopped = self.rds.stop_db_instance(DBInstanceIdentifier="cycle")["DBInstance"]
        self.assertEqual(stopped["DBInstanceStatus"], "stopping")
        self.wait_status("cycle", "stopped")
        refused = psql(endpoint, "app", "s3cret-pass", "postgres", "SELECT 1", check=False)
        self.assertIn("Connection refused", refused.stderr)
        # The stopped instance's port stays its own: another program cannot take it.
        with socket.socket() as other, self.assertRaises(OSError) as taken:
            other.bind(("127.0.0.1", endpoint["Port"]))
        self.assertEqual(taken.exception.errno, errno.EADDRINUSE)
        with self.assertRaises(ClientError) as caught:
            self.rds.stop_db_instance(DBInstanceIdentifier="cycle")
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidDBInstanceState")

        self.rds.start_db_instance(DBInstanceIdentifier="cycle")
        self.wait_available("cycle")
        self.assertEqual(psql(endpoint, "app", "s3cret-pass", "postgres", "SELECT 1"), "1")

        self.rds.reboot_db_instance(DBInstanceIdentifier="cycle")
        self.wait_available("cycle")
        self.assertEqual(psql(endpoint, "app", "s3cret-pass", "postgres", "SELECT 2"), "2")

        modified = self.rds.modify_db_instance(DBInstanceIdentifier="cycle",
                                               MasterUserPassword="n3w-password",
                                               ApplyImmediately=True)["DBInstance"]
        self.assertEqual(modified["DBInstanceStatus"], "resetting-master-credentials")
        self.wait_available("cycle")
        self.assertEqual(psql(endpoint, "app", "n3w-password", "postgres", "SELECT 3"), "3")
        old = psql(endpoint, "app", "s3cret-pass", "postgres", "SELECT 1", check=False)
        self.assertNotEqual(old.returncode, 0)

    def test_managed_master_password(self):
        created = self.create("managed", ManageMasterUserPassword=True, DBName="app")
        secret_arn = created["MasterUserSecret"]["SecretArn"]
        self.assertEqual(created["MasterUserSecret"]["SecretStatus"], "active")
        self.assertNotIn("MasterUserPassword", created)
        endpoint = self.wait_available("managed")["Endpoint"]
        secret = self.secret_password(secret_arn)
        self.assertEqual(secret["username"], "app")
        self.assertEqual(psql(endpoint, "app", secret["password"], "app", "SELECT 1"), "1")

        # Rotating the secret changes the real password.
        secrets = self.server.client("secretsmanager")
        secrets.put_secret_value(SecretId=secret_arn, SecretString='{"username": "app", '
                                 '"password": "rotated-pass-1"}')
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if psql(endpoint, "app", "rotated-pass-1", "app", "SELECT 1", check=False).returncode == 0:
                break
            time.sleep(0.5)
        self.assertEqual(psql(endpoint, "app", "rotated-pass-1", "app", "SELECT 5"), "5")

    def test_snapshot_restore_and_final_snapshot(self):
        self.create("source", DBName="shop")
        endpoint = self.wait_available("source")["Endpoint"]
        psql(endpoint, "app", "s3cret-pass", "shop",
             "CREATE TABLE orders (id int); INSERT INTO orders VALUES (7)")
        snapshot = self.rds.create_db_snapshot(DBInstanceIdentifier="source",
                                               DBSnapshotIdentifier="snap1")["DBSnapshot"]
        self.assertEqual(snapshot["Status"], "creating")
        self.rds.get_waiter("db_snapshot_available").wait(DBSnapshotIdentifier="snap1",
                                                          WaiterConfig=WAIT)
        self.rds.add_tags_to_resource(ResourceName=snapshot["DBSnapshotArn"],
                                      Tags=[{"Key": "kind", "Value": "manual"}])
        self.assertEqual(self.rds.list_tags_for_resource(
            ResourceName=snapshot["DBSnapshotArn"])["TagList"], [{"Key": "kind", "Value": "manual"}])
        psql(endpoint, "app", "s3cret-pass", "shop", "INSERT INTO orders VALUES (8)")

        restored = self.rds.restore_db_instance_from_db_snapshot(
            DBInstanceIdentifier="copy", DBSnapshotIdentifier="snap1")["DBInstance"]
        self.assertEqual(restored["DBName"], "shop")
        copy_endpoint = self.wait_available("copy")["Endpoint"]
        self.assertNotEqual(copy_endpoint["Port"], endpoint["Port"])
        self.assertEqual(psql(copy_endpoint, "app", "s3cret-pass", "shop",
                              "SELECT string_agg(id::text, ',') FROM orders"), "7")

        self.rds.delete_db_instance(DBInstanceIdentifier="source",
                                    FinalDBSnapshotIdentifier="source-final")
        self.rds.get_waiter("db_instance_deleted").wait(DBInstanceIdentifier="source",
                                                        WaiterConfig=WAIT)
        final = self.rds.describe_db_snapshots(DBSnapshotIdentifier="source-final")["DBSnapshots"]
        self.assertEqual(final[0]["Status"], "available")
        self.rds.delete_db_snapshot(DBSnapshotIdentifier="snap1")
        with self.assertRaises(ClientError) as caught:
            self.rds.describe_db_snapshots(DBSnapshotIdentifier="snap1")
        self.assertEqual(caught.exception.response["Error"]["Code"], "DBSnapshotNotFound")

    def test_reset_stops_the_servers(self):
        self.create("transient")
        self.wait_available("transient")
        self.assertTrue(postgres_processes(self.server.state_dir))
        self.server.reset()
        self.assertEqual(self.rds.describe_db_instances()["DBInstances"], [])
        deadline = time.monotonic() + 10
        while postgres_processes(self.server.state_dir) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(postgres_processes(self.server.state_dir), [])


class RdsErrorsTest(RdsTestCase):

    def error(self, call, **params):
        with self.assertRaises(ClientError) as caught:
            call(**params)
        return caught.exception.response

    def test_errors(self):
        missing = self.error(self.rds.describe_db_instances, DBInstanceIdentifier="nope")
        self.assertEqual(missing["Error"]["Code"], "DBInstanceNotFound")
        self.assertEqual(missing["ResponseMetadata"]["HTTPStatusCode"], 404)
        self.assertEqual(missing["Error"]["Message"], "DBInstance nope not found.")

        cli = self.server.cli("rds", "describe-db-instances", "--db-instance-identifier", "nope",
                              check=False)
        self.assertNotEqual(cli.returncode, 0)
        self.assertIn("DBInstanceNotFound", cli.stderr)

        self.create("guarded", DeletionProtection=True)
        exists = self.error(self.rds.create_db_instance, DBInstanceIdentifier="guarded",
                            DBInstanceClass="db.t3.micro", Engine="postgres",
                            MasterUsername="app", MasterUserPassword="s3cret-pass",
                            AllocatedStorage=20)
        self.assertEqual(exists["Error"]["Code"], "DBInstanceAlreadyExists")
        bad = self.error(self.rds.create_db_instance, DBInstanceIdentifier="bad--id",
                         DBInstanceClass="db.t3.micro", Engine="postgres",
                         MasterUsername="app", MasterUserPassword="s3cret-pass",
                         AllocatedStorage=20)
        self.assertEqual(bad["Error"]["Code"], "InvalidParameterValue")
        both = self.error(self.rds.create_db_instance, DBInstanceIdentifier="both",
                          DBInstanceClass="db.t3.micro", Engine="postgres",
                          MasterUsername="app", MasterUserPassword="s3cret-pass",
                          ManageMasterUserPassword=True, AllocatedStorage=20)
        self.assertEqual(both["Error"]["Code"], "InvalidParameterCombination")

        self.wait_available("guarded")
        no_snapshot = self.error(self.rds.delete_db_instance, DBInstanceIdentifier="guarded")
        self.assertEqual(no_snapshot["Error"]["Code"], "InvalidParameterCombination")
        protected = self.error(self.rds.delete_db_instance, DBInstanceIdentifier="guarded",
                               SkipFinalSnapshot=True)
        self.assertEqual(protected["Error"]["Code"], "InvalidParameterCombination")
        self.assertIn("deletion protection", protected["Error"]["Message"])
        self.rds.modify_db_instance(DBInstanceIdentifier="guarded", DeletionProtection=False,
                                    ApplyImmediately=True)
        deleted = self.rds.delete_db_instance(DBInstanceIdentifier="guarded",
                                              SkipFinalSnapshot=True)["DBInstance"]
        self.assertEqual(deleted["DBInstanceStatus"], "deleting")
        self.rds.get_waiter("db_instance_deleted").wait(DBInstanceIdentifier="guarded",
                                                        WaiterConfig=WAIT)

    def test_subnet_groups_engine_versions_and_tags(self):
        ec2 = self.server.client("ec2")
        subnets = sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])
        group = self.rds.create_db_subnet_group(
            DBSubnetGroupName="data", DBSubnetGroupDescription="data tier",
            SubnetIds=[s["SubnetId"] for s in subnets[:2]],
            Tags=[{"Key": "tier", "Value": "data"}])["DBSubnetGroup"]
        self.assertEqual(group["DBSubnetGroupName"], "data")
        self.assertEqual(len(group["Subnets"]), 2)
        described = self.rds.describe_db_subnet_groups(DBSubnetGroupName="data")
        self.assertEqual(described["DBSubnetGroups"][0]["VpcId"], subnets[0]["VpcId"])
        arn = group["DBSubnetGroupArn"]
        self.assertEqual(self.rds.list_tags_for_resource(ResourceName=arn)["TagList"],
                         [{"Key": "tier", "Value": "data"}])
        one_zone = self.error(self.rds.create_db_subnet_group, DBSubnetGroupName="one",
                              DBSubnetGroupDescription="d", SubnetIds=[subnets[0]["SubnetId"]])
        self.assertEqual(one_zone["Error"]["Code"], "DBSubnetGroupDoesNotCoverEnoughAZs")

        versions = self.rds.describe_db_engine_versions(Engine="postgres")["DBEngineVersions"]
        self.assertEqual(len(versions), 1)
        self.assertEqual(versions[0]["Engine"], "postgres")
        self.assertTrue(versions[0]["DBParameterGroupFamily"].startswith("postgres"))

        self.rds.delete_db_subnet_group(DBSubnetGroupName="data")
        gone = self.error(self.rds.describe_db_subnet_groups, DBSubnetGroupName="data")
        self.assertEqual(gone["Error"]["Code"], "DBSubnetGroupNotFoundFault")
        self.assertEqual(gone["ResponseMetadata"]["HTTPStatusCode"], 404)


if __name__ == "__main__":
    unittest.main()
