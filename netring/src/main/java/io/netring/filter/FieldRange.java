package io.netring.filter;

/** The range check of an instruction field, with the message every field shares: {@code name=value: rule}. */
final class FieldRange {
    private FieldRange() {}

    /** Throws IllegalArgumentException {@code "name=value: rule"} unless {@code min <= value <= max}. */
    static void check(String name, int value, int min, int max, String rule) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + "=" + value + ": " + rule);
        }
    }
}
