package io.netring.filter;

/**
 * One block of the program graph: a test on a value with a true and a false successor, a store
 * to scratch memory with one successor, or a return. Blocks compute their value from scratch
 * (the emitter later drops loads whose value is still in a register), so the optimizer may
 * bypass a block whose outcome is already known on an edge.
 */
final class Node {
    enum Kind { TEST, LET, RET }

    final Kind kind;
    final Value value;      // TEST: the tested value; LET: the stored value
    final int op;           // TEST: JEQ/JGT/JGE/JSET; LET: the slot; RET: the return value
    final Value operand;    // TEST: the constant or value compared with
    final Node t;           // TEST: on true; LET: next
    final Node f;           // TEST: on false
    private final int hash;

    private Node(Kind kind, Value value, int op, Value operand, Node t, Node f) {
        this.kind = kind;
        this.value = value;
        this.op = op;
        this.operand = operand;
        this.t = t;
        this.f = f;
        this.hash = java.util.Objects.hash(kind, value, op, operand, System.identityHashCode(t), System.identityHashCode(f));
    }

    static Node test(Value value, int op, Value operand, Node t, Node f) {
        return new Node(Kind.TEST, value, op, operand, t, f);
    }

    static Node let(int slot, Value value, Node next) {
        return new Node(Kind.LET, value, slot, null, next, null);
    }

    static Node ret(int k) {
        return new Node(Kind.RET, null, k, null, null, null);
    }

    /** The constant compared with, or null when the operand is computed. */
    Integer constant() {
        return operand instanceof Value.Const c ? c.k() : null;
    }

    /** Structural identity: same kind, values and the very same successors. */
    boolean sameAs(Node o) {
        return kind == o.kind && op == o.op && t == o.t && f == o.f && java.util.Objects.equals(value, o.value)
                && java.util.Objects.equals(operand, o.operand);
    }

    /** A key for interning by {@link #sameAs}. */
    record Key(Node node) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.node.sameAs(node);
        }

        @Override
        public int hashCode() {
            return node.hash;
        }
    }
}
