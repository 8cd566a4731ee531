package io.netring.filter;

import io.netring.testing.Allocations;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code matches(segment, offset, capturedLength, wireLength)}: the verdict of the sliced frame,
 * bounds checked with a clear message, and nothing allocated per call (the thread's allocation
 * counter after warm-up, measured again until clean within a deadline; not a timing).
 */
class MatchesInPlaceTest {
    static final List<String> EXPRESSIONS = List.of("tcp port 80", "udp port 53 or icmp", "tcp[tcpflags] & tcp-syn != 0 or ip6 and tcp",
            "vlan and ip host 10.0.0.1", "ip protochain 6", "ip[ip[0] & 0xf] > 3 or len > 100", "ether[12:2] / ip[1] = 0");

    @Test
    void givesTheVerdictOfTheSlicedFrameAnywhereInASegment() {
        List<FrameCorpus.Frame> frames = FrameCorpus.generate(7, 1500);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flat = arena.allocate(1 << 20);
            long[] at = layOut(frames, flat);
            for (String e : EXPRESSIONS) {
                BpfProgram p = BpfProgram.compile(e);
                int kept = 0;
                for (int i = 0; i < frames.size(); i++) {
                    FrameCorpus.Frame f = frames.get(i);
                    boolean sliced = p.matches(MemorySegment.ofArray(f.data()), f.wireLength());
                    // the bytes after the frame belong to the next one: a load past the captured length must still reject
                    assertEquals(sliced, p.matches(flat, at[i], f.data().length, f.wireLength()), e + ", frame " + i);
                    kept += sliced ? 1 : 0;
                }
                assertTrue(kept > 0, e + " keeps no frame of the corpus");
            }
        }
    }

    @Test
    void refusesAFrameOutsideTheSegment() {
        BpfProgram p = BpfProgram.compile("ip");
        MemorySegment seg = MemorySegment.ofArray(new byte[100]);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> p.matches(seg, 90, 20, 20));
        assertEquals("frame at offset=90 with capturedLength=20 does not lie inside the segment of 100 bytes", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> p.matches(seg, -1, 10, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> p.matches(seg, 0, -1, 10));
        assertFalse(p.matches(seg, 100, 0, 60), "an empty frame at the very end is legal and too short for every load");
    }

    @Test
    void allocatesNothingPerCall() {
        List<FrameCorpus.Frame> frames = FrameCorpus.generate(11, 1000);
        List<BpfProgram> programs = EXPRESSIONS.stream().map(BpfProgram::compile).toList();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flat = arena.allocate(1 << 20);
            long[] at = layOut(frames, flat);
            int[] cap = new int[frames.size()];
            int[] wire = new int[frames.size()];
            for (int i = 0; i < cap.length; i++) {
                cap[i] = frames.get(i).data().length;
                wire[i] = frames.get(i).wireLength();
            }
            Runnable loop = () -> {
                for (BpfProgram p : programs) {
                    for (int i = 0; i < at.length; i++) {
                        sink += p.matches(flat, at[i], cap[i], wire[i]) ? 1 : 0;
                    }
                }
            };
            // warm-up: let the JIT compile the interpreter
            Allocations.Measured m = Allocations.perOperation(loop, 500, 200, (long) programs.size() * at.length, 0.01);
            assertTrue(m.perOperation() < 0.01, "bytes allocated per matches call: " + m);
        }
    }

    private long sink;

    private static long[] layOut(List<FrameCorpus.Frame> frames, MemorySegment flat) {
        long[] at = new long[frames.size()];
        long next = 0;
        for (int i = 0; i < at.length; i++) {
            byte[] d = frames.get(i).data();
            at[i] = next;
            MemorySegment.copy(MemorySegment.ofArray(d), 0, flat, next, d.length);
            next += d.length;
        }
        return at;
    }
}
