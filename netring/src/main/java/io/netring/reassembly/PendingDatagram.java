package io.netring.reassembly;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One datagram being reassembled: copies of its fragments in arrival order, the holes still
 * open, the header of its first (offset 0) fragment, and the bytes it holds. Lives in the
 * defragmenter's creation-ordered list so the oldest is found first for timeout and eviction.
 */
final class PendingDatagram {
    /** A fragment's data, where it goes, and the order it came in (which decides equal offsets). */
    record Fragment(int offset, byte[] data, int arrival, long frameNumber) {}

    private static final Comparator<Fragment> BY_OFFSET_THEN_ARRIVAL =
            Comparator.comparingInt(Fragment::offset).thenComparingInt(Fragment::arrival);

    final DatagramKey key;
    final long firstSeenNanos;
    PendingDatagram older, newer;

    private final List<Fragment> fragments = new ArrayList<>(4);
    private final HoleList holes = new HoleList();
    private byte[] header;
    private int nextHeaderIndex = -1;
    private int length = -1;
    private long heldBytes;
    private long heldData;

    PendingDatagram(DatagramKey key, long firstSeenNanos) {
        this.key = key;
        this.firstSeenNanos = firstSeenNanos;
    }

    long heldBytes() { return heldBytes; }

    long heldData() { return heldData; }

    int fragmentCount() { return fragments.size(); }

    long frameNumber(int i) { return fragments.get(i).frameNumber(); }

    /**
     * Adds a fragment's data ({@code dataLength} bytes at {@code dataStart} of the packet)
     * and, for offset 0 the first time, the header before it. {@code cost} is what it adds to
     * {@link #heldBytes()}.
     */
    void add(MemorySegment packet, long packetOffset, int headerLength, int dataStart, int nextHeaderIndex, int offset,
             int dataLength, boolean last, long frameNumber, long cost) {
        byte[] data = new byte[dataLength];
        MemorySegment.copy(packet, ValueLayout.JAVA_BYTE, packetOffset + dataStart, data, 0, dataLength);
        fragments.add(new Fragment(offset, data, fragments.size(), frameNumber));
        if (offset == 0 && header == null) {
            header = new byte[headerLength];
            MemorySegment.copy(packet, ValueLayout.JAVA_BYTE, packetOffset, header, 0, headerLength);
            this.nextHeaderIndex = nextHeaderIndex;
        }
        holes.fill(offset, offset + dataLength - 1);
        // The first tail fragment fixes the length, as in tshark; a later, different tail does not.
        if (last && length < 0) {
            length = offset + dataLength;
        }
        if (length >= 0) {
            holes.truncate(length);
        }
        heldBytes += cost;
        heldData += dataLength;
    }

    boolean complete() { return length >= 0 && holes.isEmpty(); }

    int headerLength() { return header.length; }

    /** The reassembled payload's length (set once the tail fragment came). */
    int length() { return length; }

    int nextHeaderIndex() { return nextHeaderIndex; }

    /**
     * Writes the header, then the payload, into {@code out}: each byte from the first fragment
     * covering it in (offset, arrival) order — what tshark's reassembly keeps. Returns whether
     * fragments overlapped (bit 0) and whether overlapping bytes differed (bit 1).
     */
    int assemble(byte[] out) {
        System.arraycopy(header, 0, out, 0, header.length);
        int base = header.length;
        Fragment[] sorted = fragments.toArray(new Fragment[0]);
        Arrays.sort(sorted, BY_OFFSET_THEN_ARRIVAL);
        int written = 0;
        int overlap = 0;
        for (Fragment f : sorted) {
            int end = Math.min(f.offset() + f.data().length, length);
            if (f.offset() < written) {
                overlap |= 1;
                int same = Math.min(written, end) - f.offset();
                if (same > 0 && !Arrays.equals(f.data(), 0, same, out, base + f.offset(), base + f.offset() + same)) {
                    overlap |= 2;
                }
            }
            if (end > written) {
                int from = Math.max(written, f.offset());
                System.arraycopy(f.data(), from - f.offset(), out, base + from, end - from);
                written = end;
            }
        }
        return overlap;
    }
}
