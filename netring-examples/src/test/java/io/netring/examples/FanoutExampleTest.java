package io.netring.examples;

import io.netring.testing.FrameSender;
import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
                // Threads started here begin in the namespace too. The example prints its group
                // once every member has joined. Sending before that would count frames twice: a
                // member still joining is an ordinary socket bound to vB and gets its own copy.
                ExampleRunner.Printed<long[]> run = ExampleRunner.runAfterCue(ns, "fanout group ",
                        tx -> tx.sendSequence(0, n, 64), out -> Fanout.run(ns.b, Duration.ofSeconds(4), 2, out));
                long[] counts = run.result();
                String out = run.output();
                assertEquals(2, counts.length);
                long total = Arrays.stream(counts).sum();
                // IPv6 is off in the namespace, so the test frames are all there is.
                assertEquals(n, total, out);
                assertTrue(out.contains("thread 0: ") && out.contains("thread 1: "), out);
                assertTrue(out.contains("total: " + n + " packets"), out);
                assertTrue(out.contains(": 2 members joined"), out);
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
