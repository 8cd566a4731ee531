package io.netring.filter;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves a test up a chain of or-ed (or and-ed) tests so that it sits next to the tests on the
 * same value, as libpcap's optimizer does (its {@code or_pullup} and {@code and_pullup}). The
 * verdict on a whole frame does not change; on a truncated frame it does, because the load that
 * fails first rejects the frame: {@code host (10.0.0.1 or 10.0.0.2)} on a cut ARP frame compares
 * both addresses with the sender field before it reads the target field. See docs/FILTERS.md.
 */
final class Pullup {
    /** A mutable copy of a graph block. */
    private static final class B {
        final Node node;
        B t;
        B f;
        int index;
        final List<B> preds = new ArrayList<>();
        BitSet dom;

        B(Node node) {
            this.node = node;
        }

        boolean isTest() {
            return node.kind == Node.Kind.TEST;
        }

        /** The successor on the chain: false for an or-chain, true for an and-chain. */
        B next(boolean or) {
            return or ? f : t;
        }

        /** The shared exit: true for an or-chain, false for an and-chain. */
        B exit(boolean or) {
            return or ? t : f;
        }

        void setNext(boolean or, B target) {
            if (or) {
                f = target;
            } else {
                t = target;
            }
        }
    }

    private final List<B> blocks = new ArrayList<>();
    private final B root;

    private Pullup(Node rootNode) {
        Map<Node, B> map = new IdentityHashMap<>();
        for (Node n : Optimizer.topological(rootNode)) {
            B b = new B(n);
            map.put(n, b);
            blocks.add(b);
        }
        for (B b : blocks) {
            b.t = b.node.t == null ? null : map.get(b.node.t);
            b.f = b.node.f == null ? null : map.get(b.node.f);
        }
        root = map.get(rootNode);
    }

    /** The graph with every pull-up libpcap's rules allow, or {@code root} itself when there is none. */
    static Node apply(Node root, GraphBuilder builder) {
        Pullup p = new Pullup(root);
        boolean changed = false;
        // from the blocks nearest the returns upwards, as libpcap walks its levels
        for (B b : p.byLevel()) {
            for (boolean or : new boolean[] {true, false}) {
                p.analyse();
                if (p.pull(b, or)) {
                    changed = true;
                }
            }
        }
        return changed ? p.rebuild(builder) : root;
    }

    private List<B> byLevel() {
        Map<B, Integer> level = new IdentityHashMap<>();
        for (int i = blocks.size() - 1; i >= 0; i--) {
            B b = blocks.get(i);
            int l = 0;
            if (b.t != null) {
                l = Math.max(l, level.get(b.t) + 1);
            }
            if (b.f != null) {
                l = Math.max(l, level.get(b.f) + 1);
            }
            level.put(b, l);
        }
        List<B> out = new ArrayList<>(blocks);
        out.removeIf(b -> level.get(b) == 0);
        out.sort((x, y) -> Integer.compare(level.get(x), level.get(y)));
        return out;
    }

    /** Predecessors and dominators of the current graph (blocks unreachable now are dropped). */
    private void analyse() {
        List<B> order = PostOrder.of(root, b -> b.t, b -> b.f);
        blocks.clear();
        for (int i = order.size() - 1; i >= 0; i--) {
            blocks.add(order.get(i));
        }
        for (int i = 0; i < blocks.size(); i++) {
            blocks.get(i).index = i;
            blocks.get(i).preds.clear();
            blocks.get(i).dom = null;
        }
        for (B b : blocks) {
            if (b.t != null) {
                b.t.preds.add(b);
            }
            if (b.f != null && b.f != b.t) {
                b.f.preds.add(b);
            }
        }
        for (B b : blocks) {
            BitSet d = null;
            for (B p : b.preds) {
                if (d == null) {
                    d = (BitSet) p.dom.clone();
                } else {
                    d.and(p.dom);
                }
            }
            if (d == null) {
                d = new BitSet();
            }
            d.set(b.index);
            b.dom = d;
        }
    }

    /**
     * One pull-up below {@code b}: its predecessors all test one value; past the tests of that
     * value at the top of b's chain comes a test of another value, and farther down a test of the
     * first value again, all of them leaving the chain to the same exit and dominated by b. That
     * test moves up, before the other value's test.
     */
    private boolean pull(B b, boolean or) {
        if (!b.isTest() || b.preds.isEmpty()) {
            return false;
        }
        Value val = null;
        for (B p : b.preds) {
            if (!p.isTest() || (val != null && !val.equals(p.node.value))) {
                return false;
            }
            val = p.node.value;
        }
        B exit = b.exit(or);
        B above = null;         // the chain block whose next edge leads to diff; null: b's predecessors
        B diff = b;
        while (true) {
            if (diff == null || !diff.isTest() || diff.exit(or) != exit || !diff.dom.get(b.index)) {
                return false;
            }
            if (!diff.node.value.equals(val)) {
                break;
            }
            above = diff;
            diff = diff.next(or);
        }
        B beforeSame = diff;
        B same = diff.next(or);
        while (true) {
            if (same == null || !same.isTest() || same.exit(or) != exit || !same.dom.get(b.index)) {
                return false;
            }
            if (same.node.value.equals(val)) {
                break;
            }
            beforeSame = same;
            same = same.next(or);
        }
        if (same.preds.size() != 1) {
            return false;       // moving a block other paths share would change their meaning
        }
        beforeSame.setNext(or, same.next(or));
        same.setNext(or, diff);
        if (above == null) {
            for (B p : b.preds) {
                if (p.t == b) {
                    p.t = same;
                }
                if (p.f == b) {
                    p.f = same;
                }
            }
        } else {
            above.setNext(or, same);
        }
        return true;
    }

    private Node rebuild(GraphBuilder builder) {
        analyse();
        Map<B, Node> built = new IdentityHashMap<>();
        for (int i = blocks.size() - 1; i >= 0; i--) {
            B b = blocks.get(i);
            Node n = b.node;
            Node r = switch (n.kind) {
                case RET -> n;
                case LET -> builder.intern(Node.let(n.op, n.value, built.get(b.t)));
                case TEST -> builder.intern(Node.test(n.value, n.op, n.operand, built.get(b.t), built.get(b.f)));
            };
            built.put(b, r);
        }
        return built.get(root);
    }
}
