package io.netring.filter;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Runs a classic BPF program over one frame with the Linux kernel's semantics: a load past the
 * captured bytes or a division (or modulus) by a zero X returns 0, {@code len} is the wire length,
 * shifts by X use its low five bits, an unknown opcode or a negative (ancillary) offset rejects.
 *
 * <p>The program is translated once into one int array of {@code {op, k, true target, false
 * target}} quadruples, with the kernel's sparse opcodes renumbered densely (the loop's switch
 * becomes a jump table) and jumps made absolute; {@link #run} allocates nothing (the scratch
 * memory, when the program uses it, is one int[16] per thread, zeroed at each run).
 */
final class BpfInterpreter {
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[Bpf.MEMWORDS]);

    // Dense operation numbers, in the order of the switch in run(); XdpFilterCode decodes with them too.
    static final int REJECT = 0, RET_K = 1, RET_A = 2, RET_X = 3,
            LDW_ABS = 4, LDH_ABS = 5, LDB_ABS = 6, LDW_IND = 7, LDH_IND = 8, LDB_IND = 9,
            LD_IMM = 10, LD_LEN = 11, LD_MEM = 12, LDX_IMM = 13, LDX_LEN = 14, LDX_MEM = 15, LDX_MSH = 16,
            ST = 17, STX = 18, ADD_K = 19, ADD_X = 20, SUB_K = 21, SUB_X = 22, MUL_K = 23, MUL_X = 24,
            DIV_K = 25, DIV_X = 26, MOD_K = 27, MOD_X = 28, AND_K = 29, AND_X = 30, OR_K = 31, OR_X = 32,
            XOR_K = 33, XOR_X = 34, LSH_K = 35, LSH_X = 36, RSH_K = 37, RSH_X = 38, NEG = 39, JA = 40,
            JEQ_K = 41, JEQ_X = 42, JGT_K = 43, JGT_X = 44, JGE_K = 45, JGE_X = 46, JSET_K = 47, JSET_X = 48,
            TAX = 49, TXA = 50;

    /** Four ints per instruction: dense op, k, index of the true successor, of the false one (both times 4). */
    private final int[] ins;
    private final boolean usesMemory;

    /** Translates the program (a list of {@code {code, jt, jf, k}} rows, jumps already checked). */
    public BpfInterpreter(List<int[]> rows) {
        int n = rows.size();
        ins = new int[4 * n];
        boolean mem = false;
        for (int i = 0; i < n; i++) {
            int[] r = rows.get(i);
            int op = dense(r[0]);
            boolean ja = op == JA;
            ins[4 * i] = op;
            ins[4 * i + 1] = r[3];
            ins[4 * i + 2] = 4 * (i + 1 + (ja ? r[3] : r[1]));
            ins[4 * i + 3] = 4 * (i + 1 + (ja ? r[3] : r[2]));
            mem |= op == LD_MEM || op == LDX_MEM || op == ST || op == STX;
        }
        usesMemory = mem;
    }

    /** The dense operation number of classic opcode {@code code}: {@link #REJECT} for an unknown one. */
    static int dense(int code) {
        return switch (code) {
            case Bpf.RET | Bpf.K -> RET_K;
            case Bpf.RET | Bpf.A -> RET_A;
            case Bpf.RET | Bpf.X -> RET_X;
            case Bpf.LD | Bpf.W | Bpf.ABS -> LDW_ABS;
            case Bpf.LD | Bpf.H | Bpf.ABS -> LDH_ABS;
            case Bpf.LD | Bpf.B | Bpf.ABS -> LDB_ABS;
            case Bpf.LD | Bpf.W | Bpf.IND -> LDW_IND;
            case Bpf.LD | Bpf.H | Bpf.IND -> LDH_IND;
            case Bpf.LD | Bpf.B | Bpf.IND -> LDB_IND;
            case Bpf.LD | Bpf.IMM -> LD_IMM;
            case Bpf.LD | Bpf.W | Bpf.LEN -> LD_LEN;
            case Bpf.LD | Bpf.MEM -> LD_MEM;
            case Bpf.LDX | Bpf.W | Bpf.IMM -> LDX_IMM;
            case Bpf.LDX | Bpf.W | Bpf.LEN -> LDX_LEN;
            case Bpf.LDX | Bpf.W | Bpf.MEM -> LDX_MEM;
            case Bpf.LDX | Bpf.B | Bpf.MSH -> LDX_MSH;
            case Bpf.ST -> ST;
            case Bpf.STX -> STX;
            case Bpf.ALU | Bpf.ADD | Bpf.K -> ADD_K;
            case Bpf.ALU | Bpf.ADD | Bpf.X -> ADD_X;
            case Bpf.ALU | Bpf.SUB | Bpf.K -> SUB_K;
            case Bpf.ALU | Bpf.SUB | Bpf.X -> SUB_X;
            case Bpf.ALU | Bpf.MUL | Bpf.K -> MUL_K;
            case Bpf.ALU | Bpf.MUL | Bpf.X -> MUL_X;
            case Bpf.ALU | Bpf.DIV | Bpf.K -> DIV_K;
            case Bpf.ALU | Bpf.DIV | Bpf.X -> DIV_X;
            case Bpf.ALU | Bpf.MOD | Bpf.K -> MOD_K;
            case Bpf.ALU | Bpf.MOD | Bpf.X -> MOD_X;
            case Bpf.ALU | Bpf.AND | Bpf.K -> AND_K;
            case Bpf.ALU | Bpf.AND | Bpf.X -> AND_X;
            case Bpf.ALU | Bpf.OR | Bpf.K -> OR_K;
            case Bpf.ALU | Bpf.OR | Bpf.X -> OR_X;
            case Bpf.ALU | Bpf.XOR | Bpf.K -> XOR_K;
            case Bpf.ALU | Bpf.XOR | Bpf.X -> XOR_X;
            case Bpf.ALU | Bpf.LSH | Bpf.K -> LSH_K;
            case Bpf.ALU | Bpf.LSH | Bpf.X -> LSH_X;
            case Bpf.ALU | Bpf.RSH | Bpf.K -> RSH_K;
            case Bpf.ALU | Bpf.RSH | Bpf.X -> RSH_X;
            case Bpf.ALU | Bpf.NEG -> NEG;
            case Bpf.JMP | Bpf.JA -> JA;
            case Bpf.JMP | Bpf.JEQ | Bpf.K -> JEQ_K;
            case Bpf.JMP | Bpf.JEQ | Bpf.X -> JEQ_X;
            case Bpf.JMP | Bpf.JGT | Bpf.K -> JGT_K;
            case Bpf.JMP | Bpf.JGT | Bpf.X -> JGT_X;
            case Bpf.JMP | Bpf.JGE | Bpf.K -> JGE_K;
            case Bpf.JMP | Bpf.JGE | Bpf.X -> JGE_X;
            case Bpf.JMP | Bpf.JSET | Bpf.K -> JSET_K;
            case Bpf.JMP | Bpf.JSET | Bpf.X -> JSET_X;
            case Bpf.MISC | Bpf.TAX -> TAX;
            case Bpf.MISC | Bpf.TXA -> TXA;
            default -> REJECT;
        };
    }

    /**
     * The program's return value for a frame whose first {@code frame.byteSize()} bytes were
     * captured out of {@code wireLength} on the wire: 0 rejects, anything else keeps that many bytes.
     */
    public int run(MemorySegment frame, int wireLength) {
        return run(frame, 0, frame.byteSize(), wireLength);
    }

    /**
     * As {@link #run(MemorySegment, int)} for the {@code caplen} captured bytes at {@code base} in
     * {@code segment}; the caller has checked that they lie inside it.
     */
    public int run(MemorySegment segment, long base, long caplen, int wireLength) {
        final MemorySegment frame = segment;
        final int[] p = ins;
        final int[] mem = usesMemory ? SCRATCH.get() : null;
        if (mem != null) {
            java.util.Arrays.fill(mem, 0);  // every run starts with zeroed scratch words, as compiled code does
        }
        int a = 0;
        int x = 0;
        int pc = 0;
        while (true) {
            int kk = p[pc + 1];
            int next = pc + 4;
            switch (p[pc]) {
                case REJECT -> { return 0; }
                case RET_K -> { return kk; }
                case RET_A -> { return a; }
                case RET_X -> { return x; }
                // X + k as the kernel adds them; a negative offset names ancillary data, not frame bytes
                case LDW_ABS, LDW_IND -> {
                    int off = p[pc] == LDW_IND ? x + kk : kk;
                    if (off < 0 || off + 4L > caplen) {
                        return 0;
                    }
                    a = frame.get(BE_INT, base + off);
                }
                case LDH_ABS, LDH_IND -> {
                    int off = p[pc] == LDH_IND ? x + kk : kk;
                    if (off < 0 || off + 2L > caplen) {
                        return 0;
                    }
                    a = Short.toUnsignedInt(frame.get(BE_SHORT, base + off));
                }
                case LDB_ABS, LDB_IND -> {
                    int off = p[pc] == LDB_IND ? x + kk : kk;
                    if (off < 0 || off >= caplen) {
                        return 0;
                    }
                    a = Byte.toUnsignedInt(frame.get(ValueLayout.JAVA_BYTE, base + off));
                }
                case LD_IMM -> a = kk;
                case LD_LEN -> a = wireLength;
                case LD_MEM -> a = mem[kk & 0xf];
                case LDX_IMM -> x = kk;
                case LDX_LEN -> x = wireLength;
                case LDX_MEM -> x = mem[kk & 0xf];
                case LDX_MSH -> {
                    if (kk < 0 || kk >= caplen) {
                        return 0;
                    }
                    x = (frame.get(ValueLayout.JAVA_BYTE, base + kk) & 0xf) << 2;
                }
                case ST -> mem[kk & 0xf] = a;
                case STX -> mem[kk & 0xf] = x;
                case ADD_K -> a += kk;
                case ADD_X -> a += x;
                case SUB_K -> a -= kk;
                case SUB_X -> a -= x;
                case MUL_K -> a *= kk;
                case MUL_X -> a *= x;
                case DIV_K, DIV_X -> {
                    int d = p[pc] == DIV_X ? x : kk;
                    if (d == 0) {
                        return 0;
                    }
                    a = Integer.divideUnsigned(a, d);
                }
                case MOD_K, MOD_X -> {
                    int d = p[pc] == MOD_X ? x : kk;
                    if (d == 0) {
                        return 0;
                    }
                    a = Integer.remainderUnsigned(a, d);
                }
                case AND_K -> a &= kk;
                case AND_X -> a &= x;
                case OR_K -> a |= kk;
                case OR_X -> a |= x;
                case XOR_K -> a ^= kk;
                case XOR_X -> a ^= x;
                case LSH_K -> a <<= kk;   // the kernel refuses k >= 32 at attach
                case LSH_X -> a <<= x;    // Java masks the count to 5 bits, as the kernel does
                case RSH_K -> a >>>= kk;
                case RSH_X -> a >>>= x;
                case NEG -> a = -a;
                case JA -> next = p[pc + 2];
                case JEQ_K -> next = a == kk ? p[pc + 2] : p[pc + 3];
                case JEQ_X -> next = a == x ? p[pc + 2] : p[pc + 3];
                case JGT_K -> next = Integer.compareUnsigned(a, kk) > 0 ? p[pc + 2] : p[pc + 3];
                case JGT_X -> next = Integer.compareUnsigned(a, x) > 0 ? p[pc + 2] : p[pc + 3];
                case JGE_K -> next = Integer.compareUnsigned(a, kk) >= 0 ? p[pc + 2] : p[pc + 3];
                case JGE_X -> next = Integer.compareUnsigned(a, x) >= 0 ? p[pc + 2] : p[pc + 3];
                case JSET_K -> next = (a & kk) != 0 ? p[pc + 2] : p[pc + 3];
                case JSET_X -> next = (a & x) != 0 ? p[pc + 2] : p[pc + 3];
                case TAX -> x = a;
                case TXA -> a = x;
                default -> { return 0; }
            }
            pc = next;
        }
    }
}
