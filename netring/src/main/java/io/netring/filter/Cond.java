package io.netring.filter;

/**
 * A boolean condition of the filter language after expansion: tests on {@link Value}s combined
 * with and/or/not. Evaluation is left to right and short-circuit, as the generated program runs.
 */
sealed interface Cond {
    /** Always true. */
    record True() implements Cond {
    }

    /** Always false. */
    record False() implements Cond {
    }

    /** {@code value op operand}: op is {@link Bpf#JEQ}, {@link Bpf#JGT}, {@link Bpf#JGE} or {@link Bpf#JSET}. */
    record Test(Value value, int op, Value operand) implements Cond {
    }

    /** Both, left first. */
    record And(Cond left, Cond right) implements Cond {
    }

    /** Either, left first. */
    record Or(Cond left, Cond right) implements Cond {
    }

    /** Stores {@code value} in scratch word {@code slot}; always true (protochain's walk keeps its offset there). */
    record Let(int slot, Value value) implements Cond {
    }

    /** {@code then} when {@code cond} holds, else {@code otherwise}; a failing {@code then} does not try {@code otherwise}. */
    record If(Cond cond, Cond then, Cond otherwise) implements Cond {
    }

    /** The opposite. */
    record Not(Cond operand) implements Cond {
    }

    Cond TRUE = new True();
    Cond FALSE = new False();

    static Cond and(Cond a, Cond b) {
        return new And(a, b);
    }

    static Cond or(Cond a, Cond b) {
        return new Or(a, b);
    }

    static Cond not(Cond a) {
        return a instanceof Not n ? n.operand() : new Not(a);
    }

    static Cond test(Value v, int op, int k) {
        return new Test(v, op, new Value.Const(k));
    }

    static Cond eq(Value v, int k) {
        return test(v, Bpf.JEQ, k);
    }
}
