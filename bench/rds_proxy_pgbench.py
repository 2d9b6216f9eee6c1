"""pgbench through an RDS instance's endpoint proxy against the same server directly, in one run;
also CreateDBInstance to available. Usage: AWSEMU_BINARY=build/awsemu python3 bench/rds_proxy_pgbench.py"""

import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from harness import AwsemuServer  # noqa: E402

PGBENCH = "/usr/lib/postgresql/15/bin/pgbench"


def pgbench(port, *args):
    env = dict(os.environ, PGPASSWORD="bench-password")
    out = subprocess.run([PGBENCH, "-h", "127.0.0.1", "-p", str(port), "-U", "bench", *args,
                          "postgres"], env=env, capture_output=True, text=True, check=True).stdout
    match = re.search(r"tps = ([0-9.]+)", out)
    return float(match.group(1)) if match else None


def main():
    with AwsemuServer() as server:
        rds = server.client("rds")
        started = time.monotonic()
        rds.create_db_instance(DBInstanceIdentifier="bench", DBInstanceClass="db.t3.micro",
                               Engine="postgres", MasterUsername="bench",
                               MasterUserPassword="bench-password", AllocatedStorage=20,
                               BackupRetentionPeriod=0)
        while True:
            instance = rds.describe_db_instances(DBInstanceIdentifier="bench")["DBInstances"][0]
            if instance["DBInstanceStatus"] == "available":
                break
            time.sleep(0.05)
        print(f"CreateDBInstance to available: {(time.monotonic() - started) * 1000:.0f} ms")
        proxy_port = instance["Endpoint"]["Port"]
        log = os.path.join(server.state_dir, "data", "rds", "000000000000", "us-east-1", "bench",
                           "postgresql.log")
        direct_port = int(re.findall(r'listening on IPv4 address "127.0.0.1", port (\d+)',
                                     open(log).read())[-1])
        pgbench(proxy_port, "-i", "-q", "-s", "2")
        # Read-only point queries with few clients are the proxy's worst case (each query is a
        # round trip through it); more clients, or TPC-B's writes, amortize its hop.
        workloads = {"select-only, 4 clients": ["-S", "-c", "4"],
                     "select-only, 16 clients": ["-S", "-c", "16"],
                     "TPC-B (writes), 4 clients": ["-c", "4"]}
        for name, args in workloads.items():
            runs = {"proxy": [], "direct": []}
            for _ in range(3):
                runs["direct"].append(pgbench(direct_port, *args, "-j", "2", "-T", "5"))
                runs["proxy"].append(pgbench(proxy_port, *args, "-j", "2", "-T", "5"))
            direct = sum(runs["direct"]) / 3
            proxy = sum(runs["proxy"]) / 3
            print(f"pgbench {name} (-T5 x3): direct {direct:.0f} tps, proxy {proxy:.0f} tps, "
                  f"ratio {proxy / direct:.2f}")


if __name__ == "__main__":
    main()
