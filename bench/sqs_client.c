/*
 * sqs_client: the SQS benchmark's load and latency client (bench/run_sqs.sh compiles it).
 *
 *   sqs_client MODE -p PORT -q QUEUE_URL [-n COUNT] [-c CONNECTIONS] [-T SECONDS] [-G]
 *              [-w PARK_MS] [-r REF_QUEUE_URL]
 *
 * Every request is SDK-shaped AWS JSON 1.0 (POST /, X-Amz-Target: AmazonSQS.<Operation>,
 * Content-Type: application/x-amz-json-1.0, X-Amz-Date and a SigV4-shaped Authorization header
 * for access key "test"), sent over keep-alive HTTP/1.1 connections to 127.0.0.1:PORT with
 * TCP_NODELAY: one blocking socket per connection, one thread per connection. Times come from
 * CLOCK_MONOTONIC. Any answer other than 200 counts as an error; the first one is printed to
 * stderr with its body.
 *
 * Modes (each prints one line of key=value pairs, prefixed with the mode in capitals):
 *   fill     SendMessageBatch (10 entries) from -c connections until COUNT messages were
 *            accepted or -T seconds passed. With -G it gives up as soon as (after 3 s) even the
 *            rate seen so far could not reach COUNT within -T seconds.
 *            FILL messages= requests= seconds= msgs_per_s= errors= complete=0|1 gave_up=0|1
 *   drain    ReceiveMessage (MaxNumberOfMessages=10, VisibilityTimeout=300) then
 *            DeleteMessageBatch of what came back, on -c connections, until COUNT messages were
 *            received, or the queue stayed empty for 2 s, or -T seconds passed.
 *            DRAIN messages= (deleted) received= receives= empty_receives= seconds= msgs_per_s=
 *                  errors= complete=0|1
 *   wakeup   COUNT samples on two connections: a ReceiveMessage with WaitTimeSeconds=20 is
 *            written on the first, PARK_MS (default 20) later the clock is read and a
 *            SendMessage is written on the second; a sample is the time from that clock read
 *            to the complete long-poll response (which must carry the message just sent). The
 *            message is then deleted, so the queue is empty again for the next sample. The
 *            sender's connection is open before the clock is read (moto's server closes its
 *            connections after every answer; connecting again is not part of a sample).
 *            WAKEUP samples= p50_ms= p99_ms= min_ms= max_ms= early= missed= errors=
 *   latency  COUNT iterations on one connection of: SendMessage (timed), then ReceiveMessage
 *            (MaxNumberOfMessages=1, timed) and DeleteMessage of the message received (timed
 *            together with the receive), so the queue's depth stays what it was. The first 20
 *            iterations are a warm-up and not recorded. Stops early after -T seconds. Against
 *            a server that closes the connection after each answer (moto), each request
 *            includes connecting again, as it would for an SDK client.
 *            With -r, every iteration is followed by the same on the reference queue (a
 *            shallow one), over the same connection, so that the two series, reported with
 *            and without "ref_", saw the same machine at the same time: on a busy machine their
 *            ratio is steadier than that of two runs made one after the other.
 *            LATENCY samples= send_p50_ms= send_p99_ms= recv_p50_ms= recv_p99_ms=
 *                    recv_delete_p50_ms= recv_delete_p99_ms= [ref_samples= ref_send_p50_ms= ...]
 *                    errors=
 *   rtt      COUNT SendMessage round trips on one connection, nothing else (the floor, against
 *            nginx's fixed answer).  RTT samples= p50_ms= p99_ms= errors=
 *
 * Percentiles are nearest-rank over all recorded samples.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNECTIONS 256
#define BATCH 10
#define WARMUP_ITERATIONS 20

static int g_port;
static const char* g_queue_url;
static const char* g_ref_url;  // -r: latency's reference queue
static long g_count = 1000;
static int g_connections = 4;
static double g_time_cap = 0;  // seconds; 0: none
static int g_park_ms = 20;
static const char* kBody = "bench message 0123456789abcdef0123456789abcdef0123456789abcdef";
static const char* kAuth =
    "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000";

static atomic_long g_errors;
static atomic_int g_error_printed;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(double ms) {
    struct timespec ts = {(time_t)(ms / 1000), (long)((ms - (long)(ms / 1000) * 1000) * 1e6)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void die(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("sqs_client: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

// --- a growable string -------------------------------------------------------------------------
typedef struct {
    char* data;
    size_t len, cap;
} Buf;

static void buf_reserve(Buf* b, size_t extra) {
    if (b->len + extra + 1 <= b->cap) {
        return;
    }
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1) {
        cap *= 2;
    }
    b->data = realloc(b->data, cap);
    if (!b->data) {
        die("out of memory");
    }
    b->cap = cap;
}

static void buf_printf(Buf* b, const char* fmt, ...) {
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->len;
        int n = b->cap ? vsnprintf(b->data + b->len, room, fmt, ap) : -1;
        va_end(ap);
        if (n >= 0 && (size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        buf_reserve(b, n > 0 ? (size_t)n + 1 : 4096);
    }
}

// --- one keep-alive HTTP/1.1 connection ----------------------------------------------------------
typedef struct {
    int fd;
    Buf in;       // bytes read and not yet consumed
    Buf request;  // the request being built
    int status;
    char* body;  // points into in.data; valid until the next response is read
    size_t body_len;
    size_t consumed;  // bytes of `in` the last response took
    int close_after;
} Conn;

static void conn_close(Conn* c) {
    if (c->fd >= 0) {
        close(c->fd);
    }
    c->fd = -1;
    c->in.len = 0;
    c->consumed = 0;
}

static int conn_open(Conn* c) {
    conn_close(c);
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        return -1;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)g_port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(c->fd, (struct sockaddr*)&addr, sizeof addr) != 0) {
        conn_close(c);
        return -1;
    }
    return 0;
}

// Writes one request. Opens the connection when there is none.
static int conn_send(Conn* c, const char* operation, const char* json) {
    if (c->fd < 0 && conn_open(c) != 0) {
        return -1;
    }
    c->request.len = 0;
    buf_printf(&c->request,
               "POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
               "Content-Type: application/x-amz-json-1.0\r\n"
               "X-Amz-Target: AmazonSQS.%s\r\nX-Amz-Date: 20260101T000000Z\r\n"
               "User-Agent: awsemu-bench/sqs_client\r\nAuthorization: %s\r\n"
               "Content-Length: %zu\r\n\r\n%s",
               g_port, operation, kAuth, strlen(json), json);
    size_t off = 0;
    while (off < c->request.len) {
        ssize_t n = send(c->fd, c->request.data + off, c->request.len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        off += (size_t)n;
    }
    return 0;
}

static const char* find_header(const char* head, size_t head_len, const char* name) {
    size_t name_len = strlen(name);
    const char* p = memchr(head, '\n', head_len);
    while (p && (size_t)(p - head) + 1 + name_len < head_len) {
        p++;
        if (strncasecmp(p, name, name_len) == 0 && p[name_len] == ':') {
            p += name_len + 1;
            while (*p == ' ' || *p == '\t') {
                p++;
            }
            return p;
        }
        p = memchr(p, '\n', head_len - (size_t)(p - head));
    }
    return NULL;
}

// Reads one whole response (Content-Length framed). 0 on success (any status), -1 when the
// connection failed or closed first.
static int conn_recv(Conn* c) {
    // drop the previous response
    if (c->consumed) {
        memmove(c->in.data, c->in.data + c->consumed, c->in.len - c->consumed);
        c->in.len -= c->consumed;
        c->consumed = 0;
    }
    for (;;) {
        if (c->in.len) {
            c->in.data[c->in.len] = '\0';
            char* end = strstr(c->in.data, "\r\n\r\n");
            if (end) {
                size_t head_len = (size_t)(end - c->in.data) + 4;
                const char* cl = find_header(c->in.data, head_len, "content-length");
                const char* te = find_header(c->in.data, head_len, "transfer-encoding");
                if (te && strncasecmp(te, "chunked", 7) == 0) {
                    die("chunked responses are not supported");
                }
                if (!cl) {
                    die("a response without Content-Length");
                }
                size_t length = strtoul(cl, NULL, 10);
                if (c->in.len >= head_len + length) {
                    c->status = atoi(c->in.data + 9);  // "HTTP/1.1 200"
                    const char* conn = find_header(c->in.data, head_len, "connection");
                    c->close_after = conn && strncasecmp(conn, "close", 5) == 0;
                    c->body = c->in.data + head_len;
                    c->body_len = length;
                    c->consumed = head_len + length;
                    return 0;
                }
            }
        }
        buf_reserve(&c->in, 65536);
        ssize_t n = recv(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len - 1, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        c->in.len += (size_t)n;
    }
}

static void report_error(const Conn* c, const char* operation, const char* what) {
    atomic_fetch_add(&g_errors, 1);
    if (atomic_exchange(&g_error_printed, 1) == 0) {
        if (c->body) {
            fprintf(stderr, "sqs_client: %s answered %d: %.*s\n", operation, c->status,
                    (int)(c->body_len > 600 ? 600 : c->body_len), c->body);
        } else {
            fprintf(stderr, "sqs_client: %s: %s\n", operation, what);
        }
    }
}

// After a response: the connection is reopened before the next request if the server asked
// (moto's server answers "Connection: close" to every request). The body stays readable.
static void conn_finish(Conn* c) {
    if (c->close_after) {
        conn_close(c);
    }
}

// conn_recv, then conn_finish
static int conn_recv_finish(Conn* c) {
    int result = conn_recv(c);
    if (result == 0) {
        conn_finish(c);
    }
    return result;
}

// One request and its response. A keep-alive connection the server closed while idle is
// reopened and the request sent again (only when no byte of a response had arrived).
// Returns 0 when the answer was a 200.
static int call(Conn* c, const char* operation, const char* json) {
    c->body = NULL;
    for (int attempt = 0; attempt < 2; attempt++) {
        int had_connection = c->fd >= 0;
        if (conn_send(c, operation, json) == 0 && conn_recv(c) == 0) {
            conn_finish(c);
            if (c->status == 200) {
                return 0;
            }
            report_error(c, operation, NULL);
            return -1;
        }
        int partial = c->in.len > 0;
        conn_close(c);
        if (!had_connection || partial) {
            break;
        }
    }
    report_error(c, operation, "connection failed");
    return -1;
}

// --- small JSON helpers (the responses are well-formed; only a few fields are needed) -----------
static size_t count_substr(const char* s, size_t len, const char* needle) {
    size_t n = 0, k = strlen(needle);
    const char* end = s + len;
    for (const char* p = s; (p = memmem(p, (size_t)(end - p), needle, k)) != NULL; p += k) {
        n++;
    }
    return n;
}

// Copies each string value of KEY (still JSON-escaped, so it can be pasted back into JSON) into
// out[i], at most max values. Returns how many.
static int string_values(const char* s, size_t len, const char* key, char out[][1024], int max) {
    char quoted[64];
    snprintf(quoted, sizeof quoted, "\"%s\"", key);
    size_t k = strlen(quoted);
    const char* end = s + len;
    int n = 0;
    for (const char* p = s; n < max && (p = memmem(p, (size_t)(end - p), quoted, k)) != NULL;) {
        p += k;
        while (p < end && (*p == ' ' || *p == ':')) {
            p++;
        }
        if (p >= end || *p != '"') {
            continue;
        }
        p++;
        size_t i = 0;
        while (p < end && *p != '"' && i < 1023) {
            if (*p == '\\' && p + 1 < end && i < 1022) {
                out[n][i++] = *p++;
            }
            out[n][i++] = *p++;
        }
        out[n][i] = '\0';
        n++;
    }
    return n;
}

static int cmp_double(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

// nearest rank: the smallest sample with at least q of all samples at or below it
static double percentile(double* sorted, long n, double q) {
    if (n == 0) {
        return 0;
    }
    long rank = (long)(q * n + 0.999999);
    if (rank < 1) {
        rank = 1;
    }
    return sorted[(rank > n ? n : rank) - 1];
}

// --- fill ----------------------------------------------------------------------------------------
static atomic_long g_claimed, g_sent, g_requests;
static atomic_int g_gave_up;
static int g_give_up_early;  // -G
static double g_start, g_deadline;

// -G: true once the messages accepted so far show that COUNT cannot be reached within -T
// seconds even at the rate seen until now (moto's sends get slower as its queue grows).
static int hopeless(void) {
    if (!g_give_up_early || g_time_cap <= 0) {
        return 0;
    }
    double elapsed = now_s() - g_start;
    long sent = atomic_load(&g_sent);
    if (elapsed < 3.0 || sent == 0) {
        return 0;
    }
    return elapsed + (double)(g_count - sent) * elapsed / (double)sent > g_time_cap;
}

static void* fill_thread(void* arg) {
    (void)arg;
    Conn c = {.fd = -1};
    Buf json = {0};
    for (;;) {
        if (g_time_cap > 0 && now_s() > g_deadline) {
            break;
        }
        if (atomic_load(&g_gave_up) || hopeless()) {
            atomic_store(&g_gave_up, 1);
            break;
        }
        long first = atomic_fetch_add(&g_claimed, BATCH);
        if (first >= g_count) {
            break;
        }
        long k = g_count - first < BATCH ? g_count - first : BATCH;
        json.len = 0;
        buf_printf(&json, "{\"QueueUrl\":\"%s\",\"Entries\":[", g_queue_url);
        for (long i = 0; i < k; i++) {
            buf_printf(&json, "%s{\"Id\":\"%ld\",\"MessageBody\":\"%s %ld\"}", i ? "," : "", i,
                       kBody, first + i);
        }
        buf_printf(&json, "]}");
        atomic_fetch_add(&g_requests, 1);
        if (call(&c, "SendMessageBatch", json.data) != 0) {
            continue;
        }
        long failed = (long)count_substr(c.body, c.body_len, "\"Code\"");
        if (failed) {
            report_error(&c, "SendMessageBatch (failed entries)", NULL);
        }
        atomic_fetch_add(&g_sent, k - failed);
    }
    conn_close(&c);
    return NULL;
}

// --- drain ---------------------------------------------------------------------------------------
static atomic_long g_received, g_deleted, g_receives, g_empty_receives;

static void* drain_thread(void* arg) {
    (void)arg;
    Conn c = {.fd = -1};
    Buf json = {0};
    char receive[2048];
    snprintf(receive, sizeof receive,
             "{\"QueueUrl\":\"%s\",\"MaxNumberOfMessages\":10,\"VisibilityTimeout\":300}",
             g_queue_url);
    static char handles[MAX_CONNECTIONS][BATCH][1024];
    char(*mine)[1024] = handles[(long)arg];
    double empty_since = 0;
    for (;;) {
        double now = now_s();
        if (g_time_cap > 0 && now > g_deadline) {
            break;
        }
        atomic_fetch_add(&g_receives, 1);
        if (call(&c, "ReceiveMessage", receive) != 0) {
            continue;
        }
        int n = string_values(c.body, c.body_len, "ReceiptHandle", mine, BATCH);
        if (n == 0) {
            atomic_fetch_add(&g_empty_receives, 1);
            if (atomic_load(&g_received) >= g_count) {
                break;
            }
            if (empty_since == 0) {
                empty_since = now;
            } else if (now - empty_since > 2.0) {
                break;  // nothing more is coming
            }
            sleep_ms(1);
            continue;
        }
        empty_since = 0;
        atomic_fetch_add(&g_received, n);
        json.len = 0;
        buf_printf(&json, "{\"QueueUrl\":\"%s\",\"Entries\":[", g_queue_url);
        for (int i = 0; i < n; i++) {
            buf_printf(&json, "%s{\"Id\":\"%d\",\"ReceiptHandle\":\"%s\"}", i ? "," : "", i,
                       mine[i]);
        }
        buf_printf(&json, "]}");
        if (call(&c, "DeleteMessageBatch", json.data) != 0) {
            continue;
        }
        long failed = (long)count_substr(c.body, c.body_len, "\"Code\"");
        if (failed) {
            report_error(&c, "DeleteMessageBatch (failed entries)", NULL);
        }
        atomic_fetch_add(&g_deleted, n - failed);
        if (atomic_load(&g_received) >= g_count) {
            break;
        }
    }
    conn_close(&c);
    return NULL;
}

static double run_threads(void* (*fn)(void*)) {
    pthread_t threads[MAX_CONNECTIONS];
    double start = now_s();
    g_start = start;
    g_deadline = start + g_time_cap;
    for (long i = 0; i < g_connections; i++) {
        if (pthread_create(&threads[i], NULL, fn, (void*)i) != 0) {
            die("pthread_create failed");
        }
    }
    for (int i = 0; i < g_connections; i++) {
        pthread_join(threads[i], NULL);
    }
    return now_s() - start;
}

// --- wake-up -------------------------------------------------------------------------------------
static int readable(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) > 0;
}

static void wakeup(void) {
    Conn r = {.fd = -1}, s = {.fd = -1};
    char receive[2048], send_json[2048], del[4096], handle[1][1024];
    double* samples = calloc((size_t)g_count, sizeof(double));
    long n = 0, early = 0, missed = 0;
    snprintf(receive, sizeof receive,
             "{\"QueueUrl\":\"%s\",\"WaitTimeSeconds\":20,\"MaxNumberOfMessages\":1}", g_queue_url);
    if (conn_open(&r) != 0 || conn_open(&s) != 0) {
        die("cannot connect to port %d", g_port);
    }
    for (long i = 0; i < g_count; i++) {
        if (conn_send(&r, "ReceiveMessage", receive) != 0) {
            report_error(&r, "ReceiveMessage", "connection failed");
            conn_open(&r);
            continue;
        }
        sleep_ms(g_park_ms);  // the receive is parked on the server by now
        if (readable(r.fd)) {
            early++;  // answered before anything was sent: the queue was not empty
            if (conn_recv_finish(&r) != 0) {
                conn_open(&r);
            }
            continue;
        }
        snprintf(send_json, sizeof send_json,
                 "{\"QueueUrl\":\"%s\",\"MessageBody\":\"wake-up %ld\"}", g_queue_url, i);
        if (s.fd < 0 && conn_open(&s) != 0) {  // not timed: moto closes it after each answer
            die("cannot connect to port %d", g_port);
        }
        double t0 = now_s();
        if (conn_send(&s, "SendMessage", send_json) != 0) {
            report_error(&s, "SendMessage", "connection failed");
            conn_open(&s);
        }
        int got = conn_recv_finish(&r);
        double t1 = now_s();
        if (got != 0) {
            report_error(&r, "ReceiveMessage (long poll)", "connection failed");
            conn_open(&r);
        }
        if (conn_recv_finish(&s) != 0 || s.status != 200) {
            report_error(&s, "SendMessage", "connection failed");
            conn_open(&s);
        }
        if (got != 0) {
            continue;
        }
        if (r.status != 200) {
            report_error(&r, "ReceiveMessage (long poll)", NULL);
            continue;
        }
        char expect[64];
        snprintf(expect, sizeof expect, "wake-up %ld\"", i);
        if (string_values(r.body, r.body_len, "ReceiptHandle", handle, 1) != 1 ||
            !memmem(r.body, r.body_len, expect, strlen(expect))) {
            missed++;
            continue;
        }
        samples[n++] = (t1 - t0) * 1e3;
        snprintf(del, sizeof del, "{\"QueueUrl\":\"%s\",\"ReceiptHandle\":\"%s\"}", g_queue_url,
                 handle[0]);
        call(&r, "DeleteMessage", del);
    }
    qsort(samples, (size_t)n, sizeof(double), cmp_double);
    printf(
        "WAKEUP samples=%ld p50_ms=%.3f p99_ms=%.3f min_ms=%.3f max_ms=%.3f early=%ld "
        "missed=%ld errors=%ld\n",
        n, percentile(samples, n, 0.5), percentile(samples, n, 0.99), n ? samples[0] : 0,
        n ? samples[n - 1] : 0, early, missed, atomic_load(&g_errors));
}

// --- latency -------------------------------------------------------------------------------------
typedef struct {
    const char* url;
    char send_json[2048], receive[2048];
    double *sends, *recvs, *recv_deletes;
    long n;
} LatencySeries;

static void series_init(LatencySeries* s, const char* url) {
    s->url = url;
    snprintf(s->send_json, sizeof s->send_json, "{\"QueueUrl\":\"%s\",\"MessageBody\":\"%s\"}", url,
             kBody);
    snprintf(s->receive, sizeof s->receive, "{\"QueueUrl\":\"%s\",\"MaxNumberOfMessages\":1}", url);
    s->sends = calloc((size_t)g_count, sizeof(double));
    s->recvs = calloc((size_t)g_count, sizeof(double));
    s->recv_deletes = calloc((size_t)g_count, sizeof(double));
    s->n = 0;
}

// One send, then one receive + delete, on QUEUE; recorded unless it is a warm-up round.
static void latency_round(Conn* c, LatencySeries* s, int send_only, int record) {
    char del[4096], handle[1][1024];
    double t0 = now_s();
    int ok = call(c, "SendMessage", s->send_json) == 0;
    double t1 = now_s();
    if (send_only) {
        if (ok && record) {
            s->sends[s->n++] = (t1 - t0) * 1e3;
        }
        return;
    }
    if (call(c, "ReceiveMessage", s->receive) != 0) {
        return;
    }
    double t2 = now_s();
    if (string_values(c->body, c->body_len, "ReceiptHandle", handle, 1) != 1) {
        report_error(c, "ReceiveMessage (no message)", NULL);
        return;
    }
    snprintf(del, sizeof del, "{\"QueueUrl\":\"%s\",\"ReceiptHandle\":\"%s\"}", s->url, handle[0]);
    if (call(c, "DeleteMessage", del) != 0) {
        return;
    }
    double t3 = now_s();
    if (ok && record) {
        s->sends[s->n] = (t1 - t0) * 1e3;
        s->recvs[s->n] = (t2 - t1) * 1e3;
        s->recv_deletes[s->n] = (t3 - t1) * 1e3;
        s->n++;
    }
}

static void print_series(LatencySeries* s, const char* prefix) {
    long n = s->n;
    qsort(s->sends, (size_t)n, sizeof(double), cmp_double);
    qsort(s->recvs, (size_t)n, sizeof(double), cmp_double);
    qsort(s->recv_deletes, (size_t)n, sizeof(double), cmp_double);
    printf(
        " %ssamples=%ld %ssend_p50_ms=%.3f %ssend_p99_ms=%.3f %srecv_p50_ms=%.3f "
        "%srecv_p99_ms=%.3f %srecv_delete_p50_ms=%.3f %srecv_delete_p99_ms=%.3f",
        prefix, n, prefix, percentile(s->sends, n, 0.5), prefix, percentile(s->sends, n, 0.99),
        prefix, percentile(s->recvs, n, 0.5), prefix, percentile(s->recvs, n, 0.99), prefix,
        percentile(s->recv_deletes, n, 0.5), prefix, percentile(s->recv_deletes, n, 0.99));
}

// With a reference queue (-r), each round on the measured queue is followed by one on the
// reference queue, over the same connection: both series see the same machine at the same time.
static void latency(int send_only, const char* ref_url) {
    Conn c = {.fd = -1};
    LatencySeries main_series, ref_series;
    series_init(&main_series, g_queue_url);
    if (ref_url) {
        series_init(&ref_series, ref_url);
    }
    if (conn_open(&c) != 0) {
        die("cannot connect to port %d", g_port);
    }
    double deadline = now_s() + g_time_cap;
    for (long i = 0; i < g_count + WARMUP_ITERATIONS; i++) {
        if (g_time_cap > 0 && now_s() > deadline) {
            break;
        }
        latency_round(&c, &main_series, send_only, i >= WARMUP_ITERATIONS);
        if (ref_url) {
            latency_round(&c, &ref_series, send_only, i >= WARMUP_ITERATIONS);
        }
    }
    if (send_only) {
        long n = main_series.n;
        qsort(main_series.sends, (size_t)n, sizeof(double), cmp_double);
        printf("RTT samples=%ld p50_ms=%.3f p99_ms=%.3f errors=%ld\n", n,
               percentile(main_series.sends, n, 0.5), percentile(main_series.sends, n, 0.99),
               atomic_load(&g_errors));
        return;
    }
    printf("LATENCY");
    print_series(&main_series, "");
    if (ref_url) {
        print_series(&ref_series, "ref_");
    }
    printf(" errors=%ld\n", atomic_load(&g_errors));
}

int main(int argc, char** argv) {
    if (argc < 2) {
        die("usage: sqs_client fill|drain|wakeup|latency|rtt -p PORT -q QUEUE_URL [-n COUNT] "
            "[-c CONNECTIONS] [-T SECONDS] [-G] [-w PARK_MS] [-r REF_QUEUE_URL]");
    }
    const char* mode = argv[1];
    int opt;
    optind = 2;
    while ((opt = getopt(argc, argv, "p:q:n:c:T:w:Gr:")) != -1) {
        switch (opt) {
            case 'p':
                g_port = atoi(optarg);
                break;
            case 'q':
                g_queue_url = optarg;
                break;
            case 'n':
                g_count = atol(optarg);
                break;
            case 'c':
                g_connections = atoi(optarg);
                break;
            case 'T':
                g_time_cap = atof(optarg);
                break;
            case 'w':
                g_park_ms = atoi(optarg);
                break;
            case 'G':
                g_give_up_early = 1;
                break;
            case 'r':
                g_ref_url = optarg;
                break;
            default:
                die("unknown option");
        }
    }
    if (!g_port || !g_queue_url || g_count < 1 || g_connections < 1 ||
        g_connections > MAX_CONNECTIONS) {
        die("need -p PORT, -q QUEUE_URL, COUNT >= 1 and 1..%d connections", MAX_CONNECTIONS);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (strcmp(mode, "fill") == 0) {
        double seconds = run_threads(fill_thread);
        long sent = atomic_load(&g_sent);
        printf(
            "FILL messages=%ld requests=%ld seconds=%.3f msgs_per_s=%.1f errors=%ld "
            "complete=%d gave_up=%d\n",
            sent, atomic_load(&g_requests), seconds, sent / seconds, atomic_load(&g_errors),
            sent >= g_count, atomic_load(&g_gave_up));
    } else if (strcmp(mode, "drain") == 0) {
        double seconds = run_threads(drain_thread);
        long deleted = atomic_load(&g_deleted);
        printf(
            "DRAIN messages=%ld received=%ld receives=%ld empty_receives=%ld seconds=%.3f "
            "msgs_per_s=%.1f errors=%ld complete=%d\n",
            deleted, atomic_load(&g_received), atomic_load(&g_receives),
            atomic_load(&g_empty_receives), seconds, deleted / seconds, atomic_load(&g_errors),
            deleted >= g_count);
    } else if (strcmp(mode, "wakeup") == 0) {
        wakeup();
    } else if (strcmp(mode, "latency") == 0) {
        latency(0, g_ref_url);
    } else if (strcmp(mode, "rtt") == 0) {
        latency(1, NULL);
    } else {
        die("unknown mode %s", mode);
    }
    return 0;
}
