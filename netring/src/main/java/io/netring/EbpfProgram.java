package io.netring;

import io.netring.afpacket.EbpfLoader;
import io.netring.internal.linux.Syscalls;

import java.lang.ref.Cleaner;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

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
    private static final Cleaner CLEANER = Cleaner.create();

    private final int fd;
    private final int instructionCount;
    private final AtomicBoolean closed;
    private final Cleaner.Cleanable cleanable;

    private EbpfProgram(int fd, int instructionCount) {
        this.fd = fd;
        this.instructionCount = instructionCount;
        this.closed = new AtomicBoolean();
        this.cleanable = CLEANER.register(this, new LeakAction(fd, closed));
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
        return new EbpfProgram(EbpfLoader.loadSocketFilter(copy), copy.size());
    }

    /** The program's fd; throws IllegalStateException once closed. */
    public int fd() {
        if (closed.get()) {
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
        return closed.get();
    }

    /** Closes the program fd; sockets it is attached to keep their own reference. Idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "EbpfProgram[fd " + fd + ", " + instructionCount + " instructions" + (closed.get() ? ", closed" : "") + "]";
    }

    private record LeakAction(int fd, AtomicBoolean closed) implements Runnable {
        @Override
        public void run() {
            if (closed.compareAndSet(false, true)) {
                Syscalls.close(fd);
            }
        }
    }
}
