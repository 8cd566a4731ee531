/* Shared by the bench's C programs: the test frame format, CPU clocks, result lines.
 * Every program prints "READY" once it can receive or send, and one "RESULT k=v ..." line. */
#ifndef NETRING_BENCH_COMMON_H
#define NETRING_BENCH_COMMON_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/if_packet.h>

#define TEST_ETHERTYPE 0x88B5

static inline uint64_t clock_ns(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}
static inline uint64_t cpu_ns(void) { return clock_ns(CLOCK_PROCESS_CPUTIME_ID); }
static inline uint64_t wall_ns(void) { return clock_ns(CLOCK_MONOTONIC); }

static inline void die(const char *what) {
    fprintf(stderr, "%s: %s\n", what, strerror(errno));
    exit(2);
}

/* A packet socket (protocol 0: it sees nothing until bound) switched to TPACKET_V3. */
static inline int tpacket_v3_socket(void) {
    int fd = socket(AF_PACKET, SOCK_RAW, 0);
    if (fd < 0) die("socket");
    int v = TPACKET_V3;
    if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) < 0) die("PACKET_VERSION");
    return fd;
}

/* Frame seq: ff:ff:ff:ff:ff:ff, 02:00:00:00:00:01, 0x88B5, seq (big-endian), filler. */
static inline void write_frame(uint8_t *f, uint32_t seq, int size) {
    memset(f, 0xff, 6);
    static const uint8_t src[6] = {2, 0, 0, 0, 0, 1};
    memcpy(f + 6, src, 6);
    f[12] = TEST_ETHERTYPE >> 8;
    f[13] = TEST_ETHERTYPE & 0xff;
    uint32_t be = htonl(seq);
    memcpy(f + 14, &be, 4);
    for (int i = 18; i < size; i++) f[i] = (uint8_t) (seq + i);
}

/* The per-packet work of every consumer: EtherType check, sequence check, count. */
struct frame_check {
    uint64_t frames, gaps;
    int64_t expected;
    int64_t first;
};
static inline int check_frame(struct frame_check *c, const uint8_t *f, uint32_t len) {
    if (len < 18 || f[12] != (TEST_ETHERTYPE >> 8) || f[13] != (TEST_ETHERTYPE & 0xff)) return 0;
    uint32_t be;
    memcpy(&be, f + 14, 4);
    uint32_t seq = ntohl(be);
    if (c->expected >= 0 && seq != (uint32_t) c->expected) c->gaps++;
    if (c->frames == 0) c->first = seq;
    c->expected = (int64_t) seq + 1;
    c->frames++;
    return 1;
}

/* CPU is measured from frame number `warmup` (0: the first) to the end of the run. */
struct cpu_window {
    uint64_t warmup, cpu_start, wall_start;
    int started;
};
static inline void window_observe(struct cpu_window *w, uint64_t frames) {
    if (!w->started && frames >= w->warmup) {
        w->started = 1;
        w->cpu_start = cpu_ns();
        w->wall_start = wall_ns();
    }
}

/* Whether a run of `total` frames is over: all came, or the last one sent (sequence number
 * total - 1) did, lost frames or not. */
static inline int run_done(const struct frame_check *c, uint64_t total) {
    return c->frames >= total || c->expected == (int64_t) total;
}

/* The wall-clock end of the window: when the run did not end at its last frame (that one was
 * lost too), it ended by going idle, and the rate then covers the frames' span (to the last
 * batch) rather than the wait for more. */
static inline uint64_t window_wall_end(const struct frame_check *c, uint64_t total, uint64_t last_progress) {
    return run_done(c, total) ? wall_ns() : last_progress;
}

#endif
