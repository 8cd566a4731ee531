package io.netring;

import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link AfPacketRx#blocksWaiting()}: blocks the kernel filled that the reader has not given back. */
@Timeout(30)
class RingFillTest extends NamespaceTest {
    @Test
    void blocksWaitingRisesUnreadAndFallsOnceRead() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = smallCaptureOnB(8); FrameSender tx = new FrameSender(ns.a)) {
                assertEquals(0, rx.blocksWaiting());
                tx.sendSequence(0, 200, 1000);           // ~3 blocks of 64 KiB, retired by fill or the 5 ms timeout
                Waits.until(() -> rx.blocksWaiting() >= 3, Duration.ofSeconds(10), "filled blocks wait for the reader");
                assertTrue(rx.blocksWaiting() <= rx.blockCount());
                for (int i = 0; i < 20 && rx.blocksWaiting() > 0; i++) {
                    try (PacketBatch b = rx.nextBatchBlocking(Duration.ofMillis(50))) {
                        // given back unread
                    }
                }
                assertEquals(0, rx.blocksWaiting(), "every block handed back");
                rx.close();
                assertThrows(IllegalStateException.class, rx::blocksWaiting);
            }
        });
    }
}
