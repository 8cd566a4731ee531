package io.netring.reassembly;

import java.util.Arrays;

/**
 * Running totals of one {@link IpDefragmenter}: what it held, completed and gave up, by reason.
 * Read it on the defragmenter's thread; {@link #toString()} gives a one-line summary.
 */
public final class DefragCounters {
    private static final DropReason[] REASONS = DropReason.values();

    private final long[] dropped = new long[REASONS.length];
    private long fragments;
    private long completed;
    private long overlaps;
    private long overlapConflicts;

    DefragCounters() {}

    void countFragment() { fragments++; }

    void countCompleted() { completed++; }

    void countDropped(DropReason reason) { dropped[reason.ordinal()]++; }

    void countOverlap(boolean conflict) {
        overlaps++;
        if (conflict) {
            overlapConflicts++;
        }
    }

    /** Fragments offered (well-formed or not). */
    public long fragments() { return fragments; }

    /** Datagrams reassembled. */
    public long completed() { return completed; }

    /** Datagrams given up, or fragments refused ({@link DropReason#MALFORMED}), for {@code reason}. */
    public long dropped(DropReason reason) { return dropped[reason.ordinal()]; }

    /** All datagrams given up and fragments refused. */
    public long droppedTotal() { return Arrays.stream(dropped).sum(); }

    /**
     * Completed datagrams in which fragments overlapped. As in tshark, an overlap does not stop
     * reassembly: the lower-offset fragment's bytes are kept (the earlier one at equal offsets).
     */
    public long overlaps() { return overlaps; }

    /** Of {@link #overlaps()}, those whose overlapping bytes differed. */
    public long overlapConflicts() { return overlapConflicts; }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("fragments: ").append(fragments).append(", completed: ").append(completed)
                .append(", overlaps: ").append(overlaps).append(" (conflicts: ").append(overlapConflicts).append(')');
        for (DropReason r : REASONS) {
            s.append(", ").append(r.name().toLowerCase(java.util.Locale.ROOT)).append(": ").append(dropped(r));
        }
        return s.toString();
    }
}
