package io.netring.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netring.AfPacketRx;
import io.netring.CaptureStats;
import io.netring.Injector;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.flow.FlowExtractor;
import io.netring.flow.FlowTable;
import io.netring.testing.FrameCollector;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import io.netring.testing.UdpFrames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The binders on a real capture and injector on a veth pair: the registry's counters against the
 * frames sent and the kernel's statistics, which the application still gets whole from stats().
 */
@Privileged
@Timeout(60)
class MetricsBindersTest extends NamespaceTest {

    @Test
    void captureAndInjectorCountersFollowTheTraffic() throws Exception {
        int n = 400;
        ns.run(() -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (AfPacketRx rx = smallCaptureOnB(64); Injector inj = Injector.builder().interfaceName(ns.a).build()) {
                new CaptureMetrics(rx, "0").bindTo(registry);
                new InjectorMetrics(inj, ns.a).bindTo(registry);
                for (int i = 0; i < n; i++) {
                    while (!inj.send(FrameSender.frame(i, 64))) {
                        inj.flush();
                    }
                }
                assertTrue(inj.flushBlocking(Duration.ofSeconds(10)));
                int got = 0;
                long statsPackets = 0;
                long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (got < n && System.nanoTime() < end) {
                    try (PacketBatch b = rx.nextBatchBlocking(Duration.ofMillis(50))) {
                        if (b != null) {
                            for (Packet p : b) {
                                got += p.unsignedShortAt(12) == FrameSender.ETHERTYPE ? 1 : 0;
                            }
                        }
                    }
                    registry.find("netring.packets").functionCounter().count();   // a scrape meanwhile
                    statsPackets += rx.stats().packets();
                }
                assertEquals(n, got);
                Thread.sleep(150);                 // past the binder's 100 ms between kernel reads
                double packets = registry.get("netring.packets").tag("interface", ns.b).tag("member", "0")
                        .functionCounter().count();
                statsPackets += rx.stats().packets();
                CaptureStats totals = rx.totalStats();
                assertTrue(packets >= n, "netring.packets " + packets);
                assertEquals(totals.packets(), statsPackets, "stats() deltas add up to the totals: the binder took none");
                assertTrue(packets <= totals.packets());
                assertEquals(0, registry.get("netring.drops").functionCounter().count());
                assertTrue(registry.get("netring.blocks").functionCounter().count() > 0);
                assertTrue(registry.get("netring.bytes").functionCounter().count() >= 64.0 * n);
                double fill = registry.get("netring.ring.fill").gauge().value();
                assertTrue(fill >= 0 && fill <= 1, "ring fill " + fill);
                assertEquals(n, registry.get("netring.tx.sent").tag("interface", ns.a).functionCounter().count());
                assertEquals(0, registry.get("netring.tx.skipped").functionCounter().count());
            }
        });
    }

    /**
     * {@code new CaptureMetrics(rx).bindTo(registry)} keeps no reference to the binder; the
     * registry holds its state object weakly. After collections the counters still follow the
     * capture (they read 0 for ever when the binder itself was the weakly held state).
     */
    @Test
    void metricsBoundWithoutKeepingTheBinderSurviveCollection() throws Exception {
        int n = 50;
        ns.run(() -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (AfPacketRx rx = smallCaptureOnB(16)) {
                new CaptureMetrics(rx, null).bindTo(registry);
                for (int i = 0; i < 5; i++) {
                    System.gc();
                    Thread.sleep(20);
                }
                try (FrameSender tx = new FrameSender(ns.a)) {
                    tx.sendSequence(0, n, 64);
                }
                assertEquals(n, FrameCollector.collect(rx, n, Duration.ofSeconds(20)).size());
                System.gc();
                Thread.sleep(150);                 // past the binder's 100 ms between kernel reads
                double packets = registry.get("netring.packets").tag("interface", ns.b).functionCounter().count();
                assertTrue(packets >= n, "netring.packets " + packets + " after collections");
            }
        });
    }

    @Test
    void flowTableGaugesAndCounters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Object> records = new ArrayList<>();
        FlowTable table = FlowTable.builder().maxFlows(2).onRecord(records::add).build();
        new FlowTableMetrics(table, "main").bindTo(registry);
        FlowExtractor extract = new FlowExtractor();
        for (int flow = 0; flow < 3; flow++) {          // three flows into a table of two: one evicted
            byte[] f = UdpFrames.frame(40000 + flow, 53, 0, 64);
            assertTrue(extract.extract(MemorySegment.ofArray(f), 0, f.length, f.length, 1_000_000_000L * (flow + 1), -1));
            table.add(extract.fields());
        }
        assertEquals(2, registry.get("netring.flows.active").tag("table", "main").gauge().value());
        assertEquals(1, registry.get("netring.flows.evictions").functionCounter().count());
        assertEquals(records.size(), registry.get("netring.flows.records").functionCounter().count());
        assertEquals(1, records.size());
    }
}
