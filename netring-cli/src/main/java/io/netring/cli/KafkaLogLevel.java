package io.netring.cli;

/**
 * Keeps the Kafka client to warnings on the command's stderr (slf4j-simple): at INFO it prints
 * its whole configuration for every producer and consumer it opens. Call it before the first
 * Kafka class logs; a level the user set with {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} wins.
 */
final class KafkaLogLevel {
    private static final String LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private KafkaLogLevel() {}

    static void warningsOnly() {
        if (System.getProperty(LEVEL) == null) {
            System.setProperty(LEVEL, "warn");
        }
    }
}
