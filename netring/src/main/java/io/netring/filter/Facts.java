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

    /** The outcome of {@code value op k} if these facts decide it, else null. */
    Boolean decide(Value value, int op, int k) {
        long lo = 0;
        long hi = 0xffff_ffffL;
        long uk = Integer.toUnsignedLong(k);
        boolean known = false;
        for (Fact f : facts) {
            if (!f.value().equals(value)) {
                continue;
            }
            known = true;
            if (f.op() == op && f.k() == k) {
                return f.outcome();
            }
            long fk = Integer.toUnsignedLong(f.k());
            switch (f.op()) {
                case Bpf.JEQ -> {
                    if (f.outcome()) {
                        return evaluate(op, f.k(), k);
                    }
                    if (op == Bpf.JEQ && fk == uk) {
                        return false;
                    }
                }
                case Bpf.JGT -> {
                    if (f.outcome()) {
                        lo = Math.max(lo, fk + 1);
                    } else {
                        hi = Math.min(hi, fk);
                    }
                }
                case Bpf.JGE -> {
                    if (f.outcome()) {
                        lo = Math.max(lo, fk);
                    } else {
                        hi = Math.min(hi, fk - 1);
                    }
                }
                case Bpf.JSET -> {
                    if (op == Bpf.JSET && !f.outcome() && (k & ~f.k()) == 0) {
                        return false;       // v & mask == 0 and k lies within mask
                    }
                    if (op == Bpf.JSET && f.outcome() && (f.k() & ~k) == 0) {
                        return true;        // v & fk != 0 and fk lies within k
                    }
                }
                default -> { }
            }
        }
        if (!known || lo > hi) {
            // nothing known of the value: even a test true of every value (v >= 0) stays, since
            // libpcap keeps it and its load rejects a frame too short for it; contradictory: the
            // edge is dead, leave it alone
            return null;
        }
        return switch (op) {
            case Bpf.JEQ -> (uk < lo || uk > hi) ? Boolean.FALSE : (lo == hi ? Boolean.TRUE : null);
            case Bpf.JGT -> lo > uk ? Boolean.TRUE : (hi <= uk ? Boolean.FALSE : null);
            case Bpf.JGE -> lo >= uk ? Boolean.TRUE : (hi < uk ? Boolean.FALSE : null);
            default -> null;
        };
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
