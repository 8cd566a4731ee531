package io.netring.internal.xdp;

import io.netring.internal.EbpfWords;
import io.netring.NetringException;
import io.netring.afpacket.Leaks;
import io.netring.afpacket.ResourceGuard;
import io.netring.filter.EbpfInstruction;
import io.netring.internal.linux.Bpf;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static io.netring.internal.linux.LinuxConstants.BPF_FUNC_REDIRECT_MAP;
import static io.netring.internal.linux.LinuxConstants.BPF_PROG_TYPE_XDP;
import static io.netring.internal.linux.LinuxConstants.XDP_PASS;

/**
 * The XDP program of an AF_XDP receiver, assembled from bare instructions:
 * {@code return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS)}. Each frame goes to the
 * socket of its RX queue in the {@link XskMap}, or on to the kernel's stack when that queue has
 * none (the helper's fallback action). An optional filter prefix runs first and decides which
 * frames are ours; its contract is on {@link #load}.
 */
public final class XdpRedirectProgram implements AutoCloseable {
    private final int fd;
    private final int instructionCount;
    private final ResourceGuard guard;
    private final Cleaner.Cleanable cleanable;

    private XdpRedirectProgram(int fd, int instructionCount) {
        this.fd = fd;
        this.instructionCount = instructionCount;
        this.guard = new ResourceGuard(() -> Bpf.close(fd));
        this.cleanable = Leaks.watch(this, guard, "an XDP redirect program (fd " + fd + ")", "closed its fd");
    }

    /**
     * Loads the program for {@code map}, after {@code prefix} (empty: every frame is redirected).
     *
     * <p>The filter prefix's contract:
     * <ul>
     *   <li>it starts with r1 = the {@code struct xdp_md} context (and r10 the frame pointer;
     *       every other register undefined);</li>
     *   <li>to refuse a frame it ends the program itself: {@code r0 = XDP_PASS; exit} — the
     *       frame is not for us and goes on to the kernel's stack, as if there were no program;</li>
     *   <li>to accept a frame it falls off its last instruction, or jumps just past it, with r1
     *       = the context again (restored if a helper call clobbered it); the redirect follows;</li>
     *   <li>every jump stays inside the prefix or lands just past its end (checked here); it may
     *       use r0 to r9 and the stack below r10 freely.</li>
     * </ul>
     * The verifier checks the rest (packet bounds, r1's type when the redirect reads it).
     *
     * @throws IllegalArgumentException when a jump of the prefix leaves it
     * @throws io.netring.filter.EbpfVerifierException when the verifier refuses the program, with its log
     * @throws io.netring.PermissionDeniedException without CAP_BPF (or CAP_SYS_ADMIN)
     */
    public static XdpRedirectProgram load(XskMap map, List<EbpfInstruction> prefix) throws NetringException {
        List<EbpfInstruction> code = instructions(map.fd(), prefix);
        return new XdpRedirectProgram(Bpf.loadProgram(BPF_PROG_TYPE_XDP, EbpfWords.of(code), "XDP program"), code.size());
    }

    /** The whole program: {@code prefix}, then the redirect through the map of {@code mapFd}. */
    static List<EbpfInstruction> instructions(int mapFd, List<EbpfInstruction> prefix) {
        checkPrefix(prefix);
        List<EbpfInstruction> code = new ArrayList<>(prefix);
        code.add(XdpAssembler.loadWord(2, EbpfInstruction.R1, XdpAssembler.XDP_MD_RX_QUEUE_INDEX)); // r2 = ctx->rx_queue_index
        code.addAll(XdpAssembler.loadMap(EbpfInstruction.R1, mapFd));                            // r1 = &xsks
        code.add(EbpfInstruction.movImm(3, XDP_PASS));                                            // r3 = the fallback
        code.add(XdpAssembler.call(BPF_FUNC_REDIRECT_MAP));
        code.add(EbpfInstruction.exit());
        return code;
    }

    /** Every jump of {@code prefix} lands inside it or just past its end (where the redirect starts). */
    static void checkPrefix(List<EbpfInstruction> prefix) {
        Objects.requireNonNull(prefix, "prefix");
        int size = prefix.size();
        for (int i = 0; i < size; i++) {
            EbpfInstruction insn = prefix.get(i);
            if (insn == null) {
                throw new NullPointerException("prefix instruction " + i + " is null");
            }
            int cls = insn.opcode() & 0x07;
            int op = insn.opcode() & 0xf0;
            if (insn.opcode() == XdpAssembler.LD_IMM64) {
                i++;                              // its second slot is data, not an instruction
                continue;
            }
            if ((cls != XdpAssembler.JMP && cls != XdpAssembler.JMP32) || op == XdpAssembler.EXIT
                    || (op == XdpAssembler.CALL && insn.src() == 0)) {
                continue;                         // not a jump, or a helper call
            }
            // gotol (JMP32 | JA) and bpf-to-bpf calls keep their distance in imm
            boolean inImm = (cls == XdpAssembler.JMP32 && op == XdpAssembler.JA) || op == XdpAssembler.CALL;
            long target = (long) i + 1 + (inImm ? insn.imm() : insn.off());
            if (target < 0 || target > size) {
                throw new IllegalArgumentException("prefix instruction " + i + " jumps to " + target
                        + ", outside the prefix (0 to " + size + "): a filter prefix ends by exiting or by reaching"
                        + " its end (instruction " + size + "), where the redirect starts");
            }
        }
    }

    /** The program's fd, for attaching it; throws IllegalStateException once closed. */
    public int fd() {
        if (guard.isClosed()) {
            throw new IllegalStateException("the XDP redirect program (fd " + fd + ") is closed");
        }
        return fd;
    }

    /** How many instruction slots were loaded (the 64-bit map load counts two). */
    public int instructionCount() {
        return instructionCount;
    }

    /** Closes the fd; an attached program stays attached until detached. Idempotent, from any thread. */
    @Override
    public void close() {
        guard.close();
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "XdpRedirectProgram[fd " + fd + ", " + instructionCount + " instructions" + (guard.isClosed() ? ", closed" : "") + "]";
    }
}
