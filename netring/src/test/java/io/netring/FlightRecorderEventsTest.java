package io.netring;

import io.netring.filter.BpfProgram;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * netring's Flight Recorder events recorded with {@link Recording} during a capture on a veth
 * pair and read back with {@code jdk.jfr.consumer}: the periodic ring statistics (which must not
 * take counts from the user's own {@code stats()}), retired blocks, a filter swap, a TX flush.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FlightRecorderEventsTest extends NamespaceTest {
    @TempDir
    Path dir;

    @Test
    void ringStatisticsBlocksFilterSwapAndFlushAreRecorded() throws Exception {
        int n = 500;
        Path file = dir.resolve("capture.jfr");
        ns.run(() -> {
            long seenByStats = 0;
            try (Recording recording = new Recording()) {
                recording.enable("io.netring.RingStatistics").withPeriod(Duration.ofMillis(50));
                recording.enable("io.netring.BlockRetired");
                recording.enable("io.netring.FilterSwap");
                recording.enable("io.netring.TxFlushWaited").withThreshold(Duration.ZERO);
                recording.start();
                try (AfPacketRx rx = smallCaptureOnB(64);
                     Injector inj = Injector.builder().interfaceName(ns.a).build()) {
                    for (int i = 0; i < n; i++) {
                        while (!inj.send(FrameSender.frame(i, 64))) {
                            inj.flush();
                        }
                    }
                    assertTrue(inj.flushBlocking(Duration.ofSeconds(10)));
                    int got = 0;
                    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (got < n && System.nanoTime() < end) {
                        try (PacketBatch b = rx.nextBatchBlocking(Duration.ofMillis(50))) {
                            if (b != null) {
                                for (Packet p : b) {
                                    got += p.unsignedShortAt(12) == FrameSender.ETHERTYPE ? 1 : 0;
                                }
                            }
                        }
                        if (got % 100 == 0) {
                            seenByStats += rx.stats().packets();
                        }
                    }
                    assertEquals(n, got);
                    Thread.sleep(1500);         // Flight Recorder's periodic thread starts its first round after about a second
                    seenByStats += rx.stats().packets();
                    rx.setFilter(BpfProgram.compile("udp"));
                    assertTrue(rx.totalStats().packets() >= n, rx.totalStats().toString());
                    assertEquals(rx.totalStats().packets(), seenByStats,
                            "the periodic event took nothing from stats(): its deltas add up to the totals");
                    assertTrue(rx.blocksRetired() > 0);
                    assertTrue(rx.bytesRetired() >= 64L * n, "block bytes hold every frame: " + rx.bytesRetired());
                }
                recording.stop();
                recording.dump(file);
            }
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            List<RecordedEvent> stats = byName(events, "io.netring.RingStatistics");
            assertFalse(stats.isEmpty(), "periodic ring statistics");
            long maxPackets = stats.stream().mapToLong(e -> e.getLong("packets")).max().orElse(0);
            assertTrue(maxPackets >= n, "the last statistics event counts every frame: " + maxPackets);
            assertTrue(stats.stream().allMatch(e -> e.getString("interfaceName").equals(ns.b)));
            List<RecordedEvent> blocks = byName(events, "io.netring.BlockRetired");
            assertTrue(blocks.stream().mapToLong(e -> e.getInt("packets")).sum() >= n, "retired blocks hold every frame");
            List<RecordedEvent> swaps = byName(events, "io.netring.FilterSwap");
            assertEquals(1, swaps.size());
            assertEquals(ns.b, swaps.get(0).getString("interfaceName"));
            assertFalse(swaps.get(0).getString("filter").isEmpty());
            List<RecordedEvent> flushes = byName(events, "io.netring.TxFlushWaited");
            assertTrue(flushes.stream().anyMatch(e -> e.getBoolean("drained") && e.getString("interfaceName").equals(ns.a)),
                    "the flush that waited");
        });
    }

    @Test
    void aLinkThatGoesDownIsRecorded() throws Exception {
        Path file = dir.resolve("down.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("io.netring.InterfaceDown");
            recording.start();
            try (AfPacketRx rx = smallCaptureOnB(4)) {
                ns.ip("link", "set", ns.b, "down");
                NetringException down = org.junit.jupiter.api.Assertions.assertThrows(NetringException.class,
                        () -> rx.nextBatchBlocking(Duration.ofSeconds(5)));
                assertTrue(down.getMessage().contains("went down"), down.getMessage());
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> downs = byName(RecordingFile.readAllEvents(file), "io.netring.InterfaceDown");
        assertEquals(1, downs.size());
        assertEquals(ns.b, downs.get(0).getString("interfaceName"));
    }

    private static List<RecordedEvent> byName(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }
}
