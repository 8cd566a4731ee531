package io.netring.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The {@link FlowTableBench} passes timed by this thread's CPU time instead of wall time, so
 * that other work on a busy machine does not count: prints CPU ns per packet and the packets
 * per second of one core for the realistic mix and for known flows only.
 * Run: {@code java -cp netring-bench/target/classes:netring-bench/target/lib/* io.netring.bench.FlowCpuCost [seconds]}
 */
public final class FlowCpuCost {
    private FlowCpuCost() {}

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        FlowTableBench bench = new FlowTableBench();
        bench.flows = 100_000;
        bench.setUp();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (String row : new String[] {"realisticMix", "existingFlows"}) {
            long packets = 0;
            long cpu0 = mx.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            while (System.nanoTime() - wall0 < (long) (seconds * 1e9)) {
                packets += row.equals("realisticMix") ? bench.realisticMix() : bench.existingFlows();
            }
            double ns = (mx.getCurrentThreadCpuTime() - cpu0) / (double) packets;
            System.out.printf("%-14s %6.1f CPU ns/packet  %5.2f M packets/s per core  (%d packets)%n", row, ns, 1e3 / ns, packets);
        }
    }
}
