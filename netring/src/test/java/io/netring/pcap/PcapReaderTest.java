package io.netring.pcap;

import io.netring.CaptureStats;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.PacketDirection;
import io.netring.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapReaderTest {
    @TempDir
    Path dir;

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static void assertRecords(List<TestFiles.Rec> want, List<TestFiles.Rec> got) {
        assertEquals(want.size(), got.size(), "packet count");
        for (int i = 0; i < want.size(); i++) {
            TestFiles.Rec w = want.get(i);
            TestFiles.Rec g = got.get(i);
            assertArrayEquals(w.data(), g.data(), "bytes of packet " + i);
            assertEquals(w.seconds(), g.seconds(), "seconds of packet " + i);
            assertEquals(w.nanos(), g.nanos(), "nanos of packet " + i);
            assertEquals(w.originalLength(), g.originalLength(), "original length of packet " + i);
        }
    }

    @Test
    void classicInBothByteOrdersAndPrecisions() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(3000, 1);
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            for (boolean nanos : new boolean[] {false, true}) {
                Path p = file("c.pcap", TestFiles.classic(recs, order, nanos, 1, 65535));
                try (PcapReader r = PcapReader.open(p)) {
                    assertEquals(1, r.linkType());
                    assertEquals(65535, r.snaplen());
                    assertEquals(PcapFormat.PCAP, r.format());
                    assertEquals(nanos, r.nanosecondPrecision());
                    assertRecords(nanos ? recs : TestFiles.micros(recs), Read.all(r));
                    assertTrue(r.atEnd());
                    assertNull(r.nextBatch());
                }
            }
        }
    }

    @Test
    void pcapngSectionsByteOrdersResolutionsAndBlocks() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(40, 2);
        TestFiles.Ng ng = new TestFiles.Ng().section(ByteOrder.BIG_ENDIAN)
                .unknown(0x0BAD, 10)
                .iface(1, 0, "eth9", -1)             // microseconds by default
                .iface(1, 0, "dummy0", 9)            // nanoseconds
                .iface(1, 0, null, 0x80 | 20);       // 2^-20 seconds
        List<TestFiles.Rec> want = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            TestFiles.Rec r = recs.get(i);
            int id = i % 3;
            long ts = switch (id) {
                case 0 -> r.seconds() * 1_000_000 + r.nanos() / 1000;
                case 1 -> r.seconds() * 1_000_000_000 + r.nanos();
                default -> (r.seconds() << 20) + (long) r.nanos() * (1 << 20) / 1_000_000_000;
            };
            int nanos = switch (id) {
                case 0 -> r.nanos() / 1000 * 1000;
                case 1 -> r.nanos();
                default -> (int) (((long) r.nanos() * (1 << 20) / 1_000_000_000) * 1_000_000_000 >> 20);
            };
            ng.epb(id, ts, r.data(), r.originalLength(), i % 2 == 0 ? 2 : -1);
            want.add(new TestFiles.Rec(r.data(), r.seconds(), nanos, r.originalLength()));
        }
        ng.isb(0, 100, 7).unknown(0x40000BAD, 3);
        // A second section, the other byte order, its own interface (id 0 again).
        ng.section(ByteOrder.LITTLE_ENDIAN).iface(1, 128, "lo", 9);
        for (int i = 30; i < 40; i++) {
            TestFiles.Rec r = recs.get(i);
            ng.epb(0, r.seconds() * 1_000_000_000 + r.nanos(), r.data(), r.originalLength(), 1 | 3 << 2);
            want.add(r);
        }
        byte[] spbData = Arrays.copyOf(recs.get(0).data(), 20);
        ng.spb(spbData, 1000).isb(0, 5, 1);
        want.add(new TestFiles.Rec(spbData, 0, 0, 1000));
        Path p = file("n.pcapng", ng.bytes());
        try (PcapReader r = PcapReader.open(p)) {
            assertEquals(PcapFormat.PCAPNG, r.format());
            assertEquals(1, r.linkType());
            assertEquals("eth9", r.interfaceName(0));
            assertEquals("dummy0", r.interfaceName(1));
            assertRecords(want, Read.all(r));
            assertEquals(new CaptureStats(105, 8, 0), r.stats());
            assertEquals(CaptureStats.ZERO, r.stats());
            assertEquals("lo", r.interfaceName(0));
        }
        try (PcapReader r = PcapReader.open(p); var s = r.packets()) {
            List<PacketDirection> dirs = s.map(Packet::direction).toList();
            assertEquals(PacketDirection.OUTGOING, dirs.get(0));
            assertEquals(PacketDirection.UNKNOWN, dirs.get(1));
            assertEquals(PacketDirection.BROADCAST, dirs.get(30));
            assertEquals(PacketDirection.UNKNOWN, dirs.get(40));
        }
    }

    @Test
    void ifTsoffsetAndPicosecondsConvert() throws IOException {
        byte[] frame = TestFiles.records(1, 7).getFirst().data();
        byte[] bytes = new TestFiles.Ng().section(ByteOrder.BIG_ENDIAN)
                .iface(1, 0, null, 12, 1_000_000_000L)             // picoseconds, +1e9 s
                .epb(0, 700_000_123_456_789_012L, frame, frame.length, -1).bytes();
        List<TestFiles.Rec> got = Read.all(file("o.pcapng", bytes));
        assertEquals(1_000_000_000L + 700_000, got.getFirst().seconds());
        assertEquals(123_456_789, got.getFirst().nanos());
    }

    @Test
    void fileBatchesFollowTheRingRules() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(50, 3);
        Path p = file("c.pcap", TestFiles.classic(recs, ByteOrder.nativeOrder(), true, 1, 65535));
        try (PcapReader r = PcapReader.open(p)) {
            PacketBatch b = r.nextBatch();
            assertEquals(50, b.size());
            Packet first = b.iterator().next();
            assertEquals(new Timestamp(recs.get(0).seconds(), recs.get(0).nanos()), first.timestamp());
            assertEquals((short) 0x88B5, first.shortAt(12));
            assertEquals(0x88B5, first.protocol());
            assertArrayEquals(recs.get(0).data(), first.toOwned().data());
            IllegalStateException twice = assertThrows(IllegalStateException.class, r::nextBatch);
            assertTrue(twice.getMessage().contains("still open"), twice.getMessage());
            b.close();
            assertThrows(IllegalStateException.class, first::length);
            assertThrows(IllegalStateException.class, () -> first.shortAt(12));
            assertNull(r.nextBatch());
            assertTrue(r.atEnd());
        }
    }

    @Test
    void aBatchOpenWhenTheReaderClosesStaysReadable() throws IOException {
        Path p = file("c.pcap", TestFiles.classic(TestFiles.records(5, 4), ByteOrder.nativeOrder(), true, 1, 65535));
        PcapReader r = PcapReader.open(p);
        try (PacketBatch b = r.nextBatch()) {
            r.close();
            assertEquals(5, b.dispatch(v -> v.shortAt(12)));
        }
        assertThrows(IllegalStateException.class, r::nextBatch);
        r.close();
    }

    @Test
    void streamReadsEveryPacket() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(20_000, 5);
        Path p = file("c.pcap", TestFiles.classic(recs, ByteOrder.nativeOrder(), true, 1, 65535));
        try (PcapReader r = PcapReader.open(p); var s = r.packets()) {
            assertEquals(recs.stream().mapToLong(x -> x.data().length).sum(), s.mapToLong(Packet::length).sum());
        }
    }

    @Test
    void aDamagedRecordIsReportedAfterThePacketsBeforeIt() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(10, 6);
        byte[] full = TestFiles.classic(recs, ByteOrder.LITTLE_ENDIAN, true, 1, 65535);
        int cut = full.length - 5;
        Path p = file("cut.pcap", Arrays.copyOf(full, cut));
        long lastRecord = cut - (16 + recs.get(9).data().length - 5);
        try (PcapReader r = PcapReader.open(p)) {
            PacketBatch b = r.nextBatch();
            assertEquals(9, b.size());
            b.close();
            assertFalse(r.atEnd());
            PcapFormatException e = assertThrows(PcapFormatException.class, r::nextBatch);
            assertEquals(lastRecord, e.offset());
            assertEquals(p, e.file());
            assertTrue(e.getMessage().startsWith(p + ": offset " + lastRecord + ": record of "), e.getMessage());
        }
        try (PcapReader r = PcapReader.open(p); var s = r.packets()) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, s::count);
            assertTrue(e.getCause() instanceof PcapFormatException);
        }
    }

    @Test
    void badHeadersFailAtOpen() throws IOException {
        PcapFormatException e = assertThrows(PcapFormatException.class,
                () -> PcapReader.open(file("x", "hello world, not a capture".getBytes())));
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("not a pcap or pcapng file"), e.getMessage());
        assertThrows(PcapFormatException.class, () -> PcapReader.open(file("e", new byte[0])));
        byte[] ng = new TestFiles.Ng().section(ByteOrder.LITTLE_ENDIAN).iface(1, 0, "a", 9).bytes();
        ng[ng.length - 1] ^= 1;                              // trailing length of the IDB differs
        PcapFormatException bad = assertThrows(PcapFormatException.class, () -> PcapReader.open(file("n", ng)));
        assertTrue(bad.getMessage().contains("at the end"), bad.getMessage());
    }
}
