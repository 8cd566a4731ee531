package io.netring.reassembly;

import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;
import io.netring.decode.TcpView;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Objects;

/**
 * Rebuilds both byte streams of every TCP connection from decoded packets and hands them to a
 * {@link StreamHandler} in order: in-order bytes as slices of the packet (no copy, nothing
 * allocated once the call to the handler inlines), out-of-order ones copied and held until the
 * hole fills, overlaps resolved as tshark 4.0 does, holes reported as gaps. Bounds per side and
 * in total skip holes instead of growing; streams end at FIN, RST, idle timeout, eviction or
 * {@link #finish()}. docs/REASSEMBLY.md has the rules, bounds and counters.
 *
 * <pre>{@code
 * TcpReassembler tcp = TcpReassembler.builder().handler(myHandler).build();
 * for (each frame) { tcp.offer(decoder.decode(frame), frameNumber, timeNanos); }
 * tcp.finish();
 * }</pre>
 *
 * <p>IP fragments are not reassembled here (feed it what an {@link IpDefragmenter} completes).
 * Not thread-safe: one per capture thread.
 */
public final class TcpReassembler {
    /** Default bound on the out-of-order bytes one direction holds. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES_PER_SIDE = 1L << 20;
    /** Default bound on the out-of-order bytes all streams hold together. */
    public static final long DEFAULT_MAX_TOTAL_BYTES = 64L << 20;
    /** Default idle timeout, in packet time. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** Default number of streams followed at once. */
    public static final int DEFAULT_MAX_STREAMS = 1 << 16;
    /** Bookkeeping charged per held segment, so that tiny segments cannot hide. */
    public static final int SEGMENT_OVERHEAD = 64;
    /** The largest payload one segment can carry (an IPv6 jumbogram aside), plus its bookkeeping. */
    private static final int LARGEST_SEGMENT_COST = 65_535 + SEGMENT_OVERHEAD;

    private final long maxPerSide;
    private final long maxTotal;
    private final long idleNanos;
    private final int maxStreams;
    private final StreamHandler handler;

    private final ConnectionTable table = new ConnectionTable(256);
    private final TcpReassemblyCounters counters = new TcpReassemblyCounters();
    // idle order: least recently seen first
    private TcpStream oldest, newest;
    // streams holding out-of-order bytes, in the order they started holding
    private TcpStream oldestHolder, newestHolder;
    private long heldBytes;
    private long nextId;
    private long lastFrame;

    private TcpReassembler(Builder b) {
        this.maxPerSide = b.maxPerSide;
        this.maxTotal = b.maxTotal;
        this.idleNanos = b.idle.toNanos();
        this.maxStreams = b.maxStreams;
        this.handler = b.handler;
    }

    /** A builder; a handler is required, the bounds and timeout have defaults. */
    public static Builder builder() { return new Builder(); }

