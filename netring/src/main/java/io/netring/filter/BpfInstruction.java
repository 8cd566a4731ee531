package io.netring.filter;

/**
 * One classic BPF instruction ({@code struct sock_filter}), as {@code tcpdump -dd} prints it:
 * {@code { code, jt, jf, k }}.
 *
 * @param code the opcode (16 bits, 0..0xffff)
 * @param jt jump offset when a condition holds (0..255)
 * @param jf jump offset when it does not (0..255)
 * @param k the generic field (32 bits; values above {@link Integer#MAX_VALUE} are stored as
 *          their two's-complement int, e.g. {@code 0xffffffff} is -1)
 */
public record BpfInstruction(int code, int jt, int jf, int k) {
    /** BPF_RET | BPF_K: return the constant k (the snap length to keep, 0 to drop). */
    public static final int RET_K = 0x06;

    /** Checks the ranges of the unsigned fields; throws IllegalArgumentException naming the field. */
    public BpfInstruction {
        FieldRange.check("code", code, 0, 0xffff, "must be in [0, 0xffff]");
        FieldRange.check("jt", jt, 0, 0xff, "must be in [0, 255]");
        FieldRange.check("jf", jf, 0, 0xff, "must be in [0, 255]");
    }

    /** {@code ret #k}: accept {@code k} bytes of the packet (0 drops it). */
    public static BpfInstruction ret(int k) {
        return new BpfInstruction(RET_K, 0, 0, k);
    }

    /** The instruction in {@code tcpdump -dd} form: {@code { 0x28, 0, 0, 0x0000000c }}. */
    @Override
    public String toString() {
        return String.format("{ 0x%x, %d, %d, 0x%08x }", code, jt, jf, k);
    }
}
