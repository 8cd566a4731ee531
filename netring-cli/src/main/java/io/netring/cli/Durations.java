package io.netring.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations the way people type them: {@code 500ms}, {@code 1s}, {@code 2m}, {@code 50us}. */
final class Durations {
    private Durations() {}

    private static final Pattern FORM = Pattern.compile("(\\d+)(us|ms|s|m|h)?");

    /** {@code d} as a user would type it: the largest unit that holds it whole ({@code 0s}, {@code 500ms}, {@code 2m}). */
    static String format(Duration d) {
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException huge) {
            return d.toSeconds() + "s";
        }
        String sign = nanos < 0 ? "-" : "";
        long n = Math.abs(nanos);
        if (n == 0) {
            return "0s";
        }
        long[] per = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
        String[] unit = {"h", "m", "s", "ms", "us", "ns"};
        for (int i = 0; i < per.length; i++) {
            if (n % per[i] == 0) {
                return sign + n / per[i] + unit[i];
            }
        }
        return sign + n + "ns";
    }

    static Duration parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 500ms, 1s, 2m)");
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        try {
            long n = Long.parseLong(m.group(1));
            return switch (unit) {
                case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (NumberFormatException | ArithmeticException tooLong) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration (examples: 500ms, 1s, 2m)");
        }
    }
}
