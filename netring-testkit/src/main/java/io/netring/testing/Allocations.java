package io.netring.testing;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Bytes a code path allocates per operation, counted by the thread's allocation counter (not a
 * timing). A per-operation allocation shows in every measurement, JIT warm-up only in the first
 * ones, and on a loaded machine the compiler may take a while: so it warms up, measures, and
 * measures again until a measurement is under the limit or a minute has passed.
 */
public final class Allocations {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private Allocations() {}

    /** The last measurement: bytes per operation and bytes in total. */
    public record Measured(double perOperation, long total) {
        @Override
        public String toString() {
            return perOperation + " (" + total + " in total)";
        }
    }

    /**
     * Runs {@code loop} {@code warmUpRuns} times, then {@code measuredRuns} times counting the
     * bytes allocated, each run being {@code operationsPerRun} operations; again until a
     * measurement is below {@code limit} bytes per operation or the deadline has passed.
     */
    public static Measured perOperation(Runnable loop, int warmUpRuns, int measuredRuns, long operationsPerRun,
                                        double limit) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Measured m;
        do {
            for (int i = 0; i < warmUpRuns; i++) {
                loop.run();
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < measuredRuns; i++) {
                loop.run();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            m = new Measured((double) allocated / (measuredRuns * operationsPerRun), allocated);
        } while (m.perOperation() >= limit && System.nanoTime() - deadline < 0);
        return m;
    }
}
