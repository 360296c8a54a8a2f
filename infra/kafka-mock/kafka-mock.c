/*
 * kafka-mock: a Kafka-protocol test broker built on librdkafka's mock cluster.
 *
 *   kafka-mock --manifest PATH [--brokers N] [--ignore-stdin-eof]
 *
 * Creates an in-process mock cluster of N brokers (ids 1..N) listening on
 * 127.0.0.1 (random ports), creates every topic of the manifest, prints
 *
 *   BOOTSTRAP=host:port,host:port,...
 *   READY
 *
 * and then serves one command per line on stdin, answering each with exactly
 * one line, "OK" or "ERR <reason>" (see README.md). On stdin EOF (unless
 * --ignore-stdin-eof), SIGTERM, SIGINT or SIGHUP it destroys the cluster and
 * exits 0, so a parent that dies leaves no orphan behind.
 *
 * Built against librdkafka >= 2.0 (Debian 12 ships 2.0.2).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define MAX_LINE 4096
#define MAX_ARGS 256

static rd_kafka_t *rk;
static rd_kafka_mock_cluster_t *mcluster;
static int broker_cnt = 1;
static int sig_pipe[2] = {-1, -1};

static void on_signal(int sig) {
        int saved = errno;
        unsigned char c = (unsigned char)sig;
        if (write(sig_pipe[1], &c, 1) < 0) {
                /* nothing to do: pipe full means a signal is pending anyway */
        }
        errno = saved;
}

/* librdkafka logs go to stderr, only warnings and worse. */
static void on_log(const rd_kafka_t *h, int level, const char *fac,
                   const char *buf) {
        (void)h;
        if (level <= 4)
                fprintf(stderr, "kafka-mock: librdkafka %s: %s\n", fac, buf);
}


/*
 * Kicker. In librdkafka 2.0.x the mock cluster thread sometimes misses the
 * wake-up for an op queued from another thread (rd_kafka_mock_topic_create,
 * broker_set_down, ...) and only serves it at its next poll timeout, up to
 * 1 s later (seen on back-to-back ops). Any I/O on one of its
 * sockets wakes it too, so while an op is outstanding for more than a few
 * milliseconds a helper thread opens and closes a TCP connection to a mock
 * listener. That costs the mock one accepted-and-closed connection.
 */
#define MAX_LISTENERS 64
static struct sockaddr_in listeners[MAX_LISTENERS];
static int listener_cnt;
static pthread_mutex_t kick_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t kick_cond  = PTHREAD_COND_INITIALIZER;
static int kick_pending;

static void kick_once(void) {
        int i;
        for (i = 0; i < listener_cnt; i++) {
                int fd = socket(AF_INET, SOCK_STREAM, 0);
                int ok;
                if (fd < 0)
                        return;
                ok = connect(fd, (struct sockaddr *)&listeners[i],
                             sizeof(listeners[i])) == 0;
                close(fd);
                if (ok)
                        return; /* one woken poll() is enough */
        }
}

static void *kicker_main(void *arg) {
        (void)arg;
        pthread_mutex_lock(&kick_lock);
        for (;;) {
                struct timespec ts;
                while (!kick_pending)
                        pthread_cond_wait(&kick_cond, &kick_lock);
                clock_gettime(CLOCK_REALTIME, &ts);
                ts.tv_nsec += 5 * 1000 * 1000;
                if (ts.tv_nsec >= 1000000000L) {
                        ts.tv_sec++;
                        ts.tv_nsec -= 1000000000L;
                }
                if (pthread_cond_timedwait(&kick_cond, &kick_lock, &ts) ==
                        0 ||
                    !kick_pending)
                        continue;
                pthread_mutex_unlock(&kick_lock);
                kick_once();
                pthread_mutex_lock(&kick_lock);
        }
        return NULL;
}

static void kick_begin(void) {
        pthread_mutex_lock(&kick_lock);
        kick_pending = 1;
        pthread_cond_signal(&kick_cond);
        pthread_mutex_unlock(&kick_lock);
}

static void kick_end(void) {
        pthread_mutex_lock(&kick_lock);
        kick_pending = 0;
        pthread_cond_signal(&kick_cond);
        pthread_mutex_unlock(&kick_lock);
}

/* Wraps one call into the mock cluster. */
#define MOCK_CALL(expr)                                                        \
        ({                                                                     \
                __typeof__(expr) _r;                                           \
                kick_begin();                                                  \
                _r = (expr);                                                   \
                kick_end();                                                    \
                _r;                                                            \
        })
#define MOCK_CALL_VOID(expr)                                                   \
        do {                                                                   \
                kick_begin();                                                  \
                expr;                                                          \
                kick_end();                                                    \
        } while (0)

