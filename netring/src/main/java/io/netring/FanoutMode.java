package io.netring;

import io.netring.filter.BpfProgram;
import io.netring.filter.EbpfProgram;

/**
 * How a fanout group ({@code PACKET_FANOUT}) spreads packets over its member sockets. All
 * members of a group must use the same mode, the same {@link FanoutFlag}s and the same
 * interface; groups are per network namespace. Fanout itself needs Linux 3.1; each mode below
 * names the kernel that introduced it, and an older kernel refuses the mode with EINVAL.
 *
 * <pre>{@code
 * // one capture per CPU, all in group 42
 * Capture cap = Capture.builder().interfaceName("eth0").fanout(FanoutMode.CPU, 42).build();
 * }</pre>
 */
public enum FanoutMode {
    /** By flow hash (PACKET_FANOUT_HASH, Linux 3.1): all packets of a flow reach the same socket. */
    HASH,
    /** Round robin (PACKET_FANOUT_LB, Linux 3.1): equal shares, flows split across sockets. */
    LOAD_BALANCE,
    /** By the CPU that received the packet (PACKET_FANOUT_CPU, Linux 3.1). */
    CPU,
    /** Fill one socket, move to the next when it is full (PACKET_FANOUT_ROLLOVER, Linux 3.10). */
    ROLLOVER,
    /** Uniformly at random (PACKET_FANOUT_RND, Linux 3.12). */
    RANDOM,
    /** By the NIC's recorded RX queue (PACKET_FANOUT_QM, Linux 3.14). */
    QUEUE_MAPPING,
    /**
     * A classic BPF program chooses the socket (PACKET_FANOUT_CBPF, Linux 4.3): its return value modulo the
     * member count is the index. Give it with {@link AbstractRxBuilder#fanoutProgram(BpfProgram)}.
     */
    CBPF,
    /**
     * An eBPF socket-filter program chooses the socket (PACKET_FANOUT_EBPF, Linux 4.3), as for {@link #CBPF}.
     * Give it with {@link AbstractRxBuilder#fanoutProgram(EbpfProgram)}.
     */
    EBPF;

    /** True for the modes that need a steering program. */
    public boolean needsProgram() {
        return this == CBPF || this == EBPF;
    }
}
