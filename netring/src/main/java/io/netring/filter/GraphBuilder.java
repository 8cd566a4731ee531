package io.netring.filter;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns a {@link Cond} into a graph of {@link Node}s, built from the returns upwards so that a
 * block reached from several places exists once (identical blocks are interned).
 */
final class GraphBuilder {
    /** Far above what fits in the kernel's 4096 instructions; stops runaway expressions early. */
    private static final int MAX_BLOCKS = 50_000;

    private final Map<Node.Key, Node> interned = new HashMap<>();
    final Node accept;
    final Node reject;
    /** Whether libpcap's optimizer, and so its peephole on a mask of all ones, runs on this program. */
    private final boolean optimized;
    /** The tests {@link #jset} made always true, by identity (interned nodes are canonical). */
    private final java.util.Set<Node> peepholed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    GraphBuilder(int acceptK, boolean optimized) {
        this.optimized = optimized;
        accept = Node.ret(acceptK);
        reject = Node.ret(0);
    }

    Node build(Cond c) {
        return gen(c, accept, reject);
    }

    Node intern(Node n) {
        if (n.kind == Node.Kind.RET) {
            return n;
        }
        if (n.kind == Node.Kind.TEST && n.t == n.f) {
            return n.t;     // both ways lead to the same place: the test decides nothing
        }
        if (interned.size() > MAX_BLOCKS) {
            throw new IllegalStateException("expression too complex: more than " + MAX_BLOCKS + " blocks");
        }
        return interned.computeIfAbsent(new Node.Key(n), k -> n);
    }

    private Node gen(Cond c, Node t, Node f) {
        return switch (c) {
            case Cond.True x -> t;
            case Cond.False x -> f;
            case Cond.And a -> gen(a.left(), gen(a.right(), t, f), f);
            case Cond.Or o -> gen(o.left(), t, gen(o.right(), t, f));
            case Cond.Not n -> gen(n.operand(), f, t);
            case Cond.If i -> gen(i.cond(), gen(i.then(), t, f), gen(i.otherwise(), t, f));
            case Cond.Let l -> intern(Node.let(l.slot(), Value.fold(l.value()), t));
            case Cond.Test x -> test(x, t, f);
        };
    }

    private Node test(Cond.Test x, Node t, Node f) {
        Value v = Value.fold(x.value());
        Value operand = Value.fold(x.operand());
        int op = x.op();
        if (v instanceof Value.Const cv && operand instanceof Value.Const co) {
            return Facts.evaluate(op, cv.k(), co.k()) ? t : f;
        }
        // v & m == 0 is "not (v jset m)": one instruction less, as libpcap's optimizer finds too.
        // Taken from the value before folding, which drops "& 0xffffffff" and libpcap does not.
        if (op == Bpf.JEQ && operand instanceof Value.Const co && co.k() == 0 && x.value() instanceof Value.Bin b
                && b.op() == Bpf.AND && Value.fold(b.right()) instanceof Value.Const m) {
            return jset(Value.fold(b.left()), m, f, t);
        }
        if (op == Bpf.JSET && operand instanceof Value.Const m) {
            return jset(v, m, t, f);
        }
        return intern(Node.test(v, op, operand, t, f));
    }

    /** True for an always-true test {@link #jset} made for a mask of all ones (not one the expression wrote). */
    boolean decidesNothing(Node n) {
        return peepholed.contains(n);
    }

    /**
     * {@code v jset m}, decided as libpcap's peephole decides it: never taken for a mask of 0,
     * and always taken for a mask of all ones, even though {@code v} may be 0. So
     * {@code ether[0] & 0xffffffff = 0} rejects every packet (and libpcap refuses it), and
     * {@code != 0} keeps every packet with a byte 0, a zero byte too. libpcap keeps the block
     * and its loads (a frame too short for them is still rejected): an always-true
     * {@code v >= 0} does the same here.
     */
    private Node jset(Value v, Value.Const m, Node t, Node f) {
        if (m.k() == 0) {
            return f;
        }
        if (m.k() == -1 && optimized) {
            Node always = intern(Node.test(v, Bpf.JGE, new Value.Const(0), t, f));
            peepholed.add(always);
            return always;
        }
        return intern(Node.test(v, Bpf.JSET, m, t, f));
    }
}
