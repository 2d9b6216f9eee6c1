#!/usr/bin/env bash
# ALB data-plane benchmark: the same small GET (nginx answering "ok") measured three ways, in one
# run: the target reached directly, through an awsemu ALB listener (awsemu --in-memory: one
# event-loop thread), and through nginx as a plain reverse proxy with one
# worker process (the same single event loop). Prints req/s and p50/p99 per way, then the ratios
# awsemu/nginx (throughput; target >= 0.80) and the p99 difference (target within 1 ms).
#
#   bench/run_alb.sh [path/to/awsemu]    (default: build/awsemu under the repository root)
#
# Prints numbers only; it never fails because a number is bad. It fails (non-zero) only when a
# server cannot be started, the load balancer cannot be set up or its target never becomes
# healthy, a way does not answer the GET with a 200 "ok", or a server dies during the run. See
# bench/README.md.
#
# Knobs (environment): BENCH_DURATION (s, default 10) and BENCH_WARMUP (s, 2) of each wrk run;
# BENCH_ALB_ROUNDS (3): how many times the three ways are measured, one after the other; each
# number printed in the summary is the median over the rounds.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

ROUNDS=${BENCH_ALB_ROUNDS:-3}
WAYS="direct awsemu nginx"

TMP_PREFIX=awsemu-bench-alb
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"
"$PYTHON" -c 'import boto3' 2>/dev/null || die "$PYTHON lacks boto3: pip install boto3"

# --- header -----------------------------------------------------------------------------------
say "awsemu ALB data-plane benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say_machine
say "  target   : nginx $("$NGINX" -v 2>&1 | sed 's/.*version: //'), bench/nginx_alb_target.conf (worker_processes 1, GET / -> 200 \"ok\")"
say "  awsemu   : $AWSEMU ($("$AWSEMU" --version 2>/dev/null || echo '?')), --in-memory: ONE event-loop thread;"
say "             an ALB with an HTTP listener forwarding to an ip target group holding the target (bench/alb_setup.py)"
say "  nginx    : the same nginx as a plain reverse proxy, bench/nginx_alb_proxy.conf: worker_processes 1 (ONE event loop,"
say "             as awsemu's one thread), proxy_pass with upstream keepalive, proxy_http_version 1.1, Connection \"\""
say "  load     : $(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }'), $WRK_THREADS threads, $WRK_CONNECTIONS keep-alive connections, GET / (bench/alb_get.lua),"
say "             ${WARMUP} s warm-up + ${DURATION} s per way, $ROUNDS round(s) of direct, awsemu, nginx; the summary shows medians"
say_load
say ""

# --- servers ------------------------------------------------------------------------------------
declare -A PID PORT URL LOG
NGINX_NAME=target start_nginx nginx_alb_target.conf / GET
PID[direct]=$SERVER_PID PORT[direct]=$SERVER_PORT LOG[direct]=$SERVER_LOG
TARGET_PORT=$SERVER_PORT
URL[direct]="http://127.0.0.1:$TARGET_PORT"

TARGET_PORT=${PORT[direct]} NGINX_NAME=proxy start_nginx nginx_alb_proxy.conf / GET
PID[nginx]=$SERVER_PID PORT[nginx]=$SERVER_PORT LOG[nginx]=$SERVER_LOG
URL[nginx]="http://127.0.0.1:$SERVER_PORT"

start_awsemu alb --in-memory
PID[awsemu]=$SERVER_PID PORT[awsemu]=$SERVER_PORT LOG[awsemu]=$SERVER_LOG
say "setting up the load balancer (waiting for its target to be healthy)"
setup_start=$(date +%s.%N)
URL[awsemu]=$("$PYTHON" "$BENCH_DIR/alb_setup.py" "http://127.0.0.1:${PORT[awsemu]}" "$TARGET_PORT" 2>"$TMP/alb_setup.err") ||
    die "the load balancer's setup failed: $(tail -5 "$TMP/alb_setup.err")"
say "  listener ${URL[awsemu]}, target healthy after $(awk -v a="$setup_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
say ""

