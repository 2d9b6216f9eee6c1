"""pgbench through an RDS instance's endpoint against a PostgreSQL server this script starts
itself with the same settings awsemu uses (initdb flags, listen address, no tuning), in one run;
also CreateDBInstance to available.
Usage: AWSEMU_BINARY=build/awsemu python3 bench/rds_pgbench.py"""

import glob
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from harness import AwsemuServer  # noqa: E402

PASSWORD = "bench-password"


def postgres_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    if not found:
        sys.exit("PostgreSQL's server binaries are not installed (apt-get install postgresql)")
    return found[-1]


def as_server_user(argv):
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnPostgres:
    """A PostgreSQL server in a temporary directory, as awsemu starts an instance's."""

    def __init__(self, bindir):
        self.bindir = bindir
        self.dir = tempfile.mkdtemp(prefix="awsemu-bench-pg-")
        self.port = free_port()
        self.process = None

    def __enter__(self):
        pgdata = os.path.join(self.dir, "pgdata")
        password_file = os.path.join(self.dir, "pw")
        with open(password_file, "w") as f:
            f.write(PASSWORD + "\n")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(password_file, "postgres", "postgres")
        subprocess.run(as_server_user([f"{self.bindir}/initdb", "-D", pgdata, "-U", "bench",
                                       f"--pwfile={password_file}", "--auth=scram-sha-256",
                                       "--encoding=UTF8", "--locale=C", "--no-sync"]),
                       check=True, capture_output=True)
        self.process = subprocess.Popen(
            as_server_user([f"{self.bindir}/postgres", "-D", pgdata, "-p", str(self.port),
                            "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                            "-c", "logging_collector=off"]),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while subprocess.run([f"{self.bindir}/pg_isready", "-h", "127.0.0.1", "-p",
                              str(self.port)], capture_output=True).returncode != 0:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("the benchmark's own PostgreSQL did not start")
            time.sleep(0.1)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


def pgbench(bindir, port, *args):
    env = dict(os.environ, PGPASSWORD=PASSWORD)
    out = subprocess.run([f"{bindir}/pgbench", "-h", "127.0.0.1", "-p", str(port), "-U", "bench",
                          *args, "postgres"], env=env, capture_output=True, text=True,
                         check=True).stdout
    match = re.search(r"tps = ([0-9.]+)", out)
    return float(match.group(1)) if match else None


def main():
    bindir = postgres_bin()
    with AwsemuServer() as server, OwnPostgres(bindir) as own:
        rds = server.client("rds")
        started = time.monotonic()
        rds.create_db_instance(DBInstanceIdentifier="bench", DBInstanceClass="db.t3.micro",
                               Engine="postgres", MasterUsername="bench",
                               MasterUserPassword=PASSWORD, AllocatedStorage=20,
                               BackupRetentionPeriod=0)
        while True:
            instance = rds.describe_db_instances(DBInstanceIdentifier="bench")["DBInstances"][0]
            if instance["DBInstanceStatus"] == "available":
                break
            time.sleep(0.05)
        print(f"CreateDBInstance to available: {(time.monotonic() - started) * 1000:.0f} ms")
        endpoint_port = instance["Endpoint"]["Port"]
        for port in (endpoint_port, own.port):
            pgbench(bindir, port, "-i", "-q", "-s", "2")
        # Read-only point queries with few clients are where any hop between client and server
        # would show most (each query is a round trip); TPC-B's writes wait on the disk.
        workloads = {"select-only, 4 clients": ["-S", "-c", "4"],
                     "select-only, 16 clients": ["-S", "-c", "16"],
                     "TPC-B (writes), 4 clients": ["-c", "4"]}
        for name, args in workloads.items():
            runs = {"endpoint": [], "own": []}
            for _ in range(3):
                runs["own"].append(pgbench(bindir, own.port, *args, "-j", "2", "-T", "5"))
                runs["endpoint"].append(pgbench(bindir, endpoint_port, *args, "-j", "2", "-T", "5"))
            own_tps = sum(runs["own"]) / 3
            endpoint_tps = sum(runs["endpoint"]) / 3
            print(f"pgbench {name} (-T5 x3): own server {own_tps:.0f} tps, "
                  f"awsemu endpoint {endpoint_tps:.0f} tps, ratio {endpoint_tps / own_tps:.2f}")


if __name__ == "__main__":
    main()
