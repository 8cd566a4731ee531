package io.netring.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static io.netring.filter.BpfInterpreter.*;
import static io.netring.filter.EbpfOps.*;

/**
 * A classic BPF program translated into eBPF for an XDP program, so that a filter expression
 * drops what it rejects before a frame reaches an AF_XDP socket. Its verdicts are
 * {@link BpfProgram#matches(java.lang.foreign.MemorySegment, int)}'s for the frame's bytes,
 * whose length is also the wire length; docs/FILTERS.md ("Filters inside XDP") tells how
 * each instruction maps, what is refused and how the verdicts were checked.
 */
public final class XdpFilterCode {
    /** The action of a frame the classic program rejects: the kernel's network stack gets it, the socket does not. */
    private static final int XDP_PASS = 2;

    // Registers. r1 holds the xdp_md context throughout, so an accepting path falls off the end with it.
    private static final int R0 = 0, CTX = 1, DATA = 2, DATA_END = 3, OFF = 4, PTR = 5, SAVED_CTX = 6, A = 7, X = 8,
            LEN = 9, FP = 10;
    /** Bound checks compute the end of a load here; it is free until the exit sets the action. */
    private static final int CHECK = R0;
    /** offsetof(struct xdp_md, data) and offsetof(struct xdp_md, data_end) (uapi linux/bpf.h). */
    private static final int XDP_MD_DATA_OFFSET = 0, XDP_MD_DATA_END_OFFSET = 4;
    /** BPF_FUNC_xdp_get_buff_len (kernel 5.18+): the frame length as a scalar, which {@code ld #len} needs. */
    private static final int HELPER_XDP_GET_BUFF_LEN = 188;
    /** The scratch words M[0..15] sit in the 64 bytes below the frame pointer, M[i] at FP - 64 + 4i. */
    private static final int SCRATCH_OFFSET = -4 * Bpf.MEMWORDS;
    /**
     * Loads at or past this offset reject without a look at the frame. The verifier tracks packet
     * offsets only below 0xffff, and an XDP frame's data (one page at most, less headroom) ends
     * before this anyway.
     */
    static final int MAX_LOAD_OFFSET = 0xfff0;

    private final List<BpfInstruction> program;
    private final int[] ops;
    private final int rejectAction;
    /** Labels 0..n-1 are the classic instructions; label n is the end, where accepting paths go. */
    private final EbpfAssembler asm;
    private final int end;

    private XdpFilterCode(BpfProgram classic, int rejectAction) {
        this.program = classic.instructions();
        this.rejectAction = rejectAction;
        this.end = program.size();
        this.asm = new EbpfAssembler(end + 1);
        this.ops = new int[end];
        for (int i = 0; i < end; i++) {
            ops[i] = dense(program.get(i).code());
            refuseUntranslatable(i);
        }
    }

    /**
     * The eBPF code that runs {@code classic} at the start of an XDP program: it expects the
     * {@code xdp_md} context in r1 and either exits with {@code XDP_PASS} (2) when the classic
     * program rejects the frame (returns 0), or, when it accepts it (returns anything else),
     * falls off its end with r1 still the context, into the code appended after it. It uses
     * r0 to r9 and the 64 bytes below the frame pointer.
     *
     * @throws IllegalArgumentException naming the instruction, for an opcode that is not classic
     *         BPF or an ancillary load (a negative offset), which XDP cannot run
     */
    public static List<EbpfInstruction> prefix(BpfProgram classic) {
        Objects.requireNonNull(classic, "classic");
        return new XdpFilterCode(classic, XDP_PASS).translate();
    }

    /** A whole XDP program: {@link #prefix}'s code with {@code rejectAction}, then exit with {@code acceptAction}. */
    static List<EbpfInstruction> standalone(BpfProgram classic, int acceptAction, int rejectAction) {
        Objects.requireNonNull(classic, "classic");
        List<EbpfInstruction> code = new ArrayList<>(new XdpFilterCode(classic, rejectAction).translate());
        code.add(alu64(MOV, R0, acceptAction));
        code.add(EbpfInstruction.exit());
        return code;
    }

