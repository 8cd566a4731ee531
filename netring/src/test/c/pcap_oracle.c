/*
 * The libpcap oracle of the filter tests: compiles each expression read from stdin (one per
 * line) as `tcpdump -r` does (DLT_EN10MB, optimizer on, netmask 0) and runs it over every
 * frame of FRAMES_FILE with pcap_offline_filter.
 *
 * FRAMES_FILE: repeated { uint32 caplen, uint32 wirelen (little endian), caplen bytes }.
 * Output, one line per expression:
 *   OK <instruction count> <one 0/1 verdict per frame>
 *   ERR <libpcap's error message>   (ERR TIMEOUT when libpcap takes over 3 s: its
 *   optimizer can be that slow, and protochain's backward-jumping loop can spin forever over AH)
 * With -p, also prints the program after the OK line as "code jt jf k" lines, then "END".
 */
#include <pcap/pcap.h>
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct frame {
    struct pcap_pkthdr hdr;
    unsigned char *data;
};

static struct frame *read_frames(const char *path, size_t *count) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    size_t cap = 256, n = 0;
    struct frame *frames = malloc(cap * sizeof *frames);
    uint32_t lens[2];
    while (fread(lens, sizeof lens, 1, f) == 1) {
        if (n == cap) { cap *= 2; frames = realloc(frames, cap * sizeof *frames); }
        frames[n].hdr.caplen = lens[0];
        frames[n].hdr.len = lens[1];
        frames[n].hdr.ts.tv_sec = 0;
        frames[n].hdr.ts.tv_usec = 0;
        frames[n].data = malloc(lens[0] ? lens[0] : 1);
        if (lens[0] && fread(frames[n].data, lens[0], 1, f) != 1) { fprintf(stderr, "short frame\n"); exit(2); }
        n++;
    }
    fclose(f);
    *count = n;
    return frames;
}

/* Gives up on an expression after a few seconds (see TIMEOUT above). */
static sigjmp_buf too_slow;

static void on_alarm(int sig) {
    (void) sig;
    siglongjmp(too_slow, 1);
}

int main(int argc, char **argv) {
    int print_program = argc > 2 && strcmp(argv[2], "-p") == 0;
    if (argc < 2) { fprintf(stderr, "usage: pcap_oracle FRAMES_FILE [-p] < expressions\n"); return 2; }
    size_t nframes;
    struct frame *frames = read_frames(argv[1], &nframes);
    pcap_t *p = pcap_open_dead(DLT_EN10MB, 262144);
    static char line[1 << 20];
    char *verdicts = malloc(nframes + 1);
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        struct bpf_program prog;
        signal(SIGALRM, on_alarm);
        if (sigsetjmp(too_slow, 1)) {
            printf("ERR TIMEOUT libpcap took too long\n");
            fflush(stdout);
            p = pcap_open_dead(DLT_EN10MB, 262144);
            continue;
        }
        alarm(3);
        int rc = pcap_compile(p, &prog, line, 1, 0);
        if (rc != 0) {
            alarm(0);
            printf("ERR %s\n", pcap_geterr(p));
            fflush(stdout);
            continue;
        }
        for (size_t i = 0; i < nframes; i++) {
            verdicts[i] = pcap_offline_filter(&prog, &frames[i].hdr, frames[i].data) ? '1' : '0';
        }
        verdicts[nframes] = 0;
        alarm(0);
        printf("OK %u %s\n", prog.bf_len, verdicts);
        if (print_program) {
            for (unsigned i = 0; i < prog.bf_len; i++) {
                struct bpf_insn *in = &prog.bf_insns[i];
                printf("%u %u %u %u\n", in->code, in->jt, in->jf, in->k);
            }
            printf("END\n");
        }
        fflush(stdout);
        pcap_freecode(&prog);
    }
    return 0;
}
