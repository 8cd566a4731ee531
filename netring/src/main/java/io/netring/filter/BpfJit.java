package io.netring.filter;

import java.util.List;
import java.util.function.Function;

/**
 * The way to the filter compiler, {@code BpfClassWriter}: it uses {@code java.lang.classfile},
 * final in JDK 24, so it is compiled for 24 apart from the rest (src/main/java24) and loaded
 * here only on JDK 24 or later. On JDK 22 and 23, and with
 * {@code -Dnetring.filter.interpret=true}, every program runs in the interpreter.
 */
final class BpfJit {
    private BpfJit() {}

    private static final Function<List<int[]>, CompiledFilter> WRITER = load();

    @SuppressWarnings("unchecked")
    private static Function<List<int[]>, CompiledFilter> load() {
        if (Runtime.version().feature() < 24) {
            return null;
        }
        try {
            Class<?> writer = Class.forName("io.netring.filter.BpfClassWriter");
            return (Function<List<int[]>, CompiledFilter>) writer.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            System.getLogger("io.netring").log(System.Logger.Level.INFO,
                    "the BPF filter compiler is not available (" + e + "); filters run in the interpreter");
            return null;
        }
    }

    /** Whether programs can be compiled on this JDK. */
    static boolean available() {
        return WRITER != null;
    }

    /** The program compiled to bytecode, or null (no compiler here, or a program too large for the JIT). */
    static CompiledFilter compile(List<int[]> rows) {
        return WRITER == null ? null : WRITER.apply(rows);
    }
}