    /**
     * Feeds one decoded packet (IPv4 or IPv6, any VLAN tags); anything but TCP is ignored.
     * {@code timeNanos} is the packet's time (any epoch, the same for all packets): streams idle
     * for the timeout end first. The decoder's bytes must stay valid during the call only.
     */
    public void offer(PacketDecoder decoded, long frameNumber, long timeNanos) {
        lastFrame = frameNumber;
        expire(timeNanos);
        if (!decoded.has(Layer.TCP)) {
            return;
        }
        counters.segments++;
        long srcHi, srcLo, dstHi, dstLo;
        int version;
        if (decoded.has(Layer.IPV4)) {
            if (decoded.ipv4().isFragment()) {
                counters.ignored++;
                return;
            }
            version = 4;
            srcHi = dstHi = 0;
            srcLo = decoded.ipv4().source() & 0xFFFF_FFFFL;
            dstLo = decoded.ipv4().destination() & 0xFFFF_FFFFL;
        } else {
            if (decoded.ipv6().hasFragment()) {
                counters.ignored++;
                return;
            }
            version = 6;
            srcHi = decoded.ipv6().sourceHigh();
            srcLo = decoded.ipv6().sourceLow();
            dstHi = decoded.ipv6().destinationHigh();
            dstLo = decoded.ipv6().destinationLow();
        }
        int tags = decoded.has(Layer.VLAN) ? decoded.vlan().count() : 0;
        int vlan = tags == 0 ? 0 : decoded.vlan().id(tags - 1);
        TcpView t = decoded.tcp();
        int sp = t.sourcePort(), dp = t.destinationPort();
        int c = Long.compareUnsigned(srcHi, dstHi);
        if (c == 0) {
            c = Long.compareUnsigned(srcLo, dstLo);
        }
        boolean senderIsB = c > 0 || (c == 0 && sp > dp);
        long portsMeta = senderIsB ? ConnectionTable.portsMeta(dp, sp, vlan, version)
                : ConnectionTable.portsMeta(sp, dp, vlan, version);
        long aHi = senderIsB ? dstHi : srcHi, aLo = senderIsB ? dstLo : srcLo;
        long bHi = senderIsB ? srcHi : dstHi, bLo = senderIsB ? srcLo : dstLo;

        int flags = t.flags();
        boolean syn = (flags & TcpView.SYN) != 0, ack = (flags & TcpView.ACK) != 0;
        boolean rst = (flags & TcpView.RST) != 0, fin = (flags & TcpView.FIN) != 0;
        int seq = (int) t.sequence();
        int length = decoded.payloadLength();

        TcpStream s = table.find(aHi, aLo, bHi, bLo, portsMeta);
        if (s != null && syn && !ack && !rst) {
            StreamDirection from = s.direction(sideOf(s, senderIsB));
            if (!from.sawSyn || from.isn != seq) {
                // a new connection on the same 5-tuple: the old one ends here
                close(s, s.client.finOffset != StreamDirection.NO_FIN || s.server.finOffset != StreamDirection.NO_FIN
                        ? StreamEnd.FIN : StreamEnd.EVICTED);
                s = null;
            }
        }
        if (s == null) {
            if (rst || (!syn && length == 0)) {
                counters.ignored++;     // a stray ACK or FIN after the end, or a RST: nothing to follow
                return;
            }
            if (table.size() >= maxStreams) {
                close(oldest, StreamEnd.EVICTED);
            }
            boolean clientIsB = syn && ack ? !senderIsB : senderIsB;
            s = new TcpStream(nextId++, aHi, aLo, bHi, bLo, portsMeta, clientIsB);
            table.add(s);
            counters.streamsOpened++;
            handler.opened(s);
        } else {
            unlinkIdle(s);
        }
        s.lastSeenNanos = timeNanos;
        linkIdle(s);

        StreamSide side = sideOf(s, senderIsB);
        StreamDirection dir = s.direction(side);
        if (rst) {
            close(s, StreamEnd.RESET);
            return;
        }
        if (syn && !dir.started) {
            dir.start(seq + 1);
            dir.sawSyn = true;
            dir.isn = seq;
        } else if (!dir.started) {
            dir.start(seq);
        }
        int dataSeq = syn ? seq + 1 : seq;
        if (length > 0) {
            segment(s, side, dir, dataSeq, decoded.segment(), decoded.offset() + decoded.payloadOffset(), length, frameNumber);
        }
        if (fin && dir.finOffset == StreamDirection.NO_FIN) {
            dir.finOffset = Math.max(dir.offsetOf(dataSeq + length), 0);
        }
        if (!dir.finReported && dir.finished()) {
            dir.finReported = true;
            handler.finished(s, side, frameNumber);
        }
        if (s.client.finished() && s.server.finished() && s.heldBytes() == 0) {
            close(s, StreamEnd.FIN);
        }
    }

    private static StreamSide sideOf(TcpStream s, boolean senderIsB) {
        return senderIsB == s.clientIsB ? StreamSide.CLIENT : StreamSide.SERVER;
    }

    /** One segment's payload, {@code length} bytes at {@code at} in {@code packet}, starting at sequence number {@code seq}. */
    private void segment(TcpStream s, StreamSide side, StreamDirection dir, int seq, MemorySegment packet, long at,
                         int length, long frame) {
        long start = dir.offsetOf(seq);
        if (dir.finOffset != StreamDirection.NO_FIN && start + length > dir.finOffset) {
            counters.afterFin++;
            if (start >= dir.finOffset) {
                return;
            }
            length = (int) (dir.finOffset - start);
        }
        while (true) {
            long next = dir.delivered;
            if (start + length <= next) {
                counters.retransmissions++;
                return;
            }
            if (start <= next) {
                int skip = (int) (next - start);
                if (skip > 0) {
                    counters.overlaps++;
                }
                int n = length - skip;
                counters.inOrderSegments++;
                counters.inOrderBytes += n;
                dir.advance(n);
                handler.data(s, side, next, packet, at + skip, n, frame);
                release(s, side, dir, frame);
                return;
            }
            if (dir.held.covers(start, length)) {
                counters.retransmissions++;
                return;
            }
            long cost = (long) length + SEGMENT_OVERHEAD;
            if (dir.heldBytes + cost > maxPerSide && !dir.held.isEmpty()) {
                skipHole(s, side, dir, GapReason.SIDE_BOUND, frame);
                continue;
            }
            if (heldBytes + cost > maxTotal && oldestHolder != null) {
                skipAllHoles(oldestHolder, GapReason.TOTAL_BOUND, frame);
                continue;
            }
            hold(s, dir, start, packet, at, length, cost);
            return;
        }
    }

