package io.netring.flow;

import io.netring.internal.Jfr;
import io.netring.internal.ProbedSlots;

import java.time.Duration;
import java.util.Objects;

/**
 * Tracks bidirectional flows and emits a {@link FlowRecord} when each one ends: FIN from both
 * sides (with the ACK of the second FIN), RST, idle or active timeout, eviction when the table is
 * full (the least recently seen flow goes), or {@link #flush()} at the end of input.
 *
 * <p>Open addressing over primitive arrays: the key (both endpoints in a canonical order, ports,
 * protocol, VLAN) and every counter live in parallel arrays indexed by an entry number, so a
 * packet of an existing flow allocates nothing. Two intrusive lists order the entries by last
 * packet (idle expiry, eviction) and by first packet (active expiry); expiry walks only their
 * heads, driven by packet time. One thread feeds a table.
 *
 * <pre>{@code
 * FlowTable table = FlowTable.builder().maxFlows(100_000).onRecord(r -> System.out.println(r.toJson())).build();
 * FlowExtractor ex = new FlowExtractor();
 * batch.dispatch(view -> { if (ex.extract(view)) table.add(ex.fields()); });
 * table.flush();
 * }</pre>
 */
public final class FlowTable {
    private static final int NONE = -1;
    private static final int ORIG = 0;
    private static final int RESP = 1;
    private static final int MAX_HISTORY = 16;

    // TCP flag bits
    private static final int FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10;
    // history letters, index into LETTERS; bit i of the seen mask is letter i from the originator, bit 8+i from the responder
    private static final String LETTERS = "SHADFRIQ";
    private static final int L_S = 0, L_H = 1, L_A = 2, L_D = 3, L_F = 4, L_R = 5, L_I = 6, L_Q = 7;
    // tcpState bits
    private static final int ST_FIN_ORIG = 1, ST_FIN_RESP = 2, ST_LAST_ACK_FROM_RESP = 4;

    // Entry layout: STRIDE longs per entry in one array, so a packet of a known flow touches
    // its slot and two cache lines. Key and bookkeeping first, the per-direction counters after.
    private static final int STRIDE = 16;
    private static final int A_HI = 0, A_LO = 1, B_HI = 2, B_LO = 3, PORTS_META = 4, STATE = 5, LAST = 6, QUEUED = 7;
    private static final int COUNTERS = 8;          // + 4 * dir: packets, bytes, first, last
    // STATE bits: tcp flags per direction, history letters seen, tcp closing state, who originated, history length
    private static final int SEEN_SHIFT = 16, TCP_SHIFT = 32, ORIG_IS_B_BIT = 40, HLEN_SHIFT = 41;
    /** ICMP: the originator's first type + 1 (8 bits + 1), so a flow first seen by its reply still reports that type. */
    private static final int ICMP_FIRST_TYPE_SHIFT = 46;
    /** Starts a {@link #saveState()}: "NFT1". */
    private static final int STATE_MAGIC = 0x4E465431;

    /**
     * The most flows a table can hold: every entry's {@value #STRIDE} longs are in one Java
     * array, whose length stops short of {@code Integer.MAX_VALUE}.
     */
    public static final int MAX_FLOWS = (Integer.MAX_VALUE - 8) / STRIDE;
    /** Entries a new table has room for; it doubles as flows arrive, up to maxFlows. */
    private static final int INITIAL_CAPACITY = 1024;

    private final int maxFlows;
    private final long idleNanos;
    private final long activeNanos;
    private final FlowRecordHandler handler;

    /*
     * Storage grows on demand (doubling, up to maxFlows): a table sized for millions of flows
     * takes memory only for those it has seen, and once grown a packet allocates nothing.
     */
    /** Entries the arrays hold now. */
    private int capacity;
    /** Slot: hash << 32 | (entry + 1), 0 = empty; power-of-two size, at least twice the capacity. */
    private long[] slots;
    private int mask;
    private long[] entries;
    private byte[] history;   // MAX_HISTORY letters per entry, touched only when a letter is new

