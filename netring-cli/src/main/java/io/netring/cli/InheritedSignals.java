package io.netring.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes SIGINT and SIGTERM stop a capture even when the process inherited them ignored: a shell
 * that is not interactive starts {@code cmd &} with SIGINT ignored, and the JVM then leaves an
 * ignored signal alone (no shutdown hooks), so {@code kill -INT} did nothing; tcpdump stops.
 * The disposition goes back to the default through libc's {@code signal(2)}, then the JVM's
 * own handling (shutdown hooks, exit status 128 + signal) is installed as it would have been.
 */
final class InheritedSignals {
    private static final long SIG_DFL = 0;
    private static final String[] NAMES = {"INT", "TERM"};
    private static final int[] NUMBERS = {2, 15};

    private InheritedSignals() {}

    /** Handles SIGINT and SIGTERM as the JVM does by default, also when they were inherited ignored. */
    static void handleEvenIfIgnored() {
        long ignored = ignoredMask();
        for (int i = 0; i < NAMES.length; i++) {
            if ((ignored & (1L << (NUMBERS[i] - 1))) != 0) {
                handle(NAMES[i], NUMBERS[i]);
            }
        }
    }

    private static void handle(String name, int number) {
        try {
            MethodHandle signal = Linker.nativeLinker().downcallHandle(
                    Linker.nativeLinker().defaultLookup().find("signal").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MemorySegment wasIgnored = (MemorySegment) signal.invokeExact(number, MemorySegment.ofAddress(SIG_DFL));  // SIG_IGN, as SigIgn said
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> System.exit(128 + s.getNumber()));
        } catch (Throwable cannot) {
            // no native access, or the JVM keeps the signal (-Xrs): the signal stays ignored, as before
        }
    }

    /** The SigIgn mask of this process (bit n-1 for signal n), or 0 when it cannot be read. */
    private static long ignoredMask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // not Linux's /proc: nothing known to be ignored
        }
        return 0;
    }
}
