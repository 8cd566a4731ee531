/* libpcap baseline: pcap_dispatch in non-blocking mode after poll(2) on the selectable fd,
 * with a 256 MiB buffer (the size of the C floor's ring) and a 60 ms timeout. Same stop rule
 * and CPU window as rx_ringwalk.
 * usage: rx_pcap IFNAME TOTAL WARMUP IDLE_MS */
#include "bench_common.h"
#include <poll.h>
#include <pcap/pcap.h>

struct state {
    struct frame_check c;
    struct cpu_window w;
};

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes) {
    struct state *s = (struct state *) user;
    window_observe(&s->w, s->c.frames);
    check_frame(&s->c, bytes, h->caplen);
}

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: %s IFNAME TOTAL WARMUP IDLE_MS\n", argv[0]); return 1; }
    char err[PCAP_ERRBUF_SIZE];
    uint64_t total = strtoull(argv[2], NULL, 10);
    struct state s = {.c = {.expected = -1}, .w = {.warmup = strtoull(argv[3], NULL, 10)}};
    uint64_t idle_ns = strtoull(argv[4], NULL, 10) * 1000000ull;

    pcap_t *p = pcap_create(argv[1], err);
    if (!p) { fprintf(stderr, "pcap_create: %s\n", err); return 2; }
    pcap_set_snaplen(p, 65535);
    pcap_set_timeout(p, 60);
    pcap_set_buffer_size(p, 256 << 20);
    if (pcap_activate(p) < 0) { fprintf(stderr, "pcap_activate: %s\n", pcap_geterr(p)); return 2; }
    if (pcap_setnonblock(p, 1, err) < 0) { fprintf(stderr, "pcap_setnonblock: %s\n", err); return 2; }
    struct pollfd pfd = {.fd = pcap_get_selectable_fd(p), .events = POLLIN};
    printf("READY\n");
    fflush(stdout);

    uint64_t last_progress = wall_ns();
    while (!run_done(&s.c, total)) {
        int r = pcap_dispatch(p, -1, on_packet, (u_char *) &s);
        if (r < 0) { fprintf(stderr, "pcap_dispatch: %s\n", pcap_geterr(p)); return 2; }
        if (r > 0) { last_progress = wall_ns(); continue; }
        if (s.c.frames > 0 && wall_ns() - last_progress > idle_ns) break;
        if (s.c.frames == 0 && wall_ns() - last_progress > 20 * idle_ns) break;
        poll(&pfd, 1, 100);
    }
    uint64_t cpu_end = cpu_ns(), wall_end = window_wall_end(&s.c, total, last_progress);
    struct pcap_stat st = {0};
    pcap_stats(p, &st);
    uint64_t measured = s.w.started ? s.c.frames - s.w.warmup : 0;
    printf("RESULT received=%llu drops=%u gaps=%llu firstSeq=%lld lastSeq=%lld measured=%llu cpuNs=%llu wallNs=%llu\n",
           (unsigned long long) s.c.frames, st.ps_drop, (unsigned long long) s.c.gaps, (long long) s.c.first, (long long) s.c.expected - 1, (unsigned long long) measured,
           (unsigned long long) (s.w.started ? cpu_end - s.w.cpu_start : 0),
           (unsigned long long) (s.w.started ? wall_end - s.w.wall_start : 0));
    pcap_close(p);
    return 0;
}
