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
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
AWSEMU=${1:-$REPO_ROOT/build/awsemu}
case "$AWSEMU" in /*) ;; *) AWSEMU="$PWD/$AWSEMU" ;; esac
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
SERVERS=${BENCH_SNS_SERVERS:-awsemu moto}
SAMPLES=${BENCH_SNS_SAMPLES:-500}
PYTHON=$(python3 -c 'import sys; print(sys.executable)')

say() { printf '%s\n' "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

[[ -x "$AWSEMU" ]] || die "no awsemu binary at $AWSEMU (build it, or pass its path as \$1)"
command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk)"
if [[ " $SERVERS " == *" moto "* ]]; then
    "$PYTHON" -c 'import moto.server' 2>/dev/null ||
        die "$PYTHON lacks moto's server: pip install 'moto[server]'"
fi

TMP=$(mktemp -d /tmp/awsemu-bench-sns.XXXXXX)
SERVER_PID=
stop_server() {  # SIGTERM the server's process group, SIGKILL after 5 s
    [[ -n $SERVER_PID ]] || return 0
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 500); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.01; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}
trap 'stop_server; rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_http() {  # wait_http URL METHOD: until it answers 200 (at most 30 s)
    for _ in $(seq 3000); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' -X "$2" "$1" 2>/dev/null) == 200 ]] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || die "server exited: $(tail -20 "$TMP/server.log")"
        sleep 0.01
    done
    die "no 200 from $1 within 30 s"
}

start() {  # start SERVER: a fresh one (awsemu: a new state directory); sets ENDPOINT
    local port
    case $1 in
        awsemu)
            rm -rf "$TMP/state" "$TMP/port"
            setsid "$AWSEMU" serve --port 0 --port-file "$TMP/port" --state-dir "$TMP/state" \
                >"$TMP/server.log" 2>&1 </dev/null &
            SERVER_PID=$!
            for _ in $(seq 1000); do [[ -s $TMP/port ]] && break; sleep 0.01; done
            [[ -s $TMP/port ]] || die "awsemu did not start: $(tail -20 "$TMP/server.log")"
            ENDPOINT=http://127.0.0.1:$(<"$TMP/port")
            wait_http "$ENDPOINT/_awsemu/health" GET ;;
        moto)
            port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
            setsid "$PYTHON" -m moto.server -H 127.0.0.1 -p "$port" >"$TMP/server.log" 2>&1 </dev/null &
            SERVER_PID=$!
            ENDPOINT=http://127.0.0.1:$port
            wait_http "$ENDPOINT/moto-api/reset" POST ;;
    esac
}

# publish_rate SUBSCRIBERS DELIVERY: Publish requests per second with that many queue
# subscriptions (DELIVERY: raw or envelope), and a check that every queue got every
# acknowledged message.
publish_rate() {
    local topic out rate requests depths
    topic=$("$PYTHON" "$BENCH_DIR/sns_bench.py" setup "$ENDPOINT" "$1" "$2")
    SNS_TOPIC_ARN=$topic wrk -t2 -c32 -d"${WARMUP}s" -s "$BENCH_DIR/sns_publish.lua" "$ENDPOINT" >/dev/null
    out=$(SNS_TOPIC_ARN=$topic wrk -t2 -c32 -d"${DURATION}s" -s "$BENCH_DIR/sns_publish.lua" "$ENDPOINT")
    rate=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")
    requests=$(awk '/requests in/ { print $1 }' <<<"$out")
    grep -q 'Non-2xx' <<<"$out" && die "non-2xx answers to Publish: $out"
    depths=$("$PYTHON" "$BENCH_DIR/sns_bench.py" depth "$ENDPOINT")
    say "  Publish, $1 SQS subscription(s), $2: $rate/s (queue depths after warm-up + run: $depths; measured run: $requests requests)"
}

say "SNS benchmark: wrk -t2 -c32, ${DURATION}s runs after ${WARMUP}s warm-up; latency: $SAMPLES samples, one at a time"
for server in $SERVERS; do
    say "$server"
    start "$server"; publish_rate 1 raw; stop_server
    start "$server"; publish_rate 5 raw; stop_server
    start "$server"; publish_rate 5 envelope; stop_server
    start "$server"
    read -r p50 p99 < <("$PYTHON" "$BENCH_DIR/sns_bench.py" latency "$ENDPOINT" "$SAMPLES")
    say "  publish -> visible in SQS: p50 ${p50} ms, p99 ${p99} ms"
    stop_server
done
