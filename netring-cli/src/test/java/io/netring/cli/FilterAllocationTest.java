package io.netring.cli;

import io.netring.testing.Allocations;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.PacketHandler;
import io.netring.pcap.PcapReader;
import io.netring.testing.FrameCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The filter of {@code netring capture -r FILE EXPRESSION} runs on every packet of the file in
 * place: {@link FilterOptions#keeps} allocates nothing, over dispatched views and over packets.
 * Measured with the thread's allocation counter after warm-up, again until clean within a
 * deadline; not a timing.
 */
class FilterAllocationTest {
    @TempDir
    Path dir;

    private long kept;

    @Test
    void keepsAllocatesNothingPerPacket() throws Exception {
        Path file = dir.resolve("corpus.pcap");
        FrameCorpus.writePcap(file, FrameCorpus.generate(3, 800));
        FilterOptions filter = new FilterOptions();
        filter.words = List.of("tcp", "port", "80", "or", "(udp", "and", "not", "host", "10.0.0.1)", "or", "vlan");
        filter.program();
        try (PcapReader in = PcapReader.open(file); PacketBatch batch = in.nextBatch()) {
            List<Packet> packets = new ArrayList<>();
            batch.forEach(packets::add);    // the iterator's Packet objects are not the filter's: take them first
            assertTrue(packets.size() >= 100, "packets in the first batch: " + packets.size());
            PacketHandler viaView = v -> kept += filter.keeps(v) ? 1 : 0;
            Runnable viaPacket = () -> {
                for (int i = 0; i < packets.size(); i++) {
                    kept += filter.keeps(packets.get(i)) ? 1 : 0;
                }
            };
            for (Runnable loop : List.<Runnable>of(() -> batch.dispatch(viaView), viaPacket)) {
                // warm-up: let the JIT compile the path
                Allocations.Measured m = Allocations.perOperation(loop, 2_000, 500, packets.size(), 0.01);
                assertTrue(m.perOperation() < 0.01, "bytes allocated per packet: " + m);
            }
            assertTrue(kept > 0, "the expression keeps some corpus packets");
        }
    }
}
