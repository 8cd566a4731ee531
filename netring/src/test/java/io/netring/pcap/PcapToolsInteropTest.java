package io.netring.pcap;

import io.netring.CaptureStats;
import io.netring.PacketBatch;
import io.netring.PacketDirection;
import io.netring.Timestamp;
import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files we write are read by tcpdump and Wireshark's tools; files they write (and big-endian
 * files of our own generator, cross-checked against tshark) read back identical.
 */
@NeedsTools({ExternalTool.TCPDUMP, ExternalTool.TSHARK, ExternalTool.CAPINFOS, ExternalTool.EDITCAP})
class PcapToolsInteropTest {
    private static final int COUNT = 300;

    @TempDir
    Path dir;

    private static String epoch(TestFiles.Rec r) {
        return new Timestamp(r.seconds(), r.nanos()).toString();
    }

    private Path ours(String name, PcapFormat format, List<TestFiles.Rec> recs) throws IOException {
        Path p = dir.resolve(name);
        try (PcapWriter w = PcapWriter.builder(p).format(format)
                .addInterface(PcapInterface.ethernet("veth-test"))
                .statistics(() -> new CaptureStats(COUNT + 5, 5, 0)).build()) {
            for (TestFiles.Rec r : recs) {
                w.write(MemorySegment.ofArray(r.data()), 0, r.data().length, r.originalLength(),
                        new Timestamp(r.seconds(), r.nanos()), PacketDirection.HOST);
            }
        }
        return p;
    }

