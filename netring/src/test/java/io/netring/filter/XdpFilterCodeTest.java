package io.netring.filter;

import io.netring.NetringException;
import io.netring.internal.linux.Bpf;
import io.netring.internal.linux.LinuxConstants;
import io.netring.testing.EbpfAllowed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The eBPF translation of classic programs, run in the kernel ({@code BPF_PROG_TEST_RUN} on an
 * XDP program) against {@link BpfProgram#matches} on the same frames: the filter corpus's
 * expressions, hand-written programs at each opcode's edges, and random programs. Each program
 * is loaded once and run on many frames. The kernel runs XDP tests only on frames of at least
 * an Ethernet header (ETH_HLEN, 14 bytes), as XDP never sees shorter ones: those are left out
 * of the comparison, and the refusal is checked.
 */
@Timeout(120)
class XdpFilterCodeTest {
    private static final int XDP_DROP = 1;
    private static final int XDP_PASS = 2;
    private static final int XDP_TX = 3;
    private static final int ETH_HLEN = 14;
    private static final int EINVAL = 22;
    private static final long BASE = 20260601L;

    /** The verdicts of one program: runs compared and differences. */
    private record Outcome(int runs, int accepted, List<String> differences) {
    }

    private static int load(List<EbpfInstruction> code) throws NetringException {
        return Bpf.loadProgram(LinuxConstants.BPF_PROG_TYPE_XDP, EbpfProgram.words(code), "XDP filter");
    }

    /** Loads {@code classic}'s translation once and compares its action with matches() on every frame. */
    private static Outcome compare(String name, BpfProgram classic, List<byte[]> frames) throws NetringException {
        List<String> differences = new ArrayList<>();
        int fd;
        try {
            fd = load(XdpFilterCode.standalone(classic, XDP_TX, XDP_DROP));
        } catch (EbpfVerifierException e) {
            String log = e.verifierLog();
            return new Outcome(0, 0, List.of(name + ": verifier refused: " + e.getMessage() + "\n"
                    + log.substring(Math.max(0, log.length() - 1500)) + "\n" + classic.toTcpdumpD()));
        }
        int runs = 0;
        int accepted = 0;
        try {
            for (byte[] f : frames) {
                if (f.length < ETH_HLEN) {
                    continue;
                }
                boolean keep = classic.matches(MemorySegment.ofArray(f), f.length);
                int action = Bpf.testRun(fd, f);
                runs++;
                accepted += keep ? 1 : 0;
                if (action != (keep ? XDP_TX : XDP_DROP)) {
                    differences.add(name + ": interpreter " + (keep ? "keeps" : "rejects") + " but XDP returned " + action
                            + " on " + f.length + " bytes " + FilterDifferentialTest.hex(f) + "\n" + classic.toTcpdumpD());
                }
            }
        } finally {
            Bpf.close(fd);
        }
        return new Outcome(runs, accepted, differences);
    }

    private static List<byte[]> corpusFrames(int count) {
        List<byte[]> frames = new ArrayList<>();
        for (FrameCorpus.Frame f : FrameCorpus.generate(FilterDifferentialTest.BASE, count)) {
            frames.add(f.data());
        }
        return frames;
    }

    /** Random bytes at every length from ETH_HLEN to {@code max}, some frames all zero and all ones. */
    private static List<byte[]> randomFrames(Random rnd, int max) {
        List<byte[]> frames = new ArrayList<>();
        for (int len = ETH_HLEN; len <= max; len++) {
            byte[] f = new byte[len];
            rnd.nextBytes(f);
            frames.add(f);
            if (len % 16 == 0) {
                frames.add(new byte[len]);
                byte[] ones = new byte[len];
                java.util.Arrays.fill(ones, (byte) 0xff);
                frames.add(ones);
            }
        }
        return frames;
    }

    private static void assertNoDifferences(List<String> differences) {
        assertTrue(differences.isEmpty(), differences.size() + " differences, the first:\n"
                + String.join("\n", differences.subList(0, Math.min(3, differences.size()))));
    }

    @Test
    @EbpfAllowed
    void corpusExpressionsGiveTheInterpretersVerdicts() throws Exception {
        List<byte[]> frames = corpusFrames(400);
        List<String> differences = new ArrayList<>();
        int programs = 0;
        int runs = 0;
        int accepted = 0;
        long classicInsns = 0;
        long ebpfInsns = 0;
        for (String expr : FilterDifferentialTest.expressions()) {
            BpfProgram p;
            try {
                p = BpfProgram.compile(expr);
            } catch (FilterSyntaxException refused) {
                continue;
            }
            Outcome o = compare(expr, p, frames);
            programs++;
            runs += o.runs();
            accepted += o.accepted();
            differences.addAll(o.differences());
            classicInsns += p.size();
            ebpfInsns += XdpFilterCode.prefix(p).size();
        }
        System.out.printf("XDP filter differential: %d programs x %d frames of %d+ bytes = %d runs (%d kept), "
                        + "%d classic -> %d eBPF instructions%n", programs, runs / Math.max(1, programs), ETH_HLEN, runs,
                accepted, classicInsns, ebpfInsns);
        assertNoDifferences(differences);
        assertTrue(programs > 400, "programs compared: " + programs);
        assertTrue(accepted > runs / 20 && accepted < runs, "kept " + accepted + " of " + runs + ": the corpus decides both ways");
    }

    @Test
    @EbpfAllowed
    void eachOpcodeAtItsEdges() throws Exception {
        List<byte[]> frames = randomFrames(new Random(BASE), 100);
        frames.addAll(corpusFrames(100));
        List<String> differences = new ArrayList<>();
        int runs = 0;
        for (var entry : EdgePrograms.all().entrySet()) {
            Outcome o = compare(entry.getKey(), entry.getValue(), frames);
            runs += o.runs();
            differences.addAll(o.differences());
        }
        System.out.printf("XDP filter edges: %d programs, %d runs%n", EdgePrograms.all().size(), runs);
        assertNoDifferences(differences);
    }

    @Test
    @EbpfAllowed
    void randomProgramsGiveTheInterpretersVerdicts() throws Exception {
        Random rnd = new Random(BASE + 1);
        List<byte[]> frames = randomFrames(rnd, 110);
        frames.addAll(corpusFrames(60));
        ClassicProgramGenerator gen = new ClassicProgramGenerator(BASE);
        List<String> differences = new ArrayList<>();
        int runs = 0;
        int accepted = 0;
        int count = 300;
        for (int i = 0; i < count; i++) {
            Outcome o = compare("random program " + i, gen.program(5 + rnd.nextInt(60)), frames);
            runs += o.runs();
            accepted += o.accepted();
            differences.addAll(o.differences());
        }
        System.out.printf("XDP filter random programs: %d programs, %d runs (%d kept)%n", count, runs, accepted);
        assertNoDifferences(differences);
        assertTrue(accepted > runs / 20 && accepted < runs - runs / 20, "kept " + accepted + " of " + runs);
    }

    @Test
    @EbpfAllowed
    void theLargestProgramsLoad() throws Exception {
        List<byte[]> frames = corpusFrames(200);
        List<String> differences = new ArrayList<>();
        for (var entry : EdgePrograms.largest().entrySet()) {
            BpfProgram p = entry.getValue();
            Outcome o = compare(entry.getKey(), p, frames);
            differences.addAll(o.differences());
            System.out.printf("XDP filter, largest: %s: %d classic -> %d eBPF instructions, %d runs%n", entry.getKey(), p.size(),
                    XdpFilterCode.prefix(p).size(), o.runs());
            assertTrue(p.size() > 4000, entry.getKey() + ": " + p.size() + " instructions");
        }
        assertNoDifferences(differences);
    }

    @Test
    @EbpfAllowed
    void thePrefixPassesWhatItRejectsAndFallsThroughWithTheContext() throws Exception {
        List<EbpfInstruction> code = new ArrayList<>(XdpFilterCode.prefix(BpfProgram.compile("udp port 53")));
        // What follows the prefix reads the context through r1: the verifier refuses it unless r1 is the context.
        code.add(new EbpfInstruction(EbpfOps.LDX | EbpfOps.MEM | EbpfOps.W, 2, 1, 16, 0));   // rx_queue_index
        code.add(EbpfInstruction.movImm(EbpfInstruction.R0, XDP_TX));
        code.add(EbpfInstruction.exit());
        int fd = load(code);
        try {
            byte[] dns = FilterDifferentialTest.kernelSemanticsFrame();      // IPv4/UDP, ports 11820 -> 30001
            dns[20] = 0;                                                     // not a fragment
            dns[36] = 0;
            dns[37] = 53;
            assertEquals(XDP_TX, Bpf.testRun(fd, dns), "kept: falls through to the code after the prefix");
            dns[37] = 54;
            assertEquals(XDP_PASS, Bpf.testRun(fd, dns), "rejected: XDP_PASS, to the stack and not the socket");
        } finally {
            Bpf.close(fd);
        }
    }

    @Test
    @EbpfAllowed
    void framesShorterThanAnEthernetHeaderAreRefusedByTheKernel() throws Exception {
        int fd = load(XdpFilterCode.standalone(BpfProgram.acceptAll(), XDP_TX, XDP_DROP));
        try {
            assertEquals(XDP_TX, Bpf.testRun(fd, new byte[ETH_HLEN]));
            NetringException e = assertThrows(NetringException.class, () -> Bpf.testRun(fd, new byte[ETH_HLEN - 1]));
            assertEquals(EINVAL, e.errno(), e.getMessage());
        } finally {
            Bpf.close(fd);
        }
    }

    @Test
    void ancillaryLoadsAndUnknownOpcodesAreRefusedNamingTheInstruction() {
        BpfProgram protocol = BpfProgram.of(new BpfInstruction(0x28, 0, 0, -0x1000), BpfInstruction.ret(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> XdpFilterCode.prefix(protocol));
        assertEquals("instruction 0 { 0x28, 0, 0, 0xfffff000 }: offset -4096 is an ancillary load (SKF_AD_*, SKF_NET_OFF or"
                + " SKF_LL_OFF), which an XDP filter does not translate: BpfProgram.matches gives it no value either", e.getMessage());
        BpfProgram msh = BpfProgram.of(new BpfInstruction(0xb1, 0, 0, -0x200000), BpfInstruction.ret(1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> XdpFilterCode.prefix(msh)).getMessage()
                .startsWith("instruction 0 { 0xb1, 0, 0, 0xffe00000 }: offset -2097152 is an ancillary load"));
        BpfProgram unknown = BpfProgram.of(BpfInstruction.ret(1), new BpfInstruction(0xff, 0, 0, 0), BpfInstruction.ret(0));
        assertEquals("instruction 1 { 0xff, 0, 0, 0x00000000 }: opcode 0xff is not a classic BPF instruction (the kernel refuses it too)",
                assertThrows(IllegalArgumentException.class, () -> XdpFilterCode.prefix(unknown)).getMessage());
    }
}
