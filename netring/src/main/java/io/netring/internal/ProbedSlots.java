package io.netring.internal;

/**
 * The slot array behind the flow table and the TCP reassembler's connection table: open
 * addressing with linear probing over a {@code long[]} whose non-zero slots hold a key's hash in
 * the high half and its entry index + 1 in the low half. Deletion shifts later entries back, so
 * probe chains stay unbroken without tombstones. Each table keeps its own keys and compares them.
 */
public final class ProbedSlots {
    private ProbedSlots() {}

    /** Slots for {@code capacity} entries: a power of two, at least twice the capacity. */
    public static int slotCount(int capacity) {
        return Integer.highestOneBit(Math.max(4, 2 * capacity - 1)) << 1;
    }

    /** The slot value of entry {@code entry} whose key hashes to {@code hash}. */
    public static long slot(int hash, int entry) {
        return (long) hash << 32 | (entry + 1);
    }

    /** Puts slot value {@code s} in the first free slot from its home. */
    public static void put(long[] slots, int mask, long s) {
        int i = (int) (s >>> 32) & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = s;
    }

    /** A new slot array of {@code slotCount} slots holding every entry of {@code old} (null: none). */
    public static long[] rehash(long[] old, int slotCount) {
        long[] slots = new long[slotCount];
        if (old != null) {
            for (long s : old) {
                if (s != 0) {
                    put(slots, slotCount - 1, s);
                }
            }
        }
        return slots;
    }

    /** Removes entry {@code entry}, whose key hashes to {@code hash}, and closes the hole it leaves. */
    public static void remove(long[] slots, int mask, int hash, int entry) {
        int i = hash & mask;
        while ((int) slots[i] != entry + 1) {
            i = (i + 1) & mask;
        }
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            long s = slots[j];
            if (s == 0) {
                break;
            }
            int home = (int) (s >>> 32) & mask;
            // move the entry at j into the hole at i when its home is not cyclically in (i, j]
            boolean homeInRange = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!homeInRange) {
                slots[i] = s;
                i = j;
            }
        }
        slots[i] = 0;
    }
}