    /** Copies an out-of-order segment: the only copy the reassembler makes. */
    private void hold(TcpStream s, StreamDirection dir, long start, MemorySegment packet, long at, int length, long cost) {
        if (dir.held.overlaps(start, length)) {
            counters.overlaps++;
        }
        byte[] copy = new byte[length];
        MemorySegment.copy(packet, ValueLayout.JAVA_BYTE, at, copy, 0, length);
        dir.held.insert(start, MemorySegment.ofArray(copy));
        dir.heldBytes += cost;
        heldBytes += cost;
        counters.heldSegments++;
        counters.heldBytes += length;
        if (!s.holding) {
            s.holding = true;
            s.olderHolder = newestHolder;
            if (newestHolder != null) {
                newestHolder.newerHolder = s;
            } else {
                oldestHolder = s;
            }
            newestHolder = s;
        }
    }

    /** Delivers the held segments the delivered bytes have reached, each past what was already delivered. */
    private void release(TcpStream s, StreamSide side, StreamDirection dir, long frame) {
        HeldSegments held = dir.held;
        while (!held.isEmpty() && held.firstStart() <= dir.delivered) {
            long start = held.firstStart();
            MemorySegment data = held.firstData();
            held.removeFirst();
            long cost = data.byteSize() + SEGMENT_OVERHEAD;
            dir.heldBytes -= cost;
            heldBytes -= cost;
            long skip = dir.delivered - start;
            if (skip < data.byteSize()) {
                long from = dir.delivered;
                long n = data.byteSize() - skip;
                dir.advance(n);
                counters.releasedBytes += n;
                handler.data(s, side, from, data, skip, (int) n, frame);
            }
        }
        if (s.holding && s.heldBytes() == 0) {
            unlinkHolder(s);
        }
    }

    /** Reports the hole before the first held segment as a gap and delivers what then follows. */
    private void skipHole(TcpStream s, StreamSide side, StreamDirection dir, GapReason reason, long frame) {
        long from = dir.delivered;
        long length = dir.held.firstStart() - from;
        dir.advance(length);
        counters.countGap(reason, length);
        handler.gap(s, side, from, length, frame);
        release(s, side, dir, frame);
    }

    private void skipAllHoles(TcpStream s, GapReason reason, long frame) {
        for (StreamSide side : SIDES) {
            StreamDirection dir = s.direction(side);
            while (!dir.held.isEmpty()) {
                skipHole(s, side, dir, reason, frame);
            }
        }
    }

    private static final StreamSide[] SIDES = StreamSide.values();

    /** Ends a stream: its held bytes come out after gaps, the bytes missing before a FIN are a gap too. */
    private void close(TcpStream s, StreamEnd reason) {
        skipAllHoles(s, GapReason.CLOSED, lastFrame);
        for (StreamSide side : SIDES) {
            StreamDirection dir = s.direction(side);
            if (dir.finOffset != StreamDirection.NO_FIN && dir.delivered < dir.finOffset) {
                long from = dir.delivered;
                long length = dir.finOffset - from;
                dir.advance(length);
                counters.countGap(GapReason.CLOSED, length);
                handler.gap(s, side, from, length, lastFrame);
            }
            if (!dir.finReported && dir.finished()) {
                dir.finReported = true;
                handler.finished(s, side, lastFrame);
            }
        }
        table.remove(s);
        unlinkIdle(s);
        counters.countClosed(reason);
        handler.closed(s, reason, lastFrame);
    }

    /** Ends, as {@link StreamEnd#TIMEOUT}, every stream without a packet for the idle timeout at {@code nowNanos}. */
    public void expire(long nowNanos) {
        while (oldest != null && nowNanos - oldest.lastSeenNanos >= idleNanos) {
            close(oldest, StreamEnd.TIMEOUT);
        }
    }

