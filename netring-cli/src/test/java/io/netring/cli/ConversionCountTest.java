package io.netring.cli;

import io.netring.PacketBatch;
import io.netring.PacketDirection;
import io.netring.Timestamp;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapReader;
import io.netring.pcap.PcapWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code capture -r IN -w OUT} over a file far longer than one copy step (65 536 packets): every
 * packet arrives, in order, in every format pair, with a count and with rotation; capinfos
 * counts them.
 */
@Timeout(120)
class ConversionCountTest {
    private static final int PACKETS = 300_000;
    private static final ValueLayout.OfInt INDEX = ValueLayout.JAVA_INT_UNALIGNED;
    private static final int INDEX_OFFSET = 14;

    @TempDir
    static Path dir;
    private static Path pcap;
    private static Path pcapng;

    @BeforeAll
    static void inputs() throws IOException {
        ReferenceTools.require("capinfos");
        pcap = generate("in.pcap", PcapFormat.PCAP);
        pcapng = generate("in.pcapng", PcapFormat.PCAPNG);
    }

    /** {@link #PACKETS} 60-byte frames carrying their index, 1 ms apart. */
    private static Path generate(String name, PcapFormat format) throws IOException {
        Path p = dir.resolve(name);
        MemorySegment frame = MemorySegment.ofArray(new byte[60]);
        frame.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 12, (short) 0x88B5);
        try (PcapWriter w = PcapWriter.open(p, format)) {
            for (int i = 0; i < PACKETS; i++) {
                frame.set(INDEX, INDEX_OFFSET, i);
                w.write(frame, 0, 60, 60, new Timestamp(1_700_000_000L + i / 1000, i % 1000 * 1_000_000),
                        PacketDirection.HOST);
            }
        }
        return p;
    }

    private static void convert(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = NetringCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, String.join(" ", args) + ": " + err);
        assertEquals("", out.toString());
    }

    /** Every file whose name starts with {@code prefix}: the first and the rotated ones. */
    private static List<Path> files(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }

    /** The packets of {@code files}, in order, carry the indexes 0, 1, 2, ... */
    private static void assertInOrder(List<Path> files, long expected) throws IOException {
        long next = 0;
        for (Path f : files) {
            try (PcapReader r = PcapReader.open(f)) {
                for (PacketBatch b = r.nextBatch(); b != null; b = r.nextBatch()) {
                    try (PacketBatch batch = b) {
                        for (var p : batch) {
                            assertEquals(next, p.data().get(INDEX, INDEX_OFFSET), f + " packet " + next);
                            next++;
                        }
                    }
                }
            }
        }
        assertEquals(expected, next);
    }

    @Test
    void everyFormatPairKeepsEveryPacket() throws IOException {
        for (Path in : List.of(pcap, pcapng)) {
            for (String ext : List.of("pcap", "pcapng")) {
                String name = "pair-" + in.getFileName() + "." + ext;
                convert("capture", "-r", in.toString(), "-w", dir.resolve(name).toString());
                assertEquals(PACKETS, ReferenceTools.capinfosPackets(files(name)), name);
            }
        }
        assertInOrder(List.of(dir.resolve("pair-in.pcapng.pcap")), PACKETS);
    }

    @Test
    void aCountPastOneStepTakesThePacketsInOrder() throws IOException {
        for (Path in : List.of(pcap, pcapng)) {
            String name = "count-" + in.getFileName() + ".pcapng";
            convert("capture", "-r", in.toString(), "-w", dir.resolve(name).toString(), "-c", "70000");
            assertEquals(70_000, ReferenceTools.capinfosPackets(files(name)), name);
            assertInOrder(files(name), 70_000);
        }
    }

    @Test
    void rotationKeepsEveryPacket() throws IOException {
        convert("capture", "-r", pcap.toString(), "-w", dir.resolve("size.pcap").toString(), "-C", "2");
        List<Path> bySize = files("size.pcap");
        assertTrue(bySize.size() >= 10, bySize.toString());
        assertEquals(PACKETS, ReferenceTools.capinfosPackets(bySize));

        convert("capture", "-r", pcapng.toString(), "-w", dir.resolve("ring.pcapng").toString(), "-C", "5", "-W", "20");
        assertEquals(PACKETS, ReferenceTools.capinfosPackets(files("ring.pcapng")));

        convert("capture", "-r", pcap.toString(), "-w", dir.resolve("time.pcapng").toString(), "-G", "3600",
                "-W", "3", "-c", "250000");
        List<Path> byTime = files("time.pcapng");
        assertEquals(250_000, ReferenceTools.capinfosPackets(byTime));
        assertInOrder(byTime, 250_000);
    }
}
