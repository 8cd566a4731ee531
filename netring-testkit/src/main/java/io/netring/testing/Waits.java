package io.netring.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Deadline-bounded waits for tests: they poll for the condition a test needs instead of
 * sleeping for a time that is long enough only on an idle machine.
 */
public final class Waits {
    private Waits() {}

    /** Waits until {@code condition} holds; throws an AssertionError naming {@code what} after {@code within}. */
    public static void until(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + within + ": " + what);
            }
            Thread.sleep(5);
        }
    }

    /**
     * Waits until {@code thread} runs inside {@code method} of the class named {@code className}
     * (e.g. "io.netring.internal.linux.Syscalls", "poll"): it has got as far as that call.
     */
    public static void untilInside(Thread thread, String className, String method, Duration within)
            throws InterruptedException {
        until(() -> Arrays.stream(thread.getStackTrace())
                        .anyMatch(f -> f.getClassName().equals(className) && f.getMethodName().equals(method)),
                within, thread + " inside " + className + "." + method);
    }
}
