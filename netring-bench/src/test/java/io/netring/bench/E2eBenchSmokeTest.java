package io.netring.bench;

import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The end-to-end harness on a tiny count: namespace made and removed, C programs built, every
 * consumer and sender run. Checks that the plumbing works, not how fast anything is.
 */
@Privileged
@Timeout(240)
@NeedsTools({ExternalTool.GCC, ExternalTool.LIBPCAP_HEADERS})
class E2eBenchSmokeTest {

    @Test
    void everyConsumerAndSenderReportsAResult() throws Exception {
        assumeFalse("1".equals(System.getenv("NETRING_IN_USERNS")), "needs `ip netns`, which a user namespace lacks");
        E2eBench bench = new E2eBench();
        bench.parse(new String[] {"--frames", "20000", "--warmup", "2000", "--tx-frames", "20000", "--tx-rounds", "2", "--no-micro",
                "--csrc", "src/main/c", "--out", "target/native-test"});
        List<Row> rows = bench.run();
        String table = ResultTable.format(rows);
        // The ring walk and 17 AF_PACKET and library receivers (three of them with Flight Recorder,
        // with it and netring's event off, and with metrics), two C AF_XDP readers (rows that say
        // why when libxdp is missing), the bare Java AF_XDP reader, three XdpRx rows; five senders.
        int receivers = 24;
        assertEquals(receivers + 5, rows.size(), table);
        for (Row r : rows) {
            assertFalse(r.note() != null && r.note().startsWith("failed"), table);
        }
        assertEquals(E2eBench.XDP_ROW, rows.get(18).name(), table);
        assertEquals(E2eBench.XDP_NAP_ROW, rows.get(20).name(), table);
        assertEquals(E2eBench.XDP_BARE_ROW, rows.get(21).name(), table);
        for (Row r : rows.subList(0, receivers)) {
            if (r.name().contains("XdpRx") || r.name().equals(E2eBench.XDP_BARE_ROW)) {
                // An AF_XDP ring holds 2048 frames, not a TPACKET_V3 ring's 256 MiB: a JVM that
                // has not compiled its loop yet loses frames in the first milliseconds, which the
                // measured runs cover with millions of warm-up frames. Here: it ran and received.
                assertTrue(r.frames() > 0, r.name() + " received frames\n" + table);
            } else if (r.name().startsWith(E2eBench.XDP_ROW)) {
                if (r.frames() >= 0) {
                    // A busy core can leave the fill ring empty for a moment: the kernel counts each such frame.
                    assertEquals(22_000, r.frames() + r.drops(), r.name() + " received or counted every frame\n" + table);
                    assertTrue(r.note().contains("native XDP"), table);
                } else {
                    assertNotNull(r.note(), "a skipped row says why\n" + table);
                }
            } else if (r.frames() >= 0 && !r.name().startsWith("pcap4j")) {
                assertEquals(22_000, r.frames(), r.name() + " received every frame\n" + table);
                assertFalse(Double.isNaN(r.cpuNsPerPacket()), table);
            }
        }
        Row injector = rows.get(receivers + 1);
        assertTrue(injector.note().startsWith("median of 2 rounds"), table);
        assertTrue(injector.note().contains("ratio per round"), "the Injector's ratio is paired by round\n" + table);
        assertEquals(20_000, rows.get(receivers + 2).frames(), "the FFM floor sender ran\n" + table);
        Row batch = rows.get(1);
        assertFalse(Double.isNaN(batch.bytesPerPacket()), table);
        assertEquals(List.of(), runningNamespaces(), "the run's namespace is gone");
    }

    private static List<String> runningNamespaces() throws Exception {
        return NetNamespace.run("ip", "netns", "list").lines().filter(l -> l.startsWith("nr-" + ProcessHandle.current().pid())).toList();
    }
}
