package io.netring.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a pcap of application traffic for the reassembly and application-layer benchmarks:
 * {@code count} frames of many concurrent sessions ({@link AppSessions}: HTTP, TLS, DNS, fragmented
 * UDP over varied addresses and ports), 256 of them open at any time and their frames interleaved
 * at random, stamped 1 to 20 microseconds apart. Deterministic for a given count.
 *
 * <pre>java ... io.netring.bench.AppTrafficGenerator app.pcap 1000000</pre>
 */
public final class AppTrafficGenerator {
    private static final int OPEN_SESSIONS = 256;

    private AppTrafficGenerator() {}

    public static void main(String[] args) throws IOException {
        Usage.require(args, 2, "AppTrafficGenerator FILE COUNT");
        long sessions = write(Path.of(args[0]), Long.parseLong(args[1]));
        System.out.println(args[0] + ": " + args[1] + " frames of " + sessions + " sessions");
    }

    /** Writes {@code count} frames to {@code file}; returns how many sessions were started. */
    static long write(Path file, long count) throws IOException {
        Random random = new Random(23);
        List<List<byte[]>> open = new ArrayList<>();
        int[] next = new int[OPEN_SESSIONS];
        long started = 0;
        long usec = 1_700_000_000L * 1_000_000L;
        try (ClassicPcapOut out = new ClassicPcapOut(file)) {
            for (long written = 0; written < count; written++) {
                while (open.size() < OPEN_SESSIONS) {
                    next[open.size()] = 0;
                    open.add(AppSessions.session(started++, random));
                }
                int k = random.nextInt(OPEN_SESSIONS);
                List<byte[]> session = open.get(k);
                usec += 1 + random.nextInt(20);
                out.write(usec, session.get(next[k]++));
                if (next[k] == session.size()) {
                    // the last slot's session takes the finished one's place
                    int last = open.size() - 1;
                    open.set(k, open.get(last));
                    next[k] = next[last];
                    open.remove(last);
                }
            }
        }
        return started;
    }
}
