package io.netring.internal.linux;

import io.netring.NetringException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.netring.internal.linux.KernelLayouts.BPF_ATTR_PROG_LOAD;
import static io.netring.internal.linux.KernelLayouts.BPF_INSN;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.BPF_PROG_LOAD;
import static io.netring.internal.linux.LinuxConstants.BPF_PROG_TYPE_SOCKET_FILTER;
import static io.netring.internal.linux.LinuxConstants.SYS_BPF;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Loads eBPF socket-filter programs with {@code bpf(BPF_PROG_LOAD)}: no libbpf, no ELF, just
 * the instructions. A program is loaded without the verifier's log; only a refused one is
 * loaded again with it, so the refusal can say why.
 *
 * <p>Instructions come as {@link #WORDS_PER_INSN} ints each: opcode, dst, src, off, imm.
 */
public final class Bpf {
    private Bpf() {}

    /** The kernel's limit for privileged programs (BPF_COMPLEXITY_LIMIT_INSNS); unprivileged ones stop at 4096. */
    public static final int MAX_INSTRUCTIONS = 1_000_000;
    /** Ints per instruction in the arrays this class takes. */
    public static final int WORDS_PER_INSN = 5;
    /** Enough for the verifier's account of small programs; it truncates longer logs. */
    private static final int LOG_SIZE = 1 << 18;
    private static final String LICENSE = "GPL";

    /** Encodes {@code insns} (five ints each) as {@code struct bpf_insn}s into {@code arena}. */
    public static MemorySegment encode(Arena arena, int[] insns) {
        int count = insns.length / WORDS_PER_INSN;
        MemorySegment code = arena.allocate(BPF_INSN, count);
        long size = BPF_INSN.byteSize();
        for (int i = 0; i < count; i++) {
            int w = i * WORDS_PER_INSN;
            long base = i * size;
            code.set(JAVA_BYTE, base + offset(BPF_INSN, "code"), (byte) insns[w]);
            // dst_reg:4 then src_reg:4 as bit-fields: dst is the low nibble on little-endian machines.
            code.set(JAVA_BYTE, base + offset(BPF_INSN, "regs"), (byte) ((insns[w + 2] << 4) | insns[w + 1]));
            code.set(JAVA_SHORT, base + offset(BPF_INSN, "off"), (short) insns[w + 3]);
            code.set(JAVA_INT, base + offset(BPF_INSN, "imm"), insns[w + 4]);
        }
        return code;
    }

    /**
     * Loads a BPF_PROG_TYPE_SOCKET_FILTER program of {@code insns} (five ints each, checked for
     * count by the caller) and returns its fd.
     *
     * @throws NetringException an EbpfVerifierException, carrying the log, when the verifier refuses it
     */
    public static int loadSocketFilter(int[] insns) throws NetringException {
        if (SYS_BPF < 0) {
            throw new UnsupportedOperationException("the bpf(2) system call number is not known for os.arch="
                    + System.getProperty("os.arch") + " (supported: amd64, aarch64)");
        }
        int count = insns.length / WORDS_PER_INSN;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment code = encode(arena, insns);
            MemorySegment license = arena.allocateFrom(LICENSE);
            MemorySegment attr = arena.allocate(BPF_ATTR_PROG_LOAD);
            attr.set(JAVA_INT, offset(BPF_ATTR_PROG_LOAD, "prog_type"), BPF_PROG_TYPE_SOCKET_FILTER);
            attr.set(JAVA_INT, offset(BPF_ATTR_PROG_LOAD, "insn_cnt"), count);
            attr.set(JAVA_LONG, offset(BPF_ATTR_PROG_LOAD, "insns"), code.address());
            attr.set(JAVA_LONG, offset(BPF_ATTR_PROG_LOAD, "license"), license.address());
            // First without a log, as libbpf does: the verifier's log of a large valid program
            // can outgrow any buffer, and an overflowing log fails the load (ENOSPC).
            long r = Syscalls.syscall(SYS_BPF, BPF_PROG_LOAD, attr, BPF_ATTR_PROG_LOAD.byteSize());
            if (r >= 0) {
                return (int) r;
            }
            int errno = (int) -r;
            String call = "bpf(BPF_PROG_LOAD)";
            if (errno == Errno.EPERM) {
                throw LinuxErrors.exception(call, errno, "CAP_BPF (or CAP_SYS_ADMIN)",
                        "loading a " + count + "-instruction socket filter");
            }
            // Refused: load again with the log, only to explain why.
            MemorySegment log = arena.allocate(LOG_SIZE);
            attr.set(JAVA_INT, offset(BPF_ATTR_PROG_LOAD, "log_level"), 1);
            attr.set(JAVA_INT, offset(BPF_ATTR_PROG_LOAD, "log_size"), LOG_SIZE);
            attr.set(JAVA_LONG, offset(BPF_ATTR_PROG_LOAD, "log_buf"), log.address());
            long again = Syscalls.syscall(SYS_BPF, BPF_PROG_LOAD, attr, BPF_ATTR_PROG_LOAD.byteSize());
            if (again >= 0) {
                return (int) again;            // accepted the second time (a transient refusal)
            }
            String verifierLog = log.getString(0).strip();
            if (!verifierLog.isEmpty()) {
                throw LinuxErrors.verifierRefused("the eBPF verifier refused the " + count
                        + "-instruction socket filter (" + LinuxErrors.describe(errno) + "): " + lastLine(verifierLog)
                        + "; the full log is in verifierLog()", call, errno, verifierLog);
            }
            throw LinuxErrors.exception(call, errno, "CAP_BPF (or CAP_SYS_ADMIN)",
                    "loading a " + count + "-instruction socket filter");
        }
    }

    /** Closes a program fd; sockets the program is attached to keep their own reference. */
    public static void close(int programFd) {
        Syscalls.close(programFd);
    }

    /** The log's last non-empty line, which is where the verifier states the fault. */
    private static String lastLine(String log) {
        String[] lines = log.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].strip();
            if (!l.isEmpty() && !l.startsWith("processed ")) {
                return l;
            }
        }
        return lines[lines.length - 1];
    }
}
