package io.netring.internal.xdp;

import io.netring.NetringException;
import io.netring.filter.EbpfInstruction;
import io.netring.internal.linux.Bpf;

import java.util.ArrayList;
import java.util.List;

import static io.netring.internal.linux.LinuxConstants.BPF_FUNC_REDIRECT_MAP;
import static io.netring.internal.linux.LinuxConstants.BPF_PROG_TYPE_XDP;
import static io.netring.internal.linux.LinuxConstants.XDP_PASS;

/**
 * The XDP program of an AF_XDP receiver, assembled here from bare instructions:
 * {@code return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS)}, so each frame goes to
 * the socket of its RX queue, or on to the kernel's stack when that queue has none.
 *
 * <p>An optional <em>filter prefix</em> runs first. It starts with r1 = the {@code xdp_md}
 * context and either ends the program itself ({@code r0 = XDP_PASS; exit}: the frame is not
 * ours and goes on to the stack) or falls off its last instruction with r1 = the context again
 * (the frame is ours: redirect it). Its jumps must stay inside it or land just past its end.
 */
public final class XdpRedirectProgram implements AutoCloseable {
    /** {@code offsetof(struct xdp_md, rx_queue_index)}. */
    private static final int RX_QUEUE_INDEX = 16;
    private static final int LDX_MEM_W = 0x61;
    private static final int LD_IMM64 = 0x18;
    private static final int PSEUDO_MAP_FD = 1;
    private static final int CALL = 0x85;

    private final int fd;
    private boolean closed;

    private XdpRedirectProgram(int fd) {
        this.fd = fd;
    }

    /** The instructions: {@code prefix}, then the redirect through {@code mapFd}. */
    static List<EbpfInstruction> instructions(int mapFd, List<EbpfInstruction> prefix) {
        List<EbpfInstruction> code = new ArrayList<>(prefix);
        code.add(new EbpfInstruction(LDX_MEM_W, 2, EbpfInstruction.R1, RX_QUEUE_INDEX, 0));    // r2 = ctx->rx_queue_index
        code.add(new EbpfInstruction(LD_IMM64, EbpfInstruction.R1, PSEUDO_MAP_FD, 0, mapFd));  // r1 = &xsks (two slots)
        code.add(new EbpfInstruction(0, 0, 0, 0, 0));
        code.add(EbpfInstruction.movImm(3, XDP_PASS));                                         // r3 = fallback action
        code.add(new EbpfInstruction(CALL, 0, 0, 0, BPF_FUNC_REDIRECT_MAP));
        code.add(EbpfInstruction.exit());
        return code;
    }

    /** Loads the program for {@code map} with {@code prefix} (empty: every frame is redirected). */
    public static XdpRedirectProgram load(XskMap map, List<EbpfInstruction> prefix) throws NetringException {
        List<EbpfInstruction> code = instructions(map.fd(), prefix);
        int[] words = new int[code.size() * Bpf.WORDS_PER_INSN];
        int w = 0;
        for (EbpfInstruction insn : code) {
            words[w++] = insn.opcode();
            words[w++] = insn.dst();
            words[w++] = insn.src();
            words[w++] = insn.off();
            words[w++] = insn.imm();
        }
        return new XdpRedirectProgram(Bpf.loadProgram(BPF_PROG_TYPE_XDP, words, "XDP program"));
    }

    /** The program's fd, for attaching it. */
    public int fd() {
        return fd;
    }

    /** Closes the fd; an attached program stays attached until detached. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Bpf.close(fd);
        }
    }
}
