package io.netring.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * What is known to hold on an edge of the program graph: outcomes of earlier tests of values
 * against constants. Decides a later test when the known outcomes imply its result, which lets
 * the optimizer jump past it (libpcap's optimizer does the same through edge dominators).
 */
final class Facts {
    /** {@code value op k} was {@code outcome}. */
    record Fact(Value value, int op, int k, boolean outcome) {
    }

    static final Facts NONE = new Facts(List.of());

    final List<Fact> facts;

    private Facts(List<Fact> facts) {
        this.facts = facts;
    }

    /** Facts kept per edge: the most recent ones, which are the ones later tests repeat. */
    private static final int MAX_FACTS = 48;

    Facts with(Fact fact) {
        List<Fact> out = new ArrayList<>(facts.size() + 1);
        out.addAll(facts.size() < MAX_FACTS ? facts : facts.subList(1, facts.size()));
        out.add(fact);
        return new Facts(out);
    }

    Facts intersect(Facts other) {
        List<Fact> out = new ArrayList<>(facts);
        out.retainAll(other.facts);
        return new Facts(out);
    }

    Facts forget(int slot) {
        List<Fact> out = new ArrayList<>();
        for (Fact f : facts) {
            if (!Value.reads(f.value(), slot)) {
                out.add(f);
            }
        }
        return new Facts(out);
    }

    /**
     * The outcome of {@code value op k} if these facts decide it, else null. Only libpcap's
     * inferences (its {@code fold_edge}): the same test on the same value has the same outcome,
     * and a value found equal to one constant is not equal to another. Deciding more (ranges,
     * bit masks) would let whole branches, and with them loads libpcap runs, disappear: a frame
     * too short for such a load would get another verdict, and an expression libpcap compiles
     * could become "rejects all packets".
     */
    Boolean decide(Value value, int op, int k) {
        for (Fact f : facts) {
            if (!f.value().equals(value)) {
                continue;
            }
            if (f.op() == op && f.k() == k) {
                return f.outcome();
            }
            if (f.op() == Bpf.JEQ && op == Bpf.JEQ && f.outcome()) {
                return false;       // equal to f.k(), so not to k
            }
        }
        return null;
    }

    /** {@code a op k} as the BPF jump decides it (unsigned). */
    static boolean evaluate(int op, int a, int k) {
        return switch (op) {
            case Bpf.JEQ -> a == k;
            case Bpf.JGT -> Integer.compareUnsigned(a, k) > 0;
            case Bpf.JGE -> Integer.compareUnsigned(a, k) >= 0;
            case Bpf.JSET -> (a & k) != 0;
            default -> throw new IllegalStateException("jump op " + op);
        };
    }
}
