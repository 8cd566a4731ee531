package io.netring.filter;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shrinks the program graph the way libpcap's optimizer does where it matters: an edge that
 * leads to a test whose outcome is already implied by the tests before it (on every path to
 * that edge) is redirected past it, and blocks that became identical are merged. Repeated
 * until nothing changes.
 */
final class Optimizer {
    private static final int MAX_ROUNDS = 20;

    private Optimizer() {
    }

    static Node optimize(Node root, GraphBuilder builder) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Node next = round(root, builder);
            if (next == root) {
                return root;
            }
            root = next;
        }
        return root;
    }

    /** Nodes reachable from root, each before all of its successors. */
    static List<Node> topological(Node root) {
        List<Node> order = PostOrder.of(root, n -> n.t, n -> n.f);
        Collections.reverse(order);
        return order;
    }

    private static Node round(Node root, GraphBuilder builder) {
        List<Node> order = topological(root);
        Map<Node, Facts> entry = new IdentityHashMap<>();
        entry.put(root, Facts.NONE);
        Map<Node, Node> newT = new IdentityHashMap<>();
        Map<Node, Node> newF = new IdentityHashMap<>();
        for (Node n : order) {
            Facts in = entry.get(n);
            if (in == null) {
                in = Facts.NONE;
            }
            switch (n.kind) {
                case RET -> { }
                case LET -> {
                    Facts out = in.forget(n.op);
                    newT.put(n, n.t);
                    merge(entry, n.t, out);
                }
                case TEST -> {
                    Integer k = n.constant();
                    Facts onTrue = k == null ? in : in.with(new Facts.Fact(n.value, n.op, k, true));
                    Facts onFalse = k == null ? in : in.with(new Facts.Fact(n.value, n.op, k, false));
                    Node t = thread(n.t, onTrue);
                    Node f = thread(n.f, onFalse);
                    newT.put(n, t);
                    newF.put(n, f);
                    merge(entry, t, onTrue);
                    merge(entry, f, onFalse);
                }
            }
        }
        // Rebuild bottom-up with the redirected edges, interning so identical blocks merge.
        Map<Node, Node> rebuilt = new IdentityHashMap<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            Node n = order.get(i);
            Node r = switch (n.kind) {
                case RET -> n;
                case LET -> builder.intern(Node.let(n.op, n.value, resolve(newT.get(n), rebuilt)));
                case TEST -> builder.intern(Node.test(n.value, n.op, n.operand, resolve(newT.get(n), rebuilt),
                        resolve(newF.get(n), rebuilt)));
            };
            rebuilt.put(n, r);
        }
        Node result = rebuilt.get(root);
        return same(order, rebuilt) ? root : result;
    }

    private static boolean same(List<Node> order, Map<Node, Node> rebuilt) {
        for (Node n : order) {
            Node r = rebuilt.get(n);
            if (r != n) {
                return false;
            }
        }
        return true;
    }

    private static Node resolve(Node target, Map<Node, Node> rebuilt) {
        Node r = rebuilt.get(target);
        if (r == null) {
            throw new IllegalStateException("target not rebuilt before its predecessor");
        }
        return r;
    }

    /** Follows tests the facts decide, returning the first block they do not. */
    private static Node thread(Node target, Facts facts) {
        Node n = target;
        for (int hops = 0; hops < 10_000 && n.kind == Node.Kind.TEST; hops++) {
            Integer k = n.constant();
            if (k == null) {
                break;
            }
            Boolean outcome = facts.decide(n.value, n.op, k);
            if (outcome == null) {
                break;
            }
            n = outcome ? n.t : n.f;
        }
        return n;
    }

    private static void merge(Map<Node, Facts> entry, Node target, Facts facts) {
        Facts prev = entry.get(target);
        entry.put(target, prev == null ? facts : prev.intersect(facts));
    }
}
