#!/usr/bin/env bash
# S3 benchmark: PutObject and GetObject requests per second for 4 KiB objects under wrk, then
# upload and download MB/s of one large object (a single PUT, and a multipart upload of parts
# sent four at a time) with curl, and the server's peak resident memory during each, for awsemu
# (--state-dir: objects in files), moto's server and nginx (GET of the same files from disk, and
# PUT bodies read and dropped: the ceiling for an HTTP server on this machine).
#
#   bench/run_s3.sh [path/to/awsemu]     (default: build/awsemu under the repository root)
#
# Prints numbers only; it never fails because a number is bad. It fails (non-zero) only when a
# server cannot be started, does not answer the benchmark's requests correctly, or dies during
# the run, since the numbers would then mean nothing. See bench/README.md for each number.
#
# Knobs (environment): BENCH_DURATION (s, default 10) and BENCH_WARMUP (s, 2) of each wrk run;
# BENCH_S3_SERVERS ("awsemu moto nginx"); BENCH_S3_LARGE_MIB (1024: the large object's size);
# BENCH_S3_PART_MIB (64: multipart part size); BENCH_S3_MOTO_LARGE_MIB (the large object's
# size for moto, default BENCH_S3_LARGE_MIB; moto holds it in memory several times over).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

SERVERS=${BENCH_S3_SERVERS:-awsemu moto nginx}
LARGE_MIB=${BENCH_S3_LARGE_MIB:-1024}
PART_MIB=${BENCH_S3_PART_MIB:-64}
MOTO_LARGE_MIB=${BENCH_S3_MOTO_LARGE_MIB:-$LARGE_MIB}
SMALL_SIZE=4096

TMP_PREFIX=awsemu-bench-s3
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"
SIGV4_AUTH=$(sigv4_auth s3 'host;x-amz-content-sha256;x-amz-date')
[[ " $SERVERS " != *" moto "* ]] || need_moto

# --- S3 over curl ---------------------------------------------------------------------------------
# s3 METHOD PATH [CURL-ARGS...]: the answer's body in $TMP/body, headers in $TMP/headers; prints
# the status code
s3() {
    local method=$1 path=$2
    shift 2
    curl -sS -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' -X "$method" \
        -H 'X-Amz-Date: 20260101T000000Z' -H 'X-Amz-Content-SHA256: UNSIGNED-PAYLOAD' \
        -H "Authorization: $SIGV4_AUTH" -H 'Expect:' -H 'Content-Type: application/octet-stream' \
        "$@" "http://127.0.0.1:$SERVER_PORT$path"
}
# expect_status CODE WHAT: dies unless the last s3 call answered CODE
expect_status() {
    [[ $1 == "$2" ]] || die "$3 answered $2: $(head -c 300 "$TMP/body")"
}
header_of() { tr -d '\r' <"$TMP/headers" | awk -v n="$(tr 'A-Z' 'a-z' <<<"$1"):" 'tolower($1) == n { print $2 }' | tail -1; }

# Peak RSS per phase: writing 5 to clear_refs resets VmHWM to the current RSS.
reset_peak() {
    local pid
    for pid in $(tree_pids "$SERVER_PID"); do echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true; done
}
peak_kib() { status_kib "$SERVER_PID" VmHWM; }
now_s() { date +%s.%N; }
mb_per_s() { awk -v b="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", b / 1e6 / s; else print "n/a" }'; }

# --- setup ------------------------------------------------------------------------------------
SMALL_FILE=$TMP/small.bin
head -c "$SMALL_SIZE" /dev/urandom >"$SMALL_FILE"
make_large() {  # make_large MIB: $TMP/large-MIB.bin, its parts, and its MD5
    local mib=$1 file=$TMP/large-$1.bin
    [[ -f $file ]] && return
    say "  writing a $mib MiB file of random bytes and its $PART_MIB MiB parts"
    head -c "$((mib * 1024 * 1024))" /dev/urandom >"$file"
    mkdir -p "$TMP/parts-$mib"
    split -b "${PART_MIB}M" -d -a 4 "$file" "$TMP/parts-$mib/part."
    R[large$mib.md5]=$(md5sum "$file" | cut -d' ' -f1)
}

start() {
    case $1 in
        awsemu) start_awsemu s3 --state-dir "$TMP/state" ;;
        moto) start_moto ;;
        nginx)
            # nginx's workers run as nobody when started as root: the files must be readable
            chmod 755 "$TMP"
            mkdir -p -m 755 "$TMP/nginx" "$TMP/nginx/www" "$TMP/nginx/www/bench"
            mkdir -p -m 777 "$TMP/nginx/www/stored"
            echo ready >"$TMP/nginx/www/bench/ready"
            cp "$SMALL_FILE" "$TMP/nginx/www/bench/small"
            chmod 644 "$TMP/nginx/www/bench/small" "$TMP/nginx/www/bench/ready"
            start_nginx nginx_s3.conf /bench/ready GET
            ;;
    esac
}
check_server() {
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server died during the run; its last output: $(tail -30 "$SERVER_LOG")"
}