    /*
     * Idle order: a queue by the time an entry was (re)queued, requeued lazily: the head is
     * examined only when expiring or evicting, and an entry seen since it was queued goes to the
     * tail then. So a packet touches only its own entry, and the head is still the least
     * recently seen flow once the stale ones ahead of it have moved. Age order: by first packet.
     */
    private final EntryOrder idle;
    private final EntryOrder age;
    private int[] freeNext;
    private int freeHead = NONE;
    private int size;

    private long recordsEmitted;
    private long evictions;

    private FlowTable(Builder b) {
        this.maxFlows = b.maxFlows;
        this.idleNanos = b.idle.toNanos();
        this.activeNanos = b.active.toNanos();
        this.handler = b.handler;
        entries = new long[0];
        history = new byte[0];
        freeNext = new int[0];
        idle = new EntryOrder();
        age = new EntryOrder();
        grow(Math.min(maxFlows, INITIAL_CAPACITY));
    }

    /**
     * Makes room for {@code newCapacity} entries: the arrays are copied, the new entries go on
     * the free list, and the slots are rehashed when they must grow too (each slot keeps its
     * hash, so no key is hashed again).
     */
    private void grow(int newCapacity) {
        entries = java.util.Arrays.copyOf(entries, Math.toIntExact((long) STRIDE * newCapacity));
        history = java.util.Arrays.copyOf(history, Math.toIntExact((long) MAX_HISTORY * newCapacity));
        idle.grow(newCapacity);
        age.grow(newCapacity);
        freeNext = java.util.Arrays.copyOf(freeNext, newCapacity);
        for (int i = newCapacity - 1; i >= capacity; i--) {
            freeNext[i] = freeHead;
            freeHead = i;
        }
        capacity = newCapacity;
        int slotCount = ProbedSlots.slotCount(newCapacity);
        if (slots == null || slots.length < slotCount) {
            slots = ProbedSlots.rehash(slots, slotCount);
            mask = slotCount - 1;
        }
    }

    /**
     * A builder for a table: a record handler is required, the rest (capacity, timeouts) has
     * defaults.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Flows currently open. */
    public int size() {
        return size;
    }

    /** Records emitted so far, for any reason. */
    public long recordsEmitted() {
        return recordsEmitted;
    }

    /** Flows ended because the table was full. */
    public long evictions() {
        return evictions;
    }

