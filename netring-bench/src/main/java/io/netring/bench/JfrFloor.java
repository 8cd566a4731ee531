package io.netring.bench;

import java.util.Locale;
import java.util.Map;

/**
 * What Flight Recorder costs a JVM that has no netring in it: one thread busy in Java (summing a
 * 4 MiB array) for a number of seconds, then one {@code RESULT} line with the process's, the busy
 * thread's and the recorder's own threads' CPU per second. Run once with
 * {@code -XX:StartFlightRecording} and once without; the difference is the floor any Java
 * program pays for the JDK's default recording, against which netring's own events are judged.
 */
public final class JfrFloor {
    private static final int[] DATA = new int[1 << 20];
    private static volatile long sink;

    private JfrFloor() {}

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        busy(2e9);                                      // compiled and in steady state first
        Map<String, Long> before = ThreadCpu.snapshot();
        long process = ThreadCpu.processNanos();
        long start = System.nanoTime();
        busy(seconds * 1e9);
        long wall = System.nanoTime() - start;
        long processUsed = ThreadCpu.processNanos() - process;
        Map<String, Long> after = ThreadCpu.snapshot();
        long main = after.getOrDefault("java", 0L) - before.getOrDefault("java", 0L);
        long jfr = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            if (e.getKey().startsWith("JFR")) {
                jfr += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            }
        }
        double perSecond = 1e9 / wall;
        System.out.printf(Locale.ROOT, "RESULT recording=%s process=%.2fms/s busy-thread=%.2fms/s recorder-threads=%.2fms/s%n",
                System.getProperty("jdk.jfr.recording", String.valueOf(isRecording())), processUsed / 1e6 * perSecond,
                main / 1e6 * perSecond, jfr / 1e6 * perSecond);
        System.out.println("THREADS " + ThreadCpu.difference(before, after));
    }

    private static boolean isRecording() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-XX:StartFlightRecording"));
    }

    private static void busy(double nanos) {
        long end = System.nanoTime() + (long) nanos;
        long sum = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < DATA.length; i++) {
                sum += DATA[i] ^ i;
            }
        }
        sink = sum;
    }
}
