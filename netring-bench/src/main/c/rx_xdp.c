/* The AF_XDP floor: a plain AF_XDP reader on libxdp's xsk API (libxdp loads and attaches its
 * default redirect program), copy mode, need_wakeup, queue 0, 4096 UMEM frames of 4096 bytes,
 * rings of 2048; the same frame check and result line as rx_ringwalk. Each consumed frame goes
 * straight back to the fill ring. Counts test frames until TOTAL have arrived or none came for
 * IDLE_MS; CPU is counted from frame WARMUP on.
 * usage: rx_xdp IFNAME TOTAL WARMUP IDLE_MS */
#include "bench_common.h"
#include <poll.h>
#include <unistd.h>
#include <sys/mman.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <xdp/xsk.h>

#define FRAME_SIZE 4096u
#define FRAME_COUNT 4096u
#define RING 2048u
#define BATCH 64u

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: %s IFNAME TOTAL WARMUP IDLE_MS\n", argv[0]); return 1; }
    const char *ifname = argv[1];
    uint64_t total = strtoull(argv[2], NULL, 10);
    struct cpu_window w = {.warmup = strtoull(argv[3], NULL, 10)};
    uint64_t idle_ns = strtoull(argv[4], NULL, 10) * 1000000ull;

    size_t size = (size_t) FRAME_SIZE * FRAME_COUNT;
    void *area = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (area == MAP_FAILED) die("mmap");
    struct xsk_ring_prod fill;
    struct xsk_ring_cons comp, rx;
    struct xsk_umem *umem;
    struct xsk_umem_config ucfg = {.fill_size = FRAME_COUNT, .comp_size = RING, .frame_size = FRAME_SIZE,
                                   .frame_headroom = 0, .flags = 0};
    int r = xsk_umem__create(&umem, area, size, &fill, &comp, &ucfg);
    if (r) { errno = -r; die("xsk_umem__create"); }
    struct xsk_socket *xsk;
    struct xsk_socket_config scfg = {.rx_size = RING, .tx_size = 0, .libxdp_flags = 0,
                                     .xdp_flags = XDP_FLAGS_DRV_MODE, .bind_flags = XDP_COPY | XDP_USE_NEED_WAKEUP};
    r = xsk_socket__create(&xsk, ifname, 0, umem, &rx, NULL, &scfg);
    if (r) { errno = -r; die("xsk_socket__create"); }
    uint32_t idx;
    if (xsk_ring_prod__reserve(&fill, FRAME_COUNT, &idx) != FRAME_COUNT) die("fill reserve");
    for (uint32_t i = 0; i < FRAME_COUNT; i++) *xsk_ring_prod__fill_addr(&fill, idx + i) = (uint64_t) i * FRAME_SIZE;
    xsk_ring_prod__submit(&fill, FRAME_COUNT);
    printf("READY\n");
    fflush(stdout);

    struct frame_check c = {.expected = -1};
    struct pollfd pfd = {.fd = xsk_socket__fd(xsk), .events = POLLIN};
    uint64_t last_progress = wall_ns(), batches = 0;
    while (c.frames < total) {
        uint32_t at;
        uint32_t n = xsk_ring_cons__peek(&rx, BATCH, &at);
        if (n == 0) {
            if (c.frames > 0 && wall_ns() - last_progress > idle_ns) break;
            if (c.frames == 0 && wall_ns() - last_progress > 20 * idle_ns) break;
            if (xsk_ring_prod__needs_wakeup(&fill)) recvfrom(pfd.fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
            poll(&pfd, 1, 100);
            continue;
        }
        uint32_t fat;
        while (xsk_ring_prod__reserve(&fill, n, &fat) != n) { /* the fill ring holds every frame: never full */ }
        for (uint32_t i = 0; i < n; i++) {
            const struct xdp_desc *d = xsk_ring_cons__rx_desc(&rx, at + i);
            window_observe(&w, c.frames);
            check_frame(&c, xsk_umem__get_data(area, d->addr), d->len);
            *xsk_ring_prod__fill_addr(&fill, fat + i) = xsk_umem__extract_addr(d->addr);
        }
        xsk_ring_prod__submit(&fill, n);
        xsk_ring_cons__release(&rx, n);
        batches++;
        last_progress = wall_ns();
    }
    uint64_t cpu_end = cpu_ns(), wall_end = wall_ns();
    struct xdp_statistics st = {0};
    socklen_t sl = sizeof st;
    getsockopt(xsk_socket__fd(xsk), SOL_XDP, XDP_STATISTICS, &st, &sl);
    uint64_t measured = w.started ? c.frames - w.warmup : 0;
    printf("RESULT received=%llu drops=%llu gaps=%llu firstSeq=%lld lastSeq=%lld measured=%llu cpuNs=%llu wallNs=%llu blocks=%llu\n",
           (unsigned long long) c.frames, (unsigned long long) (st.rx_dropped + st.rx_ring_full),
           (unsigned long long) c.gaps, (long long) c.first, (long long) c.expected - 1, (unsigned long long) measured,
           (unsigned long long) (w.started ? cpu_end - w.cpu_start : 0),
           (unsigned long long) (w.started ? wall_end - w.wall_start : 0), (unsigned long long) batches);
    xsk_socket__delete(xsk);       /* libxdp detaches its program when the last socket goes */
    xsk_umem__delete(umem);
    munmap(area, size);
    return 0;
}
