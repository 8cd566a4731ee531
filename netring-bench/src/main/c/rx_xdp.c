/* The AF_XDP baseline: a reader on libxdp's xsk API, the way a C program would write one.
 * One socket on queue 0 in copy mode with need_wakeup, UMEM of 4096 frames x 4096 bytes,
 * fill and RX rings of 2048; libxdp loads and attaches its default redirect program.
 * Counts test frames as rx_ringwalk does until TOTAL have arrived or none came for IDLE_MS;
 * CPU is counted from frame WARMUP on. MODE picks the attach point: drv (native, the default)
 * or skb (generic). An empty RX ring is waited on with poll(2), which wakes the reader for
 * nearly every frame on veth; with NAP_US > 0 it sleeps that long instead, so frames gather
 * between reads as they do in a TPACKET_V3 block. When the socket cannot be made it prints
 * "RESULT skipped=why" and exits 0, so the harness skips the row instead of failing.
 * usage: rx_xdp IFNAME TOTAL WARMUP IDLE_MS [drv|skb [NAP_US]] */
#include "bench_common.h"
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>

#define FRAME_SIZE 4096u
#define FRAME_NR 4096u
#define RING_SIZE 2048u
#ifndef QUEUE
#define QUEUE 0   /* -DQUEUE=n to read another queue by hand */
#endif

/* Set by SIGTERM/SIGINT (the harness stops a reader that overran with SIGTERM): the loop ends
 * and the program is detached, instead of staying on the interface after the process died. */
static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void) sig; stop = 1; }

/* Prints the skip line with spaces turned into '_' (the harness's line format splits on spaces). */
static void skip(const char *what, int err) {
    char why[256];
    snprintf(why, sizeof why, "%s:_%s", what, strerror(err));
    for (char *p = why; *p; p++) {
        if (*p == ' ') *p = '_';
    }
    printf("RESULT skipped=%s\n", why);
    fflush(stdout);
}

/* libxdp's warnings go to stderr (the harness's log); its debug chatter is dropped. */
static int quiet_print(enum libxdp_print_level level, const char *fmt, va_list args) {
    return level == LIBXDP_DEBUG ? 0 : vfprintf(stderr, fmt, args);
}