/* "127.0.0.1:1234,127.0.0.1:5678" -> listeners[] */
static void parse_listeners(const char *bootstraps) {
        char *copy = strdup(bootstraps), *save = NULL, *tok;
        for (tok = strtok_r(copy, ",", &save);
             tok && listener_cnt < MAX_LISTENERS;
             tok = strtok_r(NULL, ",", &save)) {
                char *colon = strrchr(tok, ':');
                struct sockaddr_in *sin = &listeners[listener_cnt];
                if (!colon)
                        continue;
                *colon = '\0';
                memset(sin, 0, sizeof(*sin));
                sin->sin_family = AF_INET;
                sin->sin_port   = htons((uint16_t)atoi(colon + 1));
                if (inet_pton(AF_INET, tok, &sin->sin_addr) == 1)
                        listener_cnt++;
        }
        free(copy);
}

/*
 * rd_kafka_mock_cluster_destroy() in librdkafka 2.0.x often blocks for
 * about 1 s (measured; the kicker does not help there). Nothing of the
 * cluster outlives the process, so a watchdog ends it after 300 ms.
 */
static int exit_code;

static void *watchdog_main(void *arg) {
        struct timespec ts = {0, 300 * 1000 * 1000};
        (void)arg;
        nanosleep(&ts, NULL);
        fflush(stdout);
        _exit(exit_code);
}

static void destroy_cluster(void) {
        pthread_t watchdog;
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        if (pthread_create(&watchdog, NULL, watchdog_main, NULL) == 0)
                pthread_detach(watchdog);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (mcluster) {
                MOCK_CALL_VOID(rd_kafka_mock_cluster_destroy(mcluster));
                mcluster = NULL;
        }
        if (rk) {
                rd_kafka_destroy(rk);
                rk = NULL;
        }
}

static void die(const char *fmt, ...) {
        va_list ap;
        fprintf(stderr, "kafka-mock: ");
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fprintf(stderr, "\n");
        exit_code = 2;
        destroy_cluster();
        exit(2);
}

static void shutdown_and_exit(int code) {
        exit_code = code;
        destroy_cluster();
        exit(code);
}

/* Writes one answer line; a parent that went away means we go away too. */
static void reply(const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        vfprintf(stdout, fmt, ap);
        va_end(ap);
        fputc('\n', stdout);
        if (fflush(stdout) != 0 || ferror(stdout))
                shutdown_and_exit(0);
}

static int parse_long(const char *s, long min, long max, long *out) {
        char *end;
        long v;
        if (!s || !*s)
                return -1;
        errno = 0;
        v     = strtol(s, &end, 10);
        if (errno || *end || v < min || v > max)
                return -1;
        *out = v;
        return 0;
}

static int replication_factor(void) {
        return broker_cnt < 3 ? broker_cnt : 3;
}

static rd_kafka_resp_err_t create_topic(const char *name, int partitions) {
        return MOCK_CALL(rd_kafka_mock_topic_create(
            mcluster, name, partitions, replication_factor()));
}

/* Manifest: "name partitions" per line; '#' starts a comment. */
static void load_manifest(const char *path) {
        FILE *fp = fopen(path, "r");
        char line[MAX_LINE];
        int lineno = 0;
        if (!fp)
                die("cannot open manifest %s: %s", path, strerror(errno));
        while (fgets(line, sizeof(line), fp)) {
                char *hash, *name, *parts, *extra, *save = NULL;
                long n;
                rd_kafka_resp_err_t err;
                lineno++;
                if ((hash = strchr(line, '#')))
                        *hash = '\0';
                name = strtok_r(line, " \t\r\n", &save);
                if (!name)
                        continue;
                parts = strtok_r(NULL, " \t\r\n", &save);
                /* replication and min.insync (columns 3, 4) are for a real
                 * cluster: the mock replicates to min(brokers, 3) anyway. */
                (void)strtok_r(NULL, " \t\r\n", &save);
                (void)strtok_r(NULL, " \t\r\n", &save);
                extra = strtok_r(NULL, " \t\r\n", &save);
                if (!parts || extra || parse_long(parts, 1, 100000, &n))
                        die("%s:%d: expected \"<topic> <partitions> [<replication> <min.insync>]\"", path,
                            lineno);
                err = create_topic(name, (int)n);
                if (err)
                        die("%s:%d: cannot create topic %s: %s", path, lineno,
                            name, rd_kafka_err2str(err));
        }
        if (ferror(fp))
                die("cannot read manifest %s", path);
        fclose(fp);
}