    /**
     * Accounts one packet: expires flows idle or active too long at the packet's time, then
     * finds or creates the packet's flow and updates it; emits the flow's record when the
     * packet ends it (RST, the ACK closing a two-sided FIN).
     */
    public void add(FlowPacket p) {
        long now = p.timestampNanos;
        expire(now);

        boolean icmp = p.protocol == 1 || p.protocol == 58;
        int sp = p.srcPort & 0xFFFF, dp = p.dstPort & 0xFFFF;
        // Canonical order: A is the smaller (address, port); ICMP keeps type/code unswapped and
        // files a reply under its request type so that both directions make one flow.
        boolean swap;
        int c = Long.compareUnsigned(p.srcHi, p.dstHi);
        if (c == 0) {
            c = Long.compareUnsigned(p.srcLo, p.dstLo);
        }
        if (icmp) {
            swap = c > 0;
            sp = IcmpPairs.requestType(p.protocol, sp);
        } else {
            swap = c > 0 || (c == 0 && sp > dp);
        }
        long kaHi, kaLo, kbHi, kbLo;
        int kPorts;
        if (swap) {
            kaHi = p.dstHi; kaLo = p.dstLo; kbHi = p.srcHi; kbLo = p.srcLo;
            kPorts = icmp ? sp << 16 | dp : dp << 16 | sp;
        } else {
            kaHi = p.srcHi; kaLo = p.srcLo; kbHi = p.dstHi; kbLo = p.dstLo;
            kPorts = sp << 16 | dp;
        }
        int kMeta = (p.vlanId & 0xFFF) | (p.protocol & 0xFF) << 12 | (p.ipVersion == 6 ? 1 : 0) << 20;
        long portsMeta = (long) kPorts << 32 | (kMeta & 0xFFFF_FFFFL);
        int h = hash(kaHi, kaLo, kbHi, kbLo, portsMeta);

        int e = find(h, kaHi, kaLo, kbHi, kbLo, portsMeta);
        if (e == NONE) {
            if (size == maxFlows) {
                evictions++;
                end(leastRecentlySeen(), FlowEndReason.EVICTED);
                if (Jfr.AVAILABLE) {
                    FlowEvicted.record(maxFlows, p.protocol, evictions);
                }
            }
            e = insert(h, kaHi, kaLo, kbHi, kbLo, portsMeta, swap, now);
            if (icmp) {
                entries[STRIDE * e + STATE] |= (long) ((p.srcPort & 0xFF) + 1) << ICMP_FIRST_TYPE_SHIFT;
            }
        }
        long[] en = entries;
        int base = STRIDE * e;
        long state = en[base + STATE];
        boolean origIsB = (state >>> ORIG_IS_B_BIT & 1) != 0;
        int dir = swap == origIsB ? ORIG : RESP;
        int d = base + COUNTERS + 4 * dir;
        if (en[d] == 0) {
            en[d + 2] = now;
        }
        en[d]++;
        en[d + 1] += p.length;
        en[d + 3] = now;
        en[base + LAST] = now;
        if (p.protocol == 6) {
            int f = p.tcpFlags & 0xFF;
            en[base + STATE] = state | (long) f << (8 * dir);
            tcp(e, dir, f, p.payloadLength);
        }
    }

    /** Ends every flow idle or active too long at {@code nowNanos} (call it when packets pause). */
    public void expire(long nowNanos) {
        long[] en = entries;
        while (idle.head() != NONE && nowNanos - en[STRIDE * idle.head() + QUEUED] >= idleNanos) {
            int e = idle.head();
            if (en[STRIDE * e + LAST] != en[STRIDE * e + QUEUED]) {
                requeue(e);
            } else {
                end(e, FlowEndReason.IDLE_TIMEOUT);
            }
        }
        while (age.head() != NONE && nowNanos - en[STRIDE * age.head() + COUNTERS + 2] >= activeNanos) {
            end(age.head(), FlowEndReason.ACTIVE_TIMEOUT);
        }
    }

    /** Ends every open flow with {@link FlowEndReason#END_OF_INPUT}, oldest first. */
    public void flush() {
        flush(FlowEndReason.END_OF_INPUT);
    }

    /**
     * Ends every open flow with {@code reason}, oldest first: {@link FlowEndReason#INPUT_ERROR}
     * when the input failed, so what was seen still comes out and says why it ended there.
     */
    public void flush(FlowEndReason reason) {
        java.util.Objects.requireNonNull(reason, "reason");
        while (age.head() != NONE) {
            end(age.head(), reason);
        }
    }

    /**
     * The open flows as bytes, for a table that must outlive its process (a stream processor
     * keeps them in a state store): every counter, TCP state and history letter, and both
     * orders (first packet, last packet), so {@link #restoreState(byte[])} on a new table with
     * the same options continues exactly as this one would. About 150 bytes per open flow;
     * nothing is emitted or changed.
     */
    public byte[] saveState() {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(8 + size * (8 * STRIDE + MAX_HISTORY + 4));
        out.putInt(STATE_MAGIC).putInt(size);
        int[] position = new int[capacity];
        int n = 0;
        for (int e = age.head(); e != NONE; e = age.next(e)) {
            position[e] = n++;
            int b = STRIDE * e;
            for (int i = 0; i < STRIDE; i++) {
                out.putLong(entries[b + i]);
            }
            out.put(history, MAX_HISTORY * e, MAX_HISTORY);
        }
        for (int e = idle.head(); e != NONE; e = idle.next(e)) {
            out.putInt(position[e]);
        }
        return out.array();
    }