    @Test
    void ourFilesAreReadByTcpdumpCapinfosAndTshark() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(COUNT, 11);
        for (PcapFormat format : PcapFormat.values()) {
            Path p = ours("ours." + format.name().toLowerCase(), format, recs);
            String f = p.toString();
            // tcpdump adds hex lines for the unknown EtherType: count the packet lines.
            List<String> tcpdump = Tools.run(ExternalTool.TCPDUMP, "-r", f, "-nn", "-tt", "--nano").stream()
                    .filter(l -> l.matches("^\\d+\\.\\d{9} .*")).toList();
            assertEquals(COUNT, tcpdump.size(), format + ": tcpdump's lines");
            assertTrue(tcpdump.getFirst().startsWith(epoch(recs.getFirst()) + " "), tcpdump.getFirst());
            String info = String.join("\n", Tools.run(ExternalTool.CAPINFOS, "-M", f));
            assertTrue(info.contains("Number of packets:   " + COUNT), info);
            assertTrue(info.contains("nanoseconds (9)"), info);
            List<String> fields = Tools.run(ExternalTool.TSHARK, "-r", f, "-T", "fields", "-e", "frame.time_epoch",
                    "-e", "frame.len", "-e", "frame.cap_len", "-e", "frame.interface_name");
            assertEquals(COUNT, fields.size());
            for (int i = 0; i < COUNT; i++) {
                TestFiles.Rec r = recs.get(i);
                String name = format == PcapFormat.PCAPNG ? "veth-test" : "";
                assertEquals((epoch(r) + "\t" + r.originalLength() + "\t" + r.data().length + "\t" + name).strip(),
                        fields.get(i).strip(), format + " packet " + i);
            }
            if (format == PcapFormat.PCAPNG) {
                assertTrue(info.contains("Capture application: netring"), info);
                assertTrue(info.contains("Name = veth-test"), info);
                assertTrue(info.contains("Number of stat entries = 1"), info);
            }
        }
    }

    @Test
    void filesOfTcpdumpTsharkAndEditcapReadBackIdentical() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(COUNT, 12);
        Path micro = dir.resolve("base-us.pcap");
        Files.write(micro, TestFiles.classic(recs, ByteOrder.LITTLE_ENDIAN, false, 1, 262144));
        Path nano = dir.resolve("base-ns.pcap");
        Files.write(nano, TestFiles.classic(recs, ByteOrder.LITTLE_ENDIAN, true, 1, 262144));
        String us = micro.toString();
        String ns = nano.toString();
        record Made(String name, boolean nanos, ExternalTool tool, String... args) {}
        List<Made> made = List.of(
                new Made("tcpdump-us.pcap", false, ExternalTool.TCPDUMP, "-r", us, "-w", dir.resolve("tcpdump-us.pcap").toString()),
                new Made("tcpdump-ns.pcap", true, ExternalTool.TCPDUMP, "--time-stamp-precision=nano", "-r", ns, "-w",
                        dir.resolve("tcpdump-ns.pcap").toString()),
                new Made("editcap-us.pcapng", false, ExternalTool.EDITCAP, "-F", "pcapng", us, dir.resolve("editcap-us.pcapng").toString()),
                new Made("editcap-ns.pcapng", true, ExternalTool.EDITCAP, "-F", "pcapng", ns, dir.resolve("editcap-ns.pcapng").toString()),
                new Made("editcap-ns.pcap", true, ExternalTool.EDITCAP, "-F", "nsecpcap", ns, dir.resolve("editcap-ns.pcap").toString()),
                new Made("editcap-us.pcap", false, ExternalTool.EDITCAP, "-F", "pcap", ns, dir.resolve("editcap-us.pcap").toString()),
                new Made("tshark.pcapng", true, ExternalTool.TSHARK, "-r", ns, "-F", "pcapng", "-w", dir.resolve("tshark.pcapng").toString()),
                new Made("tshark.pcap", false, ExternalTool.TSHARK, "-r", us, "-F", "pcap", "-w", dir.resolve("tshark.pcap").toString()));
        for (Made m : made) {
            Tools.run(m.tool(), m.args());
            List<TestFiles.Rec> got = Read.all(dir.resolve(m.name()));
            assertSame(m.nanos() ? recs : TestFiles.micros(recs), got, m.name());
        }
    }

    @Test
    void bigEndianFilesOfOurGeneratorAgreeWithTshark() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(COUNT, 13);
        Path classic = dir.resolve("be.pcap");
        Files.write(classic, TestFiles.classic(recs, ByteOrder.BIG_ENDIAN, true, 1, 262144));
        TestFiles.Ng ng = new TestFiles.Ng().section(ByteOrder.BIG_ENDIAN).iface(1, 0, "be0", 9);
        for (TestFiles.Rec r : recs) {
            ng.epb(0, r.seconds() * 1_000_000_000L + r.nanos(), r.data(), r.originalLength(), -1);
        }
        Path pcapng = dir.resolve("be.pcapng");
        Files.write(pcapng, ng.bytes());
        for (Path p : List.of(classic, pcapng)) {
            List<TestFiles.Rec> got = Read.all(p);
            assertSame(recs, got, p.getFileName().toString());
            List<String> fields = Tools.run(ExternalTool.TSHARK, "-r", p.toString(), "-T", "fields", "-e", "frame.time_epoch",
                    "-e", "frame.len", "-e", "data.data");
            assertEquals(COUNT, fields.size());
            for (int i = 0; i < COUNT; i++) {
                assertTrue(fields.get(i).startsWith(epoch(got.get(i)) + "\t" + got.get(i).originalLength()),
                        p + " packet " + i + ": tshark says " + fields.get(i));
            }
        }
    }

    @Test
    void pcapToPcapngToPcapIsByteIdentical() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(5000, 14);
        byte[] original = TestFiles.classic(recs, ByteOrder.nativeOrder(), true, 1, 262144);
        Path a = dir.resolve("a.pcap");
        Files.write(a, original);
        Path b = dir.resolve("b.pcapng");
        Path c = dir.resolve("c.pcap");
        convert(a, b, PcapFormat.PCAPNG);
        convert(b, c, PcapFormat.PCAP);
        assertArrayEquals(original, Files.readAllBytes(c));
        assertSame(recs, Read.all(b), "the pcapng in between");
        List<String> times = Tools.run(ExternalTool.TSHARK, "-r", b.toString(), "-T", "fields", "-e", "frame.time_epoch");
        for (int i = 0; i < recs.size(); i++) {
            assertEquals(epoch(recs.get(i)), times.get(i));
        }
    }

    static void convert(Path from, Path to, PcapFormat format) throws IOException {
        try (PcapReader r = PcapReader.open(from);
             PcapWriter w = PcapWriter.builder(to).format(format)
                     .addInterface(new PcapInterface(null, r.linkType(), r.snaplen())).build()) {
            for (PacketBatch next = r.nextBatch(); next != null; next = r.nextBatch()) {
                try (PacketBatch batch = next) {
                    w.write(batch);
                }
            }
        }
    }

    private static void assertSame(List<TestFiles.Rec> want, List<TestFiles.Rec> got, String what) {
        assertEquals(want.size(), got.size(), what + ": packet count");
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i).data(), got.get(i).data(), what + ": bytes of packet " + i);
            assertEquals(want.get(i).seconds(), got.get(i).seconds(), what + ": seconds of packet " + i);
            assertEquals(want.get(i).nanos(), got.get(i).nanos(), what + ": nanoseconds of packet " + i);
            assertEquals(want.get(i).originalLength(), got.get(i).originalLength(), what + ": length of packet " + i);
        }
    }
}
