package io.netring.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random valid classic BPF programs using every opcode the interpreter knows, with operands
 * chosen to reach the edges: offsets at and past a short frame's end, X + k wrapping, divisors
 * and shift counts of 0 and 32 or more, unsigned compares with the top bit set. Every scratch
 * word is stored before the body runs, since a read before any store has no shared meaning.
 */
final class ClassicProgramGenerator {
    private static final int[] INTERESTING = {0, 1, 2, 4, 14, 31, 32, 33, 63, 64, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x800, 0x86dd};
    private final Random rnd;

    ClassicProgramGenerator(long base) {
        rnd = new Random(base);
    }

    /** A program of the scratch stores, {@code body} random instructions and three returns. */
    BpfProgram program(int body) {
        List<BpfInstruction> p = new ArrayList<>();
        for (int slot = 0; slot < Bpf.MEMWORDS; slot++) {
            p.add(insn(Bpf.LD | Bpf.IMM, value()));
            p.add(insn(Bpf.ST, slot));
        }
        int total = p.size() + body + 3;
        while (p.size() < total - 3) {
            p.add(instruction(p.size(), total));
        }
        p.add(insn(Bpf.RET | Bpf.A, 0));
        p.add(insn(Bpf.RET | Bpf.X, 0));
        p.add(insn(Bpf.RET | Bpf.K, rnd.nextBoolean() ? 0 : 0x40000));
        return BpfProgram.of(p);
    }

    private BpfInstruction instruction(int at, int total) {
        int room = total - 1 - (at + 1);             // how far forward a jump may go
        int[] sizes = {Bpf.W, Bpf.H, Bpf.B};
        int size = sizes[rnd.nextInt(3)];
        int src = rnd.nextBoolean() ? Bpf.K : Bpf.X;
        return switch (rnd.nextInt(16)) {
            case 0, 1 -> insn(Bpf.LD | size | Bpf.ABS, offset());
            case 2 -> insn(Bpf.LD | size | Bpf.IND, rnd.nextInt(8) == 0 ? value() : rnd.nextInt(70) - 4);
            case 3 -> insn(Bpf.LDX | Bpf.B | Bpf.MSH, offset());
            case 4 -> insn(Bpf.LD | Bpf.IMM, value());
            case 5 -> insn(Bpf.LDX | Bpf.W | Bpf.IMM, rnd.nextInt(4) == 0 ? value() : rnd.nextInt(60));
            case 6 -> insn(rnd.nextBoolean() ? Bpf.LD | Bpf.W | Bpf.LEN : Bpf.LDX | Bpf.W | Bpf.LEN, 0);
            case 7 -> insn(new int[] {Bpf.LD | Bpf.MEM, Bpf.LDX | Bpf.W | Bpf.MEM, Bpf.ST, Bpf.STX}[rnd.nextInt(4)],
                    rnd.nextInt(Bpf.MEMWORDS));
            case 8, 9, 10 -> {
                int[] ops = {Bpf.ADD, Bpf.SUB, Bpf.MUL, Bpf.DIV, Bpf.MOD, Bpf.AND, Bpf.OR, Bpf.XOR, Bpf.LSH, Bpf.RSH, Bpf.NEG};
                int op = ops[rnd.nextInt(ops.length)];
                int k = op == Bpf.LSH || op == Bpf.RSH ? rnd.nextInt(40) : rnd.nextInt(6) == 0 ? 0 : value();
                yield insn(Bpf.ALU | op | (op == Bpf.NEG ? 0 : src), op == Bpf.NEG ? 0 : k);
            }
            case 11, 12, 13 -> {
                int[] ops = {Bpf.JEQ, Bpf.JGT, Bpf.JGE, Bpf.JSET};
                int jt = rnd.nextInt(Math.min(room, 255) + 1);
                int jf = rnd.nextInt(Math.min(room, 255) + 1);
                yield new BpfInstruction(Bpf.JMP | ops[rnd.nextInt(4)] | src, jt, jf, value());
            }
            case 14 -> rnd.nextInt(4) == 0 ? insn(Bpf.JMP | Bpf.JA, rnd.nextInt(room + 1))
                    : insn(Bpf.RET | new int[] {Bpf.K, Bpf.A, Bpf.X}[rnd.nextInt(3)], rnd.nextInt(3) == 0 ? 0 : 96);
            default -> insn(Bpf.MISC | (rnd.nextBoolean() ? Bpf.TAX : Bpf.TXA), 0);
        };
    }

    /** Mostly inside a short frame, sometimes just past it, rarely far out. */
    private int offset() {
        return switch (rnd.nextInt(10)) {
            case 0 -> new int[] {0x7ffe, 0x8000, XdpFilterCode.MAX_LOAD_OFFSET, XdpFilterCode.MAX_LOAD_OFFSET + 1, 0xffff}[rnd.nextInt(5)];
            default -> rnd.nextInt(100);
        };
    }

    private int value() {
        return rnd.nextBoolean() ? INTERESTING[rnd.nextInt(INTERESTING.length)] : rnd.nextInt(3) == 0 ? rnd.nextInt() : rnd.nextInt(256);
    }

    private static BpfInstruction insn(int code, int k) {
        return new BpfInstruction(code, 0, 0, k);
    }
}