    /**
     * Takes the open flows {@link #saveState()} gave into this table, which must be empty; the
     * timeouts and record handler are this table's.
     *
     * @throws IllegalStateException when the table holds flows
     * @throws IllegalArgumentException when {@code state} is not a saved state, or holds more
     *                                  flows than {@code maxFlows}
     */
    public void restoreState(byte[] state) {
        if (size != 0) {
            throw new IllegalStateException("restoreState: the table holds " + size + " flows; only an empty table takes a saved state");
        }
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(state);
        if (state.length < 8 || in.getInt() != STATE_MAGIC) {
            throw new IllegalArgumentException("not a saved flow table state (" + state.length + " bytes)");
        }
        int count = in.getInt();
        if (count < 0 || (long) count * (8 * STRIDE + MAX_HISTORY + 4) != state.length - 8L) {
            throw new IllegalArgumentException("saved flow table state of " + state.length + " bytes does not hold " + count + " flows");
        }
        if (count > maxFlows) {
            throw new IllegalArgumentException("saved state holds " + count + " flows, more than maxFlows=" + maxFlows);
        }
        int[] entryAt = new int[count];
        for (int n = 0; n < count; n++) {
            if (freeHead == NONE) {
                grow((int) Math.min(2L * capacity, maxFlows));
            }
            int e = freeHead;
            freeHead = freeNext[e];
            size++;
            int b = STRIDE * e;
            for (int i = 0; i < STRIDE; i++) {
                entries[b + i] = in.getLong();
            }
            in.get(history, MAX_HISTORY * e, MAX_HISTORY);
            ProbedSlots.put(slots, mask, ProbedSlots.slot(hashOf(e), e));
            age.append(e);
            entryAt[n] = e;
        }
        for (int n = 0; n < count; n++) {
            idle.append(entryAt[in.getInt()]);
        }
    }

    /** The idle queue's head once every entry seen since it was queued has moved to the tail. */
    private int leastRecentlySeen() {
        long[] en = entries;
        while (en[STRIDE * idle.head() + LAST] != en[STRIDE * idle.head() + QUEUED]) {
            requeue(idle.head());
        }
        return idle.head();
    }

    private void requeue(int e) {
        entries[STRIDE * e + QUEUED] = entries[STRIDE * e + LAST];
        idle.unlink(e);
        idle.append(e);
    }

    /** TCP history and state for one packet; ends the flow on RST and on the ACK of the second FIN. */
    private void tcp(int e, int dir, int f, int payload) {
        int base = STRIDE * e;
        int st = (int) (entries[base + STATE] >>> TCP_SHIFT) & 0xFF;
        boolean closingBefore = (st & (ST_FIN_ORIG | ST_FIN_RESP)) == (ST_FIN_ORIG | ST_FIN_RESP);
        if ((f & SYN) != 0) {
            if ((f & (FIN | RST)) != 0) {
                letter(e, dir, L_Q);
            }
            letter(e, dir, (f & ACK) != 0 ? L_H : L_S);
        } else if ((f & ACK) != 0 && (f & (FIN | RST)) == 0 && payload == 0) {
            letter(e, dir, L_A);
        }
        if (payload > 0) {
            letter(e, dir, L_D);
        }
        if ((f & FIN) != 0 && (f & RST) != 0) {
            letter(e, dir, L_I);
        }
        if ((f & FIN) != 0) {
            letter(e, dir, L_F);
            int bit = dir == ORIG ? ST_FIN_ORIG : ST_FIN_RESP;
            if ((st & bit) == 0) {
                st |= bit;
                if ((st & (ST_FIN_ORIG | ST_FIN_RESP)) == (ST_FIN_ORIG | ST_FIN_RESP)) {
                    // the side that did not send this second FIN acknowledges it last
                    st = dir == ORIG ? st | ST_LAST_ACK_FROM_RESP : st & ~ST_LAST_ACK_FROM_RESP;
                }
                entries[base + STATE] = entries[base + STATE] & ~(0xFFL << TCP_SHIFT) | (long) st << TCP_SHIFT;
            }
        }
        if ((f & RST) != 0) {
            letter(e, dir, L_R);
            end(e, FlowEndReason.RST);
            return;
        }
        if (closingBefore && (f & (ACK | FIN | SYN)) == ACK) {
            int lastAckDir = (st & ST_LAST_ACK_FROM_RESP) != 0 ? RESP : ORIG;
            if (dir == lastAckDir) {
                end(e, FlowEndReason.FIN);
            }
        }
    }

