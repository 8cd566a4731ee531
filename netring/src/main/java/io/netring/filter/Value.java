package io.netring.filter;

/**
 * An arithmetic value of the filter language after expansion: what ends up in the A register
 * before a comparison. Records, so that equal values are recognised (the code generator reuses a
 * value still in a register, the optimizer reasons about tests on the same value).
 */
sealed interface Value {
    /** A constant. */
    record Const(int k) implements Value {
    }

    /** The wire length ({@code len}). */
    record Len() implements Value {
    }

    /** {@code size} bytes (1, 2 or 4) at the absolute frame offset {@code off}. */
    record Load(int size, int off) implements Value {
    }

    /** {@code size} bytes at {@code index + off}; {@code index} goes through X. */
    record LoadInd(int size, int off, Value index) implements Value {
    }

    /** Four times the low nibble of the byte at {@code off}: an IPv4 header length ({@code ldxb 4*([off]&0xf)}). */
    record Msh(int off) implements Value {
    }

    /** {@code left op right} with a BPF ALU operation ({@link Bpf#ADD}, ...). */
    record Bin(int op, Value left, Value right) implements Value {
    }

    /** The scratch memory word {@code slot} ({@code M[slot]}), written by a {@link Cond.Let}. */
    record Mem(int slot) implements Value {
    }

    /** {@code -operand}. */
    record Neg(Value operand) implements Value {
    }

    /** True when computing this value uses the X register (so X cannot carry another operand through it). */
    static boolean usesX(Value v) {
        return switch (v) {
            case LoadInd li -> true;
            case Msh m -> true;
            case Bin b -> !(b.right() instanceof Const) || usesX(b.left());
            case Neg n -> usesX(n.operand());
            default -> false;
        };
    }

    /** True when computing the value loads frame bytes (which fails on a frame too short). */
    static boolean readsFrame(Value v) {
        return switch (v) {
            case Load l -> true;
            case LoadInd li -> true;
            case Msh m -> true;
            case Bin b -> readsFrame(b.left()) || readsFrame(b.right());
            case Neg n -> readsFrame(n.operand());
            default -> false;
        };
    }

    /** True when the value reads scratch word {@code slot}. */
    static boolean reads(Value v, int slot) {
        return switch (v) {
            case Mem m -> m.slot() == slot;
            case LoadInd li -> reads(li.index(), slot);
            case Bin b -> reads(b.left(), slot) || reads(b.right(), slot);
            case Neg n -> reads(n.operand(), slot);
            default -> false;
        };
    }

    /** The value with constant subexpressions folded; {@code null} divisor checks are the caller's. */
    static Value fold(Value v) {
        if (v instanceof Bin b) {
            Value l = fold(b.left());
            Value r = fold(b.right());
            boolean byZero = r instanceof Const z && z.k() == 0 && (b.op() == Bpf.DIV || b.op() == Bpf.MOD);
            if (l instanceof Const cl && r instanceof Const cr && !byZero) {
                return new Const(apply(b.op(), cl.k(), cr.k()));
            }
            if (r instanceof Const cr) {
                int k = cr.k();
                if ((b.op() == Bpf.AND && k == 0) || (b.op() == Bpf.MUL && k == 0)) {
                    return new Const(0);
                }
                if ((k == 0 && (b.op() == Bpf.ADD || b.op() == Bpf.SUB || b.op() == Bpf.OR || b.op() == Bpf.XOR
                        || b.op() == Bpf.LSH || b.op() == Bpf.RSH)) || (k == 1 && (b.op() == Bpf.MUL || b.op() == Bpf.DIV))
                        || (k == -1 && b.op() == Bpf.AND)) {
                    return l;
                }
            }
            return new Bin(b.op(), l, r);
        }
        if (v instanceof Neg n) {
            Value o = fold(n.operand());
            return o instanceof Const c ? new Const(-c.k()) : new Neg(o);
        }
        if (v instanceof LoadInd li) {
            Value idx = fold(li.index());
            if (idx instanceof Const c && (long) c.k() + li.off() >= 0 && (long) c.k() + li.off() <= Integer.MAX_VALUE) {
                return new Load(li.size(), c.k() + li.off());
            }
            if (idx instanceof Bin b && b.op() == Bpf.ADD && b.right() instanceof Const c && c.k() >= 0
                    && (long) c.k() + li.off() <= Integer.MAX_VALUE) {
                return new LoadInd(li.size(), li.off() + c.k(), b.left());
            }
            return new LoadInd(li.size(), li.off(), idx);
        }
        return v;
    }

    /** {@code a op b} as the BPF ALU computes it (32-bit, unsigned division). */
    static int apply(int op, int a, int b) {
        return switch (op) {
            case Bpf.ADD -> a + b;
            case Bpf.SUB -> a - b;
            case Bpf.MUL -> a * b;
            case Bpf.DIV -> Integer.divideUnsigned(a, b);
            case Bpf.MOD -> Integer.remainderUnsigned(a, b);
            case Bpf.AND -> a & b;
            case Bpf.OR -> a | b;
            case Bpf.XOR -> a ^ b;
            case Bpf.LSH -> a << b;
            case Bpf.RSH -> a >>> b;
            default -> throw new IllegalStateException("ALU op " + op);
        };
    }
}