# --- parts ------------------------------------------------------------------------------------
small_objects() {  # small_objects SERVER
    local code
    if [[ $1 != nginx ]]; then
        code=$(s3 PUT /bench); expect_status 200 "$code" "CreateBucket"
        code=$(s3 PUT /bench/small --data-binary "@$SMALL_FILE"); expect_status 200 "$code" "PutObject"
    fi
    code=$(s3 GET /bench/small); expect_status 200 "$code" "GetObject"
    cmp -s "$TMP/body" "$SMALL_FILE" || die "GetObject answered other bytes than were put"
    local url="http://127.0.0.1:$SERVER_PORT/"
    wrk_run "$1.get.warmup" "$WARMUP" s3_object.lua "$url" S3_METHOD=GET S3_PATH=/bench/small
    wrk_run "$1.get" "$DURATION" s3_object.lua "$url" S3_METHOD=GET S3_PATH=/bench/small
    say "  GetObject 4 KiB  $(wrk_line "$1.get")"
    check_server
    wrk_run "$1.put.warmup" "$WARMUP" s3_object.lua "$url" S3_METHOD=PUT S3_PATH=/bench/warm S3_SIZE="$SMALL_SIZE"
    wrk_run "$1.put" "$DURATION" s3_object.lua "$url" S3_METHOD=PUT S3_PATH=/bench/put S3_SIZE="$SMALL_SIZE"
    say "  PutObject 4 KiB  $(wrk_line "$1.put")"
    check_server
    if [[ $1 == nginx ]]; then
        wrk_run "$1.put_stored" "$DURATION" s3_object.lua "$url" S3_METHOD=PUT S3_PATH=/stored/put S3_SIZE="$SMALL_SIZE"
        say "  PUT 4 KiB stored (WebDAV)  $(wrk_line "$1.put_stored")"
    fi
    if [[ $1 != nginx ]]; then
        # (wrk calls request() once more than it sends: the keys need not start at 1)
        local key
        code=$(s3 GET "/bench?list-type=2&prefix=put-&max-keys=1"); expect_status 200 "$code" "ListObjectsV2"
        key=$(sed -n 's:.*<Key>\([^<]*\)</Key>.*:\1:p' "$TMP/body")
        [[ -n $key ]] || die "no object from the benchmark's PUTs: $(head -c 300 "$TMP/body")"
        code=$(s3 GET "/bench/$key"); expect_status 200 "$code" "GetObject of a benchmark PUT"
        cmp -s "$TMP/body" <(head -c "$SMALL_SIZE" /dev/zero | tr '\0' a) ||
            die "a benchmark PUT stored other bytes than were sent"
    fi
}

