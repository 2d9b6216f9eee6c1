#!/usr/bin/env bash
# ECS benchmark: RunTask to RUNNING for a trivial task (as a client polling DescribeTasks sees
# it, and as awsemu records it), and what 50 idle tasks cost awsemu itself (its resident memory
# and CPU while they run; the tasks' own processes are counted apart). moto has no peer number
# here: its tasks do not run, they are RUNNING the moment RunTask answers.
#
#   bench/run_ecs.sh [path/to/awsemu]    (default: build/awsemu under the repository root)
#
# Knobs (environment): BENCH_ECS_SAMPLES (50 RunTask samples), BENCH_ECS_TASKS (50 idle tasks),
# BENCH_ECS_IDLE_SECONDS (10 s of idle measurement).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMPLES=${BENCH_ECS_SAMPLES:-50}
TASKS=${BENCH_ECS_TASKS:-50}
IDLE_SECONDS=${BENCH_ECS_IDLE_SECONDS:-10}

TMP_PREFIX=awsemu-bench-ecs
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"

say "ECS benchmark: $SAMPLES RunTask samples, one at a time; $TASKS idle tasks for ${IDLE_SECONDS}s"
say_machine

start_awsemu ecs --state-dir "$TMP/state"
read -r seen50 seen90 seenmax rec50 rec90 recmax < <(
    "$PYTHON" "$BENCH_DIR/ecs_bench.py" latency "http://127.0.0.1:$SERVER_PORT" "$SAMPLES")
say "  RunTask -> RUNNING seen by a client polling DescribeTasks: p50 ${seen50} ms, p90 ${seen90} ms, max ${seenmax} ms"
say "  RunTask -> RUNNING as awsemu records it (startedAt - createdAt): p50 ${rec50} ms, p90 ${rec90} ms, max ${recmax} ms"
stop_server

start_awsemu ecs-idle --state-dir "$TMP/state-idle"
read -r running rss_before rss_after cpu tasks_rss < <(
    "$PYTHON" "$BENCH_DIR/ecs_bench.py" idle "http://127.0.0.1:$SERVER_PORT" "$SERVER_PID" "$TASKS" "$IDLE_SECONDS")
say "  $running idle tasks running: awsemu RSS ${rss_before} MiB before, ${rss_after} MiB with them; awsemu CPU ${cpu}% of one core while idle; the tasks' own processes ${tasks_rss} MiB"
stop_server
