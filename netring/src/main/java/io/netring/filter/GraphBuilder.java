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

    GraphBuilder(int acceptK) {
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
        // v & m == 0 is "not (v jset m)": one instruction less, as libpcap's optimizer finds too
        if (op == Bpf.JEQ && operand instanceof Value.Const co && co.k() == 0 && v instanceof Value.Bin b
                && b.op() == Bpf.AND && b.right() instanceof Value.Const) {
            return intern(Node.test(b.left(), Bpf.JSET, b.right(), f, t));
        }
        return intern(Node.test(v, op, operand, t, f));
    }
}
