#!/usr/bin/env bash
# awsemu benchmark: cold start, idle memory and GetSecretValue throughput of awsemu, side by side
# with moto's server and nginx (a fixed body: the ceiling for an HTTP server on this machine).
#
#   bench/run.sh [path/to/awsemu]        (default: build/awsemu under the repository root)
#
# Prints numbers only; it never fails because a number is bad. It fails (non-zero) only when a
# server cannot be started or does not answer the benchmark's request correctly, since the numbers
# would then mean nothing. See bench/README.md for what each number means.
#
# Knobs (environment): BENCH_DURATION (s, default 10), BENCH_WARMUP (s, 2),
# BENCH_AWSEMU_RUNS (20), BENCH_MOTO_RUNS (5), BENCH_NGINX_RUNS (5), BENCH_POLL_US (200),
# BENCH_PROFILE=1 (after the runs, a perf profile of awsemu under the same load).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

AWSEMU_RUNS=${BENCH_AWSEMU_RUNS:-20}
MOTO_RUNS=${BENCH_MOTO_RUNS:-5}
NGINX_RUNS=${BENCH_NGINX_RUNS:-5}
POLL_US=${BENCH_POLL_US:-200}
PROFILE=${BENCH_PROFILE:-0}
SECRET_VALUE='{"username":"bench","password":"correct-horse-battery-staple"}'

TMP_PREFIX=awsemu-bench
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"
SIGV4_AUTH=$(sigv4_auth secretsmanager 'content-type;host;x-amz-date;x-amz-target')
need_moto boto3

seed_secret() {
    "$PYTHON" "$BENCH_DIR/seed_secret.py" "http://127.0.0.1:$SERVER_PORT" "$SECRET_VALUE" >/dev/null ||
        die "could not create the benchmark secret on port $SERVER_PORT"
}
# The very request wrk sends, once with curl: it must be a 200 carrying the secret.
verify_request() {
    local expect=$1 code
    code=$(curl -sS -o "$TMP/body" -w '%{http_code}' -X POST "http://127.0.0.1:$SERVER_PORT/" \
        -H 'Content-Type: application/x-amz-json-1.1' \
        -H 'X-Amz-Target: secretsmanager.GetSecretValue' \
        -H 'X-Amz-Date: 20260101T000000Z' -H "Authorization: $SIGV4_AUTH" \
        --data '{"SecretId":"bench-secret"}')
    [[ $code == 200 ]] || die "GetSecretValue answered $code: $(head -c 300 "$TMP/body")"
    grep -q -- "$expect" "$TMP/body" || die "GetSecretValue body lacks $expect: $(head -c 300 "$TMP/body")"
}

# run_wrk KEY: warm-up, then the measured run; stores R_<field>_KEY from the Lua done() line
run_wrk() {
    local key=$1 url="http://127.0.0.1:$SERVER_PORT/"
    wrk_run "$key.warmup" "$WARMUP" get_secret_value.lua "$url"
    wrk_run "$key" "$DURATION" get_secret_value.lua "$url"
    say "  $(wrk_line "$key")"
}
# measure KEY EXPECT: idle RSS, then load, then RSS after load and a last check of the answer
measure() {
    local key=$1 expect=$2
    verify_request "$expect"
    sleep 0.5
    R[$key.rss]=$(status_kib "$SERVER_PID" VmRSS)
    say "  idle RSS $(mib "${R[$key.rss]}") MiB (anonymous $(mib "$(status_kib "$SERVER_PID" RssAnon)"), file-backed $(mib "$(status_kib "$SERVER_PID" RssFile)"), processes: $(tree_pids "$SERVER_PID" | wc -l))"
    run_wrk "$key"
    R[$key.rss_after]=$(status_kib "$SERVER_PID" VmRSS)
    R[$key.hwm]=$(status_kib "$SERVER_PID" VmHWM)
    say "  RSS after load $(mib "${R[$key.rss_after]}") MiB (peak $(mib "${R[$key.hwm]}") MiB)"
    verify_request "$expect"
}

