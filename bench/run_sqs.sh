#!/usr/bin/env bash
# SQS benchmark: SendMessage and SendMessageBatch throughput, receive+delete drain throughput,
# long-poll wake-up latency, and send / receive latency at several queue depths, for awsemu
# (--state-dir: every message on disk; and --in-memory, for information), moto's server and
# nginx (a fixed body: the ceiling for an HTTP server on this machine).
#
#   bench/run_sqs.sh [path/to/awsemu]    (default: build/awsemu under the repository root)
#
# Prints numbers only; it never fails because a number is bad. It fails (non-zero) only when a
# server cannot be started, does not answer the benchmark's requests correctly, or dies during
# the run, since the numbers would then mean nothing. See bench/README.md for each number.
#
# Knobs (environment): BENCH_DURATION (s, default 10) and BENCH_WARMUP (s, 2) of each wrk run;
# BENCH_SQS_SERVERS ("awsemu_dir awsemu_mem moto nginx"); BENCH_SQS_DRAIN_MESSAGES (50000);
# BENCH_SQS_DRAIN_CONNECTIONS (8); BENCH_SQS_FILL_CONNECTIONS (4); BENCH_SQS_WAKEUPS (200);
# BENCH_SQS_SAMPLES (1000, per depth); BENCH_SQS_DEPTHS ("100 10000 1000000");
# BENCH_SQS_MOTO_DRAIN_MESSAGES (500); BENCH_SQS_MOTO_MAX_DEPTH (10000);
# BENCH_SQS_MOTO_CAP (60 s: longest fill, and longest drain, for moto);
# BENCH_SQS_MOTO_LATENCY_CAP (15 s: longest latency run per depth for moto).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

SERVERS=${BENCH_SQS_SERVERS:-awsemu_dir awsemu_mem moto nginx}
DRAIN_MESSAGES=${BENCH_SQS_DRAIN_MESSAGES:-50000}
DRAIN_CONNECTIONS=${BENCH_SQS_DRAIN_CONNECTIONS:-8}
FILL_CONNECTIONS=${BENCH_SQS_FILL_CONNECTIONS:-4}
WAKEUPS=${BENCH_SQS_WAKEUPS:-200}
SAMPLES=${BENCH_SQS_SAMPLES:-1000}
DEPTHS=${BENCH_SQS_DEPTHS:-100 10000 1000000}
MOTO_DRAIN_MESSAGES=${BENCH_SQS_MOTO_DRAIN_MESSAGES:-500}
MOTO_MAX_DEPTH=${BENCH_SQS_MOTO_MAX_DEPTH:-10000}
MOTO_CAP=${BENCH_SQS_MOTO_CAP:-60}
MOTO_LATENCY_CAP=${BENCH_SQS_MOTO_LATENCY_CAP:-15}

TMP_PREFIX=awsemu-bench-sqs
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"
SIGV4_AUTH=$(sigv4_auth sqs 'content-type;host;x-amz-date;x-amz-target')
[[ " $SERVERS " != *" moto "* ]] || need_moto

# start SERVER PART: a fresh server (awsemu: a new state directory) for one part of the benchmark
start() {
    case $1 in
        awsemu_dir) start_awsemu "dir-$2" --state-dir "$TMP/state-$2" ;;
        awsemu_mem) start_awsemu "mem-$2" --in-memory ;;
        moto) start_moto ;;
        nginx) start_nginx ;;
    esac
}
# check_server: dies with the server's last output if it is gone; for awsemu, reports responses
# with a 5xx status in its log (one line per request: time service operation status ...)
check_server() {
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server died during the run; its last output: $(tail -30 "$SERVER_LOG")"
    if [[ $SERVER_KIND == awsemu_* ]]; then
        local errors
        errors=$(awk '$4 ~ /^5[0-9][0-9]$/' "$SERVER_LOG" | wc -l)
        if ((errors > 0)); then
            say "  WARNING: awsemu answered $errors requests with a 5xx status; the first ones:"
            awk '$4 ~ /^5[0-9][0-9]$/' "$SERVER_LOG" | head -5 | sed 's/^/    /'
            grep -iE 'error|exception|fail' "$SERVER_LOG" | grep -vE ' (200|400) ' | head -5 | sed 's/^/    /' || true
        fi
    fi
}

