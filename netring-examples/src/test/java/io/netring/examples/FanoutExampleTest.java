package io.netring.examples;

import io.netring.testing.FrameSender;
import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import io.netring.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** Runs the Fanout example on a veth pair in a namespace while frames arrive. */
@Privileged
@Timeout(60)
class FanoutExampleTest {
    @Test
    void everyFrameIsCountedByExactlyOneThread() throws Exception {
        int n = 500;
        try (NetNamespace ns = NetNamespace.create()) {
            ns.run(() -> {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                // Threads started here begin in the namespace too. The sender starts once the
                // example printed its group, i.e. its first member is open: from then on every
                // frame reaches the group. The window leaves the readers ample time to count.
                Thread sender = new Thread(() -> {
                    try (FrameSender tx = new FrameSender(ns.a)) {
                        Waits.until(() -> buffer.toString(StandardCharsets.UTF_8).contains("fanout group "),
                                Duration.ofSeconds(30), "the example opened its fanout group");
                        tx.sendSequence(0, n, 64);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                sender.start();
                long[] counts = Fanout.run(ns.b, Duration.ofSeconds(4), 2, new PrintStream(buffer, true, StandardCharsets.UTF_8));
                sender.join();
                String out = buffer.toString(StandardCharsets.UTF_8);
                assertEquals(2, counts.length);
                long total = Arrays.stream(counts).sum();
                // IPv6 is off in the namespace, so the test frames are all there is.
                assertEquals(n, total, out);
                assertTrue(out.contains("thread 0: ") && out.contains("thread 1: "), out);
                assertTrue(out.contains("total: " + n + " packets"), out);
                assertTrue(out.contains("fanout group "), out);
            });
        }
    }

    @Test
    void argumentsAreNamed() {
        Fanout.Options o = Fanout.Options.parse(new String[] {"eth0", "--threads", "4", "--seconds", "3"});
        assertEquals(new Fanout.Options("eth0", 4, Duration.ofSeconds(3)), o);
        assertEquals(Duration.ofSeconds(10), Fanout.Options.parse(new String[] {"eth0"}).duration());
        IllegalArgumentException bare = assertThrows(IllegalArgumentException.class,
                () -> Fanout.Options.parse(new String[] {"eth0", "4"}));
        assertEquals("unknown argument '4' (known: --threads N, --seconds S)", bare.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> Fanout.Options.parse(new String[] {"eth0", "--threads", "0"}));
        assertEquals("--threads must be a positive number, was '0'", zero.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Fanout.Options.parse(new String[] {"eth0", "--seconds"}));
        assertEquals("--seconds needs a value", missing.getMessage());
    }
}
