package io.netring.afpacket;

import io.netring.FanoutFlag;
import io.netring.FanoutMode;
import io.netring.filter.BpfProgram;
import io.netring.filter.EbpfProgram;

import java.util.Set;

import static io.netring.internal.linux.LinuxConstants.*;

/**
 * A validated fanout request: mode, group id, flags and, for CBPF/EBPF, the steering program.
 *
 * @param groupId 0..65535 (0 with UNIQUE_ID: the kernel picks)
 * @param cbpf the steering program of {@link FanoutMode#CBPF}, else null
 * @param ebpf the steering program of {@link FanoutMode#EBPF}, else null
 */
public record FanoutSpec(FanoutMode mode, int groupId, Set<FanoutFlag> flags, BpfProgram cbpf, EbpfProgram ebpf) {
    public FanoutSpec {
        flags = Set.copyOf(flags);
    }

    /** The PACKET_FANOUT type of a mode. */
    public static int type(FanoutMode mode) {
        return switch (mode) {
            case HASH -> PACKET_FANOUT_HASH;
            case LOAD_BALANCE -> PACKET_FANOUT_LB;
            case CPU -> PACKET_FANOUT_CPU;
            case ROLLOVER -> PACKET_FANOUT_ROLLOVER;
            case RANDOM -> PACKET_FANOUT_RND;
            case QUEUE_MAPPING -> PACKET_FANOUT_QM;
            case CBPF -> PACKET_FANOUT_CBPF;
            case EBPF -> PACKET_FANOUT_EBPF;
        };
    }

    /** The PACKET_FANOUT_FLAG_* bit of a flag (already in the upper byte of the 16-bit type half). */
    public static int flagBit(FanoutFlag flag) {
        return switch (flag) {
            case ROLLOVER -> PACKET_FANOUT_FLAG_ROLLOVER;
            case UNIQUE_ID -> PACKET_FANOUT_FLAG_UNIQUEID;
            case IGNORE_OUTGOING -> PACKET_FANOUT_FLAG_IGNORE_OUTGOING;
            case DEFRAG -> PACKET_FANOUT_FLAG_DEFRAG;
        };
    }

    /** The PACKET_FANOUT option value: group id in the low 16 bits, type and flags in the high 16. */
    public int optionValue() {
        int typeFlags = type(mode);
        for (FanoutFlag f : flags) {
            typeFlags |= flagBit(f);
        }
        return (groupId & 0xffff) | (typeFlags << 16);
    }

    /** {@code HASH group 42 [ROLLOVER]} for messages. */
    public String describe() {
        return mode + " group " + groupId + (flags.isEmpty() ? "" : " " + new java.util.TreeSet<>(flags));
    }
}