# --- SQS over curl: setup and checks only (the measured requests come from wrk and sqs_client) ---
# sqs OPERATION JSON: the answer's body in $TMP/body; prints the status code
sqs() {
    curl -sS -o "$TMP/body" -w '%{http_code}' -X POST "http://127.0.0.1:$SERVER_PORT/" \
        -H 'Content-Type: application/x-amz-json-1.0' -H "X-Amz-Target: AmazonSQS.$1" \
        -H 'X-Amz-Date: 20260101T000000Z' -H "Authorization: $SIGV4_AUTH" --data "$2"
}
# create_queue NAME: prints its QueueUrl (nginx: a made-up one)
create_queue() {
    if [[ $SERVER_KIND == nginx ]]; then
        echo "http://127.0.0.1:$SERVER_PORT/000000000000/$1"
        return
    fi
    local code
    code=$(sqs CreateQueue "{\"QueueName\":\"$1\"}")
    [[ $code == 200 ]] || die "CreateQueue $1 answered $code: $(head -c 300 "$TMP/body")"
    sed -n 's/.*"QueueUrl" *: *"\([^"]*\)".*/\1/p' "$TMP/body"
}
# depth URL: ApproximateNumberOfMessages
depth() {
    local code
    code=$(sqs GetQueueAttributes "{\"QueueUrl\":\"$1\",\"AttributeNames\":[\"ApproximateNumberOfMessages\"]}")
    [[ $code == 200 ]] || die "GetQueueAttributes answered $code: $(head -c 300 "$TMP/body")"
    sed -n 's/.*"ApproximateNumberOfMessages" *: *"\([0-9]*\)".*/\1/p' "$TMP/body"
}
# verify_send URL BATCH: the request wrk will send, once: a 200 with the message ids
verify_send() {
    local url=$1 batch=$2 code json expect=1 got
    if ((batch > 0)); then
        json="{\"QueueUrl\":\"$url\",\"Entries\":[$(for ((i = 0; i < batch; i++)); do
            printf '%s{"Id":"%d","MessageBody":"bench message"}' "$([[ $i == 0 ]] || echo ,)" "$i"; done)]}"
        code=$(sqs SendMessageBatch "$json")
        expect=$batch
    else
        code=$(sqs SendMessage "{\"QueueUrl\":\"$url\",\"MessageBody\":\"bench message\"}")
    fi
    [[ $code == 200 ]] || die "send to $url answered $code: $(head -c 300 "$TMP/body")"
    if [[ $SERVER_KIND == nginx ]]; then
        grep -q bench-secret "$TMP/body" || die "nginx answered something else: $(head -c 300 "$TMP/body")"
        return
    fi
    got=$(grep -o '"MessageId"' "$TMP/body" | wc -l)
    ((got == expect)) || die "send to $url: $got message ids in $(head -c 300 "$TMP/body")"
}

# parse LINE KEY: stores R[KEY.field] for each field=value of a BENCH/FILL/... line

# --- the client ---------------------------------------------------------------------------------
CLIENT=$TMP/sqs_client
cc -O2 -pthread -o "$CLIENT" "$BENCH_DIR/sqs_client.c" || die "cannot compile bench/sqs_client.c"
client() {  # client MODE ARGS...: sets LINE to its result line; its errors go to stderr
    run_fg "$TMP/client.out" "$CLIENT" "$1" -p "$SERVER_PORT" "${@:2}" || die "sqs_client $1 failed"
    LINE=$(<"$TMP/client.out")
}

