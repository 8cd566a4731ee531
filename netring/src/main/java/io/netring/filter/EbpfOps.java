package io.netring.filter;

/**
 * The eBPF instructions the XDP translation emits ({@code linux/bpf_common.h}, {@code linux/bpf.h}),
 * built as {@link EbpfInstruction}s. ALU and jump operations take the operation field of the
 * opcode ({@link #ADD}, {@link #JGT} ...), which classic BPF numbers the same way.
 */
final class EbpfOps {
    private EbpfOps() {
    }

    // instruction classes
    static final int LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, JMP32 = 0x06, ALU64 = 0x07;
    // memory access sizes and mode
    static final int W = 0x00, H = 0x08, B = 0x10, MEM = 0x60;
    // operand source: the immediate or a register
    static final int K = 0x00, X = 0x08;
    // ALU operations (shared with classic BPF up to XOR)
    static final int ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60, RSH = 0x70,
            NEG = 0x80, MOD = 0x90, XOR = 0xa0, MOV = 0xb0, END = 0xd0;
    /** BPF_END's source bit: convert to big-endian. */
    static final int TO_BE = 0x08;
    // jump operations (shared with classic BPF up to JSET)
    static final int JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40, JNE = 0x50, CALL = 0x80, EXIT = 0x90,
            JLT = 0xa0, JLE = 0xb0;

    /** {@code wdst op= imm}: 32-bit, the upper half of dst cleared. */
    static EbpfInstruction alu32(int op, int dst, int imm) {
        return new EbpfInstruction(ALU | op | K, dst, 0, 0, imm);
    }

    /** {@code wdst op= wsrc}: 32-bit, the upper half of dst cleared. */
    static EbpfInstruction alu32Reg(int op, int dst, int src) {
        return new EbpfInstruction(ALU | op | X, dst, src, 0, 0);
    }

    /** {@code dst op= imm}, 64-bit (imm sign-extended). */
    static EbpfInstruction alu64(int op, int dst, int imm) {
        return new EbpfInstruction(ALU64 | op | K, dst, 0, 0, imm);
    }

    /** {@code dst op= src}, 64-bit. */
    static EbpfInstruction alu64Reg(int op, int dst, int src) {
        return new EbpfInstruction(ALU64 | op | X, dst, src, 0, 0);
    }

    /** {@code dst = bswap(dst)} to big-endian over the low {@code bits} (16 or 32), the rest cleared. */
    static EbpfInstruction toBigEndian(int dst, int bits) {
        return new EbpfInstruction(ALU | END | TO_BE, dst, 0, 0, bits);
    }

    /** {@code if (wdst op imm) goto pc + 1 + off}, comparing the low 32 bits (unsigned for JGT and the like). */
    static EbpfInstruction jump32(int op, int dst, int imm, int off) {
        return new EbpfInstruction(JMP32 | op | K, dst, 0, off, imm);
    }

    /** {@code if (wdst op wsrc) goto pc + 1 + off}, comparing the low 32 bits. */
    static EbpfInstruction jump32Reg(int op, int dst, int src, int off) {
        return new EbpfInstruction(JMP32 | op | X, dst, src, off, 0);
    }

    /** {@code if (dst op imm) goto pc + 1 + off}, 64-bit (imm sign-extended). */
    static EbpfInstruction jump64(int op, int dst, int imm, int off) {
        return new EbpfInstruction(JMP | op | K, dst, 0, off, imm);
    }

    /** {@code if (dst op src) goto pc + 1 + off}, 64-bit: how packet pointers are compared. */
    static EbpfInstruction jump64Reg(int op, int dst, int src, int off) {
        return new EbpfInstruction(JMP | op | X, dst, src, off, 0);
    }

    /** {@code goto pc + 1 + off}. */
    static EbpfInstruction ja(int off) {
        return new EbpfInstruction(JMP | JA, 0, 0, off, 0);
    }

    /** {@code gotol pc + 1 + imm}: the 32-bit unconditional jump (kernel 6.6+), for distances past 16 bits. */
    static EbpfInstruction jaLong(int imm) {
        return new EbpfInstruction(JMP32 | JA, 0, 0, 0, imm);
    }

    /** Whether {@code insn} is the 16-bit unconditional jump. */
    static boolean isJa(EbpfInstruction insn) {
        return insn.opcode() == (JMP | JA);
    }

    /** {@code dst = *(size *)(src + off)}, zero-extended; {@code size} is {@link #W}, {@link #H} or {@link #B}. */
    static EbpfInstruction load(int size, int dst, int src, int off) {
        return new EbpfInstruction(LDX | MEM | size, dst, src, off, 0);
    }

    /** {@code *(u32 *)(dst + off) = wsrc}. */
    static EbpfInstruction storeWord(int dst, int off, int src) {
        return new EbpfInstruction(STX | MEM | W, dst, src, off, 0);
    }

    /** {@code *(u32 *)(dst + off) = imm}. */
    static EbpfInstruction storeWordImm(int dst, int off, int imm) {
        return new EbpfInstruction(ST | MEM | W, dst, 0, off, imm);
    }

    /** {@code r0 = helper(r1 ... r5)}; clobbers r1 to r5. */
    static EbpfInstruction call(int helper) {
        return new EbpfInstruction(JMP | CALL, 0, 0, 0, helper);
    }

    /** A copy of jump {@code insn} with its offset set to {@code off}. */
    static EbpfInstruction withOffset(EbpfInstruction insn, int off) {
        return new EbpfInstruction(insn.opcode(), insn.dst(), insn.src(), off, insn.imm());
    }
}
