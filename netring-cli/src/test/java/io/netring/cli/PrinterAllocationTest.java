package io.netring.cli;

import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.pcap.PcapReader;
import io.netring.testing.Allocations;
import io.netring.testing.FrameCorpus;
import io.netring.testing.ProtocolCorpus;
import io.netring.testing.ProtocolCorpus.Family;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code netring capture -r FILE -n} prints every packet without allocating: the tcpdump line of
 * each protocol family, decoded and written through the reused builder and char array of
 * {@link PacketPrinter}, into a writer that keeps nothing. 100 000 packets measured after as many
 * for warm-up, by the thread's allocation counter; the bound (under 8 B per packet on average)
 * leaves room for a rare resize, not for an object per packet.
 */
@Timeout(180)
class PrinterAllocationTest {
    private static final int FRAMES = 500;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Family.class, names = {"TCP", "UDP", "ICMP", "ICMPV6", "ARP", "DNS", "OTHER"})
    void tcpdumpLinesAllocateNothingPerPacket(Family family) throws Exception {
        Path file = dir.resolve(family + ".pcap");
        FrameCorpus.writePcap(file, ProtocolCorpus.generate(family, 7L, FRAMES));
        PacketPrinter printer = PacketPrinter.tcpdump(new TcpdumpLine(false, 0, 0));
        PrintWriter out = new PrintWriter(Writer.nullWriter());
        try (PcapReader in = PcapReader.open(file); PacketBatch batch = in.nextBatch()) {
            List<Packet> packets = new ArrayList<>();
            batch.forEach(packets::add);    // the iterator's Packet objects are not the printer's: take them first
            assertTrue(packets.size() == FRAMES, "packets in the first batch: " + packets.size());
            Runnable loop = () -> {
                for (int i = 0; i < packets.size(); i++) {
                    printer.print(packets.get(i), out);
                }
            };
            int runs = 100_000 / FRAMES;
            Allocations.Measured m = Allocations.perOperation(loop, runs, runs, packets.size(), 8);
            System.out.printf("%s: %.3f B per packet%n", family, m.perOperation());
            assertTrue(m.perOperation() < 8, family + ": bytes allocated per packet: " + m);
        }
    }
}
