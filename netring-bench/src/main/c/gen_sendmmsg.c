/* Generator and the "C sendmmsg" TX baseline: sends COUNT test frames of SIZE bytes on IFNAME
 * with sendmmsg(2), BATCH frames per call, as fast as the kernel takes them, or at RATE frames
 * per second when RATE is given and not 0 (a reader that naps costs per packet what its naps
 * cost over the packets one nap collects, so two of them compare only at the same rate).
 * usage: gen_sendmmsg IFNAME COUNT SIZE [BATCH [RATE]] */
#include "bench_common.h"
#include <sys/socket.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s IFNAME COUNT SIZE [BATCH [RATE]]\n", argv[0]); return 1; }
    const char *ifname = argv[1];
    uint64_t count = strtoull(argv[2], NULL, 10);
    int size = atoi(argv[3]);
    int batch = argc > 4 ? atoi(argv[4]) : 64;
    uint64_t rate = argc > 5 ? strtoull(argv[5], NULL, 10) : 0;
    if (size < 18 || size > 2048 || batch < 1 || batch > 1024) { fprintf(stderr, "bad size or batch\n"); return 1; }

    int fd = socket(AF_PACKET, SOCK_RAW, 0); /* protocol 0: this socket receives nothing */
    if (fd < 0) die("socket");
    struct sockaddr_ll addr = {0};
    addr.sll_family = AF_PACKET;
    addr.sll_protocol = htons(TEST_ETHERTYPE);
    addr.sll_ifindex = (int) if_nametoindex(ifname);
    addr.sll_halen = 6;
    memset(addr.sll_addr, 0xff, 6);
    if (addr.sll_ifindex == 0) die("if_nametoindex");

    uint8_t *bufs = calloc((size_t) batch, 2048);
    struct mmsghdr *msgs = calloc((size_t) batch, sizeof *msgs);
    struct iovec *iov = calloc((size_t) batch, sizeof *iov);
    for (int i = 0; i < batch; i++) {
        iov[i].iov_base = bufs + (size_t) i * 2048;
        iov[i].iov_len = (size_t) size;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_name = &addr;
        msgs[i].msg_hdr.msg_namelen = sizeof addr;
    }
    printf("READY\n");
    fflush(stdout);

    uint64_t cpu0 = cpu_ns(), wall0 = wall_ns(), sent = 0, retries = 0;
    while (sent < count) {
        int n = (int) (count - sent < (uint64_t) batch ? count - sent : (uint64_t) batch);
        for (int i = 0; i < n; i++) write_frame(bufs + (size_t) i * 2048, (uint32_t) (sent + i), size);
        int off = 0;
        while (off < n) {
            int r = sendmmsg(fd, msgs + off, (unsigned) (n - off), 0);
            if (r < 0) {
                if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) { retries++; sched_yield(); continue; }
                die("sendmmsg");
            }
            off += r;
        }
        sent += (uint64_t) n;
        if (rate > 0) {
            /* Sleep until the schedule has caught up with what was sent. */
            uint64_t due = wall0 + sent * 1000000000ull / rate;
            struct timespec until = {.tv_sec = (time_t) (due / 1000000000ull), .tv_nsec = (long) (due % 1000000000ull)};
            while (wall_ns() < due && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR) {
            }
        }
    }
    uint64_t wall = wall_ns() - wall0, cpu = cpu_ns() - cpu0;
    printf("RESULT sent=%llu wallNs=%llu cpuNs=%llu retries=%llu\n", (unsigned long long) sent,
           (unsigned long long) wall, (unsigned long long) cpu, (unsigned long long) retries);
    return 0;
}