    private void refuseUntranslatable(int i) {
        BpfInstruction insn = program.get(i);
        if (ops[i] == REJECT) {
            throw new IllegalArgumentException("instruction " + i + " " + insn + ": opcode 0x"
                    + Integer.toHexString(insn.code()) + " is not a classic BPF instruction (the kernel refuses it too)");
        }
        boolean constantOffset = ops[i] == LDW_ABS || ops[i] == LDH_ABS || ops[i] == LDB_ABS || ops[i] == LDX_MSH;
        if (constantOffset && insn.k() < 0) {
            throw new IllegalArgumentException("instruction " + i + " " + insn + ": offset " + insn.k()
                    + " is an ancillary load (SKF_AD_*, SKF_NET_OFF or SKF_LL_OFF), which an XDP filter does not translate:"
                    + " BpfProgram.matches gives it no value either");
        }
    }

    private List<EbpfInstruction> translate() {
        boolean[] reachable = reachable();
        prologue(reachable);
        for (int i = 0; i < end; i++) {
            asm.place(i);
            if (reachable[i]) {
                translate(i, program.get(i));
            }
        }
        asm.place(end);
        return asm.instructions();
    }

    /**
     * Which classic instructions some path reaches. The verifier refuses a program with an
     * unreachable instruction, and classic programs may have them (after a return, after a
     * division by a constant zero), so those are not translated.
     */
    private boolean[] reachable() {
        boolean[] reached = new boolean[end];
        reached[0] = true;
        for (int i = 0; i < end; i++) {
            if (!reached[i]) {
                continue;
            }
            BpfInstruction insn = program.get(i);
            switch (ops[i]) {
                case RET_K, RET_A, RET_X -> { }
                case BpfInterpreter.JA -> reached[i + 1 + insn.k()] = true;
                case JEQ_K, JEQ_X, JGT_K, JGT_X, JGE_K, JGE_X, JSET_K, JSET_X -> {
                    reached[i + 1 + insn.jt()] = true;
                    reached[i + 1 + insn.jf()] = true;
                }
                default -> reached[i + 1] |= !alwaysRejects(i);
            }
        }
        return reached;
    }

    /**
     * Whether instruction {@code i} (not a jump or return) rejects every frame that reaches it:
     * a division by a constant zero (eBPF would give 0, classic BPF rejects), a load past any frame.
     */
    private boolean alwaysRejects(int i) {
        int k = program.get(i).k();
        return switch (ops[i]) {
            case DIV_K, MOD_K -> k == 0;
            case LDW_ABS, LDH_ABS, LDB_ABS, LDX_MSH -> k > MAX_LOAD_OFFSET;
            default -> false;
        };
    }

    private void prologue(boolean[] reachable) {
        boolean usesLength = false;
        boolean accepts = false;
        boolean[] readSlots = new boolean[Bpf.MEMWORDS];
        for (int i = 0; i < end; i++) {
            if (!reachable[i]) {
                continue;
            }
            BpfInstruction insn = program.get(i);
            switch (ops[i]) {
                case LD_LEN, LDX_LEN -> usesLength = true;
                case LD_MEM, LDX_MEM -> readSlots[insn.k() & 0xf] = true;
                case RET_K -> accepts |= insn.k() != 0;
                case RET_A, RET_X -> accepts = true;
                default -> { }
            }
        }
        if (usesLength) {
            asm.emit(alu64Reg(MOV, SAVED_CTX, CTX));
            asm.emit(call(HELPER_XDP_GET_BUFF_LEN));      // data_end - data for a single-buffer frame
            asm.emit(alu32Reg(MOV, LEN, R0));
            asm.emit(alu64Reg(MOV, CTX, SAVED_CTX));       // the call clobbered r1 to r5
        }
        asm.emit(load(W, DATA, CTX, XDP_MD_DATA_OFFSET));
        asm.emit(load(W, DATA_END, CTX, XDP_MD_DATA_END_OFFSET));
        asm.emit(alu32(MOV, A, 0));
        asm.emit(alu32(MOV, X, 0));
        // The verifier refuses reads of stack it has not seen written; a word read before any
        // store reads 0 (the kernel refuses such classic programs; the interpreter reads what an
        // earlier run on the thread left).
        for (int slot = 0; slot < Bpf.MEMWORDS; slot++) {
            if (readSlots[slot]) {
                asm.emit(storeWordImm(FP, scratch(slot), 0));
            }
        }
        if (!accepts) {
            // Nothing reaches the end, so the code after it would be unreachable, which the
            // verifier refuses: give it an edge the verifier sees is never taken.
            asm.emit(alu64(MOV, R0, 0));
            asm.jump(jump64(JNE, R0, 0, 0), end);
        }
    }

