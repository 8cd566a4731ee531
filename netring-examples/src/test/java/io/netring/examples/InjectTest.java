package io.netring.examples;

import io.netring.AfPacketRx;
import io.netring.testing.FrameCollector;
import io.netring.testing.FrameSender;
import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import io.netring.testing.TestRings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The inject example, run on one end of a veth pair while the other end captures. */
class InjectTest {

    @Test
    @Privileged
    @Timeout(60)
    void sendsTheFramesItPrints() throws Exception {
        int n = 300;
        int size = 100;
        try (NetNamespace ns = NetNamespace.create()) {
            ns.run(() -> {
                // The frames are sent before they are read: room for each in a block of its own.
                try (AfPacketRx rx = AfPacketRx.builder().interfaceName(ns.b).blockSize(TestRings.BLOCK_SIZE)
                        .blockCount(TestRings.blocksFor(n)).blockTimeout(Duration.ofMillis(5)).build()) {
                    ByteArrayOutputStream text = new ByteArrayOutputStream();
                    int code = Inject.runMain(new String[] {ns.a, String.valueOf(n), String.valueOf(size)},
                            new PrintStream(text, true, StandardCharsets.UTF_8), System.err);
                    String out = text.toString(StandardCharsets.UTF_8);
                    assertEquals(0, code, out);
                    assertTrue(out.contains("injecting 300 frames of 100 bytes on " + ns.a), out);
                    assertTrue(out.contains("  #0  100 bytes  ff ff ff ff ff ff 02 00 00 00 00 01 88 b5 00 00 00 00"), out);
                    assertTrue(out.contains("sent 300 frames (0 skipped)"), out);

                    List<byte[]> got = FrameCollector.exactly(rx, n);
                    assertEquals(n, got.size());
                    for (int i = 0; i < n; i++) {
                        assertArrayEquals(FrameSender.frame(i, size), got.get(i), "frame " + i);
                    }
                }
            });
        }
    }

    @Test
    void badArgumentsPrintUsage() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, Inject.runMain(new String[0], System.out, e));
        assertEquals(2, Inject.runMain(new String[] {"eth0", "many"}, System.out, e));
        assertEquals(2, Inject.runMain(new String[] {"eth0", "0"}, System.out, e));
        assertEquals(2, Inject.runMain(new String[] {"eth0", "5", "10"}, System.out, e));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("usage: Inject INTERFACE"), text);
        assertTrue(text.contains("SIZE=10: must be at least 18"), text);
    }
}
