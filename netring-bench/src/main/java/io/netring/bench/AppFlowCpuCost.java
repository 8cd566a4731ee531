package io.netring.bench;

import com.sun.management.ThreadMXBean;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A flows run with application metadata ({@link AppPipeline}: defragmentation, flow table, TCP
 * reassembly, HTTP/TLS/DNS) over a classic pcap held in memory (mapped, its records indexed before
 * timing), timed by the thread's CPU time and the whole process's. Each pass is a whole run with a
 * fresh pipeline (a second pass through the same one would see only retransmissions); the first
 * passes warm the JIT. Prints every pass, then the median of the passes after the warm-up.
 *
 * <pre>java ... io.netring.bench.AppFlowCpuCost app.pcap [PASSES] [WARMUP]</pre>
 */
public final class AppFlowCpuCost {
    private static final ValueLayout.OfInt HOST_INT = ValueLayout.JAVA_INT_UNALIGNED;

    private AppFlowCpuCost() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 3) {
            Usage.require(args, 1, "AppFlowCpuCost FILE [PASSES] [WARMUP]");
        }
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        try (Arena arena = Arena.ofShared(); FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ)) {
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            Records records = Records.index(file);
            ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            double[] cpu = new double[passes - warmup], proc = new double[passes - warmup], bytes = new double[passes - warmup];
            for (int pass = 0; pass < passes; pass++) {
                AppPipeline p = new AppPipeline();
                long alloc0 = mx.getCurrentThreadAllocatedBytes();
                long proc0 = ThreadCpu.processNanos();
                long cpu0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < records.count; i++) {
                    p.frame(file, records.offset[i], records.length[i], records.wire[i], records.time[i]);
                }
                p.finish();
                long cpuNs = mx.getCurrentThreadCpuTime() - cpu0;
                long procNs = ThreadCpu.processNanos() - proc0;
                long allocated = mx.getCurrentThreadAllocatedBytes() - alloc0;
                double n = records.count;
                System.out.printf("pass %d%s: %d packets, %.1f CPU ns/packet (process %.1f), %.1f B/packet, %.2f M packets/s per core; "
                                + "%d flow records, %d TCP streams, %d HTTP requests, %d TLS hellos, %d DNS messages%n",
                        pass + 1, pass < warmup ? " (warm-up)" : "", records.count, cpuNs / n, procNs / n, allocated / n,
                        n * 1e3 / cpuNs, p.records(), p.tcp().counters().streamsOpened(), p.httpRequests, p.tlsHellos,
                        p.dnsMessages);
                if (pass >= warmup) {
                    cpu[pass - warmup] = cpuNs / n;
                    proc[pass - warmup] = procNs / n;
                    bytes[pass - warmup] = allocated / n;
                }
            }
            System.out.printf("median of %d passes: %.1f CPU ns/packet (process %.1f), %.1f B/packet: %.2f M packets/s per core "
                    + "(process: %.2f)%n", cpu.length, median(cpu), median(proc), median(bytes), 1e3 / median(cpu), 1e3 / median(proc));
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    /** Where each record's frame lies in the mapped file, with its lengths and time. */
    private record Records(int count, long[] offset, int[] length, int[] wire, long[] time) {
        /** Indexes a classic pcap in host order (as the generators write), microseconds or nanoseconds. */
        static Records index(MemorySegment file) {
            int magic = file.get(HOST_INT, 0);
            if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
                throw new IllegalArgumentException("not a host-order classic pcap: magic 0x" + Integer.toHexString(magic));
            }
            long fraction = magic == 0xa1b2c3d4 ? 1_000 : 1;
            int n = 0;
            for (long at = 24; at + 16 <= file.byteSize(); at += 16 + file.get(HOST_INT, at + 8)) {
                n++;
            }
            Records r = new Records(n, new long[n], new int[n], new int[n], new long[n]);
            long at = 24;
            for (int i = 0; i < n; i++) {
                r.time[i] = (file.get(HOST_INT, at) & 0xFFFF_FFFFL) * 1_000_000_000L
                        + (file.get(HOST_INT, at + 4) & 0xFFFF_FFFFL) * fraction;
                r.length[i] = file.get(HOST_INT, at + 8);
                r.wire[i] = file.get(HOST_INT, at + 12);
                r.offset[i] = at + 16;
                at += 16 + r.length[i];
            }
            return r;
        }
    }
}
