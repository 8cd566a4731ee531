package io.netring;

import java.time.Duration;
import java.time.Instant;

/**
 * A kernel timestamp: seconds since the epoch and nanoseconds within the second.
 * {@link #toString()} prints {@code sec.nnnnnnnnn}, as tcpdump's {@code -tt --nano} does.
 */
public record Timestamp(long seconds, int nanos) implements Comparable<Timestamp> {

    /**
     * Checks the nanoseconds; throws {@link IllegalArgumentException} when they are outside 0 to
     * 999 999 999.
     */
    public Timestamp {
        if (nanos < 0 || nanos > 999_999_999) {
            throw new IllegalArgumentException("nanos=" + nanos + ": must be in [0, 999999999]");
        }
    }

    /** The same moment as an {@link Instant}. */
    public Instant toInstant() {
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** Time since the epoch as a Duration (handy for differences between packets). */
    public Duration toDuration() {
        return Duration.ofSeconds(seconds, nanos);
    }

    /** Nanoseconds since the epoch (fits a long until the year 2262). */
    public long toEpochNanos() {
        return seconds * 1_000_000_000L + nanos;
    }

    @Override
    public int compareTo(Timestamp o) {
        int c = Long.compare(seconds, o.seconds);
        return c != 0 ? c : Integer.compare(nanos, o.nanos);
    }

    @Override
    public String toString() {
        String n = Integer.toString(nanos);
        return seconds + "." + "000000000".substring(n.length()) + n;
    }
}
