package io.netring.kafka;

import io.netring.PacketBatch;

import java.time.Duration;

/** Reading a topic in tests: every batch handed to a check until the reader is at its end. */
final class Batches {
    private Batches() {}

    interface Check {
        void accept(PacketBatch batch) throws Exception;
    }

    /** Batches of {@code in} to {@code check} until {@link KafkaPacketReader#atEnd()}, for at most 60 s. */
    static void untilEnd(KafkaPacketReader in, Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!in.atEnd() && System.nanoTime() < deadline) {
            try (PacketBatch b = in.nextBatchBlocking(Duration.ofMillis(500))) {
                if (b != null) {
                    check.accept(b);
                }
            }
        }
    }
}
