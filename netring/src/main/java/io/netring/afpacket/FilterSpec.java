package io.netring.afpacket;

/**
 * The socket filter to attach before the ring exists: at most one of a classic program or an
 * eBPF program fd, and whether to lock it (SO_LOCK_FILTER).
 *
 * @param classic the classic program, or null
 * @param ebpfFd the fd of a loaded eBPF socket filter, or -1
 */
public record FilterSpec(CbpfCode classic, int ebpfFd, boolean lock) {
    /** No filter, not locked. */
    public static final FilterSpec NONE = new FilterSpec(null, -1, false);

    public FilterSpec {
        if (classic != null && ebpfFd >= 0) {
            throw new IllegalArgumentException("a socket has one filter: give bpfFilter or ebpfFilter, not both");
        }
    }

    /** True when an eBPF program is to be attached. */
    public boolean hasEbpf() {
        return ebpfFd >= 0;
    }
}
