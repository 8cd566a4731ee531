package io.netring.filter;

import io.netring.testing.Allocations;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compiled filters ({@link BpfJit}) against the interpreter, the reference: the same return value
 * (not only the same verdict) for the expression corpus over the frame corpus, for random valid
 * programs over tiny, corpus and huge frames, for the edge programs, and for programs as tcpdump
 * writes them. {@code -Dnetring.jit.cases=N} runs more random cases than CI's 100 000.
 */
class BpfJitDifferentialTest {
    private static final long BASE = FilterDifferentialTest.BASE;
    private static List<FrameCorpus.Frame> frames;
    private static MemorySegment[] segments;

    @BeforeAll
    static void corpus() {
        // Built and run on JDK 24 or later (as CI is), the compiler must load; on 22 and 23 there is none.
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 24,
                "the filter compiler needs JDK 24 (java.lang.classfile); this is " + Runtime.version());
        assertTrue(BpfJit.available(), "the filter compiler loads on JDK " + Runtime.version().feature());
        frames = FrameCorpus.generate(BASE, FilterDifferentialTest.FRAMES);
        segments = new MemorySegment[frames.size()];
        for (int i = 0; i < segments.length; i++) {
            segments[i] = MemorySegment.ofArray(frames.get(i).data());
        }
    }

    /** The first frame where compiled and interpreted runs of {@code p} differ, or null. */
    private static String firstDifference(BpfProgram p, MemorySegment frame, int wireLength) {
        int interpreted = p.interpretForTest(frame, 0, frame.byteSize(), wireLength);
        int compiled = p.runCompiledForTest(frame, 0, frame.byteSize(), wireLength);
        if (interpreted != compiled) {
            return "interpreter " + interpreted + ", compiled " + compiled + " on " + frame.byteSize() + " bytes (wire "
                    + wireLength + ")\n" + p.toTcpdumpD();
        }
        return null;
    }

    @Test
    void expressionCorpusAgreesOnEveryFrame() {
        int programs = 0;
        long runs = 0;
        List<String> failures = new ArrayList<>();
        for (String expr : FilterDifferentialTest.expressions()) {
            BpfProgram p;
            try {
                p = BpfProgram.compile(expr);
            } catch (FilterSyntaxException refused) {
                continue;
            }
            assertTrue(p.compileForTest(), "compiled: " + expr);
            programs++;
            for (int i = 0; i < segments.length; i++) {
                String d = firstDifference(p, segments[i], frames.get(i).wireLength());
                runs++;
                if (d != null) {
                    failures.add(expr + ": " + d);
                    break;
                }
            }
        }
        System.out.printf("filter JIT differential: %d expressions x %d frames = %d runs%n", programs, segments.length, runs);
        assertTrue(programs > 550, "expressions compiled: " + programs);
        assertEquals(List.of(), failures);
    }

    @Test
    void randomProgramsAgreeOnTinyCorpusAndHugeFrames() {
        int cases = Integer.getInteger("netring.jit.cases", 100_000);
        int perProgram = 50;
        ClassicProgramGenerator gen = new ClassicProgramGenerator(BASE + 25);
        Random pick = new Random(BASE + 26);
        MemorySegment huge = MemorySegment.ofArray(new byte[65_535]);
        for (int i = 0; i < huge.byteSize(); i++) {
            huge.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + 7));
        }
        int done = 0;
        int programs = 0;
        while (done < cases) {
            BpfProgram p = gen.program(1 + pick.nextInt(pick.nextInt(8) == 0 ? 400 : 40));
            assertTrue(p.compileForTest(), () -> "compiled:\n" + p.toTcpdumpD());
            programs++;
            for (int j = 0; j < perProgram && done < cases; j++, done++) {
                MemorySegment frame;
                int wire;
                switch (pick.nextInt(10)) {
                    case 0 -> {
                        frame = MemorySegment.ofArray(new byte[pick.nextInt(4)]);
                        wire = (int) frame.byteSize();
                    }
                    case 1 -> {
                        frame = huge;
                        wire = 65_535 + pick.nextInt(3);
                    }
                    default -> {
                        int f = pick.nextInt(segments.length);
                        frame = segments[f];
                        wire = frames.get(f).wireLength();
                    }
                }
                String d = firstDifference(p, frame, wire);
                assertEquals(null, d, "program " + programs + ", case " + done);
            }
        }
        System.out.printf("filter JIT random programs: %d programs, %d cases%n", programs, done);
    }

    @Test
    void edgeProgramsAgreeIncludingAncillaryOffsets() {
        Map<String, BpfProgram> edges = new java.util.LinkedHashMap<>(EdgePrograms.all());
        edges.putAll(EdgePrograms.largest());
        // Negative offsets name the kernel's ancillary data, which neither runs: both reject.
        edges.put("ancillary protocol", BpfProgram.of(new BpfInstruction(Bpf.LD | Bpf.H | Bpf.ABS, 0, 0, -0x1000),
                BpfInstruction.ret(-1)));
        edges.put("indirect below zero", BpfProgram.of(new BpfInstruction(Bpf.LDX | Bpf.W | Bpf.IMM, 0, 0, -20),
                new BpfInstruction(Bpf.LD | Bpf.B | Bpf.IND, 0, 0, 4), BpfInstruction.ret(-1)));
        edges.put("unknown opcode", BpfProgram.of(new BpfInstruction(0xff, 0, 0, 0), BpfInstruction.ret(-1)));
        int compiled = 0;
        int declined = 0;
        for (Map.Entry<String, BpfProgram> e : edges.entrySet()) {
            BpfProgram p = e.getValue();
            if (!p.compileForTest()) {
                declined++;             // too large for the JIT: the interpreter keeps running it
                assertFalse(p.isCompiled(), e.getKey());
                continue;
            }
            compiled++;
            for (int i = 0; i < segments.length; i += 7) {
                assertEquals(null, firstDifference(p, segments[i], frames.get(i).wireLength()), e.getKey());
            }
        }
        System.out.printf("filter JIT edge programs: %d compiled, %d left to the interpreter%n", compiled, declined);
        assertTrue(compiled > edges.size() / 2, compiled + " of " + edges.size());
    }

    @Test
    void aProgramAsTcpdumpWritesItCompilesAndAgrees() {
        // tcpdump -dd 'tcp port 80' (tcpdump 4.99.3, libpcap 1.10.3): IPv6 and IPv4, fragments, both ports
        String dd = """
                { 0x28, 0, 0, 0x0000000c },
                { 0x15, 0, 6, 0x000086dd },
                { 0x30, 0, 0, 0x00000014 },
                { 0x15, 0, 15, 0x00000006 },
                { 0x28, 0, 0, 0x00000036 },
                { 0x15, 12, 0, 0x00000050 },
                { 0x28, 0, 0, 0x00000038 },
                { 0x15, 10, 11, 0x00000050 },
                { 0x15, 0, 10, 0x00000800 },
                { 0x30, 0, 0, 0x00000017 },
                { 0x15, 0, 8, 0x00000006 },
                { 0x28, 0, 0, 0x00000014 },
                { 0x45, 6, 0, 0x00001fff },
                { 0xb1, 0, 0, 0x0000000e },
                { 0x48, 0, 0, 0x0000000e },
                { 0x15, 2, 0, 0x00000050 },
                { 0x48, 0, 0, 0x00000010 },
                { 0x15, 0, 1, 0x00000050 },
                { 0x6, 0, 0, 0x00040000 },
                { 0x6, 0, 0, 0x00000000 },
                """;
        BpfProgram p = BpfProgram.parseTcpdumpDd(dd);
        assertEquals(BpfProgram.compile("tcp port 80").instructions().size(), p.size(), "the same program size as ours");
        assertTrue(p.compileForTest());
        int kept = 0;
        for (int i = 0; i < segments.length; i++) {
            assertEquals(null, firstDifference(p, segments[i], frames.get(i).wireLength()));
            kept += p.matches(segments[i], frames.get(i).wireLength()) ? 1 : 0;
        }
        assertTrue(kept > 0, "some corpus frames are TCP port 80");
    }

    @Test
    void matchesCompilesAfterItsRunsAndThenAllocatesNothing() {
        BpfProgram p = BpfProgram.compile("tcp port 80 or udp port 53");
        MemorySegment frame = segments[0];
        int wire = frames.get(0).wireLength();
        for (int i = 0; i < 1000 && !p.isCompiled(); i++) {
            p.matches(frame, wire);
        }
        p.matches(frame, wire);
        assertTrue(p.isCompiled(), "compiled after netring.filter.compileAfter runs");
        Allocations.Measured m = Allocations.perOperation(() -> {
            for (int i = 0; i < segments.length; i++) {
                p.matches(segments[i], 0, (int) segments[i].byteSize(), frames.get(i).wireLength());
            }
        }, 20, 20, segments.length, 0.01);
        assertTrue(m.perOperation() < 0.01, "bytes per match: " + m);
    }
}
