package io.netring.internal.xdp;

import io.netring.filter.EbpfInstruction;

import java.util.List;

/**
 * The few eBPF instructions the redirect program is made of, beyond those
 * {@link EbpfInstruction} makes itself ({@code linux/bpf.h}, {@code linux/bpf_common.h}).
 */
public final class XdpAssembler {
    private XdpAssembler() {}

    /** {@code struct xdp_md}'s fields, as the program reads them from r1 (each a u32). */
    public static final int XDP_MD_DATA = 0;
    /** {@code offsetof(struct xdp_md, data_end)}. */
    public static final int XDP_MD_DATA_END = 4;
    /** {@code offsetof(struct xdp_md, rx_queue_index)}. */
    public static final int XDP_MD_RX_QUEUE_INDEX = 16;

    static final int LD = 0x00, LDX = 0x01, JMP = 0x05, JMP32 = 0x06, ALU64 = 0x07;
    static final int W = 0x00, DW = 0x18, MEM = 0x60, IMM = 0x00;
    static final int K = 0x00, X = 0x08;
    static final int JA = 0x00, CALL = 0x80, EXIT = 0x90, JLE = 0xb0, ADD = 0x00;
    /** src of a 64-bit immediate load whose imm is a map fd the kernel turns into the map's address. */
    static final int BPF_PSEUDO_MAP_FD = 1;
    /** The first half of a 64-bit immediate load: its second slot holds the upper 32 bits. */
    static final int LD_IMM64 = LD | DW | IMM;

    /** {@code dst = &map} through the map's fd: two instruction slots (BPF_LD_MAP_FD). */
    public static List<EbpfInstruction> loadMap(int dst, int mapFd) {
        return List.of(new EbpfInstruction(LD_IMM64, dst, BPF_PSEUDO_MAP_FD, 0, mapFd),
                new EbpfInstruction(0, 0, 0, 0, 0));
    }

    /** {@code dst = *(u32 *)(src + off)}. */
    public static EbpfInstruction loadWord(int dst, int src, int off) {
        return new EbpfInstruction(LDX | MEM | W, dst, src, off, 0);
    }

    /** {@code dst += imm}, 64-bit: moves a packet pointer. */
    public static EbpfInstruction add(int dst, int imm) {
        return new EbpfInstruction(ALU64 | ADD | K, dst, 0, 0, imm);
    }

    /** {@code if (dst <= src) goto pc + 1 + off}, unsigned 64-bit: how packet pointers are compared to data_end. */
    public static EbpfInstruction jumpIfLessOrEqual(int dst, int src, int off) {
        return new EbpfInstruction(JMP | JLE | X, dst, src, off, 0);
    }

    /** {@code r0 = helper(r1 ... r5)}; r1 to r5 are lost. */
    public static EbpfInstruction call(int helper) {
        return new EbpfInstruction(JMP | CALL, 0, 0, 0, helper);
    }
}