# --- parts --------------------------------------------------------------------------------------
# 1 and 2: wrk SendMessage, then SendMessageBatch (10 entries); a new queue for the warm-up and
# another for the measured run, which therefore starts empty.
run_wrk() {  # run_wrk KEY BATCH
    local key=$1 batch=$2 name warm url held
    name=send$batch
    warm=$(create_queue "bench-$name-warmup")
    url=$(create_queue "bench-$name")
    verify_send "$warm" "$batch"
    run_fg /dev/null env SQS_QUEUE_URL="$warm" SQS_BATCH="$batch" wrk -t"$WRK_THREADS" \
        -c"$WRK_CONNECTIONS" -d"${WARMUP}s" --timeout 5s -s "$BENCH_DIR/sqs_send_message.lua" \
        "http://127.0.0.1:$SERVER_PORT/" || die "wrk failed"
    wrk_run "$key" "$DURATION" sqs_send_message.lua "http://127.0.0.1:$SERVER_PORT/" \
        SQS_QUEUE_URL="$url" SQS_BATCH="$batch"
    local per=$((batch > 0 ? batch : 1))
    R[$key.mps]=$(awk -v r="${R[$key.rps]}" -v n="$per" 'BEGIN { printf "%.1f", r * n }')
    printf '  %-16s wrk %dt/%dc %ss: %s req/s (%s msgs/s)  p50 %s ms  p99 %s ms  requests %s  non-2xx/3xx %s  socket errors connect/read/write/timeout %s/%s/%s/%s\n' \
        "$([[ $batch == 0 ]] && echo SendMessage || echo "SendMessageBatch")" "$WRK_THREADS" \
        "$WRK_CONNECTIONS" "$DURATION" "${R[$key.rps]}" "${R[$key.mps]}" "${R[$key.p50_ms]}" \
        "${R[$key.p99_ms]}" "${R[$key.requests]}" "${R[$key.non2xx]}" "${R[$key.connect_errors]}" \
        "${R[$key.read_errors]}" "${R[$key.write_errors]}" "${R[$key.timeouts]}"
    say "                   server CPU ${R[$key.cpu_us]} us per request (${R[$key.cpus]} CPUs busy on average)"
    if [[ $SERVER_KIND != nginx ]]; then
        # every 2xx wrk counted is a message in the queue (wrk does not count the requests still
        # in flight when it stops, so the queue may hold up to connections x batch more)
        sleep 0.2  # let the server finish what wrk left in flight
        held=$(depth "$url")
        R[$key.held]=$held
        say "                   the queue holds $held messages; wrk counted $((R[$key.requests] * per)) in 2xx answers"
    fi
    R[$key.url]=$url
}

# 1+2 on awsemu --state-dir ends with a durability check: SIGKILL, restart on the same state
# directory, and the SendMessageBatch queue must hold what it held.
durability_check() {
    local url=${R[$1.batch.url]} before=${R[$1.batch.held]} after
    kill_server
    start_awsemu dir-12-again --state-dir "$TMP/state-12"
    after=$(depth "$url")
    R[$1.durable]="$after/$before"
    say "  durability: after SIGKILL and a restart on the same state dir the batch queue holds $after messages (before: $before)"
}

part_send() {  # part_send SERVER
    start "$1" 12
    run_wrk "$1.send" 0
    check_server
    run_wrk "$1.batch" 10
    check_server
    if [[ $1 == awsemu_dir ]]; then
        durability_check "$1"
        check_server
    fi
    stop_server
}

