package io.netring.filter;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays the program graph out as classic BPF: blocks in topological order (so every jump goes
 * forward), a value still in A or X on every path into a block is not loaded again, and a
 * conditional jump farther than 255 instructions goes through an inserted {@code ja}.
 */
final class CodeEmitter {
    /** Scratch words 0..7 hold operands of arithmetic; 8..15 belong to protochain's walk. */
    static final int TEMP_SLOTS = 8;

    /** An instruction whose jump targets are still blocks (or, after layout, instructions). */
    private static final class Insn {
        int code;
        int k;
        Object jt;      // Node or Insn
        Object jf;
        Insn(int code, int k) {
            this.code = code;
            this.k = k;
        }
    }

    private record Regs(Value a, Value x) {
        Regs meet(Regs o) {
            return new Regs(java.util.Objects.equals(a, o.a) ? a : null, java.util.Objects.equals(x, o.x) ? x : null);
        }
    }

    private final List<Insn> out = new ArrayList<>();
    private Value a;
    private Value x;
    private int tempDepth;

    private CodeEmitter() {
    }

    /** The program as {code, jt, jf, k} rows. */
    static List<int[]> emit(Node root) {
        return emit(root, null);
    }

    /**
     * The program as {code, jt, jf, k} rows, starting with the computation of {@code firstLoad}
     * when the root block does not compute it (see {@link FilterCompiler#firstLoad}).
     */
    static List<int[]> emit(Node root, Value firstLoad) {
        return new CodeEmitter().run(root, firstLoad);
    }

    private List<int[]> run(Node root, Value firstLoad) {
        List<Node> order = Optimizer.topological(root);
        // returns last, so that every block jumps forward to them
        List<Node> blocks = new ArrayList<>();
        List<Node> rets = new ArrayList<>();
        for (Node n : order) {
            (n.kind == Node.Kind.RET ? rets : blocks).add(n);
        }
        rets.sort((x, y) -> Boolean.compare(x.op == 0, y.op == 0));   // accept first, as tcpdump prints it
        blocks.addAll(rets);
        Map<Node, Regs> entry = new IdentityHashMap<>();
        Map<Node, Insn> first = new IdentityHashMap<>();
        if (firstLoad != null && root.kind != Node.Kind.RET && !firstLoad.equals(root.value)) {
            computeA(firstLoad);
            entry.put(root, new Regs(a, x));
        }
        for (Node n : blocks) {
            Regs in = entry.getOrDefault(n, new Regs(null, null));
            a = in.a;
            x = in.x;
            int start = out.size();
            switch (n.kind) {
                case RET -> add(Bpf.RET | Bpf.K, n.op);
                case LET -> {
                    computeA(n.value);
                    add(Bpf.ST, n.op);
                    if (x != null && Value.reads(x, n.op)) {
                        x = null;
                    }
                    a = new Value.Mem(n.op);
                    Insn ja = add(Bpf.JMP | Bpf.JA, 0);
                    ja.jt = n.t;
                    flow(entry, n.t, new Regs(a, x));
                }
                case TEST -> {
                    Integer k = n.constant();
                    Insn jump;
                    if (k != null) {
                        computeA(n.value);
                        jump = add(Bpf.JMP | n.op | Bpf.K, k);
                    } else {
                        computeWithOperandInX(n.value, n.operand);
                        jump = add(Bpf.JMP | n.op | Bpf.X, 0);
                    }
                    jump.jt = n.t;
                    jump.jf = n.f;
                    Regs after = new Regs(a, x);
                    flow(entry, n.t, after);
                    flow(entry, n.f, after);
                }
            }
            first.put(n, out.get(start));
        }
        return layout(first);
    }

    private static void flow(Map<Node, Regs> entry, Node target, Regs regs) {
        Regs prev = entry.get(target);
        entry.put(target, prev == null ? regs : prev.meet(regs));
    }

    private Insn add(int code, int k) {
        Insn i = new Insn(code, k);
        out.add(i);
        return i;
    }

    private void computeWithOperandInX(Value v, Value operand) {
        if (v.equals(a) && operand.equals(x)) {
            return;
        }
        if (!Value.usesX(v) && !v.equals(operand)) {
            computeX(operand);
            computeA(v);
            return;
        }
        int slot = takeTemp();
        computeA(operand);
        add(Bpf.ST, slot);
        computeA(v);
        add(Bpf.LDX | Bpf.MEM, slot);
        x = operand;
        tempDepth--;
    }

    private int takeTemp() {
        if (tempDepth >= TEMP_SLOTS) {
            throw new IllegalStateException("too many registers needed to evaluate expression");
        }
        return tempDepth++;
    }

