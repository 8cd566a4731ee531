package io.netring.cli;

/**
 * Keeps the Kafka client quiet on the command's stderr (slf4j-simple): without a broker it
 * warns several times a second, and at INFO it prints its whole configuration for every
 * producer and consumer. The command says itself, in one line, what went wrong; Kafka's own
 * warnings come with {@code --verbose}. Set before the first Kafka class logs; a level the user
 * set with {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} wins.
 */
final class KafkaLogLevel {
    private static final String LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private KafkaLogLevel() {}

    /** Kafka's logging off, or at warnings with {@code verbose}. */
    static void set(boolean verbose) {
        if (System.getProperty(LEVEL) == null) {
            System.setProperty(LEVEL, verbose ? "warn" : "off");
        }
    }
}