    private void translate(int i, BpfInstruction insn) {
        if (alwaysRejects(i)) {
            reject();
            return;
        }
        int op = ops[i];
        int k = insn.k();
        int operation = insn.code() & 0xf0;       // classic and eBPF number ALU and jump operations alike
        switch (op) {
            case RET_K -> {
                if (k == 0) {
                    reject();
                } else {
                    asm.jump(ja(0), end);
                }
            }
            case RET_A, RET_X -> {
                asm.jump(jump32(JNE, op == RET_A ? A : X, 0, 0), end);
                reject();
            }
            case LDW_ABS, LDH_ABS, LDB_ABS -> loadConstantOffset(A, size(op), k);
            case LDW_IND, LDH_IND, LDB_IND -> loadIndexed(size(op), k);
            case LDX_MSH -> {
                loadConstantOffset(X, B, k);
                asm.emit(alu32(AND, X, 0xf));
                asm.emit(alu32(LSH, X, 2));
            }
            case LD_IMM -> asm.emit(alu32(MOV, A, k));
            case LDX_IMM -> asm.emit(alu32(MOV, X, k));
            case LD_LEN -> asm.emit(alu32Reg(MOV, A, LEN));
            case LDX_LEN -> asm.emit(alu32Reg(MOV, X, LEN));
            case LD_MEM -> asm.emit(load(W, A, FP, scratch(k)));
            case LDX_MEM -> asm.emit(load(W, X, FP, scratch(k)));
            case BpfInterpreter.ST -> asm.emit(storeWord(FP, scratch(k), A));
            case BpfInterpreter.STX -> asm.emit(storeWord(FP, scratch(k), X));
            case ADD_K, SUB_K, MUL_K, AND_K, OR_K, XOR_K -> asm.emit(alu32(operation, A, k));
            case ADD_X, SUB_X, MUL_X, AND_X, OR_X, XOR_X -> asm.emit(alu32Reg(operation, A, X));
            case DIV_K, MOD_K -> asm.emit(alu32(operation, A, k));  // k != 0 here; unsigned, as eBPF's 32-bit division is
            case DIV_X, MOD_X -> {
                rejectUnless(jump32(JNE, X, 0, 2));
                asm.emit(alu32Reg(operation, A, X));
            }
            case LSH_K, RSH_K -> {
                if ((k & 31) != 0) {                        // the interpreter (Java) shifts by the low five bits
                    asm.emit(alu32(operation, A, k & 31));
                }
            }
            case LSH_X, RSH_X -> {
                asm.emit(alu32Reg(MOV, OFF, X));
                asm.emit(alu32(AND, OFF, 31));
                asm.emit(alu32Reg(operation, A, OFF));
            }
            case BpfInterpreter.NEG -> asm.emit(alu32(EbpfOps.NEG, A, 0));
            case BpfInterpreter.JA -> asm.jump(ja(0), i + 1 + k);
            case TAX -> asm.emit(alu32Reg(MOV, X, A));
            case TXA -> asm.emit(alu32Reg(MOV, A, X));
            default -> conditional(i, insn, operation);
        }
    }

