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
 * <p>The program is flattened into four int arrays once; {@link #run} allocates nothing (the
 * scratch memory, when the program uses it, is one int[16] per thread).
 */
final class BpfInterpreter {
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[Bpf.MEMWORDS]);

    private final int[] code;
    private final int[] jt;
    private final int[] jf;
    private final int[] k;
    private final boolean usesMemory;

    /** Flattens the program (a list of {@code {code, jt, jf, k}} rows). */
    public BpfInterpreter(List<int[]> rows) {
        int n = rows.size();
        code = new int[n];
        jt = new int[n];
        jf = new int[n];
        k = new int[n];
        boolean mem = false;
        for (int i = 0; i < n; i++) {
            int[] r = rows.get(i);
            code[i] = r[0];
            jt[i] = r[1];
            jf[i] = r[2];
            k[i] = r[3];
            int cls = r[0] & 0x07;
            mem |= (cls == Bpf.ST || cls == Bpf.STX || ((cls == Bpf.LD || cls == Bpf.LDX) && (r[0] & 0xe0) == Bpf.MEM));
        }
        usesMemory = mem;
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
        final int[] mem = usesMemory ? SCRATCH.get() : null;
        int a = 0;
        int x = 0;
        int pc = 0;
        while (true) {
            int op = code[pc];
            int kk = k[pc];
            switch (op) {
                case Bpf.RET | Bpf.K -> { return kk; }
                case Bpf.RET | Bpf.A -> { return a; }
                case Bpf.RET | Bpf.X -> { return x; }
                case Bpf.LD | Bpf.W | Bpf.ABS, Bpf.LD | Bpf.H | Bpf.ABS, Bpf.LD | Bpf.B | Bpf.ABS,
                     Bpf.LD | Bpf.W | Bpf.IND, Bpf.LD | Bpf.H | Bpf.IND, Bpf.LD | Bpf.B | Bpf.IND -> {
                    // X + k as the kernel adds them; a negative offset names ancillary data, not frame bytes
                    int off = (op & 0xe0) == Bpf.IND ? x + kk : kk;
                    if (off < 0) {
                        return 0;
                    }
                    int size = switch (op & 0x18) { case Bpf.W -> 4; case Bpf.H -> 2; default -> 1; };
                    if ((long) off + size > caplen) {
                        return 0;
                    }
                    a = switch (size) {
                        case 4 -> frame.get(BE_INT, base + off);
                        case 2 -> Short.toUnsignedInt(frame.get(BE_SHORT, base + off));
                        default -> Byte.toUnsignedInt(frame.get(ValueLayout.JAVA_BYTE, base + off));
                    };
                }
                case Bpf.LD | Bpf.IMM -> a = kk;
                case Bpf.LD | Bpf.W | Bpf.LEN -> a = wireLength;
                case Bpf.LD | Bpf.MEM -> a = mem[kk & 0xf];
                case Bpf.LDX | Bpf.W | Bpf.IMM -> x = kk;
                case Bpf.LDX | Bpf.W | Bpf.LEN -> x = wireLength;
                case Bpf.LDX | Bpf.W | Bpf.MEM -> x = mem[kk & 0xf];
                case Bpf.LDX | Bpf.B | Bpf.MSH -> {
                    if (kk < 0 || kk >= caplen) {
                        return 0;
                    }
                    x = (frame.get(ValueLayout.JAVA_BYTE, base + kk) & 0xf) << 2;
                }
                case Bpf.ST -> mem[kk & 0xf] = a;
                case Bpf.STX -> mem[kk & 0xf] = x;
                case Bpf.ALU | Bpf.ADD | Bpf.K -> a += kk;
                case Bpf.ALU | Bpf.ADD | Bpf.X -> a += x;
                case Bpf.ALU | Bpf.SUB | Bpf.K -> a -= kk;
                case Bpf.ALU | Bpf.SUB | Bpf.X -> a -= x;
                case Bpf.ALU | Bpf.MUL | Bpf.K -> a *= kk;
                case Bpf.ALU | Bpf.MUL | Bpf.X -> a *= x;
                case Bpf.ALU | Bpf.DIV | Bpf.K, Bpf.ALU | Bpf.DIV | Bpf.X -> {
                    int d = (op & Bpf.X) != 0 ? x : kk;
                    if (d == 0) {
                        return 0;
                    }
                    a = Integer.divideUnsigned(a, d);
                }
                case Bpf.ALU | Bpf.MOD | Bpf.K, Bpf.ALU | Bpf.MOD | Bpf.X -> {
                    int d = (op & Bpf.X) != 0 ? x : kk;
                    if (d == 0) {
                        return 0;
                    }
                    a = Integer.remainderUnsigned(a, d);
                }
                case Bpf.ALU | Bpf.AND | Bpf.K -> a &= kk;
                case Bpf.ALU | Bpf.AND | Bpf.X -> a &= x;
                case Bpf.ALU | Bpf.OR | Bpf.K -> a |= kk;
                case Bpf.ALU | Bpf.OR | Bpf.X -> a |= x;
                case Bpf.ALU | Bpf.XOR | Bpf.K -> a ^= kk;
                case Bpf.ALU | Bpf.XOR | Bpf.X -> a ^= x;
                case Bpf.ALU | Bpf.LSH | Bpf.K -> a <<= kk;   // the kernel refuses k >= 32 at attach
                case Bpf.ALU | Bpf.LSH | Bpf.X -> a <<= x;    // Java masks the count to 5 bits, as the kernel does
                case Bpf.ALU | Bpf.RSH | Bpf.K -> a >>>= kk;
                case Bpf.ALU | Bpf.RSH | Bpf.X -> a >>>= x;
                case Bpf.ALU | Bpf.NEG -> a = -a;
                case Bpf.JMP | Bpf.JA -> pc += kk;
                case Bpf.JMP | Bpf.JEQ | Bpf.K -> pc += a == kk ? jt[pc] : jf[pc];
                case Bpf.JMP | Bpf.JEQ | Bpf.X -> pc += a == x ? jt[pc] : jf[pc];
                case Bpf.JMP | Bpf.JGT | Bpf.K -> pc += Integer.compareUnsigned(a, kk) > 0 ? jt[pc] : jf[pc];
                case Bpf.JMP | Bpf.JGT | Bpf.X -> pc += Integer.compareUnsigned(a, x) > 0 ? jt[pc] : jf[pc];
                case Bpf.JMP | Bpf.JGE | Bpf.K -> pc += Integer.compareUnsigned(a, kk) >= 0 ? jt[pc] : jf[pc];
                case Bpf.JMP | Bpf.JGE | Bpf.X -> pc += Integer.compareUnsigned(a, x) >= 0 ? jt[pc] : jf[pc];
                case Bpf.JMP | Bpf.JSET | Bpf.K -> pc += (a & kk) != 0 ? jt[pc] : jf[pc];
                case Bpf.JMP | Bpf.JSET | Bpf.X -> pc += (a & x) != 0 ? jt[pc] : jf[pc];
                case Bpf.MISC | Bpf.TAX -> x = a;
                case Bpf.MISC | Bpf.TXA -> a = x;
                default -> { return 0; }
            }
            pc++;
        }
    }
}