check_way() {  # check_way WAY: the GET answers 200 "ok", and the servers are alive
    local way=$1 answer pid
    answer=$(curl -sS -m 5 -w ' %{http_code}' "${URL[$way]}/" 2>&1) || true
    [[ $answer == "ok 200" ]] || die "GET ${URL[$way]}/ ($way) answered: $answer"
    for pid in "${PID[@]}"; do
        kill -0 "$pid" 2>/dev/null || die "a server died during the run; the logs' ends: $(tail -5 "${LOG[@]}" 2>/dev/null)"
    done
}
# connections the target has accepted so far (the target counts them: stub_status)
target_accepts() {
    curl -sS "${URL[direct]}/nginx_status" | awk 'NR == 3 { print $1 }'
}

# measure WAY ROUND: warm-up, then the measured run (R[WAY.ROUND.*]); SERVER_PID is the way's
# server (the target itself for direct), whose CPU per request wrk_run reports. Also the target's
# CPU per request and the connections it accepted during the measured run.
measure() {
    local way=$1 round=$2 key=$1.$2 target_before target_after accepts_before
    check_way "$way"
    SERVER_PID=${PID[$way]}
    wrk_run "$key.warmup" "$WARMUP" alb_get.lua "${URL[$way]}/"
    accepts_before=$(target_accepts)
    target_before=$(cpu_ticks "${PID[direct]}")
    wrk_run "$key" "$DURATION" alb_get.lua "${URL[$way]}/"
    target_after=$(cpu_ticks "${PID[direct]}")
    R[$key.accepts]=$(($(target_accepts) - accepts_before - 1))  # less the stub_status request
    R[$key.target_cpu_us]=$(cpu_per "${R[$key.requests]}" $((target_after - target_before)))
    check_way "$way"
    [[ ${R[$key.non2xx]} == 0 ]] || say "  WARNING: $way answered ${R[$key.non2xx]} non-2xx/3xx responses"
    say "  $(printf '%-7s' "$way") $(wrk_line "$key")"
    if [[ $way != direct ]]; then
        say "          target CPU ${R[$key.target_cpu_us]} us per request; new connections to the target during the run: ${R[$key.accepts]}"
    fi
}

for ((round = 1; round <= ROUNDS; round++)); do
    say "== round $round of $ROUNDS"
    for way in $WAYS; do measure "$way" "$round"; done
    say ""
done

# --- summary ------------------------------------------------------------------------------------
median() {  # median WAY FIELD: over the rounds
    local way=$1 field=$2 round
    for ((round = 1; round <= ROUNDS; round++)); do echo "${R[$way.$round.$field]:-n/a}"; done |
        sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
for way in $WAYS; do
    for field in rps p50_ms p99_ms cpu_us; do R[$way.$field]=$(median "$way" "$field"); done
done
row() { printf '%-40s | %12s | %12s | %12s\n' "$@"; }
line12=$(printf -- '-%.0s' {1..12})
say "== Summary (median of $ROUNDS round(s); awsemu and nginx each on ONE event-loop thread)"
row "GET / -> 200 \"ok\"" "direct" "awsemu ALB" "nginx proxy"
row "$(printf -- '-%.0s' {1..40})" "$line12" "$line12" "$line12"
row "req/s" "$(v direct.rps)" "$(v awsemu.rps)" "$(v nginx.rps)"
row "p50 latency, ms" "$(v direct.p50_ms)" "$(v awsemu.p50_ms)" "$(v nginx.p50_ms)"
row "p99 latency, ms" "$(v direct.p99_ms)" "$(v awsemu.p99_ms)" "$(v nginx.p99_ms)"
row "server CPU per request, us (proxy's)" "$(v direct.cpu_us)" "$(v awsemu.cpu_us)" "$(v nginx.cpu_us)"
say ""
throughput=$(ratio "$(v awsemu.rps)" "$(v nginx.rps)")
p99_diff=$(awk -v a="$(v awsemu.p99_ms)" -v b="$(v nginx.p99_ms)" \
    'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/) printf "%+.3f", a - b; else print "n/a" }')
say "ratio awsemu/nginx throughput: $throughput (target >= 0.80: $(verdict "$throughput" ">=" 0.80))"
p99_verdict=$(awk -v d="$p99_diff" 'BEGIN { if (d ~ /^[-+][0-9.]+$/) print (d + 0 <= 1) ? "met" : "MISSED"; else print "n/a" }')
say "p99 awsemu - nginx: $p99_diff ms (target within 1 ms: $p99_verdict)"
say "ratio awsemu/direct throughput: $(ratio "$(v awsemu.rps)" "$(v direct.rps)"), nginx/direct: $(ratio "$(v nginx.rps)" "$(v direct.rps)")"
say "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
