/* The C TX-ring baseline: a TPACKET_V3 TX ring (frame semantics, Linux >= 4.11) filled with
 * COUNT test frames of SIZE bytes; the kernel is kicked with a non-blocking sendto(NULL, 0)
 * every BATCH frames and when the ring is full, and a final blocking sendto waits for all.
 * usage: tx_ring IFNAME COUNT SIZE [BATCH] */
#include "bench_common.h"
#include <poll.h>
#include <sched.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/if_packet.h>
#include <net/if.h>

#define FRAME_SIZE 2048u
#define FRAME_NR 4096u
#define BLOCK_SIZE (1u << 20)

static void kick(int fd, int flags, uint64_t *retries) {
    for (;;) {
        if (sendto(fd, NULL, 0, flags, NULL, 0) >= 0) return;
        if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) { (*retries)++; sched_yield(); continue; }
        die("sendto(kick)");
    }
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s IFNAME COUNT SIZE [BATCH]\n", argv[0]); return 1; }
    uint64_t count = strtoull(argv[2], NULL, 10);
    int size = atoi(argv[3]);
    unsigned batch = argc > 4 ? (unsigned) atoi(argv[4]) : 64;
    if (size < 18 || size > 1500 || batch < 1) { fprintf(stderr, "bad size or batch\n"); return 1; }

    int fd = tpacket_v3_socket();
    struct tpacket_req3 req = {0};
    req.tp_block_size = BLOCK_SIZE;
    req.tp_frame_size = FRAME_SIZE;
    req.tp_frame_nr = FRAME_NR;
    req.tp_block_nr = FRAME_NR / (BLOCK_SIZE / FRAME_SIZE);
    if (setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof req) < 0) die("PACKET_TX_RING");
    size_t ring_len = (size_t) BLOCK_SIZE * req.tp_block_nr;
    uint8_t *ring = mmap(NULL, ring_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (ring == MAP_FAILED) die("mmap");
    struct sockaddr_ll ll = {0};
    ll.sll_family = AF_PACKET;
    ll.sll_protocol = htons(TEST_ETHERTYPE);
    ll.sll_ifindex = (int) if_nametoindex(argv[1]);
    if (ll.sll_ifindex == 0) die("if_nametoindex");
    if (bind(fd, (struct sockaddr *) &ll, sizeof ll) < 0) die("bind");
    /* Frame data follows the header at TPACKET3_HDRLEN - sizeof(sockaddr_ll). */
    const size_t data_off = TPACKET_ALIGN(sizeof(struct tpacket3_hdr));
    printf("READY\n");
    fflush(stdout);

    uint64_t cpu0 = cpu_ns(), wall0 = wall_ns(), retries = 0;
    unsigned cur = 0, pending = 0;
    for (uint64_t seq = 0; seq < count; seq++) {
        struct tpacket3_hdr *h = (struct tpacket3_hdr *) (ring + (size_t) cur * FRAME_SIZE);
        while (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE) {
            if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) == TP_STATUS_WRONG_FORMAT) {
                fprintf(stderr, "frame rejected (TP_STATUS_WRONG_FORMAT)\n");
                return 2;
            }
            kick(fd, MSG_DONTWAIT, &retries);
            pending = 0;
            if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE) sched_yield();
        }
        write_frame((uint8_t *) h + data_off, (uint32_t) seq, size);
        h->tp_len = (uint32_t) size;
        h->tp_snaplen = (uint32_t) size;
        h->tp_next_offset = 0;
        __atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
        cur = (cur + 1) % FRAME_NR;
        if (++pending == batch) { kick(fd, MSG_DONTWAIT, &retries); pending = 0; }
    }
    kick(fd, 0, &retries);
    uint64_t wall = wall_ns() - wall0, cpu = cpu_ns() - cpu0;
    printf("RESULT sent=%llu wallNs=%llu cpuNs=%llu retries=%llu\n", (unsigned long long) count,
           (unsigned long long) wall, (unsigned long long) cpu, (unsigned long long) retries);
    munmap(ring, ring_len);
    close(fd);
    return 0;
}
