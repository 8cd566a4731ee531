package io.netring.pcap;

import io.netring.Packet;
import io.netring.PacketBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PcapWriter#transferFrom}: the copy without batches writes byte for byte what the
 * batch loop writes, for every kind of classic input and every record it hands back to the
 * batch path (to cut, larger than the buffer, damaged), and stops where it is told.
 */
class PcapTransferTest {
    @TempDir
    Path dir;

    private int files;

    /** The output of a writer with {@code snaplen} and a 64 KiB buffer, filled by {@code copy}. */
    private byte[] write(byte[] input, PcapFormat format, int snaplen, Copy copy) throws IOException {
        Path in = dir.resolve("in-" + files);
        Path out = dir.resolve("out-" + files++);
        Files.write(in, input);
        try (PcapReader r = PcapReader.open(in); PcapWriter w = PcapWriter.builder(out).format(format)
                .addInterface(new PcapInterface("e0", 1, snaplen)).bufferSize(1 << 16).build()) {
            copy.copy(r, w);
        }
        return Files.readAllBytes(out);
    }

    private interface Copy {
        void copy(PcapReader in, PcapWriter out) throws IOException;
    }

    /** The reference: every batch through {@link PcapWriter#write(PacketBatch)}, at most {@code max} packets. */
    private static Copy batches(long max) {
        return (in, w) -> {
            long n = 0;
            for (PacketBatch next = in.nextBatch(); next != null && n < max; next = in.nextBatch()) {
                try (PacketBatch b = next) {
                    for (Packet p : b) {
                        if (n++ == max) {
                            break;
                        }
                        w.write(p);
                    }
                }
            }
        };
    }

    private static Copy transfer(long max, long expected) {
        return (in, w) -> assertEquals(expected, w.transferFrom(in, max));
    }

    private static List<TestFiles.Rec> recordsWithBigOnes() {
        List<TestFiles.Rec> recs = new ArrayList<>(TestFiles.records(3000, 77));
        byte[] big = new byte[100_000];                 // larger than the 64 KiB output buffer
        Arrays.fill(big, (byte) 0x5A);
        recs.add(1234, new TestFiles.Rec(big, recs.get(1234).seconds(), recs.get(1234).nanos(), big.length));
        recs.add(recs.get(2500));
        return recs;
    }

