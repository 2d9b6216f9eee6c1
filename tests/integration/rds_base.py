"""What the RDS tests share: creating an instance awsemu runs a real PostgreSQL for, waiting for
it with boto3's waiters, and talking to it through its endpoint with psql."""

import json
import os
import shutil
import subprocess
import time
import unittest

from harness import AwsemuServer, awsemu_only

PSQL = shutil.which("psql") or "/usr/lib/postgresql/15/bin/psql"
WAIT = {"Delay": 1, "MaxAttempts": 180}


def psql(endpoint, user, password, database, sql, check=True):
    """Runs `sql` through the instance's endpoint; answers psql's unaligned output."""
    env = dict(os.environ, PGPASSWORD=password, PGCONNECT_TIMEOUT="20")
    result = subprocess.run(
        [PSQL, "-h", endpoint["Address"], "-p", str(endpoint["Port"]), "-U", user, "-d", database,
         "-v", "ON_ERROR_STOP=1", "-tAc", sql],
        env=env, capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise AssertionError(f"psql failed ({result.returncode}): {result.stderr}")
    return result if not check else result.stdout.strip()


def open_session(endpoint, user, password, database):
    """A psql session kept open through the endpoint, reading SQL from its stdin; it has answered
    one query, so its connection is established."""
    env = dict(os.environ, PGPASSWORD=password, PGCONNECT_TIMEOUT="20")
    session = subprocess.Popen(
        [PSQL, "-h", endpoint["Address"], "-p", str(endpoint["Port"]), "-U", user, "-d", database,
         "-X", "-q", "-tA"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    session.stdin.write("SELECT 'connected';\n")
    session.stdin.flush()
    line = session.stdout.readline().strip()
    if line != "connected":
        session.kill()
        raise AssertionError(f"the session did not answer: {line!r} {session.stderr.read()}")
    return session


def postgres_processes(data_dir_part):
    """The PIDs of postgres servers whose command line names a data directory under this path."""
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().decode(errors="replace")
        except OSError:
            continue
        if "postgres" in cmdline and data_dir_part in cmdline:
            pids.append(int(pid))
    return pids


@awsemu_only("runs real PostgreSQL servers")
class RdsTestCase(unittest.TestCase):
    """A server of its own per test, on a state directory that survives restarts."""

    def setUp(self):
        self.server = AwsemuServer()
        self.addCleanup(self.server.cleanup)
        self.addCleanup(self.assert_no_servers_left)
        self.server.start()
        self.rds = self.server.client("rds")

    def assert_no_servers_left(self):
        self.server.stop(timeout=30)
        deadline = time.monotonic() + 10
        while postgres_processes(self.server.state_dir) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(postgres_processes(self.server.state_dir), [])

    def create(self, identifier, **extra):
        params = dict(DBInstanceIdentifier=identifier, DBInstanceClass="db.t3.micro",
                      Engine="postgres", MasterUsername="app", AllocatedStorage=20)
        if not extra.get("ManageMasterUserPassword"):
            params["MasterUserPassword"] = "s3cret-pass"
        params.update(extra)
        return self.rds.create_db_instance(**params)["DBInstance"]

    def wait_available(self, identifier):
        self.rds.get_waiter("db_instance_available").wait(
            DBInstanceIdentifier=identifier, WaiterConfig=WAIT)
        return self.rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]

    def wait_status(self, identifier, status, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            current = self.rds.describe_db_instances(
                DBInstanceIdentifier=identifier)["DBInstances"][0]["DBInstanceStatus"]
            if current == status:
                return
            time.sleep(0.5)
        raise AssertionError(f"{identifier} never became {status} (still {current})")

    def secret_password(self, secret_arn):
        value = self.server.client("secretsmanager").get_secret_value(SecretId=secret_arn)
        return json.loads(value["SecretString"])