static void handle_command(char *line) {
        char *argv[MAX_ARGS], *save = NULL, *tok;
        int argc = 0;
        long a, b;
        rd_kafka_resp_err_t err;

        for (tok = strtok_r(line, " \t\r\n", &save); tok;
             tok = strtok_r(NULL, " \t\r\n", &save)) {
                if (argc == MAX_ARGS) {
                        reply("ERR too many arguments");
                        return;
                }
                argv[argc++] = tok;
        }
        if (argc == 0) {
                reply("ERR empty command");
                return;
        }

#define NEED_ARGS(n, usage)                                                    \
        do {                                                                   \
                if (argc != (n)) {                                             \
                        reply("ERR usage: %s", usage);                         \
                        return;                                                \
                }                                                              \
        } while (0)

        if (!strcmp(argv[0], "ping")) {
                NEED_ARGS(1, "ping");
                reply("OK");

        } else if (!strcmp(argv[0], "quit")) {
                reply("OK");
                shutdown_and_exit(0);

        } else if (!strcmp(argv[0], "broker_down") ||
                   !strcmp(argv[0], "broker_up")) {
                int down = !strcmp(argv[0], "broker_down");
                NEED_ARGS(2, down ? "broker_down <id|-1>" : "broker_up <id|-1>");
                if (parse_long(argv[1], -1, INT32_MAX, &a)) {
                        reply("ERR bad broker id");
                        return;
                }
                err = down ? MOCK_CALL(rd_kafka_mock_broker_set_down(
                                 mcluster, (int32_t)a))
                           : MOCK_CALL(rd_kafka_mock_broker_set_up(
                                 mcluster, (int32_t)a));
                if (err)
                        reply("ERR %s", rd_kafka_err2str(err));
                else
                        reply("OK");

        } else if (!strcmp(argv[0], "rtt")) {
                NEED_ARGS(3, "rtt <broker_id|-1> <ms>");
                if (parse_long(argv[1], -1, INT32_MAX, &a) ||
                    parse_long(argv[2], 0, INT_MAX, &b)) {
                        reply("ERR bad number");
                        return;
                }
                err = MOCK_CALL(rd_kafka_mock_broker_set_rtt(
                    mcluster, (int32_t)a, (int)b));
                if (err)
                        reply("ERR %s", rd_kafka_err2str(err));
                else
                        reply("OK");

        } else if (!strcmp(argv[0], "push_errors")) {
                /* push_errors <apikey> <count> <errcode>...
                 * count must equal the number of error codes given. */
                rd_kafka_resp_err_t errs[MAX_ARGS];
                int i;
                if (argc < 4) {
                        reply("ERR usage: push_errors <apikey> <count> "
                              "<errcode> [<errcode>...]");
                        return;
                }
                if (parse_long(argv[1], 0, INT16_MAX, &a) ||
                    parse_long(argv[2], 1, MAX_ARGS, &b)) {
                        reply("ERR bad apikey or count");
                        return;
                }
                if (b != argc - 3) {
                        reply("ERR count %ld does not match %d error codes", b,
                              argc - 3);
                        return;
                }
                for (i = 0; i < b; i++) {
                        long e;
                        if (parse_long(argv[3 + i], INT_MIN, INT_MAX, &e)) {
                                reply("ERR bad error code %s", argv[3 + i]);
                                return;
                        }
                        errs[i] = (rd_kafka_resp_err_t)e;
                }
                MOCK_CALL_VOID(rd_kafka_mock_push_request_errors_array(
                    mcluster, (int16_t)a, (size_t)b, errs));
                reply("OK");

        } else if (!strcmp(argv[0], "clear_errors")) {
                NEED_ARGS(2, "clear_errors <apikey>");
                if (parse_long(argv[1], 0, INT16_MAX, &a)) {
                        reply("ERR bad apikey");
                        return;
                }
                MOCK_CALL_VOID(
                    rd_kafka_mock_clear_request_errors(mcluster, (int16_t)a));
                reply("OK");

        } else if (!strcmp(argv[0], "create_topic")) {
                NEED_ARGS(3, "create_topic <name> <partitions>");
                if (parse_long(argv[2], 1, 100000, &a)) {
                        reply("ERR bad partition count");
                        return;
                }
                err = create_topic(argv[1], (int)a);
                if (err)
                        reply("ERR %s", rd_kafka_err2str(err));
                else
                        reply("OK");

        } else if (!strcmp(argv[0], "set_leader")) {
                NEED_ARGS(4, "set_leader <topic> <partition> <broker_id|-1>");
                if (parse_long(argv[2], 0, INT32_MAX, &a) ||
                    parse_long(argv[3], -1, INT32_MAX, &b)) {
                        reply("ERR bad number");
                        return;
                }
                err = MOCK_CALL(rd_kafka_mock_partition_set_leader(
                    mcluster, argv[1], (int32_t)a, (int32_t)b));
                if (err)
                        reply("ERR %s", rd_kafka_err2str(err));
                else
                        reply("OK");

        } else {
                reply("ERR unknown command %s", argv[0]);
        }
#undef NEED_ARGS
}

