/*
 * startup_probe: measure a server's cold start, from fork() to its first HTTP 200.
 *
 *   startup_probe [-n RUNS] [-i POLL_US] [-t TIMEOUT_MS] [-r "METHOD /path"]
 *                 [-H "Header: value"]... [-d BODY] [-T TEMPLATE:OUTPUT] [-o STDOUT_FILE] [-q]
 *                 [-x] -- command args...
 *
 * For each run it picks a free loopback port, replaces "{PORT}" and "{RUN}" in the command's
 * arguments (and in TEMPLATE, written to OUTPUT: used for nginx's configuration), reads the
 * monotonic clock, fork()s and exec()s the command, then polls 127.0.0.1:PORT every POLL_US
 * microseconds (default 200): a connect() to a port nobody listens on fails at once with
 * ECONNREFUSED, so each poll costs a few microseconds. Once a connection is accepted it sends
 * the request (-r, with the -H headers and the -d body) and reads the status line; anything but
 * 200 (or a closed connection) is retried after the same interval. The clock is read again when
 * the 200 status line arrives. The server is then stopped (SIGTERM to its process group,
 * SIGKILL after 5 s) and reaped.
 *
 * Printed per run:  run N: listen X.XXX ms, first 200 Y.YYY ms [self-reported Z ms]
 * and at the end:   summary: runs=N median_ms=.. min_ms=.. max_ms=.. listen_median_ms=..
 *                   [self_median_ms=..]
 * With -x there is no HTTP at all: it times fork() to the command's exit (for a floor such as
 * `awsemu --version`: process creation, dynamic loading, static initialisers, exit).
 * "self-reported" is the "... in Z ms" of the line containing "ready" the server printed on its
 * stdout (awsemu does), read from STDOUT_FILE (-o) after each run.
 *
 * Resolution: the first 200 is observed at most POLL_US (+ one loopback round trip, ~0.05 ms)
 * after it could have been; the listen time likewise. The probe sleeps between polls, so it
 * takes almost no CPU from the server it measures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_us(long us) {
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static int free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (fd < 0 || bind(fd, (struct sockaddr*)&addr, sizeof addr) != 0) {
        perror("startup_probe: bind");
        exit(2);
    }
    socklen_t len = sizeof addr;
    getsockname(fd, (struct sockaddr*)&addr, &len);
    close(fd);
    return ntohs(addr.sin_port);
}

/* Returns a malloc'd copy of text with every "{PORT}" and "{RUN}" replaced. */
static char* substitute(const char* text, int port, int run) {
    char port_text[16], run_text[16];
    snprintf(port_text, sizeof port_text, "%d", port);
    snprintf(run_text, sizeof run_text, "%d", run);
    size_t cap = strlen(text) * 2 + 64, used = 0;
    char* out = malloc(cap);
    for (const char* p = text; *p;) {
        const char* value = NULL;
        size_t skip = 0;
        if (strncmp(p, "{PORT}", 6) == 0) {
            value = port_text, skip = 6;
        } else if (strncmp(p, "{RUN}", 5) == 0) {
            value = run_text, skip = 5;
        }
        size_t add = value ? strlen(value) : 1;
        if (used + add + 1 > cap) {
            cap = (cap + add) * 2;
            out = realloc(out, cap);
        }
        if (value) {
            memcpy(out + used, value, add);
            p += skip;
        } else {
            out[used] = *p++;
        }
        used += add;
    }
    out[used] = '\0';
    return out;
}

static char* read_file(const char* path) {
    FILE* f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    size_t cap = 4096, used = 0, n;
    char* data = malloc(cap);
    while ((n = fread(data + used, 1, cap - used - 1, f)) > 0) {
        used += n;
        if (used + 1 >= cap) {
            cap *= 2;
            data = realloc(data, cap);
        }
    }
    data[used] = '\0';
    fclose(f);
    return data;
}

