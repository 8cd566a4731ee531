package io.netring.reassembly;

import io.netring.internal.TupleHash;

/**
 * The open streams by 5-tuple and VLAN: open addressing with linear probing over a {@code long[]}
 * of slots (hash in the high half, stream index + 1 in the low half), backward-shift deletion, so
 * finding the stream of a packet allocates nothing. The key is the flow table's: both endpoints in
 * canonical order as two longs each, then ports, VLAN and IP version in one long.
 */
final class ConnectionTable {
    private long[] slots;
    private int mask;
    private TcpStream[] streams;
    private int[] freeNext;
    private int freeHead = -1;
    private int size;

    ConnectionTable(int initialCapacity) {
        streams = new TcpStream[0];
        freeNext = new int[0];
        grow(initialCapacity);
    }

    static long portsMeta(int portA, int portB, int vlan, int ipVersion) {
        return (long) portA << 48 | (long) portB << 32 | (vlan & 0xFFF) | (ipVersion == 6 ? 1 << 12 : 0);
    }

    static int portA(long portsMeta) { return (int) (portsMeta >>> 48) & 0xFFFF; }

    static int portB(long portsMeta) { return (int) (portsMeta >>> 32) & 0xFFFF; }

    static int vlanId(long portsMeta) { return (int) portsMeta & 0xFFF; }

    static int ipVersion(long portsMeta) { return (portsMeta & 1 << 12) != 0 ? 6 : 4; }

    int size() { return size; }

    TcpStream find(long aHi, long aLo, long bHi, long bLo, long portsMeta) {
        int h = TupleHash.hash(aHi, aLo, bHi, bLo, portsMeta);
        int i = h & mask;
        while (true) {
            long s = slots[i];
            if (s == 0) {
                return null;
            }
            if ((int) (s >>> 32) == h) {
                TcpStream t = streams[(int) s - 1];
                if (t.aLo == aLo && t.bLo == bLo && t.portsMeta == portsMeta && t.aHi == aHi && t.bHi == bHi) {
                    return t;
                }
            }
            i = (i + 1) & mask;
        }
    }

    void add(TcpStream t) {
        if (freeHead == -1) {
            grow(streams.length * 2);
        }
        int e = freeHead;
        freeHead = freeNext[e];
        streams[e] = t;
        t.slot = e;
        size++;
        int h = TupleHash.hash(t.aHi, t.aLo, t.bHi, t.bLo, t.portsMeta);
        int i = h & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = (long) h << 32 | (e + 1);
    }

    void remove(TcpStream t) {
        int e = t.slot;
        int i = TupleHash.hash(t.aHi, t.aLo, t.bHi, t.bLo, t.portsMeta) & mask;
        while ((int) slots[i] != e + 1) {
            i = (i + 1) & mask;
        }
        // backward shift: move a later entry into the hole unless its home lies cyclically in (i, j]
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            long s = slots[j];
            if (s == 0) {
                break;
            }
            int home = (int) (s >>> 32) & mask;
            boolean homeInRange = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!homeInRange) {
                slots[i] = s;
                i = j;
            }
        }
        slots[i] = 0;
        streams[e] = null;
        freeNext[e] = freeHead;
        freeHead = e;
        size--;
    }

    private void grow(int capacity) {
        int old = streams.length;
        streams = java.util.Arrays.copyOf(streams, capacity);
        freeNext = java.util.Arrays.copyOf(freeNext, capacity);
        for (int i = capacity - 1; i >= old; i--) {
            freeNext[i] = freeHead;
            freeHead = i;
        }
        long[] previous = slots;
        slots = new long[Integer.highestOneBit(Math.max(4, 2 * capacity - 1)) << 1];
        mask = slots.length - 1;
        if (previous != null) {
            for (long s : previous) {
                if (s != 0) {
                    int i = (int) (s >>> 32) & mask;
                    while (slots[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    slots[i] = s;
                }
            }
        }
    }
}