static void usage(const char *prog) {
        fprintf(stderr,
                "usage: %s --manifest PATH [--brokers N] [--ignore-stdin-eof]\n",
                prog);
        exit(2);
}

int main(int argc, char **argv) {
        const char *manifest = NULL;
        int ignore_eof       = 0;
        char errstr[512];
        rd_kafka_conf_t *conf;
        struct sigaction sa;
        char buf[MAX_LINE];
        size_t used = 0;
        int stdin_open = 1;
        int i;
        long n;

        for (i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--manifest") && i + 1 < argc)
                        manifest = argv[++i];
                else if (!strcmp(argv[i], "--brokers") && i + 1 < argc) {
                        if (parse_long(argv[++i], 1, 64, &n))
                                usage(argv[0]);
                        broker_cnt = (int)n;
                } else if (!strcmp(argv[i], "--ignore-stdin-eof"))
                        ignore_eof = 1;
                else
                        usage(argv[0]);
        }
        if (!manifest)
                usage(argv[0]);

#ifdef __linux__
        /* Belt and braces next to stdin EOF: go when the parent goes
         * (not with --ignore-stdin-eof, whose parent may be a short-lived
         * shell). */
        if (!ignore_eof)
                prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif

        /* Self-pipe: handlers may run on any thread, the main loop polls. */
        if (pipe(sig_pipe) != 0)
                die("pipe: %s", strerror(errno));
        fcntl(sig_pipe[0], F_SETFL, O_NONBLOCK);
        fcntl(sig_pipe[1], F_SETFL, O_NONBLOCK);
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        signal(SIGPIPE, SIG_IGN);

        /* A producer handle only hosts the cluster; it never connects. */
        conf = rd_kafka_conf_new();
        rd_kafka_conf_set_log_cb(conf, on_log);
        if (rd_kafka_conf_set(conf, "client.id", "kafka-mock", errstr,
                              sizeof(errstr)) != RD_KAFKA_CONF_OK)
                die("conf: %s", errstr);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk)
                die("rd_kafka_new: %s", errstr);

        mcluster = rd_kafka_mock_cluster_new(rk, broker_cnt);
        if (!mcluster)
                die("rd_kafka_mock_cluster_new failed");
        parse_listeners(rd_kafka_mock_cluster_bootstraps(mcluster));
        {
                pthread_t kicker;
                sigset_t all, old;
                /* The kicker must not take our SIGTERM/SIGINT. */
                sigfillset(&all);
                pthread_sigmask(SIG_SETMASK, &all, &old);
                if (pthread_create(&kicker, NULL, kicker_main, NULL) != 0)
                        die("pthread_create failed");
                pthread_sigmask(SIG_SETMASK, &old, NULL);
                pthread_detach(kicker);
        }

        load_manifest(manifest);

        printf("BOOTSTRAP=%s\n", rd_kafka_mock_cluster_bootstraps(mcluster));
        printf("READY\n");
        if (fflush(stdout) != 0)
                shutdown_and_exit(0);

        for (;;) {
                struct pollfd fds[2];
                int nfds = 0, r;
                fds[nfds].fd       = sig_pipe[0];
                fds[nfds++].events = POLLIN;
                if (stdin_open) {
                        fds[nfds].fd       = STDIN_FILENO;
                        fds[nfds++].events = POLLIN;
                }
                r = poll(fds, (nfds_t)nfds, -1);
                if (r < 0) {
                        if (errno == EINTR)
                                continue;
                        die("poll: %s", strerror(errno));
                }
                if (fds[0].revents)
                        shutdown_and_exit(0);
                if (stdin_open && fds[1].revents) {
                        ssize_t got = read(STDIN_FILENO, buf + used,
                                           sizeof(buf) - 1 - used);
                        char *start, *nl;
                        if (got < 0 && (errno == EINTR || errno == EAGAIN))
                                continue;
                        if (got <= 0) {
                                if (!ignore_eof)
                                        shutdown_and_exit(0);
                                stdin_open = 0;
                                continue;
                        }
                        used += (size_t)got;
                        buf[used] = '\0';
                        start     = buf;
                        while ((nl = memchr(start, '\n',
                                            used - (size_t)(start - buf)))) {
                                *nl = '\0';
                                handle_command(start);
                                start = nl + 1;
                        }
                        used -= (size_t)(start - buf);
                        memmove(buf, start, used);
                        if (used == sizeof(buf) - 1) {
                                /* Line too long: drop it. */
                                reply("ERR line too long");
                                used = 0;
                        }
                }
        }
}
