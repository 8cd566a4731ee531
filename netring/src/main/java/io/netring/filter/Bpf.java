package io.netring.filter;

/** The classic BPF opcode fields ({@code linux/filter.h}, {@code pcap/bpf.h}), for composing and decoding instructions. */
final class Bpf {
    private Bpf() {
    }

    // instruction classes
    static final int LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, RET = 0x06, MISC = 0x07;
    // load sizes
    static final int W = 0x00, H = 0x08, B = 0x10;
    // load modes
    static final int IMM = 0x00, ABS = 0x20, IND = 0x40, MEM = 0x60, LEN = 0x80, MSH = 0xa0;
    // ALU operations
    static final int ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60, RSH = 0x70,
            NEG = 0x80, MOD = 0x90, XOR = 0xa0;
    // jumps
    static final int JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40;
    // operand sources (also the RET sources: K, X, A)
    static final int K = 0x00, X = 0x08, A = 0x10;
    // MISC
    static final int TAX = 0x00, TXA = 0x80;

    /** Scratch memory words (BPF_MEMWORDS). */
    static final int MEMWORDS = 16;
    /** The kernel's program length limit (BPF_MAXINSNS). */
    static final int MAXINSNS = 4096;

    static int cls(int code) {
        return code & 0x07;
    }
}
