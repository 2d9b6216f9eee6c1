"""ECS benchmark driver (bench/run_ecs.sh starts awsemu and calls this).

  ecs_bench.py latency ENDPOINT SAMPLES   RunTask -> RUNNING as a client sees it (polling
                                          DescribeTasks), and as awsemu records it
                                          (startedAt - createdAt): p50/p90/max in ms
  ecs_bench.py idle ENDPOINT PID TASKS SECONDS
                                          awsemu's own RSS and CPU with TASKS idle tasks running
                                          (its children, the tasks, are counted apart)
"""

import os
import statistics
import sys
import time

import boto3
from botocore.config import Config


def client(endpoint):
    return boto3.client("ecs", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(retries={"max_attempts": 1}))


def setup(endpoint):
    ecs = client(endpoint)
    ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="test", aws_secret_access_key="test")
    subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]]
    ecs.create_cluster(clusterName="bench")
    ecs.register_task_definition(
        family="idle", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256",
        memory="512", containerDefinitions=[{"name": "main", "image": "awsemu/host",
                                             "command": ["sleep", "3600"]}])
    network = {"awsvpcConfiguration": {"subnets": subnets}}
    return ecs, network


def run(ecs, network, count=1):
    return ecs.run_task(cluster="bench", taskDefinition="idle", launchType="FARGATE", count=count,
                        networkConfiguration=network)["tasks"]


def percentiles(values):
    values = sorted(values)
    return (statistics.median(values), values[int(len(values) * 0.9) - 1], values[-1])


def latency(endpoint, samples):
    ecs, network = setup(endpoint)
    seen, recorded = [], []
    for _ in range(samples):
        start = time.perf_counter()
        arn = run(ecs, network)[0]["taskArn"]
        while True:
            task = ecs.describe_tasks(cluster="bench", tasks=[arn])["tasks"][0]
            if task["lastStatus"] == "RUNNING":
                break
            if task["lastStatus"] == "STOPPED":
                sys.exit(f"the task stopped: {task.get('stoppedReason')}")
        seen.append((time.perf_counter() - start) * 1000)
        recorded.append((task["startedAt"] - task["createdAt"]).total_seconds() * 1000)
        ecs.stop_task(cluster="bench", task=arn)
    print("%.2f %.2f %.2f %.2f %.2f %.2f" % (*percentiles(seen), *percentiles(recorded)))


def kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def children(pid):
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(p) for p in f.read().split()]


def idle(endpoint, pid, tasks, seconds):
    ecs, network = setup(endpoint)
    rss_before = kib(pid)
    arns = []
    while len(arns) < tasks:
        arns += [t["taskArn"] for t in run(ecs, network, min(10, tasks - len(arns)))]
    deadline = time.monotonic() + 60
    while True:
        described = []
        for i in range(0, len(arns), 100):
            described += ecs.describe_tasks(cluster="bench", tasks=arns[i:i + 100])["tasks"]
        if all(t["lastStatus"] == "RUNNING" for t in described):
            break
        if time.monotonic() > deadline:
            sys.exit("the tasks did not all reach RUNNING within 60 s")
        time.sleep(0.05)
    time.sleep(1)  # let the start-up settle
    hz = os.sysconf("SC_CLK_TCK")
    cpu_start, wall_start = ticks(pid), time.monotonic()
    time.sleep(seconds)
    cpu = (ticks(pid) - cpu_start) / hz / (time.monotonic() - wall_start) * 100
    tasks_rss = sum(kib(child) for child in children(pid))
    print("%d %.1f %.1f %.3f %.1f" % (len(children(pid)), rss_before / 1024, kib(pid) / 1024, cpu,
                                     tasks_rss / 1024))


if __name__ == "__main__":
    if sys.argv[1] == "latency":
        latency(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "idle":
        idle(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
    else:
        sys.exit(__doc__)