# 3 and 4: pre-fill, drain with receive + delete; then long-poll wake-ups on an empty queue
part_drain_wakeup() {  # part_drain_wakeup SERVER
    local server=$1 url count=$DRAIN_MESSAGES cap=600 line cpu_before cpu_after
    [[ $server == moto ]] && { count=$MOTO_DRAIN_MESSAGES; cap=$MOTO_CAP; }
    start "$server" 34
    url=$(create_queue bench-drain)
    client fill -q "$url" -n "$count" -c "$FILL_CONNECTIONS" -T "$cap"
    line=$LINE
    parse "$line" "$server.fill"
    say "  pre-fill  : ${R[$server.fill.messages]} messages with SendMessageBatch from $FILL_CONNECTIONS connections in ${R[$server.fill.seconds]} s (${R[$server.fill.msgs_per_s]} msgs/s, errors ${R[$server.fill.errors]})$([[ ${R[$server.fill.complete]} == 1 ]] || echo ", stopped at the ${cap} s cap")"
    cpu_before=$(cpu_ticks "$SERVER_PID")
    client drain -q "$url" -n "${R[$server.fill.messages]}" -c "$DRAIN_CONNECTIONS" -T "$cap"
    line=$LINE
    cpu_after=$(cpu_ticks "$SERVER_PID")
    parse "$line" "$server.drain"
    R[$server.drain.cpu_us]=$(cpu_per "${R[$server.drain.messages]}" $((cpu_after - cpu_before)))
    say "  drain     : ${R[$server.drain.msgs_per_s]} msgs/s: ${R[$server.drain.messages]} messages deleted (${R[$server.drain.received]} received) in ${R[$server.drain.seconds]} s by $DRAIN_CONNECTIONS connections; ReceiveMessage calls ${R[$server.drain.receives]} (empty ${R[$server.drain.empty_receives]}), errors ${R[$server.drain.errors]}; server CPU ${R[$server.drain.cpu_us]} us per message"
    say "              queue depth afterwards: $(depth "$url")"
    check_server
    url=$(create_queue bench-wakeup)
    client wakeup -q "$url" -n "$WAKEUPS" -w 20
    line=$LINE
    parse "$line" "$server.wake"
    say "  wake-up   : p50 ${R[$server.wake.p50_ms]} ms  p99 ${R[$server.wake.p99_ms]} ms  (min ${R[$server.wake.min_ms]}, max ${R[$server.wake.max_ms]}; samples ${R[$server.wake.samples]}, answered before the send ${R[$server.wake.early]}, without the message ${R[$server.wake.missed]}, errors ${R[$server.wake.errors]})"
    check_server
    stop_server
}

