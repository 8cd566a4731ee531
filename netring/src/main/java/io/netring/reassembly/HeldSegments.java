package io.netring.reassembly;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The out-of-order segments of one direction, copied and sorted by stream offset; among equal
 * offsets the earlier arrival comes first. Releasing them in this order and keeping only the
 * bytes past what was already delivered gives each byte from the held segment with the lowest
 * offset covering it, the earliest at equal offsets — tshark's choice for overlapping segments.
 */
final class HeldSegments {
    private long[] starts = new long[4];
    private MemorySegment[] data = new MemorySegment[4];
    private int first;
    private int end;

    boolean isEmpty() { return first == end; }

    int count() { return end - first; }

    long firstStart() { return starts[first]; }

    MemorySegment firstData() { return data[first]; }

    void removeFirst() {
        data[first] = null;
        first++;
        if (first == end) {
            first = end = 0;
        }
    }

    /** True when one held segment starting at or before {@code start} covers [start, start + length): the new copy would add nothing. */
    boolean covers(long start, int length) {
        int i = upperBound(start);
        // the latest-starting segment at or before start has the best chance; earlier ones may reach further
        for (int j = i - 1; j >= first; j--) {
            if (starts[j] + data[j].byteSize() >= start + length) {
                return true;
            }
            if (j < i - 8) {
                break;      // bounded look-back: a miss only costs a redundant copy, never a wrong byte
            }
        }
        return false;
    }

    /** True when [start, start + length) shares a byte with a held segment. */
    boolean overlaps(long start, int length) {
        int i = upperBound(start);
        if (i < end && starts[i] < start + length) {
            return true;
        }
        return i > first && starts[i - 1] + data[i - 1].byteSize() > start;
    }

    /** Inserts after every segment with the same start, so the earlier arrival stays first. */
    void insert(long start, MemorySegment copy) {
        int i = upperBound(start);
        if (end == starts.length) {
            if (first > 0) {
                int n = end - first;
                System.arraycopy(starts, first, starts, 0, n);
                System.arraycopy(data, first, data, 0, n);
                Arrays.fill(data, n, end, null);
                i -= first;
                first = 0;
                end = n;
            } else {
                starts = Arrays.copyOf(starts, starts.length * 2);
                data = Arrays.copyOf(data, data.length * 2);
            }
        }
        System.arraycopy(starts, i, starts, i + 1, end - i);
        System.arraycopy(data, i, data, i + 1, end - i);
        starts[i] = start;
        data[i] = copy;
        end++;
    }

    /** The index of the first segment starting after {@code start}. */
    private int upperBound(long start) {
        int lo = first, hi = end;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= start) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    void clear() {
        Arrays.fill(data, first, end, null);
        first = end = 0;
    }
}
