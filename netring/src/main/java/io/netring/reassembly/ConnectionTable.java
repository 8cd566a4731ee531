package io.netring.reassembly;

import io.netring.internal.ProbedSlots;
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
        ProbedSlots.put(slots, mask, ProbedSlots.slot(TupleHash.hash(t.aHi, t.aLo, t.bHi, t.bLo, t.portsMeta), e));
    }

    void remove(TcpStream t) {
        int e = t.slot;
        ProbedSlots.remove(slots, mask, TupleHash.hash(t.aHi, t.aLo, t.bHi, t.bLo, t.portsMeta), e);
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
        slots = ProbedSlots.rehash(slots, ProbedSlots.slotCount(capacity));
        mask = slots.length - 1;
    }
}
