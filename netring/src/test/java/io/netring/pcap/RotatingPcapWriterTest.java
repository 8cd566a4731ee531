package io.netring.pcap;

import io.netring.OwnedPacket;
import io.netring.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RotatingPcapWriterTest {
    @TempDir
    Path dir;

    private static final OwnedPacket PACKET = new OwnedPacket(new byte[1000], new Timestamp(1_700_000_000L, 5), 1000);

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static long packets(Path p) throws IOException {
        return Read.all(p).size();
    }

    @Test
    void bySizeNamesLikeTcpdump() throws IOException {
        // -C with 1 MB = 1,000,000 bytes: each file takes packets until it is larger than that.
        PcapRotation c = new PcapRotation(10_000, null, 0);
        try (RotatingPcapWriter w = new RotatingPcapWriter(PcapWriter.builder(dir.resolve("cap")), c, () -> 0)) {
            for (int i = 0; i < 35; i++) {
                w.write(PACKET);
            }
        }
        assertEquals(List.of("cap", "cap1", "cap2", "cap3"), files());
        assertEquals(10, packets(dir.resolve("cap")));
        assertEquals(5, packets(dir.resolve("cap3")));
    }

    @Test
    void aRingOfFilesReusesNumberedNames() throws IOException {
        PcapRotation cw = new PcapRotation(10_000, null, 3);
        try (RotatingPcapWriter w = new RotatingPcapWriter(PcapWriter.builder(dir.resolve("r.pcapng"))
                .format(PcapFormat.PCAPNG), cw, () -> 0)) {
            for (int i = 0; i < 45; i++) {
                w.write(PACKET);
            }
        }
        assertEquals(List.of("r.pcapng0", "r.pcapng1", "r.pcapng2"), files());
        assertEquals(5, packets(dir.resolve("r.pcapng1")));      // the fifth file reused the name
        assertEquals(10, packets(dir.resolve("r.pcapng2")));
    }

    @Test
    void byTimeWithStrftimeNamesAndAFileLimit() throws IOException {
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        PcapRotation g = new PcapRotation(0, Duration.ofSeconds(10), 2);
        try (RotatingPcapWriter w = new RotatingPcapWriter(PcapWriter.builder(dir.resolve("t-%Y%m%d-%H%M%S.pcap")),
                g, clock::get)) {
            w.write(PACKET);
            clock.addAndGet(9_999);
            w.write(PACKET);
            clock.addAndGet(1);
            w.write(PACKET);                                   // second file
            assertFalse(w.finished());
            clock.addAndGet(10_000);
            w.write(PACKET);                                   // a third file is over the limit
            assertTrue(w.finished());
        }
        var zone = ZoneId.systemDefault();
        String first = Strftime.format("t-%Y%m%d-%H%M%S.pcap", Instant.ofEpochMilli(1_700_000_000_000L).atZone(zone));
        String second = Strftime.format("t-%Y%m%d-%H%M%S.pcap", Instant.ofEpochMilli(1_700_000_010_000L).atZone(zone));
        assertEquals(List.of(first, second), files());
        assertEquals(2, packets(dir.resolve(first)));
        assertEquals(1, packets(dir.resolve(second)));
    }

    @Test
    void strftimeConversions() {
        var t = Instant.parse("2026-03-04T05:06:07Z").atZone(ZoneId.of("UTC"));
        assertEquals("2026-03-04 05:06:07 26 063 1772600767 Mar %q %", Strftime.format("%F %T %y %j %s %b %q %%", t));
    }

    @Test
    void rotationValidation() {
        assertThrows(IllegalArgumentException.class, () -> new PcapRotation(-1, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new PcapRotation(0, Duration.ZERO, 0));
        assertThrows(IllegalArgumentException.class, () -> new PcapRotation(0, null, 3));
        assertEquals(new PcapRotation(2_000_000, Duration.ofSeconds(30), 4), PcapRotation.tcpdump(2L, 30L, 4));
    }
}