# 5: latency of single calls at each queue depth (one queue, topped up between depths)
part_latency() {  # part_latency SERVER
    local server=$1 url have=0 depth_target line cap=600 latency_cap=600 fill_flags=()
    if [[ $server == moto ]]; then
        cap=$MOTO_CAP
        latency_cap=$MOTO_LATENCY_CAP
        fill_flags=(-G)
    fi
    start "$server" 5
    url=$(create_queue bench-latency)
    local ref_depth ref_url ref_flags=()
    ref_depth=$(awk '{ print $1 }' <<<"$DEPTHS")
    if [[ $server == nginx ]]; then
        client rtt -q "$url" -n "$SAMPLES"
        line=$LINE
        parse "$line" "$server.rtt"
        say "  round trip (SendMessage-shaped POST, fixed answer): p50 ${R[$server.rtt.p50_ms]} ms  p99 ${R[$server.rtt.p99_ms]} ms  (samples ${R[$server.rtt.samples]})"
        stop_server
        return
    fi
    for depth_target in $DEPTHS; do
        local key=$server.lat$depth_target
        if [[ $server == moto ]] && ((depth_target > MOTO_MAX_DEPTH)); then
            R[$key.skipped]="not attempted"
            say "  depth $depth_target: skipped (moto: not attempted above BENCH_SQS_MOTO_MAX_DEPTH=$MOTO_MAX_DEPTH; its sends slow down as its queue grows)"
            continue
        fi
        if [[ -n ${R[$server.lat_gave_up]:-} ]]; then
            R[$key.skipped]="skipped"
            say "  depth $depth_target: skipped (a smaller depth could not be filled)"
            continue
        fi
        if ((depth_target > have)); then
            client fill -q "$url" -n $((depth_target - have)) -c "$FILL_CONNECTIONS" -T "$cap" "${fill_flags[@]}"
            line=$LINE
            parse "$line" "$key.fill"
            have=$((have + R[$key.fill.messages]))
            if [[ ${R[$key.fill.complete]} != 1 ]]; then
                R[$key.skipped]="skipped"
                R[$server.lat_gave_up]=1
                say "  depth $depth_target: skipped (filled $have messages in ${R[$key.fill.seconds]} s at ${R[$key.fill.msgs_per_s]} msgs/s; $([[ ${R[$key.fill.gave_up]} == 1 ]] && echo "gave up early: at that rate it would not finish within" || echo "stopped at") the ${cap} s cap)"
                continue
            fi
        fi
        say "  depth $depth_target: filled in ${R[$key.fill.seconds]:-0} s (${R[$key.fill.msgs_per_s]:-n/a} msgs/s); queue depth $(depth "$url")"
        client latency -q "$url" -n "$SAMPLES" -T "$latency_cap" "${ref_flags[@]}"
        line=$LINE
        parse "$line" "$key"
        say "    SendMessage                  p50 ${R[$key.send_p50_ms]} ms  p99 ${R[$key.send_p99_ms]} ms"
        say "    ReceiveMessage               p50 ${R[$key.recv_p50_ms]} ms  p99 ${R[$key.recv_p99_ms]} ms"
        say "    ReceiveMessage+DeleteMessage p50 ${R[$key.recv_delete_p50_ms]} ms  p99 ${R[$key.recv_delete_p99_ms]} ms  (samples ${R[$key.samples]}, errors ${R[$key.errors]})"
        if ((${#ref_flags[@]})); then
            say "    interleaved with a queue at depth $ref_depth: SendMessage p50 ${R[$key.ref_send_p50_ms]} ms  p99 ${R[$key.ref_send_p99_ms]} ms; Receive+Delete p50 ${R[$key.ref_recv_delete_p50_ms]} ms  p99 ${R[$key.ref_recv_delete_p99_ms]} ms"
        elif [[ $depth_target == "$ref_depth" ]]; then
            # the reference for the deeper queues: a second queue at this depth, measured in
            # alternation with each of them
            ref_url=$(create_queue bench-latency-ref)
            client fill -q "$ref_url" -n "$ref_depth" -c "$FILL_CONNECTIONS" -T "$cap"
            line=$LINE
            [[ $line == *complete=1* ]] && ref_flags=(-r "$ref_url")
        fi
        check_server
    done
    R[$server.rss_mib]=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status")
    say "  server memory, resident, with the queues above: ${R[$server.rss_mib]} MiB"
    stop_server
}

# --- header -----------------------------------------------------------------------------------
label() {
    case $1 in
        awsemu_dir) echo "awsemu serve --state-dir DIR (SQLite WAL on disk, committed before each answer, no fsync)" ;;
        awsemu_mem) echo "awsemu serve --in-memory (for information)" ;;
        moto) echo "moto_server" ;;
        nginx) echo "nginx (fixed body, master + 2 workers)" ;;
    esac
}
say "awsemu SQS benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say_machine
say "  awsemu   : $AWSEMU ($("$AWSEMU" --version 2>/dev/null || echo '?')), --log-format text"
[[ " $SERVERS " == *" moto "* ]] &&
    say "  moto     : $("$PYTHON" -c 'import moto; print(moto.__version__)') ($PYTHON -m moto.server)"
say "  nginx    : $("$NGINX" -v 2>&1 | sed 's/.*version: //'), bench/nginx.conf (worker_processes 2, a fixed ~100-byte JSON body)"
say "  load     : $(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }'), $WRK_THREADS threads, $WRK_CONNECTIONS keep-alive connections, ${WARMUP} s warm-up + ${DURATION} s, bench/sqs_send_message.lua; bench/sqs_client.c for the rest"
say_load
say ""

