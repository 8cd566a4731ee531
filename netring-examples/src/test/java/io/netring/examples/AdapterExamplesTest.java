package io.netring.examples;

import io.netring.testing.FrameSender;
import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/** Runs the Channel and Async examples on a veth pair while frames arrive, and checks what they print. */
@Privileged
@Timeout(60)
class AdapterExamplesTest {
    private NetNamespace ns;
    private Thread traffic;
    private final AtomicBoolean stop = new AtomicBoolean();

    @BeforeEach
    void setUp() throws Exception {
        ns = NetNamespace.create();
        // A frame every 20 ms until the test ends, so the example sees traffic whenever it starts.
        // The sender thread enters the namespace itself (a FrameSender is confined to its thread).
        traffic = Thread.ofPlatform().start(() -> {
            try {
                ns.run(() -> {
                    try (FrameSender tx = new FrameSender(ns.a)) {
                        for (int seq = 0; !stop.get() && seq < 2000; seq++) {
                            tx.send(FrameSender.frame(seq, 80));
                            Thread.sleep(20);
                        }
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException("traffic thread failed", e);
            }
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        stop.set(true);
        traffic.join();
        ns.close();
    }

    private String runInNamespace(Example example, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            int status = ns.call(() -> example.run(args, out));
            String text = bytes.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, text);
            return text;
        }
    }

    private interface Example {
        int run(String[] args, PrintStream out) throws Exception;
    }

    private static void assertPrintsPackets(String output, int count) {
        for (int i = 1; i <= count; i++) {
            assertTrue(output.contains("#" + i + " ["), "packet line " + i + " in:\n" + output);
        }
        assertTrue(output.contains("ethertype 0x88b5, 80 bytes"), output);
        assertTrue(output.contains("received " + count), output);
    }

    @Test
    void channelPrintsTheRequestedPackets() throws Exception {
        String out = runInNamespace(Channel::run, ns.b, "5");
        assertTrue(out.startsWith("capturing on " + ns.b + " through a channel of 1024 packets"), out);
        assertPrintsPackets(out, 5);
        assertTrue(out.contains("dropped by the channel 0"), out);
    }

    @Test
    void asyncPrintsTheRequestedPackets() throws Exception {
        String out = runInNamespace(Async::run, ns.b, "5");
        assertTrue(out.startsWith("capturing on " + ns.b + "; waiting on epoll readiness"), out);
        assertTrue(out.contains("block of "), out);
        assertPrintsPackets(out, 5);
    }

    @Test
    void bothExplainTheirUsage() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(2, Channel.run(new String[0], out));
        assertEquals(2, Async.run(new String[0], out));
        assertEquals("usage: Channel INTERFACE [COUNT]\nusage: Async INTERFACE [COUNT]\n", bytes.toString(StandardCharsets.UTF_8));
    }
}
