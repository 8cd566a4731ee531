package io.netring.filter;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.function.Function;

import static io.netring.filter.BpfInterpreter.*;

/**
 * Compiles a classic BPF program to a hidden class ({@link CompiledFilter}) with
 * {@code java.lang.classfile} (final in JDK 24: this file is compiled for 24 and loaded by
 * {@link BpfJit} only on such a JDK): one stretch of straight-line bytecode per instruction, jumps as
 * branches (classic BPF jumps only forward, so the code has no loops), A, X and the sixteen
 * scratch words in locals, loads through {@link MemorySegment#get} after the interpreter's own
 * bounds checks. The verdicts are the interpreter's, instruction for instruction; the JIT then
 * compiles the method like any other. A program whose method would pass the JIT's size limit
 * for compiling a method at all (HugeMethodLimit, 8000 bytes) is not compiled: null.
 */
final class BpfClassWriter implements Function<List<int[]>, CompiledFilter> {
    /** The JIT does not compile a method whose bytecode is longer (HotSpot's HugeMethodLimit). */
    static final int MAX_CODE_BYTES = 8000;
    /** The shortest an instruction's code gets (a return, a register move): longer programs are not tried. */
    private static final int MIN_BYTES_PER_INSTRUCTION = 2;

    @Override
    public CompiledFilter apply(List<int[]> rows) {
        return compile(rows);
    }

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final ClassDesc CD_THIS = ClassDesc.of("io.netring.filter.CompiledBpf");
    private static final ClassDesc CD_BASE = ClassDesc.of(CompiledFilter.class.getName());
    private static final ClassDesc CD_SEGMENT = ClassDesc.of(MemorySegment.class.getName());
    private static final ClassDesc CD_OF_INT = ClassDesc.of(ValueLayout.OfInt.class.getName());
    private static final ClassDesc CD_OF_SHORT = ClassDesc.of(ValueLayout.OfShort.class.getName());
    private static final ClassDesc CD_OF_BYTE = ClassDesc.of(ValueLayout.OfByte.class.getName());
    private static final MethodTypeDesc RUN = MethodTypeDesc.of(ConstantDescs.CD_int, CD_SEGMENT, ConstantDescs.CD_long,
            ConstantDescs.CD_long, ConstantDescs.CD_int);
    private static final MethodTypeDesc INT_INT_INT = MethodTypeDesc.of(ConstantDescs.CD_int, ConstantDescs.CD_int,
            ConstantDescs.CD_int);

    // Locals of run(): this, frame, base (2 slots), caplen (2 slots), wireLength, then ours.
    private static final int FRAME = 1, BASE = 2, CAPLEN = 4, WIRE = 6, A = 7, X = 8, MEM = 9, OFF = MEM + Bpf.MEMWORDS;

    /** The program compiled, or null when its method would be too large for the JIT. */
    static CompiledFilter compile(List<int[]> rows) {
        if ((long) rows.size() * MIN_BYTES_PER_INSTRUCTION > MAX_CODE_BYTES) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = build(rows);
        } catch (IllegalArgumentException tooLong) {
            return null;                    // past the class file's 64 KiB per method
        }
        if (runCodeLength(bytes) > MAX_CODE_BYTES) {
            return null;
        }
        try {
            MethodHandles.Lookup hidden = LOOKUP.defineHiddenClass(bytes, true);
            return (CompiledFilter) hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (Throwable t) {
            throw new IllegalStateException("defining the compiled filter failed", t);
        }
    }

