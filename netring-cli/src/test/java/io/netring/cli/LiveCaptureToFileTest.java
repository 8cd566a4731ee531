package io.netring.cli;

import io.netring.CaptureStats;
import io.netring.Packet;
import io.netring.PacketDirection;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapReader;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code netring capture -i vB -w x.pcapng} on a veth pair in a namespace made for the test. */
@Privileged
@Timeout(60)
class LiveCaptureToFileTest extends NamespaceTest {
    @TempDir
    Path dir;

    @Test
    void aLiveCaptureWritesAPcapngWithInterfaceNameDirectionAndStatistics() throws Exception {
        Path file = dir.resolve("live.pcapng");
        AtomicReference<Integer> code = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        StringWriter err = new StringWriter();
        AtomicInteger sent = new AtomicInteger();
        ns.run(() -> {
            Thread cli = Thread.ofPlatform().start(() -> {
                try {
                    code.set(NetringCommand.run(new String[] {"capture", "-i", ns.b, "-c", "500", "-w", file.toString(),
                            "-B", "block-size=64K", "-B", "block-count=16"},
                            new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            try (FrameSender tx = new FrameSender(ns.a)) {
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (cli.isAlive() && System.nanoTime() < deadline) {
                    tx.send(FrameSender.frame(sent.getAndIncrement(), 60));
                    if (sent.get() % 100 == 0) {
                        Thread.sleep(5);
                    }
                }
            }
            cli.join(5_000);
        });
        assertNull(failure.get());
        assertEquals(0, code.get(), err.toString());
        try (PcapReader r = PcapReader.open(file)) {
            assertEquals(PcapFormat.PCAPNG, r.format());
            assertEquals(1, r.linkType());
            assertEquals(ns.b, r.interfaceName(0));
            int[] seen = new int[1];
            int[] previous = {-1};
            try (var s = r.packets()) {
                s.forEach(p -> {
                    assertEquals(FrameSender.ETHERTYPE, Short.toUnsignedInt(p.shortAt(12)));
                    assertEquals(PacketDirection.BROADCAST, p.direction());   // FrameSender sends to ff:ff:ff:ff:ff:ff
                    int seq = FrameSender.sequenceOf(p.toOwned().data());
                    assertTrue(seq > previous[0], "sequence " + seq + " after " + previous[0]);
                    previous[0] = seq;
                    seen[0]++;
                });
            }
            assertEquals(500, seen[0]);
            CaptureStats isb = r.stats();
            assertTrue(isb.packets() >= 500 && isb.packets() <= sent.get(), "isb_ifrecv " + isb);
            assertEquals(0, isb.drops());
        }
        assertEquals(500, StderrLines.count(err.toString(), "captured"), err.toString());
    }
}