# --- the startup probe --------------------------------------------------------------------------
PROBE=$TMP/startup_probe
cc -O2 -o "$PROBE" "$BENCH_DIR/startup_probe.c" || die "cannot compile bench/startup_probe.c"
# cold_start KEY RUNS PROBE-ARGS... -- COMMAND...: stores R[KEY.start], R[KEY.listen], R[KEY.self]
cold_start() {
    local key=$1 runs=$2 line field; shift 2
    line=$("$PROBE" -q -n "$runs" -i "$POLL_US" -t 60000 "$@" | grep '^summary: ') ||
        die "startup probe failed for $key"
    for field in ${line#summary: }; do R[$key.${field%%=*}]=${field#*=}; done
    printf '  median %s ms (min %s, max %s; accepting connections at %s ms%s) over %s runs\n' \
        "${R[$key.median_ms]}" "${R[$key.min_ms]}" "${R[$key.max_ms]}" "${R[$key.listen_median_ms]}" \
        "${R[$key.self_median_ms]:+; self-reported ready ${R[$key.self_median_ms]} ms}" "$runs"
}
LIST_SECRETS=(-r "POST /" -H "X-Amz-Target: secretsmanager.ListSecrets"
              -H "Content-Type: application/x-amz-json-1.1" -H "X-Amz-Date: 20260101T000000Z"
              -H "Authorization: $SIGV4_AUTH" -d '{}')

# --- header -----------------------------------------------------------------------------------
say "awsemu benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say_machine
say "  awsemu   : $AWSEMU ($("$AWSEMU" --version 2>/dev/null || echo '?'))"
say "  moto     : $("$PYTHON" -c 'import moto; print(moto.__version__)') ($PYTHON -m moto.server)"
say "  nginx    : $("$NGINX" -v 2>&1 | sed 's/.*version: //'), worker_processes 2, fixed $(grep -o "return 200 '[^']*'" "$BENCH_DIR/nginx.conf" | sed "s/return 200 '//; s/'$//" | tr -d '\n' | wc -c)-byte JSON body"
say "  load     : $(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }'), $WRK_THREADS threads, $WRK_CONNECTIONS keep-alive connections, ${WARMUP} s warm-up + ${DURATION} s, bench/get_secret_value.lua"
say_load
say ""

# --- 1. cold start ------------------------------------------------------------------------------
say "== 1. Cold start: fork/exec to first HTTP 200 (bench/startup_probe.c, polling every ${POLL_US} us)"
say "floor: fork/exec/exit of /bin/true, and of awsemu --version (no server: loading and exit only):"
cold_start true "$AWSEMU_RUNS" -x -- /bin/true
cold_start version "$AWSEMU_RUNS" -x -- "$AWSEMU" --version
say "awsemu serve --in-memory, first 200 from GET /_awsemu/health:"
cold_start awsemu_mem "$AWSEMU_RUNS" -r "GET /_awsemu/health" -o "$TMP/probe-awsemu.log" -- \
    "$AWSEMU" serve --in-memory --port '{PORT}' --log-format text
say "awsemu serve --in-memory, first 200 from secretsmanager ListSecrets:"
cold_start awsemu_api "$AWSEMU_RUNS" "${LIST_SECRETS[@]}" -o "$TMP/probe-awsemu.log" -- \
    "$AWSEMU" serve --in-memory --port '{PORT}' --log-format text
say "awsemu serve --state-dir (a new, empty directory each run), GET /_awsemu/health:"
cold_start awsemu_dir "$AWSEMU_RUNS" -r "GET /_awsemu/health" -o "$TMP/probe-awsemu.log" -- \
    "$AWSEMU" serve --state-dir "$TMP/cold-state-{RUN}" --port '{PORT}' --log-format text
say "moto_server, first 200 from POST /moto-api/reset:"
cold_start moto "$MOTO_RUNS" -r "POST /moto-api/reset" -- "$PYTHON" -m moto.server -H 127.0.0.1 -p '{PORT}'
say "moto_server, first 200 from secretsmanager ListSecrets:"
cold_start moto_api "$MOTO_RUNS" "${LIST_SECRETS[@]}" -- "$PYTHON" -m moto.server -H 127.0.0.1 -p '{PORT}'
say "nginx, first 200 from POST /:"
mkdir -p "$TMP/nginx-cold"
sed "s#{DIR}#$TMP/nginx-cold#g" "$BENCH_DIR/nginx.conf" >"$TMP/nginx-cold/nginx.conf.in"
cold_start nginx "$NGINX_RUNS" -r "POST /" -T "$TMP/nginx-cold/nginx.conf.in:$TMP/nginx-cold/nginx.conf" -- \
    "$NGINX" -p "$TMP/nginx-cold" -c "$TMP/nginx-cold/nginx.conf" -e "$TMP/nginx-cold/error.log"
rm -rf "$TMP"/cold-state-*
say ""

# --- 2 and 3. memory and throughput ---------------------------------------------------------------
say "== 2./3. Idle RSS and GetSecretValue over keep-alive"
say "awsemu serve --in-memory --log-format text >/dev/null:"
start_awsemu mem_load --in-memory
seed_secret
measure awsemu_mem_load correct-horse-battery-staple
stop_server
say "awsemu serve --state-dir DIR --log-format text >/dev/null:"
start_awsemu dir --state-dir "$TMP/state"
seed_secret
measure awsemu_dir_load correct-horse-battery-staple
stop_server
say "moto_server:"
start_moto
seed_secret
measure moto correct-horse-battery-staple
stop_server
say "nginx (fixed body, master + 2 workers):"
start_nginx
measure nginx bench-secret
stop_server
say ""