/* Hands every address in [0, n) frames to the kernel through the fill ring. */
static void fill_all(struct xsk_ring_prod *fq, uint32_t n) {
    uint32_t idx;
    if (xsk_ring_prod__reserve(fq, n, &idx) != n) {
        fprintf(stderr, "fill ring: cannot reserve %u slots\n", n);
        exit(2);
    }
    for (uint32_t i = 0; i < n; i++) *xsk_ring_prod__fill_addr(fq, idx + i) = (uint64_t) i * FRAME_SIZE;
    xsk_ring_prod__submit(fq, n);
}

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: %s IFNAME TOTAL WARMUP IDLE_MS [drv|skb [NAP_US]]\n", argv[0]); return 1; }
    const char *ifname = argv[1];
    uint64_t total = strtoull(argv[2], NULL, 10);
    struct cpu_window w = {.warmup = strtoull(argv[3], NULL, 10)};
    uint64_t idle_ns = strtoull(argv[4], NULL, 10) * 1000000ull;
    int generic = argc > 5 && strcmp(argv[5], "skb") == 0;
    unsigned nap_us = argc > 6 ? (unsigned) strtoul(argv[6], NULL, 10) : 0;
    libxdp_set_print(quiet_print);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    /* Kernels before 5.11 charge UMEM and BPF maps to RLIMIT_MEMLOCK; later ones ignore it. */
    struct rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
    setrlimit(RLIMIT_MEMLOCK, &unlimited);

    size_t umem_size = (size_t) FRAME_SIZE * FRAME_NR;
    void *area = mmap(NULL, umem_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED) die("mmap");
    struct xsk_ring_prod fq;
    struct xsk_ring_cons cq, rx;
    struct xsk_umem *umem;
    struct xsk_umem_config ucfg = {
        .fill_size = RING_SIZE, .comp_size = RING_SIZE, .frame_size = FRAME_SIZE,
        .frame_headroom = 0, .flags = 0,
    };
    int err = xsk_umem__create(&umem, area, umem_size, &fq, &cq, &ucfg);
    if (err) { skip("xsk_umem__create", -err); return 0; }

    struct xsk_socket *xsk;
    struct xsk_socket_config scfg = {
        .rx_size = RING_SIZE, .tx_size = 0, .libxdp_flags = 0,
        .xdp_flags = generic ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE,
        .bind_flags = XDP_COPY | XDP_USE_NEED_WAKEUP,
    };
    err = xsk_socket__create(&xsk, ifname, QUEUE, umem, &rx, NULL, &scfg);
    if (err) {
        skip(generic ? "xsk_socket__create_(generic_XDP)" : "xsk_socket__create_(native_XDP)", -err);
        xsk_umem__delete(umem);
        return 0;
    }
    int fd = xsk_socket__fd(xsk);
    /* Half the UMEM starts on the fill ring; the kernel never holds more than RING_SIZE frames. */
    fill_all(&fq, RING_SIZE);
    printf("READY\n");
    fflush(stdout);

    struct frame_check c = {.expected = -1};
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    uint64_t last_progress = wall_ns(), batches = 0, wakeups = 0;
    while (!run_done(&c, total) && !stop) {
        uint32_t idx_rx;
        uint32_t n = xsk_ring_cons__peek(&rx, RING_SIZE, &idx_rx);
        if (n == 0) {
            if (c.frames > 0 && wall_ns() - last_progress > idle_ns) break;
            if (c.frames == 0 && wall_ns() - last_progress > 20 * idle_ns) break;
            if (nap_us > 0) usleep(nap_us);
            else poll(&pfd, 1, 100);
            continue;
        }
        uint32_t idx_fq;
        /* Every frame consumed goes straight back: fill + RX never hold more than RING_SIZE. */
        while (xsk_ring_prod__reserve(&fq, n, &idx_fq) != n) {
            poll(&pfd, 1, 1);
        }
        for (uint32_t i = 0; i < n; i++) {
            const struct xdp_desc *d = xsk_ring_cons__rx_desc(&rx, idx_rx + i);
            uint64_t addr = xsk_umem__add_offset_to_addr(d->addr);
            window_observe(&w, c.frames);
            check_frame(&c, xsk_umem__get_data(area, addr), d->len);
            *xsk_ring_prod__fill_addr(&fq, idx_fq + i) = xsk_umem__extract_addr(d->addr) & ~(uint64_t) (FRAME_SIZE - 1);
        }
        xsk_ring_prod__submit(&fq, n);
        xsk_ring_cons__release(&rx, n);
        /* need_wakeup: a driver that stopped for want of fill slots asks for a syscall to go on
         * (copy mode never asks; counted so the result shows it). */
        if (xsk_ring_prod__needs_wakeup(&fq)) {
            recvfrom(fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
            wakeups++;
        }
        batches++;
        last_progress = wall_ns();
    }
    uint64_t cpu_end = cpu_ns(), wall_end = window_wall_end(&c, total, last_progress);
    struct xdp_statistics st = {0};
    socklen_t sl = sizeof st;
    getsockopt(fd, SOL_XDP, XDP_STATISTICS, &st, &sl);
    uint64_t measured = w.started ? c.frames - w.warmup : 0;
    printf("RESULT received=%llu drops=%llu gaps=%llu firstSeq=%lld lastSeq=%lld measured=%llu cpuNs=%llu wallNs=%llu"
           " blocks=%llu fillEmpty=%llu wakeups=%llu xdpMode=%s napUs=%u\n",
           (unsigned long long) c.frames, (unsigned long long) (st.rx_dropped + st.rx_ring_full),
           (unsigned long long) c.gaps, (long long) c.first, (long long) c.expected - 1, (unsigned long long) measured,
           (unsigned long long) (w.started ? cpu_end - w.cpu_start : 0),
           (unsigned long long) (w.started ? wall_end - w.wall_start : 0), (unsigned long long) batches,
           (unsigned long long) st.rx_fill_ring_empty_descs, (unsigned long long) wakeups, generic ? "generic" : "native", nap_us);
    fflush(stdout);
    /* xsk_socket__delete takes the socket out of the XSKMAP and, as the program's last user,
     * detaches and releases the program libxdp loaded: the interface is left as it was found. */
    xsk_socket__delete(xsk);
    xsk_umem__delete(umem);
    munmap(area, umem_size);
    return 0;
}
