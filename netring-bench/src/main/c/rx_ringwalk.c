/* The C floor: a plain TPACKET_V3 ring walk with the same ring as netring's defaults
 * (4 MiB blocks x 64, 2048-byte frames, 60 ms block timeout). Counts test frames until
 * TOTAL have arrived or none came for IDLE_MS; CPU is counted from frame WARMUP on.
 * usage: rx_ringwalk IFNAME TOTAL WARMUP IDLE_MS */
#include "bench_common.h"
#include <poll.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>

#define BLOCK_SIZE (4u << 20)
#define BLOCK_NR 64u
#define FRAME_SIZE 2048u

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: %s IFNAME TOTAL WARMUP IDLE_MS\n", argv[0]); return 1; }
    const char *ifname = argv[1];
    uint64_t total = strtoull(argv[2], NULL, 10);
    struct cpu_window w = {.warmup = strtoull(argv[3], NULL, 10)};
    uint64_t idle_ns = strtoull(argv[4], NULL, 10) * 1000000ull;

    int fd = tpacket_v3_socket();
    struct tpacket_req3 req = {0};
    req.tp_block_size = BLOCK_SIZE;
    req.tp_block_nr = BLOCK_NR;
    req.tp_frame_size = FRAME_SIZE;
    req.tp_frame_nr = BLOCK_SIZE / FRAME_SIZE * BLOCK_NR;
    req.tp_retire_blk_tov = 60;
    req.tp_feature_req_word = TP_FT_REQ_FILL_RXHASH;
    if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0) die("PACKET_RX_RING");
    uint8_t *ring = mmap(NULL, (size_t) BLOCK_SIZE * BLOCK_NR, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (ring == MAP_FAILED) die("mmap");
    struct sockaddr_ll ll = {0};
    ll.sll_family = AF_PACKET;
    ll.sll_protocol = htons(ETH_P_ALL);
    ll.sll_ifindex = (int) if_nametoindex(ifname);
    if (ll.sll_ifindex == 0) die("if_nametoindex");
    if (bind(fd, (struct sockaddr *) &ll, sizeof ll) < 0) die("bind");
    printf("READY\n");
    fflush(stdout);

    struct frame_check c = {.expected = -1};
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    unsigned cur = 0;
    uint64_t last_progress = wall_ns(), blocks = 0;
    while (!run_done(&c, total)) {
        struct tpacket_block_desc *bd = (struct tpacket_block_desc *) (ring + (size_t) cur * BLOCK_SIZE);
        if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER)) {
            if (c.frames > 0 && wall_ns() - last_progress > idle_ns) break;
            if (c.frames == 0 && wall_ns() - last_progress > 20 * idle_ns) break;
            poll(&pfd, 1, 100);
            continue;
        }
        uint32_t n = bd->hdr.bh1.num_pkts;
        struct tpacket3_hdr *h = (struct tpacket3_hdr *) ((uint8_t *) bd + bd->hdr.bh1.offset_to_first_pkt);
        for (uint32_t i = 0; i < n; i++) {
            window_observe(&w, c.frames);
            check_frame(&c, (const uint8_t *) h + h->tp_mac, h->tp_snaplen);
            h = (struct tpacket3_hdr *) ((uint8_t *) h + h->tp_next_offset);
        }
        __atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
        cur = (cur + 1) % BLOCK_NR;
        blocks++;
        last_progress = wall_ns();
    }
    uint64_t cpu_end = cpu_ns(), wall_end = window_wall_end(&c, total, last_progress);
    struct tpacket_stats_v3 st = {0};
    socklen_t sl = sizeof st;
    getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl);
    uint64_t measured = w.started ? c.frames - w.warmup : 0;
    printf("RESULT received=%llu drops=%u gaps=%llu firstSeq=%lld lastSeq=%lld measured=%llu cpuNs=%llu wallNs=%llu blocks=%llu\n",
           (unsigned long long) c.frames, st.tp_drops, (unsigned long long) c.gaps, (long long) c.first, (long long) c.expected - 1, (unsigned long long) measured,
           (unsigned long long) (w.started ? cpu_end - w.cpu_start : 0),
           (unsigned long long) (w.started ? wall_end - w.wall_start : 0), (unsigned long long) blocks);
    munmap(ring, (size_t) BLOCK_SIZE * BLOCK_NR);
    close(fd);
    return 0;
}
