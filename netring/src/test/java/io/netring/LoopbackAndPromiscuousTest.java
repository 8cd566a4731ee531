package io.netring;

import io.netring.testing.Collect;
import io.netring.testing.FrameCollector;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

@Privileged
@Timeout(60)
class LoopbackAndPromiscuousTest extends NamespaceTest {
    /** Test frames captured until the ring stays quiet for {@code quiet}. */
    private static int countTestFrames(AfPacketRx rx, Duration quiet) throws Exception {
        return Collect.untilIdle(rx, FrameCollector::isTestFrame, quiet).size();
    }

    @Test
    void ignoreOutgoingOnLoopbackHalvesWhatIsSeen() throws Exception {
        int sent = 40;
        ns.run(() -> {
            try (AfPacketRx both = AfPacketRx.builder().interfaceName("lo").blockSize(1 << 16).blockCount(4)
                    .blockTimeout(Duration.ofMillis(5)).build();
                 AfPacketRx incomingOnly = AfPacketRx.builder().interfaceName("lo").blockSize(1 << 16).blockCount(4)
                         .blockTimeout(Duration.ofMillis(5)).ignoreOutgoing(true).build();
                 FrameSender tx = new FrameSender("lo")) {
                tx.sendSequence(0, sent, 80);
                assertEquals(2 * sent, countTestFrames(both, Duration.ofMillis(300)), "lo shows each packet twice");
                assertEquals(sent, countTestFrames(incomingOnly, Duration.ofMillis(300)), "ignoreOutgoing keeps one copy");
            }
        });
    }

    private int promiscuity() throws Exception {
        String out = ns.ip("-d", "link", "show", ns.b);
        Matcher m = Pattern.compile("promiscuity (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void promiscuousModeJoinsAndLeaves() throws Exception {
        assertEquals(0, promiscuity());
        ns.run(() -> {
            try (Capture cap = Capture.builder().interfaceName(ns.b).profile(RingProfile.MEMORY_CONSTRAINED)
                    .promiscuous(true).build()) {
                assertEquals(1, promiscuity(), "joined while open");
            }
        });
        assertEquals(0, promiscuity(), "left on close");
    }
}
