package io.netring.cli;

import io.netring.AbstractRxBuilder;
import io.netring.RingProfile;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Ring options shared by the capturing subcommands: {@code --profile P} and {@code -B key=value}. */
final class RingOptions {

    @Option(names = "--profile", description = "Tuning preset: ${COMPLETION-CANDIDATES}.")
    RingProfile profile;

    @Option(names = {"-B", "--ring"}, paramLabel = "KEY=VALUE",
            description = "Ring option: block-size=4M, block-count=64, frame-size=2048, block-timeout=60ms. Repeatable.")
    Map<String, String> ring = new LinkedHashMap<>();

    /**
     * Applies the options; unknown keys and malformed values are usage errors (IllegalArgumentException).
     * Values the library refuses only at {@code build()}: see {@link #inCliTerms}.
     */
    <B extends AbstractRxBuilder<B>> B applyTo(B builder) {
        if (profile != null) {
            builder.profile(profile);
        }
        for (Map.Entry<String, String> e : ring.entrySet()) {
            String value = e.getValue();
            switch (e.getKey()) {
                case "block-size" -> builder.blockSize(sizeOf(e.getKey(), value));
                case "block-count" -> builder.blockCount(intOf(e.getKey(), value));
                case "frame-size" -> builder.frameSize(sizeOf(e.getKey(), value));
                case "block-timeout" -> builder.blockTimeout(Durations.parse(value));
                default -> throw new IllegalArgumentException("unknown ring option '" + e.getKey()
                        + "' (known: block-size, block-count, frame-size, block-timeout)");
            }
        }
        return builder;
    }

    private static int intOf(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(key + "=" + value + ": not a number");
        }
    }

    /** "4M", "256K", "2048" in bytes. */
    static int sizeOf(String key, String value) {
        String v = value.trim().toUpperCase();
        int shift = 0;
        if (v.endsWith("K")) {
            shift = 10;
        } else if (v.endsWith("M")) {
            shift = 20;
        } else if (v.endsWith("G")) {
            shift = 30;
        }
        String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(key + "=" + value + ": not a size (examples: 4096, 256K, 4M)");
        }
        if (n < 0 || n > (Integer.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(key + "=" + value + ": must be between 0 and 2G");
        }
        return (int) (n << shift);
    }

    /**
     * The library's message for a builder value, in the command's terms: {@code blockSize=3000}
     * becomes {@code -B block-size=3000}, so the user sees the option they typed.
     */
    static String inCliTerms(String message) {
        String m = message;
        for (String[] name : NAMES) {
            m = m.replace(name[0] + "=", name[1] + "=").replace(name[0], name[2]);
        }
        return m;
    }

    /** Builder parameter, the CLI option that sets it (with "=" following), and its bare name. */
    private static final String[][] NAMES = {
            {"blockSize", "-B block-size", "block-size"},
            {"blockCount", "-B block-count", "block-count"},
            {"frameSize", "-B frame-size", "frame-size"},
            {"blockTimeout", "-B block-timeout", "block-timeout"},
            {"interfaceName", "--interface", "interface"},
    };

    static Duration orDefault(Duration d, Duration fallback) {
        return d == null ? fallback : d;
    }
}
