package io.netring.filter;

import java.util.List;
import java.util.Objects;

/**
 * Compiles a pcap-filter(7) expression for Ethernet frames into classic BPF, in stages:
 * {@link FilterParser} (tokens, grammar, and each primitive expanded into tests by
 * {@link Primitives}) → {@link GraphBuilder} (a graph of test blocks) → {@link Optimizer}
 * (jumps past decided tests, merges identical blocks) and {@link Pullup} (libpcap's test
 * order) → {@link CodeEmitter} (instructions,
 * register reuse, long jumps).
 */
final class FilterCompiler {
    /** What an accepting program returns: the snapshot length tcpdump uses (the whole frame). */
    public static final int SNAPLEN = 262144;
    /** Rounds of pull-ups and re-optimization; libpcap too stops once a round changes nothing. */
    private static final int PULLUP_ROUNDS = 10;

    private FilterCompiler() {
    }

    /**
     * The program as {code, jt, jf, k} rows.
     * @throws FilterSyntaxException when the expression is malformed, unsupported, or rejects every packet
     */
    public static List<int[]> compile(String expression) {
        Objects.requireNonNull(expression, "expression");
        Cond cond = parse(expression);
        try {
            // libpcap leaves a program with protochain unoptimized (its loop defeats the
            // optimizer): every test runs in the written order, and so must ours
            boolean optimized = !walksProtocolChain(cond);
            GraphBuilder builder = new GraphBuilder(SNAPLEN, optimized);
            Node root = builder.build(cond);
            if (optimized) {
                root = Optimizer.optimize(root, builder);
                for (int round = 0; round < PULLUP_ROUNDS; round++) {
                    Node pulled = Pullup.apply(root, builder);
                    if (pulled == root) {
                        break;
                    }
                    root = Optimizer.optimize(pulled, builder);
                }
                checkConstantOperands(expression, root);
                // libpcap's opt_root: a first block that decides nothing and leads to a return is
                // the return alone, its loads dropped (ether[0] & 0xffffffff != 0 keeps even an empty frame)
                if (builder.decidesNothing(root) && root.t.kind == Node.Kind.RET) {
                    root = root.t;
                }
            }
            if (root == builder.reject) {
                throw new FilterSyntaxException(expression, -1, "expression rejects all packets");
            }
            List<int[]> rows = CodeEmitter.emit(root, firstLoad(cond));
            if (rows.size() > Bpf.MAXINSNS) {
                throw new FilterSyntaxException(expression, -1, "the program has " + rows.size()
                        + " instructions, more than the kernel's limit of " + Bpf.MAXINSNS);
            }
            return rows;
        } catch (StackOverflowError e) {
            throw new FilterSyntaxException(expression, -1, "expression too complex to compile");
        } catch (IllegalStateException e) {
            throw new FilterSyntaxException(expression, -1, e.getMessage());
        }
    }

    /**
     * The first stage alone, with {@link #compile}'s errors: the expression's condition tree.
     * @throws FilterSyntaxException when the expression is malformed or unsupported
     */
    static Cond parse(String expression) {
        Objects.requireNonNull(expression, "expression");
        try {
            return FilterParser.parse(expression);
        } catch (StackOverflowError e) {
            throw new FilterSyntaxException(expression, -1, "expression too complex to compile");
        } catch (IllegalStateException e) {
            throw new FilterSyntaxException(expression, -1, e.getMessage());
        }
    }

    /**
     * libpcap's optimizer refuses a division by a constant zero or a shift by a constant over 31
     * that is still in the program once unreachable code is gone (its parser only checks the first
     * instruction of the operand), so an expression is refused for them here, after optimizing.
     */
    private static void checkConstantOperands(String expression, Node root) {
        for (Node n : Optimizer.topological(root)) {
            if (n.kind != Node.Kind.RET) {
                String problem = constantProblem(n.value);
                if (problem == null && n.operand != null) {
                    problem = constantProblem(n.operand);
                }
                if (problem != null) {
                    throw new FilterSyntaxException(expression, -1, problem);
                }
            }
        }
    }

    private static String constantProblem(Value v) {
        return switch (v) {
            case Value.Bin b -> {
                if (b.right() instanceof Value.Const c) {
                    if (b.op() == Bpf.DIV && c.k() == 0) {
                        yield "division by zero";
                    }
                    if (b.op() == Bpf.MOD && c.k() == 0) {
                        yield "modulus by zero";
                    }
                    if ((b.op() == Bpf.LSH || b.op() == Bpf.RSH) && Integer.toUnsignedLong(c.k()) > 31) {
                        yield "shift by more than 31 bits";
                    }
                }
                String left = constantProblem(b.left());
                yield left != null ? left : constantProblem(b.right());
            }
            case Value.Neg n -> constantProblem(n.operand());
            case Value.LoadInd li -> constantProblem(li.index());
            default -> null;
        };
    }

    /** True when the condition stores to scratch memory, which only protochain's walk does. */
    static boolean walksProtocolChain(Cond c) {
        return switch (c) {
            case Cond.Let l -> true;
            case Cond.And a -> walksProtocolChain(a.left()) || walksProtocolChain(a.right());
            case Cond.Or o -> walksProtocolChain(o.left()) || walksProtocolChain(o.right());
            case Cond.Not n -> walksProtocolChain(n.operand());
            case Cond.If i -> walksProtocolChain(i.cond()) || walksProtocolChain(i.then()) || walksProtocolChain(i.otherwise());
            default -> false;
        };
    }

    /**
     * The value the expression's first test loads, when it reads frame bytes. libpcap never drops
     * its first block, so that load stays in its program even when the optimizer made the test
     * itself useless (unless the whole program became one return), and rejects a frame too short
     * for it; the emitter keeps it for the same verdicts.
     */
    static Value firstLoad(Cond c) {
        Cond first = c;
        while (true) {
            switch (first) {
                case Cond.And a -> first = a.left();
                case Cond.Or o -> first = o.left();
                case Cond.Not n -> first = n.operand();
                case Cond.If i -> first = i.cond();
                case Cond.Test t -> {
                    Value v = Value.fold(t.value());
                    return Value.readsFrame(v) ? v : null;
                }
                default -> {
                    return null;
                }
            }
        }
    }
}
