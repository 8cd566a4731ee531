package io.netring.afpacket;

/**
 * A validated fanout request in the kernel's terms: type, group id, flag bits and, for CBPF or
 * EBPF, the steering program.
 *
 * @param type a PACKET_FANOUT_* type
 * @param groupId 0..65535 (0 with UNIQUE_ID: the kernel picks)
 * @param flagBits PACKET_FANOUT_FLAG_* bits (in the upper byte of the 16-bit type half)
 * @param description the request in the user's words for messages, e.g. {@code HASH group 42 [ROLLOVER]}
 * @param cbpf the classic steering program of a CBPF group, else null
 * @param ebpfFd the eBPF steering program of an EBPF group, else -1
 */
public record FanoutSpec(int type, int groupId, int flagBits, String description, CbpfCode cbpf, int ebpfFd) {
    /** The PACKET_FANOUT option value: group id in the low 16 bits, type and flags in the high 16. */
    public int optionValue() {
        return (groupId & 0xffff) | ((type | flagBits) << 16);
    }
}