# --- optional profile ---------------------------------------------------------------------------
if [[ $PROFILE == 1 ]] && command -v perf >/dev/null; then
    say "== profile: awsemu --in-memory under the same load (perf record -g, 5 s)"
    start_awsemu profile --in-memory
    seed_secret
    perf record -q -F 999 -g -p "$SERVER_PID" -o "$TMP/perf.data" -- sleep 6 >/dev/null 2>&1 &
    perf_pid=$!
    PIDS+=("$perf_pid")
    wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d5s -s "$BENCH_DIR/get_secret_value.lua" \
        "http://127.0.0.1:$SERVER_PORT/" >/dev/null
    wait "$perf_pid" || true
    perf report -i "$TMP/perf.data" --stdio --no-children --sort dso,symbol 2>/dev/null |
        grep -E '^ +[0-9]' | sed -E 's/[ -]+$//' | cut -c1-150 | head -30 || true
    stop_server
    say ""
fi

# --- 4. summary ---------------------------------------------------------------------------------
headline=awsemu_mem_load
row() { printf '%-44s | %14s | %14s | %14s | %s\n' "$@"; }
say "== 4. Summary (awsemu: --in-memory, unless noted)"
row metric awsemu moto nginx target
row "$(printf -- '-%.0s' {1..44})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..14})" ------------
row "cold start to first 200, median ms" "$(v awsemu_mem.median_ms)" "$(v moto.median_ms)" "$(v nginx.median_ms)" "< 10 ms"
row "cold start to first ListSecrets 200, ms" "$(v awsemu_api.median_ms)" "$(v moto_api.median_ms)" "-" ""
row "cold start, new state dir, ms" "$(v awsemu_dir.median_ms)" "-" "-" ""
row "  of which exec+load+exit (awsemu --version)" "$(v version.median_ms)" "-" "-" "(/bin/true: $(v true.median_ms))"
row "idle RSS, MiB" "$(mib "$(v $headline.rss)")" "$(mib "$(v moto.rss)")" "$(mib "$(v nginx.rss)")" "< 10 MiB"
row "RSS after load, MiB" "$(mib "$(v $headline.rss_after)")" "$(mib "$(v moto.rss_after)")" "$(mib "$(v nginx.rss_after)")" ""
row "GetSecretValue req/s" "$(v $headline.rps)" "$(v moto.rps)" "$(v nginx.rps)" ">= nginx / 2"
row "  latency p50 / p99, ms" "$(v $headline.p50_ms)/$(v $headline.p99_ms)" "$(v moto.p50_ms)/$(v moto.p99_ms)" "$(v nginx.p50_ms)/$(v nginx.p99_ms)" ""
row "  server CPU per request, us" "$(v $headline.cpu_us)" "$(v moto.cpu_us)" "$(v nginx.cpu_us)" ""
row "  server CPUs busy" "$(v $headline.cpus)" "$(v moto.cpus)" "$(v nginx.cpus)" ""
row "  non-2xx/3xx responses" "$(v $headline.non2xx)" "$(v moto.non2xx)" "$(v nginx.non2xx)" "0"
row "GetSecretValue req/s, --state-dir" "$(v awsemu_dir_load.rps)" "-" "-" "(CPU $(v awsemu_dir_load.cpu_us) us/req)"
row "idle RSS, --state-dir, MiB" "$(mib "$(v awsemu_dir_load.rss)")" "-" "-" ""
say ""
say "ratio awsemu/nginx req/s: $(ratio "$(v $headline.rps)" "$(v nginx.rps)") (--state-dir: $(ratio "$(v awsemu_dir_load.rps)" "$(v nginx.rps)"))"
say "ratio awsemu/moto  req/s: $(ratio "$(v $headline.rps)" "$(v moto.rps)")"
half_nginx=$(awk -v r="$(v nginx.rps)" 'BEGIN { if (r ~ /^[0-9.]+$/) print r / 2; else print "n/a" }')
say "targets: cold start < 10 ms: $(verdict "$(v awsemu_mem.median_ms)" "<" 10);" \
    "idle RSS < 10 MiB: $(verdict "$(v $headline.rss)" "<" 10240);" \
    "GetSecretValue >= half of nginx: $(verdict "$(v $headline.rps)" ">=" "$half_nginx")"