for server in $SERVERS; do
    SERVER_KIND=$server
    say "== $(label "$server")"
    say " 1./2. SendMessage and SendMessageBatch (10 entries) throughput"
    part_send "$server"
    if [[ $server != nginx ]]; then
        say " 3./4. drain (ReceiveMessage of 10 + DeleteMessageBatch) and long-poll wake-up"
        part_drain_wakeup "$server"
    fi
    say " 5. latency of single calls over one keep-alive connection, by queue depth ($SAMPLES samples each)"
    part_latency "$server"
    say ""
done

# --- summary ------------------------------------------------------------------------------------
pair() {  # pair KEY_P50 KEY_P99 [SKIPKEY]
    if [[ -n ${3:-} && -n ${R[$3]:-} ]]; then
        echo "${R[$3]}"
    elif [[ -z ${R[$1]:-} ]]; then
        echo n/a
    else
        echo "$(v "$1")/$(v "$2")"
    fi
}
row() { printf '%-46s | %15s | %15s | %15s | %15s\n' "$@"; }
line15=$(printf -- '-%.0s' {1..15})
say "== Summary"
row metric "awsemu dir" "awsemu mem" moto nginx
row "$(printf -- '-%.0s' {1..46})" "$line15" "$line15" "$line15" "$line15"
row "SendMessage req/s" "$(v awsemu_dir.send.rps)" "$(v awsemu_mem.send.rps)" "$(v moto.send.rps)" "$(v nginx.send.rps)"
row "  ratio to nginx" "$(ratio "$(v awsemu_dir.send.rps)" "$(v nginx.send.rps)")" "$(ratio "$(v awsemu_mem.send.rps)" "$(v nginx.send.rps)")" "$(ratio "$(v moto.send.rps)" "$(v nginx.send.rps)")" "1"
row "  latency p50/p99 under load, ms" "$(pair awsemu_dir.send.p50_ms awsemu_dir.send.p99_ms)" "$(pair awsemu_mem.send.p50_ms awsemu_mem.send.p99_ms)" "$(pair moto.send.p50_ms moto.send.p99_ms)" "$(pair nginx.send.p50_ms nginx.send.p99_ms)"
row "  server CPU per request, us" "$(v awsemu_dir.send.cpu_us)" "$(v awsemu_mem.send.cpu_us)" "$(v moto.send.cpu_us)" "$(v nginx.send.cpu_us)"
row "SendMessageBatch (10) req/s" "$(v awsemu_dir.batch.rps)" "$(v awsemu_mem.batch.rps)" "$(v moto.batch.rps)" "$(v nginx.batch.rps)"
row "  messages/s" "$(v awsemu_dir.batch.mps)" "$(v awsemu_mem.batch.mps)" "$(v moto.batch.mps)" "-"
row "  req/s ratio to nginx" "$(ratio "$(v awsemu_dir.batch.rps)" "$(v nginx.batch.rps)")" "$(ratio "$(v awsemu_mem.batch.rps)" "$(v nginx.batch.rps)")" "$(ratio "$(v moto.batch.rps)" "$(v nginx.batch.rps)")" "1"
row "  server CPU per request, us" "$(v awsemu_dir.batch.cpu_us)" "$(v awsemu_mem.batch.cpu_us)" "$(v moto.batch.cpu_us)" "$(v nginx.batch.cpu_us)"
row "  survives SIGKILL (held after/before)" "$(v awsemu_dir.durable)" "-" "-" "-"
row "drain (receive 10 + delete batch), msgs/s" "$(v awsemu_dir.drain.msgs_per_s)" "$(v awsemu_mem.drain.msgs_per_s)" "$(v moto.drain.msgs_per_s)" "-"
row "  messages drained" "$(v awsemu_dir.drain.messages)" "$(v awsemu_mem.drain.messages)" "$(v moto.drain.messages)" "-"
row "  ratio to nginx SendMessage req/s" "$(ratio "$(v awsemu_dir.drain.msgs_per_s)" "$(v nginx.send.rps)")" "$(ratio "$(v awsemu_mem.drain.msgs_per_s)" "$(v nginx.send.rps)")" "$(ratio "$(v moto.drain.msgs_per_s)" "$(v nginx.send.rps)")" "-"
row "  server CPU per message, us" "$(v awsemu_dir.drain.cpu_us)" "$(v awsemu_mem.drain.cpu_us)" "$(v moto.drain.cpu_us)" "-"
row "long-poll wake-up p50/p99, ms" "$(pair awsemu_dir.wake.p50_ms awsemu_dir.wake.p99_ms)" "$(pair awsemu_mem.wake.p50_ms awsemu_mem.wake.p99_ms)" "$(pair moto.wake.p50_ms moto.wake.p99_ms)" "-"
# depth_row LABEL METRIC DEPTH: METRIC p50/p99 at DEPTH for the three SQS servers
depth_row() {
    local server cells=()
    for server in awsemu_dir awsemu_mem moto; do
        cells+=("$(pair "$server.lat$3.$2_p50_ms" "$server.lat$3.$2_p99_ms" "$server.lat$3.skipped")")
    done
    row "$1 p50/p99 at depth $3, ms" "${cells[@]}" "-"
}
for d in $DEPTHS; do depth_row SendMessage send "$d"; done
for d in $DEPTHS; do depth_row Receive+Delete recv_delete "$d"; done
row "round trip of a fixed answer p50/p99, ms" "-" "-" "-" "$(pair nginx.rtt.p50_ms nginx.rtt.p99_ms)"
row "server memory after the depth runs, MiB" "$(v awsemu_dir.rss_mib)" "$(v awsemu_mem.rss_mib)" "$(v moto.rss_mib)" "-"
first=$(awk '{ print $1 }' <<<"$DEPTHS")
last=$(awk '{ print $NF }' <<<"$DEPTHS")
if [[ $first != "$last" ]]; then
    say ""
    for server in $SERVERS; do
        [[ $server == nginx ]] && continue
        a=$server.lat$last b=$server.lat$first
        if [[ -n ${R[$a.skipped]:-} || -z ${R[$a.samples]:-} ]]; then
            say "latency at depth $last / at depth $first, $server: n/a (depth $last ${R[$a.skipped]:-not measured})"
            continue
        fi
        say "latency at depth $last / at depth $first, $server:" \
            "SendMessage p50 $(ratio "$(v "$a.send_p50_ms")" "$(v "$a.ref_send_p50_ms")"), p99 $(ratio "$(v "$a.send_p99_ms")" "$(v "$a.ref_send_p99_ms")");" \
            "Receive+Delete p50 $(ratio "$(v "$a.recv_delete_p50_ms")" "$(v "$a.ref_recv_delete_p50_ms")"), p99 $(ratio "$(v "$a.recv_delete_p99_ms")" "$(v "$a.ref_recv_delete_p99_ms")")" \
            "(interleaved samples)"
        say "    against the separate depth-$first run:" \
            "SendMessage p50 $(ratio "$(v "$a.send_p50_ms")" "$(v "$b.send_p50_ms")"), p99 $(ratio "$(v "$a.send_p99_ms")" "$(v "$b.send_p99_ms")");" \
            "Receive+Delete p50 $(ratio "$(v "$a.recv_delete_p50_ms")" "$(v "$b.recv_delete_p50_ms")"), p99 $(ratio "$(v "$a.recv_delete_p99_ms")" "$(v "$b.recv_delete_p99_ms")")"
    done
fi
say "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
