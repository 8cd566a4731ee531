package io.netring;

import java.time.Duration;

/** Turning the Durations callers pass into the deadlines the waiting loops use. */
final class Deadlines {
    private Deadlines() {}

    /** {@code d} in nanoseconds; a Duration too long for a long means "practically forever". */
    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2;
        }
    }
}
