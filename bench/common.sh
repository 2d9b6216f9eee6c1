# What the benchmark scripts share: prerequisites, the processes they start and their cleanup,
# starting awsemu, moto's server and nginx, and reading a process tree's CPU time and memory.
# Sourced by run*.sh (with their arguments: $1 is the awsemu binary) after they set BENCH_DIR
# and TMP_PREFIX.

say() { printf '%s\n' "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

NGINX=/usr/sbin/nginx
AWSEMU=${1:-$(cd "$BENCH_DIR/.." && pwd)/build/awsemu}
case "$AWSEMU" in /*) ;; *) AWSEMU="$PWD/$AWSEMU" ;; esac
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
WRK_THREADS=2
WRK_CONNECTIONS=32

# sigv4_auth SERVICE SIGNED-HEADERS: an Authorization header of SigV4's shape for access key
# "test" with a zero signature (awsemu's default --auth open and moto accept any signature)
sigv4_auth() {
    printf 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/%s/aws4_request, SignedHeaders=%s, Signature=%s' \
        "$1" "$2" "$(printf '0%.0s' {1..64})"
}

# --- prerequisites ----------------------------------------------------------------------------
[[ -x "$AWSEMU" ]] || die "no awsemu binary at $AWSEMU (build it, or pass its path as \$1)"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[[ -x $NGINX ]] || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)
command -v cc >/dev/null || missing+=(gcc)
if ((${#missing[@]})); then
    say "installing ${missing[*]} with apt-get"
    SUDO=; ((EUID == 0)) || SUDO=sudo
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null ||
        { $SUDO apt-get update -q >/dev/null &&
          $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }
fi
# The real interpreter, not a pyenv shim: moto's cold start should not include a shell wrapper.
PYTHON=$(python3 -c 'import sys; print(sys.executable)')
# need_moto [WHAT]: dies unless moto's server (and WHAT, e.g. boto3) can be imported
need_moto() {
    "$PYTHON" -c "import moto.server${1:+, $1}" 2>/dev/null ||
        die "$PYTHON lacks moto's server${1:+ or $1}: pip install 'moto[server]'${1:+ $1}"
}

# --- processes we start, and their cleanup ------------------------------------------------------
TMP=$(mktemp -d "/tmp/${TMP_PREFIX:-awsemu-bench}.XXXXXX")
PIDS=()

stop_pid() {  # SIGTERM the process group, SIGKILL after 5 s, reap
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 500; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.01
    done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    PIDS=()
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# start_bg LOG CMD...: runs CMD in its own process group (setsid does not fork here: a background
# job of a non-interactive shell is not a group leader), so that stopping it stops its children.
start_bg() {
    local log=$1; shift
    setsid "$@" >"$log" 2>&1 </dev/null &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
}
forget_pid() {
    local kept=() pid
    for pid in "${PIDS[@]}"; do [[ $pid == "$1" ]] || kept+=("$pid"); done
    PIDS=("${kept[@]}")
}
forget_server() { forget_pid "$SERVER_PID"; }
# run_fg OUT CMD...: runs CMD (stdout to OUT) in the background and waits for it. Bash runs a
# trap only once the foreground command has ended, so a Ctrl-C or SIGTERM would otherwise wait
# for a long run; here it stops the run at once, CMD included (the EXIT trap stops PIDS).
run_fg() {
    local out=$1 pid status=0
    shift
    "$@" >"$out" &
    pid=$!
    PIDS+=("$pid")
    wait "$pid" || status=$?
    forget_pid "$pid"
    return "$status"
}
stop_server() {
    stop_pid "$SERVER_PID"
    forget_server
}
# kill_server: SIGKILL, as a crash would (for durability checks)
kill_server() {
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    forget_server
}

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_http URL [METHOD]: until it answers 200 (at most 30 s)
wait_http() {
    local url=$1 method=${2:-GET} i
    for ((i = 0; i < 3000; i++)); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' -X "$method" "$url" 2>/dev/null) == 200 ]] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || die "server exited; its output: $(tail -20 "$SERVER_LOG")"
        sleep 0.01
    done
    die "no 200 from $url within 30 s"
}

start_awsemu() {  # start_awsemu NAME ARGS...: sets SERVER_PID, SERVER_PORT, SERVER_LOG
    local name=$1; shift
    local port_file=$TMP/$name.port i
    rm -f "$port_file"
    SERVER_LOG=$TMP/$name.log
    start_bg "$SERVER_LOG" "$AWSEMU" serve --port 0 --port-file "$port_file" --log-format text "$@"
    for ((i = 0; i < 1000; i++)); do
        [[ -s $port_file ]] && break
        kill -0 "$SERVER_PID" 2>/dev/null || die "awsemu exited: $(tail -20 "$SERVER_LOG")"
        sleep 0.01
    done
    SERVER_PORT=$(<"$port_file")
    wait_http "http://127.0.0.1:$SERVER_PORT/_awsemu/health"
}
start_moto() {
    SERVER_PORT=$(free_port)
    SERVER_LOG=$TMP/moto.log
    start_bg "$SERVER_LOG" "$PYTHON" -m moto.server -H 127.0.0.1 -p "$SERVER_PORT"
    wait_http "http://127.0.0.1:$SERVER_PORT/moto-api/reset" POST
}
# start_nginx [CONF [READY-PATH READY-METHOD]]: CONF under bench/ with {DIR} and {PORT} filled in
# (and {TARGET_PORT} with $TARGET_PORT). Its directory is $TMP/nginx, or $TMP/$NGINX_NAME to run
# more than one nginx at once.
start_nginx() {
    local conf=${1:-nginx.conf} ready_path=${2:-/} ready_method=${3:-POST}
    SERVER_PORT=$(free_port)
    local dir=$TMP/${NGINX_NAME:-nginx}
    mkdir -p "$dir"
    sed -e "s#{DIR}#$dir#g" -e "s#{PORT}#$SERVER_PORT#g" -e "s#{TARGET_PORT}#${TARGET_PORT:-}#g" \
        "$BENCH_DIR/$conf" >"$dir/nginx.conf"
    SERVER_LOG=$dir/stdout.log
    start_bg "$SERVER_LOG" "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
    wait_http "http://127.0.0.1:$SERVER_PORT$ready_path" "$ready_method"
}

# --- a process tree's resources -------------------------------------------------------------------
tree_pids() {
    local pid=$1 child
    echo "$pid"
    for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do tree_pids "$child"; done
}
status_kib() {  # status_kib PID FIELD: a /proc/PID/status field in KiB, summed over the tree
    local total=0 pid value
    for pid in $(tree_pids "$1"); do
        value=$(awk -v f="$2:" '$1 == f { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
        total=$((total + ${value:-0}))
    done
    echo "$total"
}
# CPU time (user + system, clock ticks) used so far by a process tree
cpu_ticks() {
    local total=0 pid ticks
    for pid in $(tree_pids "$1"); do
        # after "pid (comm) " come stat's fields 3 (state) ...: utime is 14, stime 15
        ticks=$(awk '{ sub(/^.*\) /, ""); split($0, f, " "); print f[12] + f[13] }' "/proc/$pid/stat" 2>/dev/null || true)
        total=$((total + ${ticks:-0}))
    done
    echo "$total"
}
CLK_TCK=$(getconf CLK_TCK)
# cpu_per UNITS TICKS: server CPU microseconds per unit
cpu_per() {
    awk -v t="$2" -v hz="$CLK_TCK" -v n="$1" 'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print "n/a" }'
}
mib() { [[ $1 =~ ^[0-9]+$ ]] && awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }' || echo n/a; }

# --- results ------------------------------------------------------------------------------------
declare -A R  # R[key.field]: every number measured
v() { echo "${R[$1]:-n/a}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# verdict A OP B: "met" when the number A is OP (<, >= or >) the number B
verdict() {
    awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
        if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/) { print "n/a"; exit }
        ok = (op == "<") ? (a + 0 < b + 0) : (op == ">") ? (a + 0 > b + 0) : (a + 0 >= b + 0)
        print ok ? "met" : "MISSED" }'
}
# parse "BENCH|summary: k=v k=v ..." KEY: R[KEY.k]=v
parse() {
    local field
    for field in ${1#* }; do R[$2.${field%%=*}]=${field#*=}; done
}
# wrk_run KEY SECONDS SCRIPT URL [VAR=VALUE...]: one wrk run of bench/SCRIPT (whose done() prints
# a BENCH line, wrk_report.lua) against the server, its numbers in R[KEY.*] with the server's
# CPU per request (cpu_us) and CPUs kept busy (cpus). Connections and threads: WRK_CONNECTIONS,
# WRK_THREADS.
wrk_run() {
    local key=$1 seconds=$2 script=$3 url=$4 line cpu_before cpu_after
    shift 4
    cpu_before=$(cpu_ticks "$SERVER_PID")
    run_fg "$TMP/wrk.out" env "$@" wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${seconds}s" \
        --timeout 5s -s "$BENCH_DIR/$script" "$url" || die "wrk failed against $url"
    cpu_after=$(cpu_ticks "$SERVER_PID")
    line=$(grep '^BENCH ' "$TMP/wrk.out") || die "wrk printed no result: $(head -c 300 "$TMP/wrk.out")"
    parse "$line" "$key"
    R[$key.cpu_us]=$(cpu_per "${R[$key.requests]}" $((cpu_after - cpu_before)))
    R[$key.cpus]=$(awk -v t=$((cpu_after - cpu_before)) -v hz="$CLK_TCK" -v s="${R[$key.seconds]}" \
        'BEGIN { printf "%.2f", t / hz / s }')
}
# wrk_line KEY: the run's numbers on one line
wrk_line() {
    printf 'wrk %dt/%dc: %s req/s  p50 %s ms  p99 %s ms  requests %s  non-2xx/3xx %s  socket errors connect/read/write/timeout %s/%s/%s/%s; server CPU %s us per request (%s CPUs busy)\n' \
        "$WRK_THREADS" "$WRK_CONNECTIONS" "${R[$1.rps]}" "${R[$1.p50_ms]}" "${R[$1.p99_ms]}" \
        "${R[$1.requests]}" "${R[$1.non2xx]}" "${R[$1.connect_errors]}" "${R[$1.read_errors]}" \
        "${R[$1.write_errors]}" "${R[$1.timeouts]}" "${R[$1.cpu_us]}" "${R[$1.cpus]}"
}

# say_machine: the header lines every benchmark starts with (machine, then after the caller's
# own lines say_load), and a warning when the machine is already busy
say_machine() {
    say "  machine  : $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), Linux $(uname -r)"
}
say_load() {
    LOAD=$(cut -d' ' -f1 /proc/loadavg)
    say "  note     : clients and server share the machine's CPUs; load average before the run: $LOAD"
    if awk -v l="$LOAD" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
        say "  WARNING  : the machine is busy (load $LOAD on $(nproc) CPUs): every number below is skewed"
    fi
}