/* One attempt: -1 nobody listening yet, 0 connected but no 200, 1 got a 200. */
static int try_request(int port, const char* request, int* connected) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (connect(fd, (struct sockaddr*)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    *connected = 1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    size_t len = strlen(request);
    if (write(fd, request, len) != (ssize_t)len) {
        close(fd);
        return 0;
    }
    char buf[64];
    size_t got = 0;
    while (got < 12) {
        struct pollfd pfd = {fd, POLLIN, 0};
        if (poll(&pfd, 1, 10000) <= 0) {
            break;
        }
        ssize_t n = read(fd, buf + got, sizeof buf - 1 - got);
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    /* "HTTP/1.1 200" or "HTTP/1.0 200" */
    return got >= 12 && strncmp(buf, "HTTP/1.", 7) == 0 && strncmp(buf + 9, "200", 3) == 0;
}

static void stop_child(pid_t pid) {
    kill(-pid, SIGTERM);
    kill(pid, SIGTERM);
    for (int i = 0; i < 5000; ++i) {
        if (waitpid(pid, NULL, WNOHANG) == pid) {
            kill(-pid, SIGKILL); /* stray grandchildren, if any */
            return;
        }
        sleep_us(1000);
    }
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

static pid_t current_child = 0;
static void on_signal(int sig) {
    if (current_child > 0) {
        kill(-current_child, SIGKILL);
        kill(current_child, SIGKILL);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static int compare_doubles(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

static double median(double* values, int n) {
    qsort(values, n, sizeof *values, compare_doubles);
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* The number before " ms" on the last line that contains "ready", or -1. */
static double self_reported_ms(const char* path) {
    char* text = read_file(path);
    double value = -1;
    if (!text) {
        return value;
    }
    for (char* line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strstr(line, "ready")) {
            continue;
        }
        char* ms = strstr(line, " ms");
        if (!ms) {
            continue;
        }
        char* start = ms;
        while (start > line && (start[-1] == '.' || (start[-1] >= '0' && start[-1] <= '9'))) {
            --start;
        }
        if (start < ms) {
            value = strtod(start, NULL);
        }
    }
    free(text);
    return value;
}

static void usage(void) {
    fprintf(stderr,
            "usage: startup_probe [-n RUNS] [-i POLL_US] [-t TIMEOUT_MS] [-r \"METHOD /path\"]\n"
            "                     [-H \"Header: value\"]... [-d BODY] [-T TEMPLATE:OUTPUT]\n"
            "                     [-o STDOUT_FILE] [-q] [-x] -- command args...\n");
    exit(2);
}

int main(int argc, char** argv) {
    int runs = 10, quiet = 0, exit_mode = 0;
    long poll_us = 200;
    double timeout_ms = 30000;
    const char* request_line = "GET /";
    const char* template_spec = NULL;
    const char* stdout_file = NULL;
    const char* body = "";
    char headers[4096] = "";
    int opt;
    while ((opt = getopt(argc, argv, "+n:i:t:r:H:d:T:o:qx")) != -1) {
        switch (opt) {
        case 'n': runs = atoi(optarg); break;
        case 'i': poll_us = atol(optarg); break;
        case 't': timeout_ms = atof(optarg); break;
        case 'r': request_line = optarg; break;
        case 'H':
            if (strlen(headers) + strlen(optarg) + 3 > sizeof headers) {
                usage();
            }
            strcat(headers, optarg);
            strcat(headers, "\r\n");
            break;
        case 'd': body = optarg; break;
        case 'T': template_spec = optarg; break;
        case 'o': stdout_file = optarg; break;
        case 'q': quiet = 1; break;
        case 'x': exit_mode = 1; break;
        default: usage();
        }
    }
    if (optind >= argc || runs < 1) {
        usage();
    }
    char** command = argv + optind;
    int command_count = argc - optind;

    char* template_text = NULL;
    char* template_output = NULL;
    if (template_spec) {
        const char* colon = strchr(template_spec, ':');
        if (!colon) {
            usage();
        }
        char* template_path = strndup(template_spec, colon - template_spec);
        template_output = strdup(colon + 1);
        template_text = read_file(template_path);
        if (!template_text) {
            fprintf(stderr, "startup_probe: cannot read %s\n", template_path);
            return 2;
        }
    }

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    signal(SIGPIPE, SIG_IGN);

    double* ready = calloc(runs, sizeof *ready);
    double* listening = calloc(runs, sizeof *listening);
    double* self = calloc(runs, sizeof *self);
    int self_count = 0;

    for (int run = 0; run < runs; ++run) {
        const int port = free_port();
        char request[8192];
        snprintf(request, sizeof request,
                 "%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%sContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                 request_line, port, headers, strlen(body), body);
        char** child_argv = calloc(command_count + 1, sizeof *child_argv);
        for (int i = 0; i < command_count; ++i) {
            child_argv[i] = substitute(command[i], port, run);
        }
        if (template_text) {
            char* text = substitute(template_text, port, run);
            FILE* f = fopen(template_output, "w");
            if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
                fprintf(stderr, "startup_probe: cannot write %s\n", template_output);
                return 2;
            }
            free(text);
        }

        const double start = now_ms();
        pid_t pid = fork();
        if (pid < 0) {
            perror("startup_probe: fork");
            return 2;
        }
        if (pid == 0) {
            setpgid(0, 0);
            int out = open(stdout_file ? stdout_file : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
            int null = open("/dev/null", O_RDWR);
            dup2(null, 0);
            dup2(out, 1);
            dup2(out, 2);
            execvp(child_argv[0], child_argv);
            _exit(127);
        }
        current_child = pid;
        setpgid(pid, pid);

        double listen_at = -1, ready_at = -1;
        int status = 0;
        if (exit_mode) {
            waitpid(pid, &status, 0);
            ready_at = listen_at = now_ms() - start;
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "startup_probe: %s failed (status %d)\n", child_argv[0], status);
                return 1;
            }
        }
        while (!exit_mode) {
            int connected = 0;
            int result = try_request(port, request, &connected);
            double t = now_ms();
            if (connected && listen_at < 0) {
                listen_at = t - start;
            }
            if (result == 1) {
                ready_at = t - start;
                break;
            }
            if (waitpid(pid, &status, WNOHANG) == pid) {
                fprintf(stderr, "startup_probe: %s exited (status %d) before answering 200\n",
                        child_argv[0], WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
                if (stdout_file) {
                    char* log = read_file(stdout_file);
                    fprintf(stderr, "--- its output:\n%s\n---\n", log ? log : "");
                }
                return 1;
            }
            if (t - start > timeout_ms) {
                fprintf(stderr, "startup_probe: no 200 within %.0f ms\n", timeout_ms);
                stop_child(pid);
                return 1;
            }
            sleep_us(poll_us);
        }
        if (!exit_mode) {
            stop_child(pid);
        }
        current_child = 0;

        ready[run] = ready_at;
        listening[run] = listen_at;
        double self_ms = stdout_file ? self_reported_ms(stdout_file) : -1;
        if (self_ms >= 0) {
            self[self_count++] = self_ms;
        }
        if (!quiet) {
            printf("run %d: listen %.3f ms, first 200 %.3f ms", run + 1, listen_at, ready_at);
            if (self_ms >= 0) {
                printf(" (self-reported %.1f ms)", self_ms);
            }
            printf("\n");
            fflush(stdout);
        }
        for (int i = 0; i < command_count; ++i) {
            free(child_argv[i]);
        }
        free(child_argv);
    }

    double min = ready[0], max = ready[0];
    for (int i = 1; i < runs; ++i) {
        min = ready[i] < min ? ready[i] : min;
        max = ready[i] > max ? ready[i] : max;
    }
    printf("summary: runs=%d median_ms=%.3f min_ms=%.3f max_ms=%.3f listen_median_ms=%.3f", runs,
           median(ready, runs), min, max, median(listening, runs));
    if (self_count > 0) {
        printf(" self_median_ms=%.3f", median(self, self_count));
    }
    printf("\n");
    return 0;
}