    @Test
    void copiesEveryClassicKindAsTheBatchLoopDoes() throws IOException {
        List<TestFiles.Rec> recs = recordsWithBigOnes();
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            for (boolean nanos : new boolean[] {false, true}) {
                byte[] input = TestFiles.classic(recs, order, nanos, 1, 262144);
                for (PcapFormat format : PcapFormat.values()) {
                    byte[] expected = write(input, format, 262144, batches(Long.MAX_VALUE));
                    byte[] actual = write(input, format, 262144, transfer(Long.MAX_VALUE, recs.size()));
                    assertArrayEquals(expected, actual, order + " nanos=" + nanos + " " + format);
                }
            }
        }
    }

    @Test
    void cutsToTheSnaplenAsTheBatchLoopDoes() throws IOException {
        byte[] input = TestFiles.classic(recordsWithBigOnes(), ByteOrder.LITTLE_ENDIAN, true, 1, 262144);
        assertArrayEquals(write(input, PcapFormat.PCAP, 100, batches(Long.MAX_VALUE)),
                write(input, PcapFormat.PCAP, 100, transfer(Long.MAX_VALUE, 3002)));
    }

    @Test
    void carriesAnUnnormalisedFractionIntoTheSeconds() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(50, 5);
        byte[] input = TestFiles.classic(recs, ByteOrder.LITTLE_ENDIAN, false, 1, 262144);
        ByteBuffer b = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        int at = 24;
        for (int i = 0; i < 20; i++) {
            at += 16 + b.getInt(at + 8);
        }
        b.putInt(at + 4, 3_250_000);                    // 3.25 s written as microseconds
        assertArrayEquals(write(input, PcapFormat.PCAP, 262144, batches(Long.MAX_VALUE)),
                write(input, PcapFormat.PCAP, 262144, transfer(Long.MAX_VALUE, 50)));
    }

    @Test
    void stopsAfterMaxPackets() throws IOException {
        byte[] input = TestFiles.classic(recordsWithBigOnes(), ByteOrder.BIG_ENDIAN, false, 1, 262144);
        for (long max : new long[] {0, 1, 1234, 1235, 2999}) {
            assertArrayEquals(write(input, PcapFormat.PCAP, 262144, batches(max)),
                    write(input, PcapFormat.PCAP, 262144, transfer(max, max)), "max=" + max);
        }
    }

    @Test
    void damageIsReportedAfterTheRecordsBeforeItWereWritten() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(2000, 9);
        byte[] whole = TestFiles.classic(recs, ByteOrder.LITTLE_ENDIAN, false, 1, 262144);
        byte[] cut = Arrays.copyOf(whole, whole.length - 7);
        Path in = dir.resolve("cut.pcap");
        Path out = dir.resolve("cut-out.pcap");
        Files.write(in, cut);
        long offset;
        try (PcapReader r = PcapReader.open(in); PcapWriter w = PcapWriter.builder(out).build()) {
            PcapFormatException e = assertThrows(PcapFormatException.class, () -> w.transferFrom(r, Long.MAX_VALUE));
            assertEquals(in, e.file());
            offset = e.offset();
            assertEquals(1999, w.packetsWritten());
            assertTrue(e.getMessage().contains("runs past the end of the file"), e.getMessage());
        }
        assertEquals(whole.length - 16 - recs.getLast().data().length, offset);
        assertArrayEquals(Arrays.copyOf(write(whole, PcapFormat.PCAP, 262144, batches(1999)), (int) Files.size(out)),
                Files.readAllBytes(out));
    }

    @Test
    void refusesWhileABatchOfTheReaderIsOpen() throws IOException {
        Path in = dir.resolve("open.pcap");
        Files.write(in, TestFiles.classic(TestFiles.records(10, 1), ByteOrder.LITTLE_ENDIAN, false, 1, 262144));
        try (PcapReader r = PcapReader.open(in); PcapWriter w = PcapWriter.builder(dir.resolve("o.pcap")).build();
             PacketBatch b = r.nextBatch()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.transferFrom(r, 5));
            assertTrue(e.getMessage().contains("still open"), e.getMessage());
            assertEquals(10, b.size());
        }
    }

    @Test
    void rotatingWriterTransfersWithAndWithoutRotation() throws IOException {
        Path in = dir.resolve("rot.pcap");
        Files.write(in, TestFiles.classic(TestFiles.records(15000, 3), ByteOrder.LITTLE_ENDIAN, true, 1, 262144));
        try (PcapReader r = PcapReader.open(in);
             RotatingPcapWriter w = RotatingPcapWriter.open(PcapWriter.builder(dir.resolve("plain.pcap")),
                     PcapRotation.tcpdump(null, null, null))) {
            assertEquals(15000, w.transferFrom(r, Long.MAX_VALUE));
        }
        try (PcapReader r = PcapReader.open(in);
             RotatingPcapWriter w = RotatingPcapWriter.open(PcapWriter.builder(dir.resolve("size.pcap")),
                     PcapRotation.tcpdump(1L, null, null))) {
            assertEquals(12000, w.transferFrom(r, 12000));
        }
        List<TestFiles.Rec> expected = Read.all(in);
        List<TestFiles.Rec> actual = Read.all(dir.resolve("plain.pcap"));
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).data(), actual.get(i).data());
            assertEquals(expected.get(i).seconds(), actual.get(i).seconds());
            assertEquals(expected.get(i).nanos(), actual.get(i).nanos());
        }
        assertTrue(Files.exists(dir.resolve("size.pcap1")), "rotated by size");
    }

    /** The whole input, written in both formats: the transfers below read each of them. */
    private Path[] inputs(List<TestFiles.Rec> recs) throws IOException {
        Path classic = dir.resolve("steps.pcap");
        Files.write(classic, TestFiles.classic(recs, ByteOrder.LITTLE_ENDIAN, true, 1, 262144));
        Path ng = dir.resolve("steps.pcapng");
        try (PcapReader r = PcapReader.open(classic); PcapWriter w = PcapWriter.open(ng, PcapFormat.PCAPNG)) {
            for (PacketBatch next = r.nextBatch(); next != null; next = r.nextBatch()) {
                try (PacketBatch b = next) {
                    w.write(b);
                }
            }
        }
        return new Path[] {classic, ng};
    }

    private static void assertSameRecords(List<TestFiles.Rec> expected, List<TestFiles.Rec> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).data(), actual.get(i).data(), what + " record " + i);
            assertEquals(expected.get(i).nanos(), actual.get(i).nanos(), what + " record " + i);
        }
    }

    /** A limit that ends inside a batch leaves the rest of that batch for the next call: a loop of small steps writes every record. */
    @Test
    void aLoopOfSmallStepsWritesEveryRecordInEveryFormatPair() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(30_000, 11);
        for (Path in : inputs(recs)) {
            for (PcapFormat format : PcapFormat.values()) {
                Path out = dir.resolve("steps-out-" + files++);
                long total = 0;
                try (PcapReader r = PcapReader.open(in); PcapWriter w = PcapWriter.open(out, format)) {
                    long k;
                    while ((k = w.transferFrom(r, 1000)) > 0) {
                        assertTrue(k <= 1000, "k=" + k);
                        total += k;
                    }
                }
                assertEquals(recs.size(), total, in.getFileName() + " -> " + format);
                assertSameRecords(recs, Read.all(out), in.getFileName() + " -> " + format);
            }
        }
    }

    @Test
    void aLoopOfSmallStepsThroughRotationWritesEveryRecord() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(30_000, 12);
        for (Path in : inputs(recs)) {
            Path template = dir.resolve("rot-" + in.getFileName());
            long total = 0;
            try (PcapReader r = PcapReader.open(in);
                 RotatingPcapWriter w = RotatingPcapWriter.open(PcapWriter.builder(template),
                         PcapRotation.tcpdump(1L, null, null))) {
                long k;
                while ((k = w.transferFrom(r, 1000)) > 0) {
                    total += k;
                }
            }
            assertEquals(recs.size(), total, in.getFileName().toString());
            List<TestFiles.Rec> written = new ArrayList<>(Read.all(template));
            for (int i = 1; Files.exists(Path.of(template + "" + i)); i++) {
                written.addAll(Read.all(Path.of(template + "" + i)));
            }
            assertTrue(Files.exists(Path.of(template + "1")), "rotated by size");
            assertSameRecords(recs, written, in.getFileName().toString());
        }
    }

    @Test
    void nextBatchTakesAtMostTheRecordsAskedFor() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(500, 13);
        for (Path in : inputs(recs)) {
            try (PcapReader r = PcapReader.open(in)) {
                try (PacketBatch b = r.nextBatch(7)) {
                    assertEquals(7, b.size());
                }
                try (PacketBatch b = r.nextBatch()) {
                    assertEquals(493, b.size());
                }
                assertThrows(IllegalArgumentException.class, () -> r.nextBatch(0));
            }
        }
    }
}
