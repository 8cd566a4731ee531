package io.netring.reassembly;

import java.util.Arrays;

/**
 * The byte ranges of a datagram still missing, as RFC 815's hole descriptors: one hole
 * {@code [0, infinity]} to begin with; each fragment splits the holes it touches; the tail
 * fragment cuts off everything past the datagram's end. Complete when no hole is left.
 */
final class HoleList {
    static final int OPEN_END = Integer.MAX_VALUE;

    private int[] first = new int[4];
    private int[] last = new int[4];
    private int count;

    HoleList() {
        first[0] = 0;
        last[0] = OPEN_END;
        count = 1;
    }

    boolean isEmpty() { return count == 0; }

    int count() { return count; }

    /** Marks {@code [from, to]} (inclusive) as received. */
    void fill(int from, int to) {
        int n = count;
        for (int i = 0; i < n; ) {
            int hf = first[i], hl = last[i];
            if (from > hl || to < hf) {
                i++;
                continue;
            }
            remove(i);
            n--;
            // RFC 815 steps 5 and 6: what the fragment leaves of the hole on either side.
            if (from > hf) {
                add(hf, from - 1);
            }
            if (to < hl) {
                add(to + 1, hl);
            }
        }
    }

    /** The datagram ends before {@code length}: holes at or past it go, the open one is closed. */
    void truncate(int length) {
        for (int i = 0; i < count; ) {
            if (first[i] >= length) {
                remove(i);
            } else {
                last[i] = Math.min(last[i], length - 1);
                i++;
            }
        }
    }

    private void remove(int i) {
        count--;
        first[i] = first[count];
        last[i] = last[count];
    }

    private void add(int from, int to) {
        if (count == first.length) {
            first = Arrays.copyOf(first, count * 2);
            last = Arrays.copyOf(last, count * 2);
        }
        first[count] = from;
        last[count] = to;
        count++;
    }
}