    private void computeA(Value v) {
        if (v.equals(a)) {
            return;
        }
        if (v.equals(x)) {
            add(Bpf.MISC | Bpf.TXA, 0);
            a = v;
            return;
        }
        switch (v) {
            case Value.Const c -> add(Bpf.LD | Bpf.IMM, c.k());
            case Value.Len l -> add(Bpf.LD | Bpf.W | Bpf.LEN, 0);
            case Value.Load l -> add(Bpf.LD | size(l.size()) | Bpf.ABS, l.off());
            case Value.LoadInd l -> {
                computeX(l.index());
                add(Bpf.LD | size(l.size()) | Bpf.IND, l.off());
            }
            case Value.Msh m -> {
                computeX(m);
                add(Bpf.MISC | Bpf.TXA, 0);
            }
            case Value.Mem m -> add(Bpf.LD | Bpf.MEM, m.slot());
            case Value.Neg n -> {
                computeA(n.operand());
                add(Bpf.ALU | Bpf.NEG, 0);
            }
            case Value.Bin b -> {
                if (b.right() instanceof Value.Const c && !constantNeedsX(b.op(), c.k())) {
                    computeA(b.left());
                    add(Bpf.ALU | b.op() | Bpf.K, c.k());
                } else {
                    computeWithOperandInX(b.left(), b.right());
                    add(Bpf.ALU | b.op() | Bpf.X, 0);
                }
            }
        }
        a = v;
    }

    /** The kernel refuses {@code div #0}, {@code mod #0} and shifts by 32 or more; through X they reject or mask at run time. */
    private static boolean constantNeedsX(int op, int k) {
        return ((op == Bpf.DIV || op == Bpf.MOD) && k == 0) || ((op == Bpf.LSH || op == Bpf.RSH) && (k < 0 || k >= 32));
    }

    private void computeX(Value v) {
        if (v.equals(x)) {
            return;
        }
        switch (v) {
            case Value.Const c -> add(Bpf.LDX | Bpf.W | Bpf.IMM, c.k());
            case Value.Msh m -> add(Bpf.LDX | Bpf.B | Bpf.MSH, m.off());
            case Value.Mem m -> add(Bpf.LDX | Bpf.MEM, m.slot());
            case Value.Len l -> add(Bpf.LDX | Bpf.W | Bpf.LEN, 0);
            default -> {
                computeA(v);
                add(Bpf.MISC | Bpf.TAX, 0);
            }
        }
        x = v;
    }

    private static int size(int bytes) {
        return switch (bytes) {
            case 4 -> Bpf.W;
            case 2 -> Bpf.H;
            case 1 -> Bpf.B;
            default -> throw new IllegalStateException("load size " + bytes);
        };
    }

    /** Resolves jumps to offsets, dropping jumps to the next instruction and adding long-jump trampolines. */
    private List<int[]> layout(Map<Node, Insn> first) {
        for (Insn i : out) {
            if (i.jt instanceof Node n) {
                i.jt = first.get(n);
            }
            if (i.jf instanceof Node n) {
                i.jf = first.get(n);
            }
        }
        // an unconditional jump to the very next instruction is dropped
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int p = 0; p < out.size() - 1; p++) {
                Insn i = out.get(p);
                if (i.code == (Bpf.JMP | Bpf.JA) && i.jt == out.get(p + 1)) {
                    Insn next = out.get(p + 1);
                    for (Insn j : out) {
                        if (j.jt == i) {
                            j.jt = next;
                        }
                        if (j.jf == i) {
                            j.jf = next;
                        }
                    }
                    out.remove(p);
                    changed = true;
                    break;
                }
            }
        }
        // conditional jumps reach 255 instructions; farther targets go through a ja placed right after
        changed = true;
        while (changed) {
            changed = false;
            Map<Insn, Integer> pos = positions();
            for (int p = 0; p < out.size(); p++) {
                Insn i = out.get(p);
                if ((i.code & 0x07) != Bpf.JMP || i.code == (Bpf.JMP | Bpf.JA)) {
                    continue;
                }
                boolean farT = pos.get((Insn) i.jt) - p - 1 > 255;
                boolean farF = pos.get((Insn) i.jf) - p - 1 > 255;
                if (farT || farF) {
                    int at = p + 1;
                    if (farT) {
                        Insn ja = new Insn(Bpf.JMP | Bpf.JA, 0);
                        ja.jt = i.jt;
                        out.add(at++, ja);
                        i.jt = ja;
                    }
                    if (farF) {
                        Insn ja = new Insn(Bpf.JMP | Bpf.JA, 0);
                        ja.jt = i.jf;
                        out.add(at, ja);
                        i.jf = ja;
                    }
                    changed = true;
                    break;
                }
            }
        }
        Map<Insn, Integer> pos = positions();
        List<int[]> rows = new ArrayList<>(out.size());
        for (int p = 0; p < out.size(); p++) {
            Insn i = out.get(p);
            if (i.code == (Bpf.JMP | Bpf.JA)) {
                rows.add(new int[] {i.code, 0, 0, pos.get((Insn) i.jt) - p - 1});
            } else if ((i.code & 0x07) == Bpf.JMP) {
                rows.add(new int[] {i.code, pos.get((Insn) i.jt) - p - 1, pos.get((Insn) i.jf) - p - 1, i.k});
            } else {
                rows.add(new int[] {i.code, 0, 0, i.k});
            }
        }
        return rows;
    }

    private Map<Insn, Integer> positions() {
        Map<Insn, Integer> pos = new IdentityHashMap<>();
        for (int p = 0; p < out.size(); p++) {
            pos.put(out.get(p), p);
        }
        return pos;
    }
}
