package io.netring.bench;

/** The argument check of the bench's command-line tools. */
final class Usage {
    private Usage() {}

    /** Exits with status 2 after printing {@code usage} unless there are exactly {@code count} arguments. */
    static void require(String[] args, int count, String usage) {
        if (args.length != count) {
            System.err.println("usage: " + usage);
            System.exit(2);
        }
    }
}