    private void letter(int e, int dir, int letter) {
        int at = STRIDE * e + STATE;
        long state = entries[at];
        long bit = 1L << (SEEN_SHIFT + letter + 8 * dir);
        if ((state & bit) != 0) {
            return;
        }
        state |= bit;
        int len = (int) (state >>> HLEN_SHIFT) & 0x1F;
        if (len < MAX_HISTORY) {
            char ch = LETTERS.charAt(letter);
            history[MAX_HISTORY * e + len] = (byte) (dir == ORIG ? ch : Character.toLowerCase(ch));
            state = state & ~(0x1FL << HLEN_SHIFT) | (long) (len + 1) << HLEN_SHIFT;
        }
        entries[at] = state;
    }

    private static int hash(long aHi, long aLo, long bHi, long bLo, long portsMeta) {
        return io.netring.internal.TupleHash.hash(aHi, aLo, bHi, bLo, portsMeta);
    }

    private int find(int h, long kaHi, long kaLo, long kbHi, long kbLo, long portsMeta) {
        long[] en = entries;
        int i = h & mask;
        while (true) {
            long s = slots[i];
            if (s == 0) {
                return NONE;
            }
            if ((int) (s >>> 32) == h) {
                int e = (int) s - 1;
                int b = STRIDE * e;
                if (en[b + A_LO] == kaLo && en[b + B_LO] == kbLo && en[b + PORTS_META] == portsMeta
                        && en[b + A_HI] == kaHi && en[b + B_HI] == kbHi) {
                    return e;
                }
            }
            i = (i + 1) & mask;
        }
    }

    private int insert(int h, long kaHi, long kaLo, long kbHi, long kbLo, long portsMeta, boolean swap, long now) {
        if (freeHead == NONE) {
            grow((int) Math.min(2L * capacity, maxFlows));    // size < maxFlows here: add() evicted first
        }
        int e = freeHead;
        freeHead = freeNext[e];
        size++;
        ProbedSlots.put(slots, mask, ProbedSlots.slot(h, e));
        long[] en = entries;
        int b = STRIDE * e;
        java.util.Arrays.fill(en, b, b + STRIDE, 0L);
        en[b + A_HI] = kaHi;
        en[b + A_LO] = kaLo;
        en[b + B_HI] = kbHi;
        en[b + B_LO] = kbLo;
        en[b + PORTS_META] = portsMeta;
        en[b + STATE] = swap ? 1L << ORIG_IS_B_BIT : 0L;
        en[b + LAST] = now;
        en[b + QUEUED] = now;
        en[b + COUNTERS + 2] = now;
        idle.append(e);
        age.append(e);
        return e;
    }

    /** Emits the record of entry {@code e} and frees it. */
    private void end(int e, FlowEndReason reason) {
        FlowRecord r = record(e, reason);
        remove(e);
        recordsEmitted++;
        handler.onRecord(r);
    }

