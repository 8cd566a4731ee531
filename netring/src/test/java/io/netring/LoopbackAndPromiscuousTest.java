package io.netring;

import io.netring.testing.FrameCollector;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import io.netring.testing.TestRings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

@Privileged
@Timeout(60)
class LoopbackAndPromiscuousTest extends NamespaceTest {
    @Test
    void ignoreOutgoingOnLoopbackHalvesWhatIsSeen() throws Exception {
        int sent = 40;
        ns.run(() -> {
            // Frames are sent before they are read: room for each in a block of its own.
            try (AfPacketRx both = AfPacketRx.builder().interfaceName("lo").blockSize(TestRings.BLOCK_SIZE)
                    .blockCount(TestRings.blocksFor(2 * sent)).blockTimeout(Duration.ofMillis(5)).build();
                 AfPacketRx incomingOnly = AfPacketRx.builder().interfaceName("lo").blockSize(TestRings.BLOCK_SIZE)
                         .blockCount(TestRings.blocksFor(sent)).blockTimeout(Duration.ofMillis(5))
                         .ignoreOutgoing(true).build();
                 FrameSender tx = new FrameSender("lo")) {
                tx.sendSequence(0, sent, 80);
                assertEquals(2 * sent, FrameCollector.exactly(both, 2 * sent).size(), "lo shows each packet twice");
                assertEquals(sent, FrameCollector.exactly(incomingOnly, sent).size(), "ignoreOutgoing keeps one copy");
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