# timed KEY BYTES LABEL CMD...: runs CMD, stores R[KEY.mbps], R[KEY.seconds] and the peak RSS
# R[KEY.peak]
timed() {
    local key=$1 bytes=$2 label=$3 start end
    shift 3
    sync  # the previous phase's dirty pages are written back now, not during this one
    reset_peak
    start=$(now_s)
    "$@"
    end=$(now_s)
    R[$key.seconds]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
    R[$key.mbps]=$(mb_per_s "$bytes" "${R[$key.seconds]}")
    R[$key.peak]=$(peak_kib)
    say "  $(printf '%-58s' "$label:") ${R[$key.mbps]} MB/s (${R[$key.seconds]} s), server peak RSS $(mib "${R[$key.peak]}") MiB"
}
put_large() {
    local code
    code=$(s3 PUT "/bench/large" -T "$1")
    expect_status 200 "$code" "PutObject (large)"
}
get_large() {
    local code size
    code=$(curl -sS -o /dev/null -w '%{http_code} %{size_download}' \
        -H 'X-Amz-Date: 20260101T000000Z' -H 'X-Amz-Content-SHA256: UNSIGNED-PAYLOAD' \
        -H "Authorization: $SIGV4_AUTH" "http://127.0.0.1:$SERVER_PORT/bench/$1")
    [[ $code == "200 $2" ]] || die "GetObject $1 answered $code (expected 200 and $2 bytes)"
}
upload_part() {  # upload_part UPLOAD_ID FILE: prints "NUMBER ETAG"
    local number code
    number=$((10#${2##*.} + 1))
    code=$(curl -sS -o /dev/null -D - -w '%{http_code}' -X PUT -T "$2" -H 'Expect:' \
        -H 'X-Amz-Date: 20260101T000000Z' -H 'X-Amz-Content-SHA256: UNSIGNED-PAYLOAD' \
        -H "Authorization: $SIGV4_AUTH" \
        "http://127.0.0.1:$SERVER_PORT/bench/multipart?partNumber=$number&uploadId=$1" |
        tr -d '\r' | awk 'tolower($1) == "etag:" { etag = $2 } END { print etag }')
    echo "$number $code"
}
multipart_large() {  # multipart_large MIB
    local code upload parts xml
    code=$(s3 POST "/bench/multipart?uploads"); expect_status 200 "$code" "CreateMultipartUpload"
    upload=$(sed -n 's:.*<UploadId>\([^<]*\)</UploadId>.*:\1:p' "$TMP/body")
    [[ -n $upload ]] || die "CreateMultipartUpload gave no UploadId: $(head -c 300 "$TMP/body")"
    export -f upload_part
    export SIGV4_AUTH SERVER_PORT
    local start=$(now_s) middle
    parts=$(find "$TMP/parts-$1" -type f | sort | xargs -P 4 -I{} bash -c 'upload_part "$0" "$1"' "$upload" {} | sort -n)
    middle=$(now_s)
    xml="<CompleteMultipartUpload>$(awk '{ printf "<Part><PartNumber>%s</PartNumber><ETag>%s</ETag></Part>", $1, $2 }' <<<"$parts")</CompleteMultipartUpload>"
    code=$(s3 POST "/bench/multipart?uploadId=$upload" --data-binary "$xml")
    expect_status 200 "$code" "CompleteMultipartUpload"
    say "    (parts $(awk -v a="$start" -v b="$middle" 'BEGIN { printf "%.2f", b - a }') s, CompleteMultipartUpload $(awk -v a="$middle" -v b="$(now_s)" 'BEGIN { printf "%.2f", b - a }') s)"
}
large_objects() {  # large_objects SERVER MIB
    local server=$1 mib=$2 bytes file etag
    bytes=$((mib * 1024 * 1024))
    file=$TMP/large-$mib.bin
    say "  large object: $mib MiB"
    if [[ $server == nginx ]]; then
        cp "$file" "$TMP/nginx/www/bench/large"
        chmod 644 "$TMP/nginx/www/bench/large"
    fi
    timed "$server.put_large" "$bytes" "PutObject $mib MiB (one PUT)" put_large "$file"
    if [[ $server != nginx ]]; then
        etag=$(header_of ETag | tr -d '"')
        [[ $etag == "${R[large$mib.md5]}" ]] || die "the large object's ETag $etag is not its MD5 ${R[large$mib.md5]}"
    fi
    timed "$server.get_large" "$bytes" "GetObject $mib MiB" get_large large "$bytes"
    check_server
    [[ $server == nginx ]] && return
    timed "$server.mpu" "$bytes" "multipart upload $mib MiB ($PART_MIB MiB parts, 4 at once)" \
        multipart_large "$mib"
    timed "$server.get_mpu" "$bytes" "GetObject of the multipart object" get_large multipart "$bytes"
    check_server
}

# --- header -----------------------------------------------------------------------------------
say "awsemu S3 benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say_machine
say "  awsemu   : $AWSEMU ($("$AWSEMU" --version 2>/dev/null || echo '?')), --state-dir, --log-format text"
if [[ " $SERVERS " == *" moto "* ]]; then
    say "  moto     : $("$PYTHON" -c 'import moto; print(moto.__version__)') ($PYTHON -m moto.server)"
fi
say "  nginx    : $("$NGINX" -v 2>&1 | sed 's/.*version: //'), bench/nginx_s3.conf (worker_processes 2, sendfile; PUT bodies read and dropped, and, for a second PUT reference, stored by WebDAV)"
say "  load     : $(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }'), $WRK_THREADS threads, $WRK_CONNECTIONS keep-alive connections, ${WARMUP} s warm-up + ${DURATION} s, bench/s3_object.lua; curl for large objects"
say_load
say ""

for server in $SERVERS; do
    say "== $server"
    mib=$LARGE_MIB
    [[ $server == moto ]] && mib=$MOTO_LARGE_MIB
    ((mib > 0)) && make_large "$mib"
    start "$server"
    R[$server.idle]=$(status_kib "$SERVER_PID" VmRSS)
    small_objects "$server"
    ((mib > 0)) && large_objects "$server" "$mib"
    R[$server.mib]=$mib
    stop_server
    say ""
done

# --- summary ------------------------------------------------------------------------------------
row() { printf '%-40s | %12s | %12s | %12s\n' "$@"; }
line12=$(printf -- '-%.0s' {1..12})
say "== Summary"
row metric awsemu moto nginx
row "$(printf -- '-%.0s' {1..40})" "$line12" "$line12" "$line12"
row "GetObject 4 KiB req/s" "$(v awsemu.get.rps)" "$(v moto.get.rps)" "$(v nginx.get.rps)"
row "  ratio to nginx" "$(ratio "$(v awsemu.get.rps)" "$(v nginx.get.rps)")" "$(ratio "$(v moto.get.rps)" "$(v nginx.get.rps)")" 1
row "  p50/p99 ms" "$(v awsemu.get.p50_ms)/$(v awsemu.get.p99_ms)" "$(v moto.get.p50_ms)/$(v moto.get.p99_ms)" "$(v nginx.get.p50_ms)/$(v nginx.get.p99_ms)"
row "  server CPU per request, us" "$(v awsemu.get.cpu_us)" "$(v moto.get.cpu_us)" "$(v nginx.get.cpu_us)"
row "PutObject 4 KiB req/s" "$(v awsemu.put.rps)" "$(v moto.put.rps)" "$(v nginx.put.rps)"
row "  ratio to nginx" "$(ratio "$(v awsemu.put.rps)" "$(v nginx.put.rps)")" "$(ratio "$(v moto.put.rps)" "$(v nginx.put.rps)")" 1
row "  p50/p99 ms" "$(v awsemu.put.p50_ms)/$(v awsemu.put.p99_ms)" "$(v moto.put.p50_ms)/$(v moto.put.p99_ms)" "$(v nginx.put.p50_ms)/$(v nginx.put.p99_ms)"
row "  server CPU per request, us" "$(v awsemu.put.cpu_us)" "$(v moto.put.cpu_us)" "$(v nginx.put.cpu_us)"
row "  nginx storing each body (WebDAV)" "-" "-" "$(v nginx.put_stored.rps)"
row "  ratio to nginx storing" "$(ratio "$(v awsemu.put.rps)" "$(v nginx.put_stored.rps)")" "$(ratio "$(v moto.put.rps)" "$(v nginx.put_stored.rps)")" 1
row "large object size, MiB" "$(v awsemu.mib)" "$(v moto.mib)" "$(v nginx.mib)"
row "PutObject (one PUT) MB/s" "$(v awsemu.put_large.mbps)" "$(v moto.put_large.mbps)" "$(v nginx.put_large.mbps)"
row "  server peak RSS, MiB" "$(mib "$(v awsemu.put_large.peak)")" "$(mib "$(v moto.put_large.peak)")" "$(mib "$(v nginx.put_large.peak)")"
row "GetObject MB/s" "$(v awsemu.get_large.mbps)" "$(v moto.get_large.mbps)" "$(v nginx.get_large.mbps)"
row "  server peak RSS, MiB" "$(mib "$(v awsemu.get_large.peak)")" "$(mib "$(v moto.get_large.peak)")" "$(mib "$(v nginx.get_large.peak)")"
row "multipart upload MB/s" "$(v awsemu.mpu.mbps)" "$(v moto.mpu.mbps)" "-"
row "  server peak RSS, MiB" "$(mib "$(v awsemu.mpu.peak)")" "$(mib "$(v moto.mpu.peak)")" "-"
row "GetObject of it MB/s" "$(v awsemu.get_mpu.mbps)" "$(v moto.get_mpu.mbps)" "-"
row "  server peak RSS, MiB" "$(mib "$(v awsemu.get_mpu.peak)")" "$(mib "$(v moto.get_mpu.peak)")" "-"
row "idle RSS before the run, MiB" "$(mib "$(v awsemu.idle)")" "$(mib "$(v moto.idle)")" "$(mib "$(v nginx.idle)")"
say ""
half=$(awk -v n="$(v nginx.get.rps)" 'BEGIN { if (n ~ /^[0-9.]+$/) print n / 2; else print "n/a" }')
third=$(awk -v n="$(v nginx.put.rps)" 'BEGIN { if (n ~ /^[0-9.]+$/) print n / 3; else print "n/a" }')
peak=0
for key in put_large get_large mpu get_mpu; do
    value=${R[awsemu.$key.peak]:-0}
    ((value > peak)) && peak=$value
done
say "targets: GetObject >= half of nginx: $(verdict "$(v awsemu.get.rps)" ">=" "$half");" \
    "PutObject >= a third of nginx: $(verdict "$(v awsemu.put.rps)" ">=" "$third");" \
    "large object > 500 MB/s: up $(verdict "$(v awsemu.put_large.mbps)" ">" 500), down $(verdict "$(v awsemu.get_large.mbps)" ">" 500)," \
    "multipart up $(verdict "$(v awsemu.mpu.mbps)" ">" 500), down $(verdict "$(v awsemu.get_mpu.mbps)" ">" 500);" \
    "peak RSS < 64 MiB: $(verdict "$peak" "<" 65536) ($(mib "$peak") MiB)"
say "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