    private FlowRecord record(int e, FlowEndReason reason) {
        long[] en = entries;
        int base = STRIDE * e;
        long pm = en[base + PORTS_META];
        int m = (int) pm;
        int ipVersion = (m >>> 20 & 1) == 1 ? 6 : 4;
        int proto = m >>> 12 & 0xFF;
        boolean icmp = proto == 1 || proto == 58;
        int pa = (int) (pm >>> 48) & 0xFFFF, pb = (int) (pm >>> 32) & 0xFFFF;
        long state = en[base + STATE];
        boolean b = (state >>> ORIG_IS_B_BIT & 1) != 0;
        int o = base + COUNTERS, r = base + COUNTERS + 4;
        int hlen = (int) (state >>> HLEN_SHIFT) & 0x1F;
        int firstType = (int) (state >>> ICMP_FIRST_TYPE_SHIFT) & 0x1FF;
        if (icmp && firstType != 0) {
            pa = firstType - 1;               // the type the originator sent, a reply's when the reply came first
        }
        return new FlowRecord(ipVersion, proto,
                en[base + (b ? B_HI : A_HI)], en[base + (b ? B_LO : A_LO)], icmp ? pa : (b ? pb : pa),
                en[base + (b ? A_HI : B_HI)], en[base + (b ? A_LO : B_LO)], icmp ? pb : (b ? pa : pb),
                m & 0xFFF,
                en[o], en[o + 1], en[r], en[r + 1],
                en[o + 2], en[base + LAST], en[o + 3], en[r + 2], en[r + 3],
                (int) state & 0xFF, (int) (state >>> 8) & 0xFF,
                new String(history, MAX_HISTORY * e, hlen, java.nio.charset.StandardCharsets.US_ASCII),
                reason);
    }

    private void remove(int e) {
        ProbedSlots.remove(slots, mask, hashOf(e), e);
        idle.unlink(e);
        age.unlink(e);
        freeNext[e] = freeHead;
        freeHead = e;
        size--;
    }

    /** Entry {@code e}'s hash, found again from its key. */
    private int hashOf(int e) {
        long[] en = entries;
        int b = STRIDE * e;
        return hash(en[b + A_HI], en[b + A_LO], en[b + B_HI], en[b + B_LO], en[b + PORTS_META]);
    }

    /** Options of a {@link FlowTable}; defaults: 65 536 flows, 60 s idle, 30 min active (as common exporters). */
    public static final class Builder {
        private int maxFlows = 1 << 16;
        private Duration idle = Duration.ofSeconds(60);
        private Duration active = Duration.ofMinutes(30);
        private FlowRecordHandler handler;

        private Builder() {}

        /**
         * Open flows kept at most; a new flow beyond it evicts the least recently seen one. The
         * table takes memory as flows arrive (about 200 bytes each), not for the most at once.
         *
         * @throws IllegalArgumentException outside [1, {@link #MAX_FLOWS}]
         */
        public Builder maxFlows(int maxFlows) {
            if (maxFlows < 1 || maxFlows > MAX_FLOWS) {
                throw new IllegalArgumentException("maxFlows=" + maxFlows + ": must be in [1, " + MAX_FLOWS
                        + "] (" + STRIDE + " longs per flow, all in one Java array)");
            }
            this.maxFlows = maxFlows;
            return this;
        }

        /** A flow with no packet for this long ends ({@link FlowEndReason#IDLE_TIMEOUT}). */
        public Builder idleTimeout(Duration idle) {
            this.idle = positive("idleTimeout", idle);
            return this;
        }

        /** A flow older than this ends ({@link FlowEndReason#ACTIVE_TIMEOUT}); later packets start a new record. */
        public Builder activeTimeout(Duration active) {
            this.active = positive("activeTimeout", active);
            return this;
        }

        /** Where records go; required. */
        public Builder onRecord(FlowRecordHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** The table; throws {@link IllegalArgumentException} when no record handler was given. */
        public FlowTable build() {
            if (handler == null) {
                throw new IllegalArgumentException("onRecord: a record handler is required");
            }
            return new FlowTable(this);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + "=" + d + ": must be positive");
            }
            return d;
        }
    }
}
