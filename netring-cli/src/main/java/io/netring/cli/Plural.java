package io.netring.cli;

/** Counts in summaries as people write them: {@code 1 packet}, {@code 2 packets}, {@code 1 flow record}. */
final class Plural {
    private Plural() {}

    /** {@code n} and {@code noun}, with an "s" unless {@code n} is 1. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
