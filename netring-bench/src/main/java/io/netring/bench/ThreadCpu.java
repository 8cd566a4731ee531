package io.netring.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of this process and of each of its threads, JVM threads included (JIT compilers, GC,
 * the VM thread, periodic tasks): where a process's CPU goes beyond its reading thread. In
 * nanoseconds: {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)}, the clock the C consumers read,
 * and {@code /proc/self/task/TID/schedstat}. ({@code OperatingSystemMXBean.getProcessCpuTime()}
 * counts in 10 ms clock ticks: over a few million packets that is several ns a packet.)
 */
final class ThreadCpu {
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    private static final MethodHandle CLOCK_GETTIME = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("clock_gettime").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MemorySegment TIMESPEC = Arena.global().allocate(16, 8);

    private ThreadCpu() {}

    /** The whole process's CPU time (user + system) in nanoseconds. */
    static synchronized long processNanos() {
        try {
            int rc = (int) CLOCK_GETTIME.invokeExact(CLOCK_PROCESS_CPUTIME_ID, TIMESPEC);
            if (rc != 0) {
                throw new IllegalStateException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return TIMESPEC.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + TIMESPEC.get(ValueLayout.JAVA_LONG, 8);
    }

    /** CPU nanoseconds (user + system) by thread name; threads with the same name are summed. */
    static Map<String, Long> snapshot() {
        Map<String, Long> byName = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    // schedstat: time on the CPU (ns), time waiting to run (ns), timeslices.
                    long onCpu = Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                    byName.merge(name.replaceAll("\\d+$", "#"), onCpu, Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return byName;
    }

    /** {@code name=ms} for each thread group that used CPU between two snapshots, largest first. */
    static String difference(Map<String, Long> before, Map<String, Long> after) {
        Map<Long, String> sorted = new TreeMap<>((a, b) -> Long.compare(b, a));
        StringBuilder sb = new StringBuilder();
        after.forEach((name, ns) -> {
            long d = ns - before.getOrDefault(name, 0L);
            if (d > 0) {
                sorted.merge(d, name, (x, y) -> x + "+" + y);
            }
        });
        sorted.forEach((ns, name) -> sb.append(sb.isEmpty() ? "" : ",").append(name.replace(' ', '_'))
                .append('=').append(String.format(java.util.Locale.ROOT, "%.1f", ns / 1e6)).append("ms"));
        return sb.toString();
    }
}
