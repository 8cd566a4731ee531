package io.netring.filter;

import io.netring.AfPacketRx;
import io.netring.AfPacketRxBuilder;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import io.netring.testing.TestRings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The kernel running a compiled program keeps exactly the frames {@code matches} keeps: corpus
 * frames (untagged, since a veth hands VLAN tags to the socket as metadata, and whole) go out on
 * vA; on vB one unfiltered socket says when all of them have arrived and which bytes arrived, and
 * a second socket runs each expression in turn (setFilter swaps the program). Its kernel counter
 * says how many frames the program accepted, so every wait counts frames, bounded by a deadline.
 */
@Privileged
@Timeout(120)
class FilterLiveDifferentialTest extends NamespaceTest {
    static final int FRAMES = 240;
    static final int EXPRESSIONS = 200;
    /** How long one expression may take to deliver its frames before the test gives up on it. */
    static final Duration PER_EXPRESSION = Duration.ofSeconds(20);

    private AfPacketRxBuilder ring() {
        return AfPacketRx.builder().interfaceName(ns.b).blockSize(TestRings.BLOCK_SIZE)
                .blockCount(TestRings.blocksFor(FRAMES)).blockTimeout(Duration.ofMillis(5));
    }

    /** Corner expressions first, then generated ones, the compilable ones up to {@link #EXPRESSIONS}. */
    static List<String> sample() {
        List<String> out = new ArrayList<>();
        for (String e : FilterDifferentialTest.expressions()) {
            try {
                BpfProgram.compile(e);
            } catch (FilterSyntaxException refused) {
                continue;
            }
            out.add(e);
            if (out.size() == EXPRESSIONS) {
                break;
            }
        }
        return out;
    }

    @Test
    void kernelKeepsExactlyTheFramesMatchesKeeps() throws Exception {
        List<FrameCorpus.Frame> frames = FrameCorpus.generateUntagged(FilterDifferentialTest.BASE, FRAMES);
        List<String> expressions = sample();
        ns.run(() -> {
            try (AfPacketRx all = ring().build();
                 AfPacketRx filtered = ring().bpfFilter(BpfProgram.rejectAll()).build();
                 FrameSender tx = new FrameSender(ns.a)) {
                int kept = 0;
                for (String expr : expressions) {
                    BpfProgram program = BpfProgram.compile(expr);
                    filtered.setFilter(program);
                    filtered.stats();       // counters from here on belong to this program
                    for (FrameCorpus.Frame f : frames) {
                        tx.send(f.data());
                    }
                    long deadline = System.nanoTime() + PER_EXPRESSION.toNanos();
                    List<byte[]> arrived = new ArrayList<>();
                    while (arrived.size() < frames.size() && System.nanoTime() < deadline) {
                        readInto(all, arrived, Duration.ofMillis(20));
                    }
                    assertEquals(frames.size(), arrived.size(), expr + ": frames that crossed the veth");
                    List<byte[]> expected = new ArrayList<>();
                    for (int i = 0; i < arrived.size(); i++) {
                        byte[] got = arrived.get(i);
                        assertArrayEquals(frames.get(i).data(), got, expr + ": frame " + i + " changed on the way");
                        if (program.matches(MemorySegment.ofArray(got), got.length)) {
                            expected.add(got);
                        }
                    }
                    List<byte[]> accepted = acceptedFrames(filtered, expected.size(), deadline);
                    assertEquals(expected.size(), accepted.size(), expr + ": frames kept by the kernel vs matches\n" + program.toTcpdumpD());
                    for (int i = 0; i < expected.size(); i++) {
                        assertArrayEquals(expected.get(i), accepted.get(i), expr + ": kept frame " + i + " differs");
                    }
                    kept += expected.size();
                }
                System.out.printf("filter live differential: %d expressions x %d frames on a veth, %d frames kept by kernel and matches alike%n", expressions.size(), frames.size(), kept);
                // the sample must exercise both verdicts
                assertTrue(kept > 0 && kept < expressions.size() * frames.size(), "frames kept over the sample: " + kept);
            }
        });
        assertTrue(expressions.size() >= 150, "expressions run live: " + expressions.size());
    }

    /** Where libpcap's interpreter differs from the kernel's, the kernel keeps what matches keeps. */
    @Test
    void kernelKeepsWhatMatchesKeepsWhereLibpcapDiffers() throws Exception {
        byte[] f = FilterDifferentialTest.kernelSemanticsFrame();
        ns.run(() -> {
            try (AfPacketRx rx = ring().bpfFilter(BpfProgram.rejectAll()).build(); FrameSender tx = new FrameSender(ns.a)) {
                for (String expr : FilterDifferentialTest.KERNEL_SEMANTICS) {
                    BpfProgram program = BpfProgram.compile(expr);
                    assertTrue(program.matches(MemorySegment.ofArray(f), f.length), expr);
                    rx.setFilter(program);
                    rx.stats();
                    tx.send(f);
                    List<byte[]> kept = acceptedFrames(rx, 1, System.nanoTime() + PER_EXPRESSION.toNanos());
                    assertEquals(1, kept.size(), expr + ": frames the kernel kept");
                    assertArrayEquals(f, kept.get(0), expr);
                }
            }
        });
    }

    /**
     * The frames the program accepted: reads the ring until it has delivered as many frames as the
     * socket's counter says the program accepted, and at least {@code expected}, or the deadline.
     * An extra frame therefore shows in the result; a missing one makes it wait until the deadline.
     */
    private static List<byte[]> acceptedFrames(AfPacketRx rx, int expected, long deadline) throws Exception {
        List<byte[]> got = new ArrayList<>();
        long accepted = 0;
        while (System.nanoTime() < deadline) {
            accepted += rx.stats().packets();
            if (got.size() >= accepted && accepted >= expected) {
                break;
            }
            readInto(rx, got, Duration.ofMillis(20));
        }
        return got;
    }

    private static void readInto(AfPacketRx rx, List<byte[]> out, Duration wait) throws Exception {
        try (PacketBatch batch = rx.nextBatchBlocking(wait)) {
            if (batch != null) {
                for (Packet p : batch) {
                    out.add(p.data().toArray(ValueLayout.JAVA_BYTE));
                }
            }
        }
    }

}
