package io.netring;

import io.netring.internal.NativeMemory;
import io.netring.internal.linux.LinuxConstants;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The metadata of a run of AF_XDP RX descriptors, one per RX ring, shared by its batches. A packet's header position is the byte
 * offset of its {@code struct xdp_desc} (addr u64, len u32, options u32) in the RX ring's
 * descriptor area, which stays put while the batch holds the run. AF_XDP gives no more than
 * address and length, so the rest is made: one timestamp for the run (taken when it was
 * read), no VLAN offload (the tag stays in the frame), the direction from the destination MAC,
 * the EtherType from the frame.
 */
final class XdpDescriptorLayout extends BatchLayout {
    static final long DESC_SIZE = 16;
    static final long ADDR_OFFSET = 0;
    static final long LEN_OFFSET = 8;
    private static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    /** The descriptor area of the RX ring, without a scope. */
    private final MemorySegment descriptors;
    /** The UMEM, without a scope. */
    private final MemorySegment frames;
    /** The stamp of the open batch: set when a run is taken, read only while it is open. */
    private long seconds;
    private int nanos;
    private final int ifIndex;
    /** The interface's MAC address in the low 48 bits, or -1 when unknown. */
    private final long localMac;

    XdpDescriptorLayout(MemorySegment descriptors, MemorySegment frames, int ifIndex, long localMac) {
        this.descriptors = descriptors;
        this.frames = frames;
        this.ifIndex = ifIndex;
        this.localMac = localMac;
    }

    /** Stamps the run about to be handed out with {@code epochNanos}. */
    void stamp(long epochNanos) {
        this.seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        this.nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
    }

    static long address(MemorySegment descriptors, long hdr) {
        return descriptors.get(ValueLayout.JAVA_LONG_UNALIGNED, hdr + ADDR_OFFSET);
    }

    static int length(MemorySegment descriptors, long hdr) {
        return descriptors.get(ValueLayout.JAVA_INT_UNALIGNED, hdr + LEN_OFFSET);
    }

    /**
     * {@link #address(MemorySegment, long)} in a descriptor area at address {@code base}, read
     * through {@link NativeMemory#ALL}: for a walk whose {@code hdr} is a ring index masked to
     * the area, so inside it by construction.
     */
    static long address(long base, long hdr) {
        return NativeMemory.ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, NativeMemory.address(base + hdr) + ADDR_OFFSET);
    }

    /** {@link #length(MemorySegment, long)} as {@link #address(long, long)} reads. */
    static int length(long base, long hdr) {
        return NativeMemory.ALL.get(ValueLayout.JAVA_INT_UNALIGNED, NativeMemory.address(base + hdr) + LEN_OFFSET);
    }

    @Override
    long seconds(long hdr) {
        return seconds;
    }

    @Override
    int nanos(long hdr) {
        return nanos;
    }

    @Override
    int snaplen(long hdr) {
        return length(descriptors, hdr);
    }

    @Override
    int wireLength(long hdr) {
        return length(descriptors, hdr);
    }

    @Override
    int status(long hdr) {
        return 0;
    }

    @Override
    int rxHash(long hdr) {
        return 0;
    }

    @Override
    int vlanTci(long hdr) {
        return 0;
    }

    @Override
    int vlanTpid(long hdr) {
        return 0;
    }

    @Override
    int pktType(long hdr) {
        if (length(descriptors, hdr) < 6) {
            return LinuxConstants.PACKET_HOST;
        }
        long at = address(descriptors, hdr);
        long dst = (Integer.toUnsignedLong(frames.get(NETWORK_INT, at)) << 16)
                | Short.toUnsignedLong(frames.get(NETWORK_SHORT, at + 4));
        if (dst == BROADCAST) {
            return LinuxConstants.PACKET_BROADCAST;
        }
        if ((dst & (1L << 40)) != 0) {          // the I/G bit of the first byte
            return LinuxConstants.PACKET_MULTICAST;
        }
        return localMac < 0 || dst == localMac ? LinuxConstants.PACKET_HOST : LinuxConstants.PACKET_OTHERHOST;
    }

    @Override
    int ifIndex(long hdr) {
        return ifIndex;
    }

    @Override
    int protocol(long hdr) {
        if (length(descriptors, hdr) < 14) {
            return 0;
        }
        return Short.toUnsignedInt(frames.get(NETWORK_SHORT, address(descriptors, hdr) + 12));
    }

    private static final ValueLayout.OfShort NETWORK_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NETWORK_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
}
