package io.netring.flow;

/**
 * An order of flow-table entries (by index) as a doubly linked list in two arrays: appending
 * at the tail and unlinking anywhere cost O(1) and allocate nothing. {@link FlowTable} keeps
 * two: when entries were queued for the idle check, and when their flows began.
 */
final class EntryOrder {
    static final int NONE = -1;

    private int[] prev = new int[0];
    private int[] next = new int[0];
    private int head = NONE;
    private int tail = NONE;

    /** Room for entries up to {@code capacity} (the table grows on demand). */
    void grow(int capacity) {
        prev = java.util.Arrays.copyOf(prev, capacity);
        next = java.util.Arrays.copyOf(next, capacity);
    }

    /** The first entry, or {@link #NONE} when empty. */
    int head() {
        return head;
    }

    /** The entry after {@code e}, or {@link #NONE} at the tail. */
    int next(int e) {
        return next[e];
    }

    void append(int e) {
        prev[e] = tail;
        next[e] = NONE;
        if (tail != NONE) {
            next[tail] = e;
        } else {
            head = e;
        }
        tail = e;
    }

    void unlink(int e) {
        int p = prev[e], n = next[e];
        if (p != NONE) next[p] = n; else head = n;
        if (n != NONE) prev[n] = p; else tail = p;
    }
}
