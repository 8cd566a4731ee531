package io.netring.filter;

/**
 * One eBPF instruction ({@code struct bpf_insn}), for {@link EbpfProgram#load}.
 *
 * <p>The static factories cover what a small socket filter needs: load a field of the packet,
 * compare, set the return value, exit. A filter that keeps only IPv4 frames:
 * <pre>{@code
 * List<EbpfInstruction> ipv4Only = List.of(
 *     EbpfInstruction.movReg(EbpfInstruction.R6, EbpfInstruction.R1), // LD_ABS reads the packet through r6
 *     EbpfInstruction.loadAbsolute(2, 12),                              // r0 = EtherType
 *     EbpfInstruction.jumpIfNotEqual(EbpfInstruction.R0, 0x0800, 2),
 *     EbpfInstruction.movImm(EbpfInstruction.R0, 0x40000),              // keep up to 256 KiB
 *     EbpfInstruction.exit(),
 *     EbpfInstruction.movImm(EbpfInstruction.R0, 0),                    // drop
 *     EbpfInstruction.exit());
 * }</pre>
 *
 * @param opcode the 8-bit opcode (class | size/op | source)
 * @param dst destination register (0..10)
 * @param src source register (0..10; for a few pseudo instructions a small tag)
 * @param off signed 16-bit offset (jump distance or memory offset)
 * @param imm signed 32-bit immediate
 */
public record EbpfInstruction(int opcode, int dst, int src, int off, int imm) {
    /** Return value / scratch register. */
    public static final int R0 = 0;
    /** First argument: for a socket filter, the {@code __sk_buff} context. */
    public static final int R1 = 1;
    /** Callee-saved register; BPF_LD_ABS takes the context from it. */
    public static final int R6 = 6;
    /** Read-only frame pointer. */
    public static final int R10 = 10;

    private static final int BPF_LD = 0x00;
    private static final int BPF_JMP = 0x05;
    private static final int BPF_ALU64 = 0x07;
    private static final int BPF_ABS = 0x20;
    private static final int BPF_W = 0x00;
    private static final int BPF_H = 0x08;
    private static final int BPF_B = 0x10;
    private static final int BPF_K = 0x00;
    private static final int BPF_X = 0x08;
    private static final int BPF_MOV = 0xb0;
    private static final int BPF_JEQ = 0x10;
    private static final int BPF_JNE = 0x50;
    private static final int BPF_EXIT = 0x90;

    /** Checks the field ranges; throws IllegalArgumentException naming the field. */
    public EbpfInstruction {
        FieldRange.check("opcode", opcode, 0, 0xff, "must be in [0, 0xff]");
        FieldRange.check("dst", dst, 0, 15, "must be a register number in [0, 15]");
        FieldRange.check("src", src, 0, 15, "must be a register number in [0, 15]");
        FieldRange.check("off", off, Short.MIN_VALUE, Short.MAX_VALUE, "must fit 16 signed bits");
    }

    /** {@code dst = src} (64-bit move). */
    public static EbpfInstruction movReg(int dst, int src) {
        return new EbpfInstruction(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
    }

    /** {@code dst = imm} (64-bit move, sign-extended). */
    public static EbpfInstruction movImm(int dst, int imm) {
        return new EbpfInstruction(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
    }

    /**
     * {@code r0 = packet[offset]} of {@code size} bytes (1, 2 or 4), in host order (BPF_LD_ABS).
     * Needs the context in r6; for a packet socket, offset 0 is the first byte of the frame.
     */
    public static EbpfInstruction loadAbsolute(int size, int offset) {
        int sizeBits = switch (size) {
            case 1 -> BPF_B;
            case 2 -> BPF_H;
            case 4 -> BPF_W;
            default -> throw new IllegalArgumentException("size=" + size + ": must be 1, 2 or 4 bytes");
        };
        return new EbpfInstruction(BPF_LD | BPF_ABS | sizeBits, 0, 0, 0, offset);
    }

    /** {@code if (dst == imm) goto pc + 1 + off}. */
    public static EbpfInstruction jumpIfEqual(int dst, int imm, int off) {
        return new EbpfInstruction(BPF_JMP | BPF_JEQ | BPF_K, dst, 0, off, imm);
    }

    /** {@code if (dst != imm) goto pc + 1 + off}. */
    public static EbpfInstruction jumpIfNotEqual(int dst, int imm, int off) {
        return new EbpfInstruction(BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm);
    }

    /** {@code return r0}. */
    public static EbpfInstruction exit() {
        return new EbpfInstruction(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    }
}
