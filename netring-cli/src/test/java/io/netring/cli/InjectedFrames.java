package io.netring.cli;

import io.netring.AfPacketRx;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.testing.FrameSender;

import java.lang.foreign.ValueLayout;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What {@code netring inject} sent, read back on the peer: sequence-numbered frames, in order. */
final class InjectedFrames {
    private InjectedFrames() {}

    /** Reads until {@code count} test frames of {@code size} bytes came, numbered 0 up, or 30 s passed. */
    static void expectInOrder(AfPacketRx rx, int count, int size) throws Exception {
        int next = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (next < count && System.nanoTime() < deadline) {
            try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofMillis(100))) {
                if (batch == null) {
                    continue;
                }
                for (Packet p : batch) {
                    byte[] bytes = p.data().toArray(ValueLayout.JAVA_BYTE);
                    if (FrameSender.sequenceOf(bytes) >= 0) {
                        assertEquals(next, FrameSender.sequenceOf(bytes));
                        assertEquals(size, bytes.length);
                        next++;
                    }
                }
            }
        }
        assertEquals(count, next, "frames seen on the peer, in order");
    }
}
