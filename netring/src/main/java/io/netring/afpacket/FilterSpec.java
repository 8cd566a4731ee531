package io.netring.afpacket;

import io.netring.filter.BpfProgram;
import io.netring.filter.EbpfProgram;

/**
 * The socket filter to attach before the ring exists: at most one of a classic or an eBPF
 * program, and whether to lock it (SO_LOCK_FILTER).
 */
public record FilterSpec(BpfProgram classic, EbpfProgram ebpf, boolean lock) {
    /** No filter, not locked. */
    public static final FilterSpec NONE = new FilterSpec(null, null, false);

    public FilterSpec {
        if (classic != null && ebpf != null) {
            throw new IllegalArgumentException("a socket has one filter: give bpfFilter or ebpfFilter, not both");
        }
    }
}
