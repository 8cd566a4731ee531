package io.netring.pcap;

import io.netring.PacketBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record longer than its link type allows (262 144 bytes for Ethernet) is damage, refused at
 * its own offset after every packet before it, as tcpdump and tshark refuse it; a record longer
 * than the header's snaplen but within that limit is read, as they read it.
 */
class RecordLengthLimitTest {
    private static final int TOO_LONG = 300_000;

    @TempDir
    Path dir;

    /** Two small records, one of {@code length} bytes, two small ones. */
    private static List<TestFiles.Rec> withOneOf(int length) {
        List<TestFiles.Rec> recs = new ArrayList<>(TestFiles.records(4, 31));
        TestFiles.Rec third = recs.get(2);
        recs.add(2, new TestFiles.Rec(new byte[length], third.seconds(), third.nanos(), length));
        return recs;
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** The offset of record {@code index} in a classic file of {@code recs}. */
    private static long classicOffset(List<TestFiles.Rec> recs, int index) {
        long at = ClassicPcapParser.FILE_HEADER_SIZE;
        for (int i = 0; i < index; i++) {
            at += ClassicPcapParser.RECORD_HEADER_SIZE + recs.get(i).data().length;
        }
        return at;
    }

    /** Reads to the error: how many packets came before it, and the error. */
    private static PcapFormatException readToError(PcapReader r, int[] delivered) {
        return assertThrows(PcapFormatException.class, () -> {
            for (PacketBatch next = r.nextBatch(); next != null; next = r.nextBatch()) {
                try (PacketBatch b = next) {
                    delivered[0] += b.size();
                }
            }
        });
    }

    @Test
    void aClassicRecordOverTheLinkTypesMaximumIsRefusedAtItsOffset() throws IOException {
        List<TestFiles.Rec> recs = withOneOf(TOO_LONG);
        for (int snaplen : new int[] {0, 65535, 262144, 1 << 20}) {
            Path p = file("long-" + snaplen + ".pcap", TestFiles.classic(recs, ByteOrder.LITTLE_ENDIAN, false, 1, snaplen));
            int[] delivered = {0};
            try (PcapReader r = PcapReader.open(p)) {
                PcapFormatException e = readToError(r, delivered);
                assertEquals(2, delivered[0], "snaplen " + snaplen);
                assertEquals(classicOffset(recs, 2), e.offset(), "snaplen " + snaplen);
                assertEquals(p + ": offset " + classicOffset(recs, 2) + ": record of 300000 captured bytes: more than "
                        + "the 262144 a packet of link type 1 can have", e.getMessage());
            }
        }
    }

    @Test
    void theCopyWithoutBatchesStopsAtTheSameRecord() throws IOException {
        List<TestFiles.Rec> recs = withOneOf(TOO_LONG);
        Path p = file("copy.pcap", TestFiles.classic(recs, ByteOrder.BIG_ENDIAN, true, 1, 262144));
        try (PcapReader r = PcapReader.open(p); PcapWriter w = PcapWriter.open(dir.resolve("out.pcap"), PcapFormat.PCAP)) {
            PcapFormatException e = assertThrows(PcapFormatException.class, () -> w.transferFrom(r, Long.MAX_VALUE));
            assertEquals(classicOffset(recs, 2), e.offset());
            assertEquals(2, w.packetsWritten());
        }
    }

    @Test
    void aRecordOverTheSnaplenButWithinTheMaximumIsReadAsTcpdumpReadsIt() throws IOException {
        List<TestFiles.Rec> recs = withOneOf(200);
        Path p = file("over-snaplen.pcap", TestFiles.classic(recs, ByteOrder.LITTLE_ENDIAN, false, 1, 100));
        assertEquals(5, Read.all(p).size());
        assertEquals(200, Read.all(p).get(2).data().length);
    }

    @Test
    void linkTypesWithLargerPacketsKeepTheirMaximum() throws IOException {
        List<TestFiles.Rec> recs = withOneOf(TOO_LONG);
        int usbLinux = 189;
        Path p = file("usb.pcap", TestFiles.classic(recs, ByteOrder.LITTLE_ENDIAN, false, usbLinux, 1 << 20));
        assertEquals(TOO_LONG, Read.all(p).get(2).data().length);
    }

    @Test
    void aPcapngPacketOverTheMaximumIsRefusedAtItsBlock() throws IOException {
        List<TestFiles.Rec> recs = withOneOf(TOO_LONG);
        TestFiles.Ng ng = new TestFiles.Ng().section(ByteOrder.LITTLE_ENDIAN).iface(1, 0, "eth0", 9);
        int before = ng.bytes().length;
        for (int i = 0; i < 2; i++) {
            ng.epb(0, recs.get(i).seconds() * 1_000_000_000L, recs.get(i).data(), recs.get(i).originalLength(), -1);
        }
        long third = ng.bytes().length;
        for (int i = 2; i < recs.size(); i++) {
            ng.epb(0, recs.get(i).seconds() * 1_000_000_000L, recs.get(i).data(), recs.get(i).originalLength(), -1);
        }
        assertTrue(third > before);
        Path p = file("long.pcapng", ng.bytes());
        int[] delivered = {0};
        try (PcapReader r = PcapReader.open(p)) {
            PcapFormatException e = readToError(r, delivered);
            assertEquals(2, delivered[0]);
            assertEquals(third, e.offset());
            assertTrue(e.getMessage().endsWith("packet of 300000 captured bytes: more than the 262144 a packet of link "
                    + "type 1 can have"), e.getMessage());
        }
    }
}
