package io.netring.filter;

import io.netring.internal.EbpfWords;
import io.netring.AbstractRxBuilder;
import io.netring.AfPacketRx;
import io.netring.FanoutMode;
import io.netring.NetringException;
import io.netring.PermissionDeniedException;
import io.netring.afpacket.Leaks;
import io.netring.afpacket.ResourceGuard;
import io.netring.internal.linux.Bpf;

import java.lang.ref.Cleaner;
import java.util.List;
import java.util.Objects;

/**
 * A loaded eBPF socket-filter program ({@code BPF_PROG_TYPE_SOCKET_FILTER}), owning its fd.
 *
 * <p>Use it as a socket filter ({@link AbstractRxBuilder#ebpfFilter}, {@link AfPacketRx#setFilter(EbpfProgram)})
 * or as the steering program of an {@link FanoutMode#EBPF} group
 * ({@link AbstractRxBuilder#fanoutProgram(EbpfProgram)}). A socket holds its own reference to
 * an attached program, so closing this handle after {@code build()} does not detach it.
 *
 * <pre>{@code
 * try (EbpfProgram prog = EbpfProgram.load(instructions);
 *      Capture cap = Capture.builder().interfaceName("eth0").ebpfFilter(prog).build()) { ... }
 * }</pre>
 *
 * <p>Programs loaded by other means (libbpf, bpftool) attach through the socket's fd,
 * {@link AfPacketRx#fd()}, with {@code setsockopt(SO_ATTACH_BPF)}.
 */
public final class EbpfProgram implements AutoCloseable {
    private final int fd;
    private final int instructionCount;
    private final ResourceGuard guard;
    private final Cleaner.Cleanable cleanable;

    private EbpfProgram(int fd, int instructionCount) {
        this.fd = fd;
        this.instructionCount = instructionCount;
        this.guard = new ResourceGuard(() -> Bpf.close(fd));
        this.cleanable = Leaks.watch(this, guard, "an EbpfProgram (fd " + fd + ")", "closed its fd");
    }

    /**
     * Loads a socket-filter program through {@code bpf(BPF_PROG_LOAD)} with license "GPL".
     *
     * @throws IllegalArgumentException when the list is empty or longer than the kernel allows
     * @throws EbpfVerifierException when the verifier refuses the program; carries its log
     * @throws PermissionDeniedException without CAP_BPF (or CAP_SYS_ADMIN)
     * @throws NullPointerException naming the index of a null instruction
     */
    public static EbpfProgram load(List<EbpfInstruction> instructions) throws NetringException {
        Objects.requireNonNull(instructions, "instructions");
        int i = 0;
        for (EbpfInstruction insn : instructions) {
            if (insn == null) {         // List.copyOf would throw a bare NPE
                throw new NullPointerException("instructions[" + i + "] is null; every instruction of an eBPF program is required");
            }
            i++;
        }
        List<EbpfInstruction> copy = List.copyOf(instructions);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("instructions=[]: an eBPF program needs at least one instruction");
        }
        if (copy.size() > Bpf.MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("instructions length=" + copy.size() + ": must be at most "
                    + Bpf.MAX_INSTRUCTIONS);
        }
        return new EbpfProgram(Bpf.loadSocketFilter(words(copy)), copy.size());
    }

    /** The instructions as {@link Bpf} takes them: opcode, dst, src, off, imm for each. */
    static int[] words(List<EbpfInstruction> instructions) {
        return EbpfWords.of(instructions);
    }

    /** The program's fd; throws IllegalStateException once closed. */
    public int fd() {
        if (guard.isClosed()) {
            throw new IllegalStateException("EbpfProgram (fd " + fd + ") is closed");
        }
        return fd;
    }

    /** How many instructions were loaded. */
    public int instructionCount() {
        return instructionCount;
    }

    /** True once {@link #close()} ran. */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /** Closes the program fd; sockets it is attached to keep their own reference. Idempotent. */
    @Override
    public void close() {
        guard.close();
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "EbpfProgram[fd " + fd + ", " + instructionCount + " instructions" + (guard.isClosed() ? ", closed" : "") + "]";
    }
}