    private static byte[] build(List<int[]> rows) {
        return ClassFile.of().build(CD_THIS, cb -> cb
                .withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SUPER)
                .withSuperclass(CD_BASE)
                .withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, 0, b -> b
                        .aload(0).invokespecial(CD_BASE, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void).return_())
                .withMethodBody("run", RUN, ClassFile.ACC_FINAL, b -> new Emitter(b, rows).emit()));
    }

    private static int runCodeLength(byte[] bytes) {
        for (MethodModel m : ClassFile.of().parse(bytes).methods()) {
            if (m.methodName().equalsString("run")) {
                return m.findAttribute(Attributes.code()).map(CodeAttribute::codeLength).orElse(0);
            }
        }
        return 0;
    }

    /** Writes one program's run() body. */
    private static final class Emitter {
        private final CodeBuilder b;
        private final List<int[]> rows;
        private final Label[] at;
        private final Label reject;

        Emitter(CodeBuilder b, List<int[]> rows) {
            this.b = b;
            this.rows = rows;
            this.at = new Label[rows.size()];
            for (int i = 0; i < at.length; i++) {
                at[i] = b.newLabel();
            }
            this.reject = b.newLabel();
        }

        void emit() {
            for (int local = A; local < OFF; local++) {
                b.iconst_0().istore(local);     // A, X and the scratch words start at 0
            }
            for (int i = 0; i < rows.size(); i++) {
                b.labelBinding(at[i]);
                instruction(i, rows.get(i));
            }
            b.labelBinding(reject);
            b.iconst_0().ireturn();
        }

        private void instruction(int i, int[] r) {
            int op = dense(r[0]);
            int k = r[3];
            switch (op) {
                case REJECT -> b.goto_(reject);
                case RET_K -> b.loadConstant(k).ireturn();
                case RET_A -> b.iload(A).ireturn();
                case RET_X -> b.iload(X).ireturn();
                case LDW_ABS, LDH_ABS, LDB_ABS -> loadAbsolute(op, k);
                case LDW_IND, LDH_IND, LDB_IND -> loadIndirect(op, k);
                case LD_IMM -> b.loadConstant(k).istore(A);
                case LD_LEN -> b.iload(WIRE).istore(A);
                case LD_MEM -> b.iload(MEM + (k & 0xf)).istore(A);
                case LDX_IMM -> b.loadConstant(k).istore(X);
                case LDX_LEN -> b.iload(WIRE).istore(X);
                case LDX_MEM -> b.iload(MEM + (k & 0xf)).istore(X);
                case LDX_MSH -> {
                    if (k < 0) {
                        b.goto_(reject);
                        return;
                    }
                    b.loadConstant((long) k).lload(CAPLEN).lcmp().ifge(reject);  // k >= caplen rejects
                    readByte(() -> b.loadConstant((long) k));
                    b.bipush(0xf).iand().iconst_2().ishl().istore(X);
                }
                case ST -> b.iload(A).istore(MEM + (k & 0xf));
                case STX -> b.iload(X).istore(MEM + (k & 0xf));
                case ADD_K -> alu(k, CodeBuilder::iadd);
                case ADD_X -> aluX(CodeBuilder::iadd);
                case SUB_K -> alu(k, CodeBuilder::isub);
                case SUB_X -> aluX(CodeBuilder::isub);
                case MUL_K -> alu(k, CodeBuilder::imul);
                case MUL_X -> aluX(CodeBuilder::imul);
                case AND_K -> alu(k, CodeBuilder::iand);
                case AND_X -> aluX(CodeBuilder::iand);
                case OR_K -> alu(k, CodeBuilder::ior);
                case OR_X -> aluX(CodeBuilder::ior);
                case XOR_K -> alu(k, CodeBuilder::ixor);
                case XOR_X -> aluX(CodeBuilder::ixor);
                case LSH_K -> alu(k, CodeBuilder::ishl);       // the JVM masks the count to 5 bits, as the interpreter
                case LSH_X -> aluX(CodeBuilder::ishl);
                case RSH_K -> alu(k, CodeBuilder::iushr);
                case RSH_X -> aluX(CodeBuilder::iushr);
                case NEG -> b.iload(A).ineg().istore(A);
                case DIV_K, MOD_K -> {
                    if (k == 0) {
                        b.goto_(reject);
                        return;
                    }
                    b.iload(A).loadConstant(k);
                    unsignedDivide(op == DIV_K);
                }
                case DIV_X, MOD_X -> {
                    b.iload(X).ifeq(reject);
                    b.iload(A).iload(X);
                    unsignedDivide(op == DIV_X);
                }
                case JA -> b.goto_(at[i + 1 + k]);
                case JEQ_K, JEQ_X, JGT_K, JGT_X, JGE_K, JGE_X, JSET_K, JSET_X -> jump(i, op, r);
                case TAX -> b.iload(A).istore(X);
                case TXA -> b.iload(X).istore(A);
                default -> b.goto_(reject);
            }
        }

        private void alu(int k, java.util.function.Consumer<CodeBuilder> operation) {
            b.iload(A).loadConstant(k);
            operation.accept(b);
            b.istore(A);
        }

        private void aluX(java.util.function.Consumer<CodeBuilder> operation) {
            b.iload(A).iload(X);
            operation.accept(b);
            b.istore(A);
        }

        private void unsignedDivide(boolean quotient) {
            b.invokestatic(ConstantDescs.CD_Integer, quotient ? "divideUnsigned" : "remainderUnsigned", INT_INT_INT);
            b.istore(A);
        }

        /** A load at constant offset {@code k}: a negative one (ancillary data) rejects, as in the interpreter. */
        private void loadAbsolute(int op, int k) {
            if (k < 0) {
                b.goto_(reject);
                return;
            }
            b.loadConstant((long) k + width(op)).lload(CAPLEN).lcmp().ifgt(reject);
            load(op, () -> b.loadConstant((long) k));
        }

        /** A load at X + k (an int sum, wrapping as the interpreter's): negative or past the bytes rejects. */
        private void loadIndirect(int op, int k) {
            b.iload(X).loadConstant(k).iadd().istore(OFF);
            b.iload(OFF).iflt(reject);
            b.iload(OFF).i2l().loadConstant((long) width(op)).ladd().lload(CAPLEN).lcmp().ifgt(reject);
            load(op, () -> b.iload(OFF).i2l());
        }

        private static int width(int op) {
            return switch (op) {
                case LDW_ABS, LDW_IND -> 4;
                case LDH_ABS, LDH_IND -> 2;
                default -> 1;
            };
        }

        /** A = the frame's bytes at base + the offset {@code offset} pushes (a long), big-endian, unsigned. */
        private void load(int op, Runnable offset) {
            switch (width(op)) {
                case 4 -> {
                    b.aload(FRAME).getstatic(CD_BASE, "BE_INT", CD_OF_INT);
                    offsetFromBase(offset);
                    b.invokeinterface(CD_SEGMENT, "get", MethodTypeDesc.of(ConstantDescs.CD_int, CD_OF_INT, ConstantDescs.CD_long));
                }
                case 2 -> {
                    b.aload(FRAME).getstatic(CD_BASE, "BE_SHORT", CD_OF_SHORT);
                    offsetFromBase(offset);
                    b.invokeinterface(CD_SEGMENT, "get", MethodTypeDesc.of(ConstantDescs.CD_short, CD_OF_SHORT, ConstantDescs.CD_long));
                    b.loadConstant(0xffff).iand();
                }
                default -> {
                    readByte(offset);
                    b.loadConstant(0xff).iand();
                }
            }
            b.istore(A);
        }

        /** Pushes the signed byte at base + the offset {@code offset} pushes. */
        private void readByte(Runnable offset) {
            b.aload(FRAME).getstatic(CD_BASE, "BYTE", CD_OF_BYTE);
            offsetFromBase(offset);
            b.invokeinterface(CD_SEGMENT, "get", MethodTypeDesc.of(ConstantDescs.CD_byte, CD_OF_BYTE, ConstantDescs.CD_long));
        }

        private void offsetFromBase(Runnable offset) {
            b.lload(BASE);
            offset.run();
            b.ladd();
        }

        /** A conditional jump: the false target is usually the next instruction, so one branch to the true one. */
        private void jump(int i, int op, int[] r) {
            Label yes = at[i + 1 + r[1]];
            Label no = at[i + 1 + r[2]];
            boolean x = op == JEQ_X || op == JGT_X || op == JGE_X || op == JSET_X;
            int k = r[3];
            switch (op) {
                case JEQ_K, JEQ_X -> {
                    b.iload(A);
                    if (x) {
                        b.iload(X);
                    } else {
                        b.loadConstant(k);
                    }
                    b.if_icmpeq(yes);
                }
                case JGT_K, JGT_X, JGE_K, JGE_X -> {
                    // unsigned comparison: flip the sign bits and compare signed
                    b.iload(A).loadConstant(Integer.MIN_VALUE).ixor();
                    if (x) {
                        b.iload(X).loadConstant(Integer.MIN_VALUE).ixor();
                    } else {
                        b.loadConstant(k ^ Integer.MIN_VALUE);
                    }
                    if (op == JGT_K || op == JGT_X) {
                        b.if_icmpgt(yes);
                    } else {
                        b.if_icmpge(yes);
                    }
                }
                default -> {
                    b.iload(A);
                    if (x) {
                        b.iload(X);
                    } else {
                        b.loadConstant(k);
                    }
                    b.iand().ifne(yes);
                }
            }
            if (r[2] != 0) {
                b.goto_(no);
            }
        }
    }
}
