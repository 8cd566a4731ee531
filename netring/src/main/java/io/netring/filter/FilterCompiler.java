package io.netring.filter;

import java.util.List;
import java.util.Objects;

/**
 * Compiles a pcap-filter(7) expression for Ethernet frames into classic BPF, in stages:
 * {@link FilterParser} (tokens, grammar, and each primitive expanded into tests by
 * {@link Primitives}) → {@link GraphBuilder} (a graph of test blocks) → {@link Optimizer}
 * (jumps past decided tests, merges identical blocks) → {@link CodeEmitter} (instructions,
 * register reuse, long jumps).
 */
final class FilterCompiler {
    /** What an accepting program returns: the snapshot length tcpdump uses (the whole frame). */
    public static final int SNAPLEN = 262144;

    private FilterCompiler() {
    }

    /**
     * The program as {code, jt, jf, k} rows.
     * @throws FilterSyntaxException when the expression is malformed, unsupported, or rejects every packet
     */
    public static List<int[]> compile(String expression) {
        Objects.requireNonNull(expression, "expression");
        try {
            Cond cond = FilterParser.parse(expression);
            GraphBuilder builder = new GraphBuilder(SNAPLEN);
            Node root = Optimizer.optimize(builder.build(cond), builder);
            if (root == builder.reject) {
                throw new FilterSyntaxException(expression, -1, "expression rejects all packets");
            }
            List<int[]> rows = CodeEmitter.emit(root);
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
}
