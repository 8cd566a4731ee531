package io.netring.reassembly;

import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Reassembles IPv4 and IPv6 (Fragment header) datagrams from their fragments. Feed it every
 * packet; it answers {@link DefragResult#NOT_FRAGMENT} (use the packet as is — nothing copied or
 * allocated), {@link DefragResult#HELD}, {@link DefragResult#COMPLETED} (the whole datagram is in
 * {@link #datagram()}, with the frame numbers that made it) or {@link DefragResult#DROPPED}.
 *
 * <pre>{@code
 * IpDefragmenter defrag = IpDefragmenter.builder().timeout(Duration.ofSeconds(30)).build();
 * if (defrag.offerFrame(frame, 0, length, frameNumber, timeNanos) == DefragResult.COMPLETED) {
 *     decoder.decodeIp(defrag.datagram(), 0, defrag.datagramLength());
 * }
 * }</pre>
 *
 * <p>Datagrams are keyed by (version, source, destination, protocol or next header,
 * identification, innermost VLAN id). Holes are tracked as in RFC 815; overlapping bytes keep the lower-offset
 * fragment's copy, the earlier one at equal offsets (tshark's result). A datagram is given up
 * when its first fragment is older than the timeout (packet time), when it would hold more than
 * the per-datagram bound, or, oldest first, when all held datagrams would pass the total bound;
 * {@link #counters()} counts each with its reason. Not thread-safe: one per capture thread.
 */
public final class IpDefragmenter {
    /** Default per-datagram bound: the largest IP payload (64 KiB) plus the largest IPv4 header. */
    public static final int DEFAULT_MAX_DATAGRAM_BYTES = 65_536 + 60;
    /** Default bound on all held datagrams together. */
    public static final long DEFAULT_MAX_TOTAL_BYTES = 16L << 20;
    /** Default timeout, counted from a datagram's first fragment in packet time (Linux's ipfrag_time). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Bookkeeping charged per held fragment and per datagram, so that tiny fragments cannot hide. */
    static final int FRAGMENT_OVERHEAD = 64;
    static final int DATAGRAM_OVERHEAD = 256;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);

    private final long timeoutNanos;
    private final int maxDatagramBytes;
    private final long maxTotalBytes;

    private final Map<DatagramKey, PendingDatagram> pending = new HashMap<>();
    private final DatagramKey probe = new DatagramKey();
    private final DefragCounters counters = new DefragCounters();
    private final PacketDecoder decoder = new PacketDecoder();
    private PendingDatagram oldest, newest;
    private int vlan;
    private long heldBytes;

    private byte[] out;
    private MemorySegment outSegment;
    private int outLength;
    private long[] frames = new long[8];
    private int frameCount;

    private IpDefragmenter(Builder b) {
        this.timeoutNanos = b.timeout.toNanos();
        this.maxDatagramBytes = b.maxDatagramBytes;
        this.maxTotalBytes = b.maxTotalBytes;
    }

    /** A defragmenter with the default bounds and timeout. */
    public static IpDefragmenter create() { return builder().build(); }

    /** A builder for the bounds and timeout; {@link Builder#build()} checks them. */
    public static Builder builder() { return new Builder(); }

    /**
     * Offers an Ethernet frame (VLAN tags allowed) of {@code length} captured bytes at
     * {@code offset}; anything but IPv4 or IPv6 is {@link DefragResult#NOT_FRAGMENT}.
     * {@code timeNanos} is the packet's time (any epoch, as long as it is the same for all).
     */
    public DefragResult offerFrame(MemorySegment frame, long offset, int length, long frameNumber, long timeNanos) {
        decoder.decode(frame, offset, length);
        if (!decoder.has(Layer.IPV4) && !decoder.has(Layer.IPV6)) {
            expire(timeNanos);
            return DefragResult.NOT_FRAGMENT;
        }
        int network = decoder.networkOffset();
        int tags = decoder.has(Layer.VLAN) ? decoder.vlan().count() : 0;
        return offer(frame, offset + network, length - network, tags == 0 ? 0 : decoder.vlan().id(tags - 1),
                frameNumber, timeNanos);
    }

    /** Offers an IP packet (IPv4 or IPv6 header first) of {@code length} captured bytes at {@code offset}. */
    public DefragResult offerIp(MemorySegment packet, long offset, int length, long frameNumber, long timeNanos) {
        return offer(packet, offset, length, 0, frameNumber, timeNanos);
    }

    private DefragResult offer(MemorySegment packet, long offset, int length, int vlan, long frameNumber, long timeNanos) {
        this.vlan = vlan;
        outLength = 0;
        frameCount = 0;
        expire(timeNanos);
        if (length < 20) {
            return DefragResult.NOT_FRAGMENT;
        }
        int version = (packet.get(ValueLayout.JAVA_BYTE, offset) & 0xFF) >>> 4;
        if (version == 4) {
            return offerIpv4(packet, offset, length, frameNumber, timeNanos);
        }
        if (version == 6 && length >= 40) {
            return offerIpv6(packet, offset, length, frameNumber, timeNanos);
        }
        return DefragResult.NOT_FRAGMENT;
    }

    private DefragResult offerIpv4(MemorySegment p, long at, int length, long frameNumber, long timeNanos) {
        int flagsAndOffset = u16(p, at + 6);
        boolean more = (flagsAndOffset & 0x2000) != 0;
        int fragmentOffset = (flagsAndOffset & 0x1FFF) * 8;
        if (!more && fragmentOffset == 0) {
            return DefragResult.NOT_FRAGMENT;
        }
        counters.countFragment();
        int headerLength = (p.get(ValueLayout.JAVA_BYTE, at) & 0x0F) * 4;
        int totalLength = u16(p, at + 2);
        // tshark reassembles only fragments it holds whole, with data after the header.
        if (headerLength < 20 || totalLength <= headerLength || totalLength > length) {
            counters.countDropped(DropReason.MALFORMED);
            return DefragResult.DROPPED;
        }
        probe.set(4, 0, p.get(U32, at + 12) & 0xFFFFFFFFL, 0, p.get(U32, at + 16) & 0xFFFFFFFFL,
                p.get(ValueLayout.JAVA_BYTE, at + 9) & 0xFF, u16(p, at + 4), vlan);
        return add(p, at, headerLength, -1, headerLength, fragmentOffset, totalLength - headerLength, !more,
                frameNumber, timeNanos);
    }

    private DefragResult offerIpv6(MemorySegment p, long at, int length, long frameNumber, long timeNanos) {
        int next = p.get(ValueLayout.JAVA_BYTE, at + 6) & 0xFF;
        int nextIndex = 6;
        int pos = 40;
        // Hop-by-hop, routing and destination options may precede the Fragment header.
        while ((next == 0 || next == 43 || next == 60) && pos + 8 <= length) {
            nextIndex = pos;
            next = p.get(ValueLayout.JAVA_BYTE, at + pos) & 0xFF;
            pos += ((p.get(ValueLayout.JAVA_BYTE, at + pos + 1) & 0xFF) + 1) * 8;
        }
        if (next != 44 || pos + 8 > length) {
            return DefragResult.NOT_FRAGMENT;
        }
        int offsetAndFlags = u16(p, at + pos + 2);
        int fragmentOffset = offsetAndFlags & 0xFFF8;
        boolean more = (offsetAndFlags & 1) != 0;
        if (!more && fragmentOffset == 0) {
            return DefragResult.NOT_FRAGMENT;                    // an atomic fragment (RFC 6946)
        }
        counters.countFragment();
        int end = 40 + u16(p, at + 4);
        int dataStart = pos + 8;
        if (end <= dataStart || end > length) {
            counters.countDropped(DropReason.MALFORMED);
            return DefragResult.DROPPED;
        }
        probe.set(6, p.get(U64, at + 8), p.get(U64, at + 16), p.get(U64, at + 24), p.get(U64, at + 32),
                p.get(ValueLayout.JAVA_BYTE, at + pos) & 0xFF, p.get(U32, at + pos + 4) & 0xFFFFFFFFL, vlan);
        // The reassembled datagram keeps the headers before the Fragment header, not the header itself.
        return add(p, at, pos, nextIndex, dataStart, fragmentOffset, end - dataStart, !more, frameNumber, timeNanos);
    }

    /**
     * Holds one well-formed fragment: the reassembled datagram keeps its first {@code headerLength}
     * bytes as header (from the offset-0 fragment); its data starts at {@code dataStart}.
     */
    private DefragResult add(MemorySegment p, long at, int headerLength, int nextIndex, int dataStart, int fragmentOffset,
                             int dataLength, boolean last, long frameNumber, long timeNanos) {
        PendingDatagram d = pending.get(probe);
        if ((long) headerLength + fragmentOffset + dataLength > maxDatagramBytes
                || (d != null && d.heldData() + dataLength > maxDatagramBytes)) {
            if (d != null) {
                forget(d);
            }
            counters.countDropped(DropReason.TOO_BIG);
            return DefragResult.DROPPED;
        }
        long cost = FRAGMENT_OVERHEAD + dataLength + (fragmentOffset == 0 ? headerLength : 0)
                + (d == null ? DATAGRAM_OVERHEAD : 0);
        while (heldBytes + cost > maxTotalBytes && oldest != null && oldest != d) {
            counters.countDropped(DropReason.TOTAL_BOUND);
            forget(oldest);
        }
        if (heldBytes + cost > maxTotalBytes) {
            if (d != null) {
                forget(d);
            }
            counters.countDropped(DropReason.TOTAL_BOUND);
            return DefragResult.DROPPED;
        }
        if (d == null) {
            d = new PendingDatagram(probe.copy(), timeNanos);
            pending.put(d.key, d);
            link(d);
        }
        d.add(p, at, headerLength, dataStart, nextIndex, fragmentOffset, dataLength, last, frameNumber, cost);
        heldBytes += cost;
        if (!d.complete()) {
            return DefragResult.HELD;
        }
        return finish(d);
    }

    private DefragResult finish(PendingDatagram d) {
        forget(d);
        int total = d.headerLength() + d.length();
        // A datagram whose length the IP header cannot state is given up as too big.
        int stated = d.key.version == 4 ? total : total - 40;
        if (total > maxDatagramBytes || stated > 0xFFFF) {
            counters.countDropped(DropReason.TOO_BIG);
            return DefragResult.DROPPED;
        }
        if (out == null) {
            out = new byte[maxDatagramBytes];
            outSegment = MemorySegment.ofArray(out);
        }
        int overlap = d.assemble(out);
        if (overlap != 0) {
            counters.countOverlap((overlap & 2) != 0);
        }
        if (d.key.version == 4) {
            fixIpv4Header(d.headerLength(), total);
        } else {
            out[4] = (byte) (stated >>> 8);
            out[5] = (byte) stated;
            out[d.nextHeaderIndex()] = (byte) d.key.protocol;
        }
        outLength = total;
        frameCount = d.fragmentCount();
        if (frames.length < frameCount) {
            frames = new long[Math.max(frameCount, frames.length * 2)];
        }
        for (int i = 0; i < frameCount; i++) {
            frames[i] = d.frameNumber(i);
        }
        counters.countCompleted();
        return DefragResult.COMPLETED;
    }

    /** Total length set, MF and fragment offset cleared (DF and the reserved bit kept), checksum redone. */
    private void fixIpv4Header(int headerLength, int total) {
        out[2] = (byte) (total >>> 8);
        out[3] = (byte) total;
        out[6] &= (byte) 0xC0;
        out[7] = 0;
        out[10] = 0;
        out[11] = 0;
        int sum = 0;
        for (int i = 0; i < headerLength; i += 2) {
            sum += ((out[i] & 0xFF) << 8) | (out[i + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        int checksum = ~sum & 0xFFFF;
        out[10] = (byte) (checksum >>> 8);
        out[11] = (byte) checksum;
    }

    /** Gives up, as {@link DropReason#TIMEOUT}, every datagram whose first fragment is older than the timeout at {@code nowNanos}. */
    public void expire(long nowNanos) {
        while (oldest != null && nowNanos - oldest.firstSeenNanos >= timeoutNanos) {
            counters.countDropped(DropReason.TIMEOUT);
            forget(oldest);
        }
    }

    /** Gives up every datagram still incomplete (at the end of the input), as {@link DropReason#UNFINISHED}. */
    public void discardPending() {
        while (oldest != null) {
            counters.countDropped(DropReason.UNFINISHED);
            forget(oldest);
        }
    }

    private void link(PendingDatagram d) {
        d.older = newest;
        if (newest != null) {
            newest.newer = d;
        } else {
            oldest = d;
        }
        newest = d;
    }

    private void forget(PendingDatagram d) {
        pending.remove(d.key);
        heldBytes -= d.heldBytes();
        if (d.older != null) {
            d.older.newer = d.newer;
        } else {
            oldest = d.newer;
        }
        if (d.newer != null) {
            d.newer.older = d.older;
        } else {
            newest = d.older;
        }
        d.older = d.newer = null;
    }

    /**
     * The datagram the last call completed, header first (IPv4: total length, flags and checksum
     * rewritten; IPv6: payload length set, Fragment header removed). Owned by this
     * defragmenter and valid until the next call; empty unless the last result was COMPLETED.
     */
    public MemorySegment datagram() {
        return outLength == 0 ? EMPTY : outSegment.asSlice(0, outLength);
    }

    /** The completed datagram's length in bytes, 0 unless the last result was COMPLETED. */
    public int datagramLength() { return outLength; }

    /** How many fragments (frames) made the completed datagram, in arrival order; 0 unless COMPLETED. */
    public int frameCount() { return frameCount; }

    /** The frame number of the {@code i}th fragment, in arrival order, of the completed datagram. */
    public long frameNumber(int i) {
        if (i < 0 || i >= frameCount) {
            throw new IndexOutOfBoundsException("i=" + i + " (frameCount=" + frameCount + ")");
        }
        return frames[i];
    }

    /** A copy of the completed datagram's frame numbers, in arrival order. */
    public long[] frameNumbers() { return java.util.Arrays.copyOf(frames, frameCount); }

    /** The datagrams completed and given up so far, by reason; live, not a copy. */
    public DefragCounters counters() { return counters; }

    /** Datagrams held, waiting for fragments. */
    public int pendingDatagrams() { return pending.size(); }

    /** Bytes held now (fragment data, kept headers and bookkeeping), always at most {@link #maxTotalBytes()}. */
    public long heldBytes() { return heldBytes; }

    /** The bound on {@link #heldBytes()}. */
    public long maxTotalBytes() { return maxTotalBytes; }

    /** The most one datagram may hold or reach. */
    public int maxDatagramBytes() { return maxDatagramBytes; }

    /** How long, in packet time, a datagram may wait for its missing fragments. */
    public Duration timeout() { return Duration.ofNanos(timeoutNanos); }

    private static int u16(MemorySegment p, long at) {
        return p.get(U16, at) & 0xFFFF;
    }

    /** Bounds and timeout of an {@link IpDefragmenter}; checked at {@link #build()}. */
    public static final class Builder {
        private Duration timeout = DEFAULT_TIMEOUT;
        private int maxDatagramBytes = DEFAULT_MAX_DATAGRAM_BYTES;
        private long maxTotalBytes = DEFAULT_MAX_TOTAL_BYTES;

        private Builder() {}

        /** How long, in packet time from its first fragment, a datagram may wait for the rest. */
        public Builder timeout(Duration timeout) {
            this.timeout = java.util.Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The most one datagram may hold (header and data, duplicates included) and reach. */
        public Builder maxDatagramBytes(int bytes) {
            this.maxDatagramBytes = bytes;
            return this;
        }

        /** The most all held datagrams may hold together, bookkeeping included. */
        public Builder maxTotalBytes(long bytes) {
            this.maxTotalBytes = bytes;
            return this;
        }

        /** The defragmenter; throws {@link IllegalArgumentException} naming a timeout or bound out of range. */
        public IpDefragmenter build() {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout=" + timeout + " must be positive");
            }
            if (maxDatagramBytes < 68) {
                throw new IllegalArgumentException("maxDatagramBytes=" + maxDatagramBytes
                        + " must be at least 68 (the smallest datagram IPv4 lets be fragmented)");
            }
            if (maxTotalBytes < maxDatagramBytes) {
                throw new IllegalArgumentException("maxTotalBytes=" + maxTotalBytes
                        + " must be at least maxDatagramBytes=" + maxDatagramBytes);
            }
            return new IpDefragmenter(this);
        }
    }
}
