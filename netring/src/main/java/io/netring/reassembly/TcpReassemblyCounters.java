package io.netring.reassembly;

import java.util.Locale;

/**
 * Running totals of one {@link TcpReassembler}: segments by what became of them, gaps by reason,
 * streams by how they ended. Read it on the reassembler's thread; {@link #toString()} gives a
 * one-line summary.
 */
public final class TcpReassemblyCounters {
    private static final GapReason[] GAP_REASONS = GapReason.values();
    private static final StreamEnd[] ENDS = StreamEnd.values();

    long segments;
    long ignored;
    long inOrderSegments;
    long inOrderBytes;
    long heldSegments;
    long heldBytes;
    long releasedBytes;
    long retransmissions;
    long overlaps;
    long afterFin;
    long streamsOpened;
    private final long[] gaps = new long[GAP_REASONS.length];
    private final long[] gapBytes = new long[GAP_REASONS.length];
    private final long[] closed = new long[ENDS.length];

    TcpReassemblyCounters() {}

    void countGap(GapReason reason, long bytes) {
        gaps[reason.ordinal()]++;
        gapBytes[reason.ordinal()] += bytes;
    }

    void countClosed(StreamEnd reason) { closed[reason.ordinal()]++; }

    /** TCP segments offered. */
    public long segments() { return segments; }

    /** Segments that belonged to no stream and could not open one (no payload and no SYN, RST alone, IP fragments). */
    public long ignored() { return ignored; }

    /** Segments delivered straight from the packet, without a copy. */
    public long inOrderSegments() { return inOrderSegments; }

    /** Bytes delivered straight from the packet. */
    public long inOrderBytes() { return inOrderBytes; }

    /** Segments copied and held because bytes before them had not arrived. */
    public long heldSegments() { return heldSegments; }

    /** Payload bytes copied into held segments. */
    public long heldBytes() { return heldBytes; }

    /** Bytes delivered from held segments once the holes before them were filled or skipped. */
    public long releasedBytes() { return releasedBytes; }

    /** Segments that brought no new byte: all delivered already, or covered by a held segment. */
    public long retransmissions() { return retransmissions; }

    /** Segments partly overlapping bytes delivered or held; only their new bytes count (see {@link HeldSegments}). */
    public long overlaps() { return overlaps; }

    /** Segments (or their tails) past the FIN of their direction, dropped. */
    public long afterFin() { return afterFin; }

    /** Streams opened. */
    public long streamsOpened() { return streamsOpened; }

    /** Holes skipped for {@code reason}. */
    public long gaps(GapReason reason) { return gaps[reason.ordinal()]; }

    /** Bytes skipped in holes for {@code reason}. */
    public long gapBytes(GapReason reason) { return gapBytes[reason.ordinal()]; }

    /** Streams ended for {@code reason}. */
    public long closed(StreamEnd reason) { return closed[reason.ordinal()]; }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("segments: ").append(segments)
                .append(", in order: ").append(inOrderSegments)
                .append(", held: ").append(heldSegments)
                .append(", retransmissions: ").append(retransmissions)
                .append(", overlaps: ").append(overlaps)
                .append(", after fin: ").append(afterFin)
                .append(", ignored: ").append(ignored)
                .append(", streams: ").append(streamsOpened);
        for (GapReason r : GAP_REASONS) {
            s.append(", gaps ").append(name(r)).append(": ").append(gaps(r)).append(" (").append(gapBytes(r)).append(" B)");
        }
        for (StreamEnd r : ENDS) {
            s.append(", closed ").append(name(r)).append(": ").append(closed(r));
        }
        return s.toString();
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
