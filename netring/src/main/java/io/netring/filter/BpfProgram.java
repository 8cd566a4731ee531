package io.netring.filter;

import io.netring.FanoutMode;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.PacketView;
import io.netring.internal.PacketAccess;
import io.netring.internal.linux.LinuxConstants;

import java.lang.foreign.MemorySegment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A classic BPF program: the socket filter the kernel runs on every packet before it reaches
 * the ring, or the steering program of a {@link FanoutMode#CBPF} group.
 *
 * <p>The usual source is tcpdump, which compiles a filter expression for you:
 * <pre>{@code
 * // tcpdump -dd 'udp dst port 53' > dns.dd
 * BpfProgram dns = BpfProgram.parseTcpdumpDd(Files.readString(Path.of("dns.dd")));
 * try (Capture cap = Capture.builder().interfaceName("eth0").bpfFilter(dns).build()) { ... }
 * }</pre>
 *
 * <p>Offsets in a socket filter count from the Ethernet header. A fanout program runs earlier in
 * the receive path, where offsets count from the network header (use {@code SKF_LL_OFF},
 * -0x200000, to reach the link header there).
 *
 * <p>What the kernel would refuse is refused here, with the reason: an empty program, one longer
 * than {@value LinuxConstants#BPF_MAXINSNS} instructions, a jump past the end, a last
 * instruction that is not a return. The kernel checks the rest (opcodes, memory slots) when
 * the program is attached.
 */
public final class BpfProgram {
    private static final Pattern DD_LINE = Pattern.compile(
            "\\{\\s*(0x[0-9a-fA-F]+|\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(0x[0-9a-fA-F]+|\\d+)\\s*}\\s*,?");
    private static final int BPF_CLASS_MASK = 0x07;
    private static final int BPF_JMP = 0x05;
    private static final int BPF_RET = 0x06;
    private static final int BPF_OP_MASK = 0xf0;
    private static final int BPF_JA = 0x00;

    private static final BpfProgram REJECT_ALL = new BpfProgram(List.of(BpfInstruction.ret(0)));
    private static final BpfProgram ACCEPT_ALL = new BpfProgram(List.of(BpfInstruction.ret(-1)));

    /** {@code -Dnetring.filter.interpret=true}: never compile, the interpreter runs every program. */
    private static final boolean INTERPRET_ONLY = Boolean.getBoolean("netring.filter.interpret");
    /**
     * Runs through the interpreter before a program is compiled ({@code -Dnetring.filter.compileAfter=N};
     * 0 compiles at the first run): a short run never pays for compiling.
     */
    private static final int COMPILE_AFTER = Integer.getInteger("netring.filter.compileAfter", 1000);
    /** {@link #runs}' value once the program is compiled or the compiler declined it: stops counting. */
    private static final int SETTLED = Integer.MIN_VALUE;

    private final List<BpfInstruction> instructions;
    private final BpfInterpreter interpreter;
    /** The program as bytecode once compiled; read without a lock (the object has no state). */
    private CompiledFilter compiled;
    /** Runs through the interpreter so far (racy: a lost count only delays compiling). */
    private int runs;

    private BpfProgram(List<BpfInstruction> instructions) {
        this.instructions = instructions;
        this.interpreter = new BpfInterpreter(rows(instructions));
        this.runs = INTERPRET_ONLY ? SETTLED : 0;
    }

    /** The interpreter's verdict, counting runs until the program is worth compiling. */
    private int interpret(MemorySegment segment, long base, long caplen, int wireLength) {
        int n = runs;
        if (n != SETTLED) {
            if (n >= COMPILE_AFTER) {
                CompiledFilter c = compileNow();
                if (c != null) {
                    return c.run(segment, base, caplen, wireLength);
                }
            } else {
                runs = n + 1;
            }
        }
        return interpreter.run(segment, base, caplen, wireLength);
    }

    private CompiledFilter compileNow() {
        CompiledFilter c = BpfJit.compile(rows(instructions));
        compiled = c;
        runs = SETTLED;
        return c;
    }

    /** Whether the program runs as compiled bytecode (false: the interpreter, still or for good). */
    boolean isCompiled() {
        return compiled != null;
    }

    /** Compiles the program now, whatever the run count; false when the compiler declined it. */
    boolean compileForTest() {
        return compileNow() != null;
    }

    /** The interpreter's verdict, never the compiled code's: the reference the differential tests use. */
    int interpretForTest(MemorySegment segment, long base, long caplen, int wireLength) {
        return interpreter.run(segment, base, caplen, wireLength);
    }

    /** The compiled code's verdict; the program must be compiled. */
    int runCompiledForTest(MemorySegment segment, long base, long caplen, int wireLength) {
        return compiled.run(segment, base, caplen, wireLength);
    }

    private static List<int[]> rows(List<BpfInstruction> instructions) {
        List<int[]> rows = new ArrayList<>(instructions.size());
        for (BpfInstruction i : instructions) {
            rows.add(new int[] {i.code(), i.jt(), i.jf(), i.k()});
        }
        return rows;
    }

    /**
     * Compiles a tcpdump filter expression (pcap-filter(7), Ethernet link layer) in pure Java,
     * with libpcap's meaning for every primitive:
     * <pre>{@code
     * BpfProgram web = BpfProgram.compile("tcp port 80 or tcp port 443");
     * }</pre>
     * Host and network names are not looked up (write addresses); service and protocol names
     * come from a built-in table.
     *
     * @throws io.netring.filter.FilterSyntaxException when the expression is malformed, not
     *         supported, or refused by libpcap too (its message shows where, with a caret)
     */
    public static BpfProgram compile(String expression) {
        List<BpfInstruction> program = new ArrayList<>();
        for (int[] row : FilterCompiler.compile(expression)) {
            program.add(new BpfInstruction(row[0], row[1], row[2], row[3]));
        }
        return of(program);
    }

    /**
     * Runs the program over one frame as the kernel would: {@code frame} holds the captured bytes
     * (from the Ethernet header), {@code wireLength} is the length on the wire ({@code len}). A load
     * past the captured bytes or a division by zero rejects. Allocates nothing.
     *
     * @return true when the program keeps the frame (returns non-zero)
     */
    public boolean matches(MemorySegment frame, int wireLength) {
        return run(frame, 0, frame.byteSize(), wireLength) != 0;
    }

    private int run(MemorySegment segment, long base, long caplen, int wireLength) {
        CompiledFilter c = compiled;
        return c != null ? c.run(segment, base, caplen, wireLength) : interpret(segment, base, caplen, wireLength);
    }

    /**
     * As {@link #matches(MemorySegment, int)} for a frame inside a larger segment (a ring block, a
     * mapped file): its {@code capturedLength} bytes start at {@code offset}. Makes no slice and
     * allocates nothing, for per-packet filtering of {@code Packet.segment()} and
     * {@code Packet.dataOffset()}:
     * <pre>{@code
     * boolean keep = program.matches(p.segment(), p.dataOffset(), p.length(), p.originalLength());
     * }</pre>
     *
     * @throws IndexOutOfBoundsException when the captured bytes do not lie inside {@code segment}
     *         or a length is negative
     */
    public boolean matches(MemorySegment segment, long offset, int capturedLength, int wireLength) {
        long size = segment.byteSize();
        if (offset < 0 || capturedLength < 0 || offset > size - capturedLength) {
            throw new IndexOutOfBoundsException("frame at offset=" + offset + " with capturedLength=" + capturedLength
                    + " does not lie inside the segment of " + size + " bytes");
        }
        return run(segment, offset, capturedLength, wireLength) != 0;
    }

    /**
     * Whether the program keeps a packet of a batch, a capture stream or a file, read in place.
     * Small on purpose: it passes the packet on as numbers, so a {@code Packet} handed to it by a
     * stream need not be allocated (see README, "Staying allocation-free").
     * @throws IllegalStateException when the packet's batch was released
     */
    public boolean matches(Packet packet) {
        PacketAccess a = PacketAccess.get();
        return keeps(a.batch(packet), a.header(packet), a.data(packet), a.length(packet));
    }

    /** {@link #matches(Packet)}'s body: the packet's block and wire length read (and checked) here. */
    private boolean keeps(PacketBatch batch, long header, long data, int length) {
        PacketAccess access = PacketAccess.get();
        MemorySegment block = access.block(batch);
        return run(block, data, length, access.wireLength(batch, header)) != 0;
    }

    /** As {@link #matches(Packet)} for the packet a {@code PacketHandler} was given. */
    public boolean matches(PacketView view) {
        return matches(view.segment(), view.dataOffset(), view.length(), view.originalLength());
    }

    /** The program as {@code tcpdump -d} prints it, one instruction per line. */
    public String toTcpdumpD() {
        return BpfDisassembler.disassemble(rows(instructions));
    }

    /**
     * A program of the given instructions.
     * @throws IllegalArgumentException when it is empty, too long, jumps past its end or does
     *         not end with a return
     * @throws NullPointerException naming the index of a null instruction
     */
    public static BpfProgram of(BpfInstruction... instructions) {
        Objects.requireNonNull(instructions, "instructions");
        return of(Arrays.asList(instructions));
    }

    /**
     * A program of the given instructions; see {@link #of(BpfInstruction...)}.
     * @throws NullPointerException naming the index of a null instruction
     */
    public static BpfProgram of(List<BpfInstruction> instructions) {
        Objects.requireNonNull(instructions, "instructions");
        requireNoNull(instructions);
        List<BpfInstruction> copy = List.copyOf(instructions);
        validate(copy);
        return new BpfProgram(copy);
    }

    /**
     * Reads the text {@code tcpdump -dd EXPRESSION} prints: one {@code { code, jt, jf, k },}
     * per line. Blank lines are ignored; anything else is an error naming the line.
     *
     * @throws IllegalArgumentException for a malformed line (with its number, its text and what
     *         is wrong), a value out of range, or a program the kernel would refuse
     */
    public static BpfProgram parseTcpdumpDd(String text) {
        Objects.requireNonNull(text, "text");
        List<BpfInstruction> program = new ArrayList<>();
        // Lazily, line by line: a text of millions of lines fails at the first line too many.
        Iterator<String> lines = text.lines().iterator();
        for (int lineNo = 1; lines.hasNext(); lineNo++) {
            String line = lines.next().strip();
            if (line.isEmpty()) {
                continue;
            }
            if (program.size() == LinuxConstants.BPF_MAXINSNS) {
                throw new IllegalArgumentException("tcpdump -dd line " + lineNo + ": more than "
                        + LinuxConstants.BPF_MAXINSNS + " instructions (BPF_MAXINSNS), the most the kernel takes");
            }
            Matcher m = DD_LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("tcpdump -dd line " + lineNo + " \"" + line
                        + "\": expected { code, jt, jf, k } with code and k in hex (0x...) or decimal");
            }
            long code = number(m.group(1), lineNo, line, "code");
            long jt = number(m.group(2), lineNo, line, "jt");
            long jf = number(m.group(3), lineNo, line, "jf");
            long k = number(m.group(4), lineNo, line, "k");
            checkRange(code, 0xffff, "code", lineNo, line);
            checkRange(jt, 0xff, "jt", lineNo, line);
            checkRange(jf, 0xff, "jf", lineNo, line);
            checkRange(k, 0xffff_ffffL, "k", lineNo, line);
            program.add(new BpfInstruction((int) code, (int) jt, (int) jf, (int) k));
        }
        if (program.isEmpty()) {
            throw new IllegalArgumentException("tcpdump -dd text: contains no instruction (empty program)");
        }
        return of(program);
    }

    /** A null in the list would be a bare NPE from List.copyOf; name its index instead. */
    private static void requireNoNull(List<BpfInstruction> instructions) {
        int i = 0;
        for (BpfInstruction insn : instructions) {
            if (insn == null) {
                throw new NullPointerException("instructions[" + i + "] is null; every instruction of a BPF program is required");
            }
            i++;
        }
    }

    private static long number(String digits, int lineNo, String line, String field) {
        try {
            return digits.startsWith("0x") ? Long.parseLong(digits.substring(2), 16) : Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tcpdump -dd line " + lineNo + " \"" + line + "\": " + field
                    + "=" + digits + " is too large");
        }
    }

    private static void checkRange(long value, long max, String field, int lineNo, String line) {
        if (value > max) {
            throw new IllegalArgumentException("tcpdump -dd line " + lineNo + " \"" + line + "\": " + field + "=0x"
                    + Long.toHexString(value) + " out of range [0, 0x" + Long.toHexString(max) + "]");
        }
    }

    private static void validate(List<BpfInstruction> program) {
        if (program.isEmpty()) {
            throw new IllegalArgumentException("program=[]: a BPF program needs at least one instruction");
        }
        if (program.size() > LinuxConstants.BPF_MAXINSNS) {
            throw new IllegalArgumentException("program length=" + program.size() + ": must be at most "
                    + LinuxConstants.BPF_MAXINSNS + " instructions (BPF_MAXINSNS)");
        }
        int n = program.size();
        for (int pc = 0; pc < n; pc++) {
            BpfInstruction insn = program.get(pc);
            if ((insn.code() & BPF_CLASS_MASK) != BPF_JMP) {
                continue;
            }
            if ((insn.code() & BPF_OP_MASK) == BPF_JA) {
                long target = pc + 1 + Integer.toUnsignedLong(insn.k());
                if (target >= n) {
                    throw new IllegalArgumentException("instruction " + pc + " " + insn + ": ja +" + Integer.toUnsignedLong(insn.k())
                            + " jumps past the end of the " + n + "-instruction program");
                }
            } else if (pc + 1 + Math.max(insn.jt(), insn.jf()) >= n) {
                throw new IllegalArgumentException("instruction " + pc + " " + insn + ": jt=" + insn.jt() + "/jf=" + insn.jf()
                        + " jumps past the end of the " + n + "-instruction program");
            }
        }
        BpfInstruction last = program.get(n - 1);
        if ((last.code() & BPF_CLASS_MASK) != BPF_RET) {
            throw new IllegalArgumentException("instruction " + (n - 1) + " " + last
                    + ": the last instruction must be a return (BPF_RET)");
        }
    }

    /** A program that drops every packet ({@code ret #0}). */
    public static BpfProgram rejectAll() {
        return REJECT_ALL;
    }

    /** A program that keeps every packet whole ({@code ret #0xffffffff}). */
    public static BpfProgram acceptAll() {
        return ACCEPT_ALL;
    }

    /** The instructions, in order (unmodifiable). */
    public List<BpfInstruction> instructions() {
        return instructions;
    }

    /** The number of instructions. */
    public int size() {
        return instructions.size();
    }

    /** Programs are equal when their instructions are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof BpfProgram p && p.instructions.equals(instructions);
    }

    @Override
    public int hashCode() {
        return instructions.hashCode();
    }

    /** The program in {@code tcpdump -dd} form, one instruction per line. */
    public String toTcpdumpDd() {
        StringBuilder sb = new StringBuilder();
        for (BpfInstruction insn : instructions) {
            sb.append(insn).append(",\n");
        }
        return sb.toString();
    }

    /**
     * The program in {@code tcpdump -ddd} form: the instruction count, then one line of decimal
     * {@code code jt jf k} per instruction.
     */
    public String toTcpdumpDdd() {
        StringBuilder sb = new StringBuilder().append(instructions.size()).append('\n');
        for (BpfInstruction insn : instructions) {
            sb.append(insn.code() & 0xFFFF).append(' ').append(insn.jt() & 0xFF).append(' ').append(insn.jf() & 0xFF)
                    .append(' ').append(Integer.toUnsignedLong(insn.k())).append('\n');
        }
        return sb.toString();
    }

    /** {@code BpfProgram[16 instructions]}. */
    @Override
    public String toString() {
        return "BpfProgram[" + instructions.size() + " instructions]";
    }
}