    /** The end of the input: every open stream reports its remaining gaps and held bytes and ends, least recently seen first. */
    public void finish() {
        while (oldest != null) {
            close(oldest, StreamEnd.END_OF_INPUT);
        }
    }

    private void linkIdle(TcpStream s) {
        s.older = newest;
        s.newer = null;
        if (newest != null) {
            newest.newer = s;
        } else {
            oldest = s;
        }
        newest = s;
    }

    private void unlinkIdle(TcpStream s) {
        if (s.older != null) {
            s.older.newer = s.newer;
        } else {
            oldest = s.newer;
        }
        if (s.newer != null) {
            s.newer.older = s.older;
        } else {
            newest = s.older;
        }
        s.older = s.newer = null;
    }

    private void unlinkHolder(TcpStream s) {
        if (s.olderHolder != null) {
            s.olderHolder.newerHolder = s.newerHolder;
        } else {
            oldestHolder = s.newerHolder;
        }
        if (s.newerHolder != null) {
            s.newerHolder.olderHolder = s.olderHolder;
        } else {
            newestHolder = s.olderHolder;
        }
        s.olderHolder = s.newerHolder = null;
        s.holding = false;
    }

    /** Segments, gaps and streams counted so far; live, not a copy. */
    public TcpReassemblyCounters counters() { return counters; }

    /** Out-of-order bytes held now, bookkeeping included; never above {@link #maxTotalBytes()}. */
    public long heldBytes() { return heldBytes; }

    /** Streams open now. */
    public int openStreams() { return table.size(); }

    /** The bound on the out-of-order bytes of one direction. */
    public long maxBufferedBytesPerSide() { return maxPerSide; }

    /** The bound on {@link #heldBytes()}. */
    public long maxTotalBytes() { return maxTotal; }

    /** How long, in packet time, a stream may go without a packet. */
    public Duration idleTimeout() { return Duration.ofNanos(idleNanos); }

    /** The most streams followed at once. */
    public int maxStreams() { return maxStreams; }

    /** Bounds, timeout and handler of a {@link TcpReassembler}; checked at {@link #build()}. */
    public static final class Builder {
        private long maxPerSide = DEFAULT_MAX_BUFFERED_BYTES_PER_SIDE;
        private long maxTotal = DEFAULT_MAX_TOTAL_BYTES;
        private Duration idle = DEFAULT_IDLE_TIMEOUT;
        private int maxStreams = DEFAULT_MAX_STREAMS;
        private StreamHandler handler;

        private Builder() {}

        /** The most out-of-order bytes (with {@value #SEGMENT_OVERHEAD} B per segment) one direction may hold. */
        public Builder maxBufferedBytesPerSide(long bytes) {
            this.maxPerSide = bytes;
            return this;
        }

        /** The most out-of-order bytes all streams may hold together. */
        public Builder maxTotalBytes(long bytes) {
            this.maxTotal = bytes;
            return this;
        }

        /** How long, in packet time, a stream may go without a packet before it ends as {@link StreamEnd#TIMEOUT}. */
        public Builder idleTimeout(Duration timeout) {
            this.idle = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The most streams followed at once; a new one evicts the least recently seen. */
        public Builder maxStreams(int streams) {
            this.maxStreams = streams;
            return this;
        }

        /** Where the bytes, gaps and stream ends go (required). */
        public Builder handler(StreamHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** The reassembler; throws {@link IllegalArgumentException} naming a bound out of range, {@link IllegalStateException} without a handler. */
        public TcpReassembler build() {
            if (handler == null) {
                throw new IllegalStateException("a handler is required");
            }
            if (maxPerSide < LARGEST_SEGMENT_COST) {
                throw new IllegalArgumentException("maxBufferedBytesPerSide=" + maxPerSide + " must be at least "
                        + LARGEST_SEGMENT_COST + " (the largest segment and its bookkeeping)");
            }
            if (maxTotal < maxPerSide) {
                throw new IllegalArgumentException("maxTotalBytes=" + maxTotal + " must be at least maxBufferedBytesPerSide="
                        + maxPerSide);
            }
            if (idle.isNegative() || idle.isZero()) {
                throw new IllegalArgumentException("idleTimeout=" + idle + " must be positive");
            }
            if (maxStreams < 1) {
                throw new IllegalArgumentException("maxStreams=" + maxStreams + " must be at least 1");
            }
            return new TcpReassembler(this);
        }
    }
}
