#!/usr/bin/env bash
# SNS benchmark: Publish throughput with one and with five SQS subscriptions (raw delivery, and
# five with AWS's signed envelope), and publish-to-SQS-visible latency (p50/p99), for awsemu
# (--state-dir: every message on disk) and moto's server, in the same run.
#
#   bench/run_sns.sh [path/to/awsemu]    (default: build/awsemu under the repository root)
#
# Prints numbers only; fails (non-zero) only when a server cannot be started or does not answer
# the benchmark's requests, since the numbers would then mean nothing.
#
# Knobs (environment): BENCH_DURATION (s, default 10) and BENCH_WARMUP (s, 2) of each wrk run;
# BENCH_SNS_SERVERS ("awsemu moto"); BENCH_SNS_SAMPLES (500 latency samples per server).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SERVERS=${BENCH_SNS_SERVERS:-awsemu moto}
SAMPLES=${BENCH_SNS_SAMPLES:-500}

TMP_PREFIX=awsemu-bench-sns
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"
[[ " $SERVERS " != *" moto "* ]] || need_moto boto3

start() {  # start SERVER: a fresh one (awsemu: a new state directory); sets ENDPOINT
    case $1 in
        awsemu) rm -rf "$TMP/state"; start_awsemu sns --state-dir "$TMP/state" ;;
        moto) start_moto ;;
    esac
    ENDPOINT=http://127.0.0.1:$SERVER_PORT
}

# publish_rate SUBSCRIBERS DELIVERY: Publish requests per second with that many queue
# subscriptions (DELIVERY: raw or envelope), and a check that every queue got every
# acknowledged message.
publish_rate() {
    local topic key=$SERVER_KIND.$1.$2 depths
    topic=$("$PYTHON" "$BENCH_DIR/sns_bench.py" setup "$ENDPOINT" "$1" "$2")
    wrk_run "$key.warmup" "$WARMUP" sns_publish.lua "$ENDPOINT/" SNS_TOPIC_ARN="$topic"
    wrk_run "$key" "$DURATION" sns_publish.lua "$ENDPOINT/" SNS_TOPIC_ARN="$topic"
    ((${R[$key.non2xx]} + ${R[$key.warmup.non2xx]} == 0)) || die "non-2xx answers to Publish: $(wrk_line "$key")"
    depths=$("$PYTHON" "$BENCH_DIR/sns_bench.py" depth "$ENDPOINT")
    say "  Publish, $1 SQS subscription(s), $2: $(wrk_line "$key")"
    say "    queue depths after warm-up + run: $depths; wrk counted $((${R[$key.requests]} + ${R[$key.warmup.requests]})) 2xx answers"
}

say "SNS benchmark: wrk -t2 -c32, ${DURATION}s runs after ${WARMUP}s warm-up; latency: $SAMPLES samples, one at a time"
for server in $SERVERS; do
    SERVER_KIND=$server
    say "$server"
    start "$server"; publish_rate 1 raw; stop_server
    start "$server"; publish_rate 5 raw; stop_server
    start "$server"; publish_rate 5 envelope; stop_server
    start "$server"
    read -r p50 p99 < <("$PYTHON" "$BENCH_DIR/sns_bench.py" latency "$ENDPOINT" "$SAMPLES")
    say "  publish -> visible in SQS: p50 ${p50} ms, p99 ${p99} ms"
    stop_server
done
