package io.netring.internal.linux;

import io.netring.NetringException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.netring.internal.linux.KernelLayouts.BPF_ATTR_GET_ID;
import static io.netring.internal.linux.KernelLayouts.BPF_ATTR_INFO;
import static io.netring.internal.linux.KernelLayouts.BPF_ATTR_MAP_CREATE;
import static io.netring.internal.linux.KernelLayouts.BPF_ATTR_MAP_ELEM;
import static io.netring.internal.linux.KernelLayouts.BPF_ATTR_PROG_LOAD;
import static io.netring.internal.linux.KernelLayouts.BPF_ATTR_TEST_RUN;
import static io.netring.internal.linux.KernelLayouts.BPF_PROG_INFO_HEAD;
import static io.netring.internal.linux.KernelLayouts.BPF_INSN;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.BPF_ANY;
import static io.netring.internal.linux.LinuxConstants.BPF_MAP_CREATE;
import static io.netring.internal.linux.LinuxConstants.BPF_MAP_DELETE_ELEM;
import static io.netring.internal.linux.LinuxConstants.BPF_MAP_UPDATE_ELEM;
import static io.netring.internal.linux.LinuxConstants.BPF_OBJ_GET_INFO_BY_FD;
import static io.netring.internal.linux.LinuxConstants.BPF_PROG_GET_FD_BY_ID;
import static io.netring.internal.linux.LinuxConstants.BPF_PROG_LOAD;
import static io.netring.internal.linux.LinuxConstants.BPF_PROG_TEST_RUN;
import static io.netring.internal.linux.LinuxConstants.BPF_PROG_TYPE_SOCKET_FILTER;
import static io.netring.internal.linux.LinuxConstants.SYS_BPF;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The {@code bpf(2)} calls netring makes: programs loaded from bare instructions (no libbpf, no
 * ELF), maps created and filled, a program run on test data, a program's id. A program is loaded without the verifier's log; only a refused one is
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
    private static final String CAPABILITY = "CAP_BPF (or CAP_SYS_ADMIN)";

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
        return loadProgram(BPF_PROG_TYPE_SOCKET_FILTER, insns, "socket filter");
    }

    /**
     * Loads a program of type {@code progType} ({@code BPF_PROG_TYPE_*}) and returns its fd;
     * {@code what} names the program in errors ("socket filter", "XDP program").
     *
     * @throws NetringException an EbpfVerifierException, carrying the log, when the verifier refuses it
     */
    public static int loadProgram(int progType, int[] insns, String what) throws NetringException {
        requireBpf();
        int count = insns.length / WORDS_PER_INSN;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment code = encode(arena, insns);
            MemorySegment license = arena.allocateFrom(LICENSE);
            MemorySegment attr = arena.allocate(BPF_ATTR_PROG_LOAD);
            attr.set(JAVA_INT, offset(BPF_ATTR_PROG_LOAD, "prog_type"), progType);
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
            String context = "loading a " + count + "-instruction " + what;
            if (errno == Errno.EPERM) {
                throw LinuxErrors.exception(call, errno, CAPABILITY, context);
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
                        + "-instruction " + what + " (" + LinuxErrors.describe(errno) + "): " + lastLine(verifierLog)
                        + "; the full log is in verifierLog()", call, errno, verifierLog);
            }
            throw LinuxErrors.exception(call, errno, CAPABILITY, context);
        }
    }

    /**
     * Creates a map ({@code BPF_MAP_TYPE_*}) and returns its fd; {@code name} (up to 15
     * characters) is what {@code bpftool map} shows.
     */
    public static int createMap(int mapType, int keySize, int valueSize, int maxEntries, String name)
            throws NetringException {
        requireBpf();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BPF_ATTR_MAP_CREATE);
            attr.set(JAVA_INT, offset(BPF_ATTR_MAP_CREATE, "map_type"), mapType);
            attr.set(JAVA_INT, offset(BPF_ATTR_MAP_CREATE, "key_size"), keySize);
            attr.set(JAVA_INT, offset(BPF_ATTR_MAP_CREATE, "value_size"), valueSize);
            attr.set(JAVA_INT, offset(BPF_ATTR_MAP_CREATE, "max_entries"), maxEntries);
            byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            MemorySegment.copy(n, 0, attr, JAVA_BYTE, offset(BPF_ATTR_MAP_CREATE, "map_name"), Math.min(n.length, 15));
            long r = Syscalls.syscall(SYS_BPF, BPF_MAP_CREATE, attr, BPF_ATTR_MAP_CREATE.byteSize());
            if (r < 0) {
                throw LinuxErrors.exception("bpf(BPF_MAP_CREATE)", (int) -r, CAPABILITY,
                        "creating map " + name + " of type " + mapType + " with " + maxEntries + " entries");
            }
            return (int) r;
        }
    }

    /** Sets {@code key} to {@code value} (4-byte key and value, native order) in map {@code mapFd}. */
    public static void updateElement(int mapFd, int key, int value) throws NetringException {
        requireBpf();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = arena.allocateFrom(JAVA_INT, key);
            MemorySegment v = arena.allocateFrom(JAVA_INT, value);
            long r = Syscalls.syscall(SYS_BPF, BPF_MAP_UPDATE_ELEM, elementAttr(arena, mapFd, k, v, BPF_ANY),
                    BPF_ATTR_MAP_ELEM.byteSize());
            if (r < 0) {
                throw LinuxErrors.exception("bpf(BPF_MAP_UPDATE_ELEM)", (int) -r, CAPABILITY,
                        "setting key " + key + " of map fd " + mapFd);
            }
        }
    }

    /** Removes {@code key} (a 4-byte key) from map {@code mapFd}; false when it was not there. */
    public static boolean deleteElement(int mapFd, int key) throws NetringException {
        requireBpf();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = arena.allocateFrom(JAVA_INT, key);
            long r = Syscalls.syscall(SYS_BPF, BPF_MAP_DELETE_ELEM, elementAttr(arena, mapFd, k, MemorySegment.NULL, 0),
                    BPF_ATTR_MAP_ELEM.byteSize());
            if (r == -Errno.ENOENT) {
                return false;
            }
            if (r < 0) {
                throw LinuxErrors.exception("bpf(BPF_MAP_DELETE_ELEM)", (int) -r, CAPABILITY,
                        "removing key " + key + " of map fd " + mapFd);
            }
            return true;
        }
    }

    private static MemorySegment elementAttr(Arena arena, int mapFd, MemorySegment key, MemorySegment value, long flags) {
        MemorySegment attr = arena.allocate(BPF_ATTR_MAP_ELEM);
        attr.set(JAVA_INT, offset(BPF_ATTR_MAP_ELEM, "map_fd"), mapFd);
        attr.set(JAVA_LONG, offset(BPF_ATTR_MAP_ELEM, "key"), key.address());
        attr.set(JAVA_LONG, offset(BPF_ATTR_MAP_ELEM, "value"), value.address());
        attr.set(JAVA_LONG, offset(BPF_ATTR_MAP_ELEM, "flags"), flags);
        return attr;
    }

    /**
     * Runs program {@code progFd} once on {@code data} in the kernel ({@code BPF_PROG_TEST_RUN})
     * and returns its return value: for an XDP program, the action ({@code XDP_PASS} …).
     */
    public static int testRun(int progFd, byte[] data) throws NetringException {
        requireBpf();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, in, JAVA_BYTE, 0, data.length);
            MemorySegment attr = arena.allocate(BPF_ATTR_TEST_RUN);
            attr.set(JAVA_INT, offset(BPF_ATTR_TEST_RUN, "prog_fd"), progFd);
            attr.set(JAVA_INT, offset(BPF_ATTR_TEST_RUN, "data_size_in"), data.length);
            attr.set(JAVA_LONG, offset(BPF_ATTR_TEST_RUN, "data_in"), in.address());
            attr.set(JAVA_INT, offset(BPF_ATTR_TEST_RUN, "repeat"), 1);
            long r = Syscalls.syscall(SYS_BPF, BPF_PROG_TEST_RUN, attr, BPF_ATTR_TEST_RUN.byteSize());
            if (r < 0) {
                throw LinuxErrors.exception("bpf(BPF_PROG_TEST_RUN)", (int) -r, CAPABILITY,
                        "running program fd " + progFd + " on " + data.length + " bytes");
            }
            return attr.get(JAVA_INT, offset(BPF_ATTR_TEST_RUN, "retval"));
        }
    }

    /** The kernel's id of program {@code progFd}: what {@code ip link} and netlink's IFLA_XDP_PROG_ID show. */
    public static int progId(int progFd) throws NetringException {
        requireBpf();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(BPF_PROG_INFO_HEAD);
            MemorySegment attr = arena.allocate(BPF_ATTR_INFO);
            attr.set(JAVA_INT, offset(BPF_ATTR_INFO, "bpf_fd"), progFd);
            attr.set(JAVA_INT, offset(BPF_ATTR_INFO, "info_len"), (int) BPF_PROG_INFO_HEAD.byteSize());
            attr.set(JAVA_LONG, offset(BPF_ATTR_INFO, "info"), info.address());
            long r = Syscalls.syscall(SYS_BPF, BPF_OBJ_GET_INFO_BY_FD, attr, BPF_ATTR_INFO.byteSize());
            if (r < 0) {
                throw LinuxErrors.exception("bpf(BPF_OBJ_GET_INFO_BY_FD)", (int) -r, CAPABILITY,
                        "reading the id of program fd " + progFd);
            }
            return info.get(JAVA_INT, offset(BPF_PROG_INFO_HEAD, "id"));
        }
    }

    /**
     * A new fd of the program whose id is {@code programId} (what {@code ip link} shows), to
     * name it where the kernel wants an fd. Needs CAP_SYS_ADMIN, not only CAP_BPF.
     */
    public static int progFdById(int programId) throws NetringException {
        requireBpf();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BPF_ATTR_GET_ID);
            attr.set(JAVA_INT, offset(BPF_ATTR_GET_ID, "prog_id"), programId);
            long r = Syscalls.syscall(SYS_BPF, BPF_PROG_GET_FD_BY_ID, attr, BPF_ATTR_GET_ID.byteSize());
            if (r < 0) {
                throw LinuxErrors.exception("bpf(BPF_PROG_GET_FD_BY_ID)", (int) -r, "CAP_SYS_ADMIN",
                        "opening program id " + programId);
            }
            return (int) r;
        }
    }

    /**
     * A second fd of the program or map behind {@code fd} ({@code F_DUPFD_CLOEXEC}), for a holder
     * that must outlive whoever owns the first one.
     */
    public static int duplicate(int fd) throws NetringException {
        int r = Syscalls.fcntl(fd, LinuxConstants.F_DUPFD_CLOEXEC, 0);
        if (r < 0) {
            throw LinuxErrors.exception("fcntl(F_DUPFD_CLOEXEC)", -r, "nothing", "duplicating fd " + fd);
        }
        return r;
    }

    private static void requireBpf() {
        if (SYS_BPF < 0) {
            throw new UnsupportedOperationException("the bpf(2) system call number is not known for os.arch="
                    + System.getProperty("os.arch") + " (supported: amd64, aarch64)");
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
