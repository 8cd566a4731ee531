package io.netring.examples;

/** Tiny argument helpers shared by the examples (they take positional arguments only). */
final class Args {
    private Args() {}

    /** The first argument, or a usage message and exit code 2 when it is missing. */
    static String interfaceName(String[] args, String usage) {
        if (args.length == 0 || args[0].startsWith("-")) {
            System.err.println("usage: bin/example " + usage);
            System.exit(2);
        }
        return args[0];
    }

    /** Argument {@code index} as a positive number, or {@code fallback} when absent. */
    static long number(String[] args, int index, long fallback) {
        if (args.length <= index) {
            return fallback;
        }
        try {
            long n = Long.parseLong(args[index]);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        System.err.println("argument " + (index + 1) + " must be a positive number, was '" + args[index] + "'");
        System.exit(2);
        return fallback;
    }
}
