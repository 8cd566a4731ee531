package io.netring.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations the way people type them: {@code 500ms}, {@code 1s}, {@code 2m}, {@code 50us}. */
final class Durations {
    private Durations() {}

    private static final Pattern FORM = Pattern.compile("(\\d+)(us|ms|s|m|h)?");

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
