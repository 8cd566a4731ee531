package io.netring;

import io.netring.filter.BpfProgram;
import io.netring.filter.EbpfProgram;

import static io.netring.internal.linux.LinuxConstants.*;

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
    HASH(PACKET_FANOUT_HASH),
    /** Round robin (PACKET_FANOUT_LB, Linux 3.1): equal shares, flows split across sockets. */
    LOAD_BALANCE(PACKET_FANOUT_LB),
    /** By the CPU that received the packet (PACKET_FANOUT_CPU, Linux 3.1). */
    CPU(PACKET_FANOUT_CPU),
    /** Fill one socket, move to the next when it is full (PACKET_FANOUT_ROLLOVER, Linux 3.10). */
    ROLLOVER(PACKET_FANOUT_ROLLOVER),
    /** Uniformly at random (PACKET_FANOUT_RND, Linux 3.12). */
    RANDOM(PACKET_FANOUT_RND),
    /** By the NIC's recorded RX queue (PACKET_FANOUT_QM, Linux 3.14). */
    QUEUE_MAPPING(PACKET_FANOUT_QM),
    /**
     * A classic BPF program chooses the socket (PACKET_FANOUT_CBPF, Linux 4.3): its return value modulo the
     * member count is the index. Give it with {@link AbstractRxBuilder#fanoutProgram(BpfProgram)}.
     */
    CBPF(PACKET_FANOUT_CBPF),
    /**
     * An eBPF socket-filter program chooses the socket (PACKET_FANOUT_EBPF, Linux 4.3), as for {@link #CBPF}.
     * Give it with {@link AbstractRxBuilder#fanoutProgram(EbpfProgram)}.
     */
    EBPF(PACKET_FANOUT_EBPF);

    /** The PACKET_FANOUT_* type. */
    final int kernelType;

    FanoutMode(int kernelType) {
        this.kernelType = kernelType;
    }

    /** True for the modes that need a steering program. */
    public boolean needsProgram() {
        return this == CBPF || this == EBPF;
    }
}