    /** A classic conditional jump: a 32-bit unsigned compare of A with k or X. */
    private void conditional(int i, BpfInstruction insn, int operation) {
        boolean byX = (insn.code() & Bpf.X) != 0;
        int next = i + 1;
        int onTrue = next + insn.jt();
        int onFalse = next + insn.jf();
        if (onTrue == onFalse) {
            if (onTrue != next) {
                asm.jump(ja(0), onTrue);
            }
            return;
        }
        if (onTrue == next && operation != JSET) {   // eBPF has no "jump unless any bit is set"
            asm.jump(compare(negate(operation), byX, insn.k()), onFalse);
            return;
        }
        asm.jump(compare(operation, byX, insn.k()), onTrue);
        if (onFalse != next) {
            asm.jump(ja(0), onFalse);
        }
    }

    private static EbpfInstruction compare(int operation, boolean byX, int k) {
        return byX ? jump32Reg(operation, A, X, 0) : jump32(operation, A, k, 0);
    }

    private static int negate(int operation) {
        return switch (operation) {
            case JEQ -> JNE;
            case JGT -> JLE;
            case JGE -> JLT;
            default -> throw new IllegalArgumentException("no negation of jump operation 0x" + Integer.toHexString(operation));
        };
    }

    /** {@code dst} = the big-endian value of {@code size} at offset k (0..MAX_LOAD_OFFSET), or reject past the frame's end. */
    private void loadConstantOffset(int dst, int size, int k) {
        int bytes = bytes(size);
        if (k + bytes <= Short.MAX_VALUE) {                 // the load's own 16-bit offset reaches it
            asm.emit(alu64Reg(MOV, CHECK, DATA));
            asm.emit(alu64(ADD, CHECK, k + bytes));
            rejectUnless(jump64Reg(JLE, CHECK, DATA_END, 2));
            asm.emit(load(size, dst, DATA, k));
        } else {
            asm.emit(alu64Reg(MOV, PTR, DATA));
            asm.emit(alu64(ADD, PTR, k));
            loadAtPointer(dst, size);
        }
        toHostOrder(dst, size);
    }

    /**
     * {@code A} = the value at X + k, added with 32-bit wrap-around as the interpreter adds them;
     * a sum that is negative as an int, or past any frame, rejects. Bounding it first is what lets
     * the verifier accept a packet access at a variable offset.
     */
    private void loadIndexed(int size, int k) {
        asm.emit(alu32Reg(MOV, OFF, X));
        asm.emit(alu32(ADD, OFF, k));
        rejectUnless(jump64(JLE, OFF, MAX_LOAD_OFFSET, 2));
        asm.emit(alu64Reg(MOV, PTR, DATA));
        asm.emit(alu64Reg(ADD, PTR, OFF));
        loadAtPointer(A, size);
        toHostOrder(A, size);
    }

    /** {@code dst} = the {@code size} bytes PTR points at, or reject when they pass data_end. */
    private void loadAtPointer(int dst, int size) {
        asm.emit(alu64Reg(MOV, CHECK, PTR));
        asm.emit(alu64(ADD, CHECK, bytes(size)));
        rejectUnless(jump64Reg(JLE, CHECK, DATA_END, 2));
        asm.emit(load(size, dst, PTR, 0));
    }

    /** Packet bytes are big-endian; a no-op truncation on a big-endian host. */
    private void toHostOrder(int dst, int size) {
        if (size == W) {
            asm.emit(toBigEndian(dst, 32));
        } else if (size == H) {
            asm.emit(toBigEndian(dst, 16));
        }
    }

    /** {@code skip} jumps two instructions ahead when the frame is kept; otherwise the frame is rejected. */
    private void rejectUnless(EbpfInstruction skip) {
        asm.emit(skip);
        reject();
    }

    /** Two instructions: exit with the reject action. */
    private void reject() {
        asm.emit(alu64(MOV, R0, rejectAction));
        asm.emit(EbpfInstruction.exit());
    }

    private static int size(int op) {
        return switch (op) {
            case LDW_ABS, LDW_IND -> W;
            case LDH_ABS, LDH_IND -> H;
            default -> B;
        };
    }

    private static int bytes(int size) {
        return size == W ? 4 : size == H ? 2 : 1;
    }

    private static int scratch(int k) {
        return SCRATCH_OFFSET + 4 * (k & 0xf);
    }
}
