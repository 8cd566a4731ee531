package io.netring;

/**
 * How a fanout group ({@code PACKET_FANOUT}) spreads packets over its member sockets. All
 * members of a group must use the same mode, the same {@link FanoutFlag}s and the same
 * interface; groups are per network namespace.
 *
 * <pre>{@code
 * // one capture per CPU, all in group 42
 * Capture cap = Capture.builder().interfaceName("eth0").fanout(FanoutMode.CPU, 42).build();
 * }</pre>
 */
public enum FanoutMode {
    /** By flow hash (PACKET_FANOUT_HASH): all packets of a flow reach the same socket. */
    HASH,
    /** Round robin (PACKET_FANOUT_LB): equal shares, flows split across sockets. */
    LOAD_BALANCE,
    /** By the CPU that received the packet (PACKET_FANOUT_CPU). */
    CPU,
    /** Fill one socket, move to the next when it is full (PACKET_FANOUT_ROLLOVER). */
    ROLLOVER,
    /** Uniformly at random (PACKET_FANOUT_RND). */
    RANDOM,
    /** By the NIC's recorded RX queue (PACKET_FANOUT_QM). */
    QUEUE_MAPPING,
    /**
     * A classic BPF program chooses the socket (PACKET_FANOUT_CBPF): its return value modulo the
     * member count is the index. Give it with {@link AbstractRxBuilder#fanoutProgram(BpfProgram)}.
     */
    CBPF,
    /**
     * An eBPF socket-filter program chooses the socket (PACKET_FANOUT_EBPF), as for {@link #CBPF}.
     * Give it with {@link AbstractRxBuilder#fanoutProgram(EbpfProgram)}.
     */
    EBPF;

    /** True for the modes that need a steering program. */
    public boolean needsProgram() {
        return this == CBPF || this == EBPF;
    }
}
