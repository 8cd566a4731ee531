/* libpcap baseline for filters: every expression compiled by pcap_compile (optimized, as
 * tcpdump does) for Ethernet, then pcap_offline_filter run over every frame of a pcap file held
 * in memory, ROUNDS times, measured in several batches. Prints one line per expression:
 * "EXPR<TAB>best ns per packet<TAB>median ns per packet<TAB>frames kept per round".
 * usage: filter_pcap FILE ROUNDS EXPR... */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCHES 7

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000ull + (uint64_t) t.tv_nsec;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s FILE ROUNDS EXPR...\n", argv[0]); return 1; }
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *file = pcap_open_offline(argv[1], err);
    if (!file) { fprintf(stderr, "pcap_open_offline: %s\n", err); return 2; }
    long rounds = strtol(argv[2], NULL, 10);
    size_t cap = 4096, n = 0;
    struct pcap_pkthdr *hdrs = malloc(cap * sizeof *hdrs);
    u_char **data = malloc(cap * sizeof *data);
    struct pcap_pkthdr *h;
    const u_char *bytes;
    while (pcap_next_ex(file, &h, &bytes) == 1) {
        if (n == cap) {
            cap *= 2;
            hdrs = realloc(hdrs, cap * sizeof *hdrs);
            data = realloc(data, cap * sizeof *data);
        }
        hdrs[n] = *h;
        data[n] = malloc(h->caplen ? h->caplen : 1);
        memcpy(data[n], bytes, h->caplen);
        n++;
    }
    pcap_close(file);
    pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
    for (int e = 3; e < argc; e++) {
        struct bpf_program prog;
        if (pcap_compile(dead, &prog, argv[e], 1, PCAP_NETMASK_UNKNOWN) < 0) {
            fprintf(stderr, "pcap_compile %s: %s\n", argv[e], pcap_geterr(dead));
            return 2;
        }
        volatile uint64_t sink = 0;
        uint64_t kept = 0;
        for (size_t i = 0; i < n; i++) {
            kept += pcap_offline_filter(&prog, &hdrs[i], data[i]) != 0;
        }
        for (long r = 0; r < rounds; r++) {          /* warm-up: caches and branch predictors */
            for (size_t i = 0; i < n; i++) sink += pcap_offline_filter(&prog, &hdrs[i], data[i]);
        }
        double per[BATCHES];
        for (int b = 0; b < BATCHES; b++) {
            uint64_t start = now_ns();
            for (long r = 0; r < rounds; r++) {
                for (size_t i = 0; i < n; i++) sink += pcap_offline_filter(&prog, &hdrs[i], data[i]);
            }
            per[b] = (double) (now_ns() - start) / ((double) rounds * (double) n);
        }
        qsort(per, BATCHES, sizeof per[0], by_value);
        printf("%s\t%.2f\t%.2f\t%llu\n", argv[e], per[0], per[BATCHES / 2], (unsigned long long) kept);
        pcap_freecode(&prog);
    }
    pcap_close(dead);
    return 0;
}
