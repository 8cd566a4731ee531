package io.netring.flow;

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

    private final int maxFlows;
    private final long idleNanos;
    private final long activeNanos;
    private final FlowRecordHandler handler;

    /** Slot → entry + 1 (0 = empty); power-of-two size, at least twice maxFlows. */
    private final int[] slots;
    private final int mask;

    // key, indexed by entry; endpoint A is the smaller in canonical order
    private final long[] aHi, aLo, bHi, bLo;
    private final int[] ports;      // portA << 16 | portB (ICMP: type << 16 | code)
    private final int[] meta;       // vlan | proto << 12 | v6 << 20
    private final int[] hashes;
    private final boolean[] origIsB;

    // per direction, indexed by 2 * entry + (ORIG|RESP)
    private final long[] packets, bytes, firstNanos, lastNanos;
    private final int[] flags;

    // per entry
    private final long[] flowLast;
    private final int[] historySeen;
    private final byte[] history;   // MAX_HISTORY letters per entry
    private final byte[] historyLen;
    private final byte[] tcpState;

    // idle order (by last packet) and age order (by first packet), doubly linked through entries
    private final int[] idlePrev, idleNext, agePrev, ageNext;
    private int idleHead = NONE, idleTail = NONE, ageHead = NONE, ageTail = NONE;
    private final int[] freeNext;
    private int freeHead;
    private int size;

    private long recordsEmitted;
    private long evictions;

    private FlowTable(Builder b) {
        this.maxFlows = b.maxFlows;
        this.idleNanos = b.idle.toNanos();
        this.activeNanos = b.active.toNanos();
        this.handler = b.handler;
        int slotCount = Integer.highestOneBit(Math.max(4, maxFlows * 2 - 1)) << 1;
        slots = new int[slotCount];
        mask = slotCount - 1;
        int n = maxFlows;
        aHi = new long[n];
        aLo = new long[n];
        bHi = new long[n];
        bLo = new long[n];
        ports = new int[n];
        meta = new int[n];
        hashes = new int[n];
        origIsB = new boolean[n];
        packets = new long[2 * n];
        bytes = new long[2 * n];
        firstNanos = new long[2 * n];
        lastNanos = new long[2 * n];
        flags = new int[2 * n];
        flowLast = new long[n];
        historySeen = new int[n];
        history = new byte[MAX_HISTORY * n];
        historyLen = new byte[n];
        tcpState = new byte[n];
        idlePrev = new int[n];
        idleNext = new int[n];
        agePrev = new int[n];
        ageNext = new int[n];
        freeNext = new int[n];
        for (int i = 0; i < n; i++) {
            freeNext[i] = i + 1 < n ? i + 1 : NONE;
        }
        freeHead = 0;
    }

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
        int h = hash(kaHi, kaLo, kbHi, kbLo, kPorts, kMeta);

        int e = find(h, kaHi, kaLo, kbHi, kbLo, kPorts, kMeta);
        if (e == NONE) {
            if (size == maxFlows) {
                evictions++;
                end(idleHead, FlowEndReason.EVICTED);
            }
            e = insert(h, kaHi, kaLo, kbHi, kbLo, kPorts, kMeta, swap, now);
        } else {
            idleUnlink(e);
            idleAppend(e);
        }

        int dir = swap == origIsB[e] ? ORIG : RESP;
        int d = 2 * e + dir;
        if (packets[d] == 0) {
            firstNanos[d] = now;
        }
        packets[d]++;
        bytes[d] += p.length;
        lastNanos[d] = now;
        flowLast[e] = now;
        if (p.protocol == 6) {
            flags[d] |= p.tcpFlags & 0xFF;
            if (tcp(e, dir, p.tcpFlags & 0xFF, p.payloadLength)) {
                return;
            }
        }
    }

    /** Ends every flow idle or active too long at {@code nowNanos} (call it when packets pause). */
    public void expire(long nowNanos) {
        while (idleHead != NONE && nowNanos - flowLast[idleHead] >= idleNanos) {
            end(idleHead, FlowEndReason.IDLE_TIMEOUT);
        }
        while (ageHead != NONE && nowNanos - firstNanos[2 * ageHead + ORIG] >= activeNanos) {
            end(ageHead, FlowEndReason.ACTIVE_TIMEOUT);
        }
    }

    /** Ends every open flow with {@link FlowEndReason#END_OF_INPUT}, oldest first. */
    public void flush() {
        while (ageHead != NONE) {
            end(ageHead, FlowEndReason.END_OF_INPUT);
        }
    }

    /** TCP history and state for one packet; true when the packet ended the flow. */
    private boolean tcp(int e, int dir, int f, int payload) {
        int st = tcpState[e];
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
                tcpState[e] = (byte) st;
            }
        }
        if ((f & RST) != 0) {
            letter(e, dir, L_R);
            end(e, FlowEndReason.RST);
            return true;
        }
        if (closingBefore && (f & (ACK | FIN | SYN)) == ACK) {
            int lastAckDir = (st & ST_LAST_ACK_FROM_RESP) != 0 ? RESP : ORIG;
            if (dir == lastAckDir) {
                end(e, FlowEndReason.FIN);
                return true;
            }
        }
        return false;
    }

    private void letter(int e, int dir, int letter) {
        int bit = 1 << (letter + 8 * dir);
        int seen = historySeen[e];
        if ((seen & bit) != 0) {
            return;
        }
        historySeen[e] = seen | bit;
        int len = historyLen[e];
        if (len < MAX_HISTORY) {
            char ch = LETTERS.charAt(letter);
            history[MAX_HISTORY * e + len] = (byte) (dir == ORIG ? ch : Character.toLowerCase(ch));
            historyLen[e] = (byte) (len + 1);
        }
    }

    private static int hash(long aHi, long aLo, long bHi, long bLo, int ports, int meta) {
        long x = aHi * 0x9E3779B97F4A7C15L;
        x = (x ^ aLo) * 0xC2B2AE3D27D4EB4FL;
        x = (x ^ bHi) * 0x9E3779B97F4A7C15L;
        x = (x ^ bLo) * 0xC2B2AE3D27D4EB4FL;
        x = (x ^ ((long) ports << 32 | (meta & 0xFFFF_FFFFL))) * 0x9E3779B97F4A7C15L;
        return (int) (x ^ (x >>> 29) ^ (x >>> 41));
    }

    private int find(int h, long kaHi, long kaLo, long kbHi, long kbLo, int kPorts, int kMeta) {
        int i = h & mask;
        while (true) {
            int e = slots[i] - 1;
            if (e < 0) {
                return NONE;
            }
            if (hashes[e] == h && aLo[e] == kaLo && bLo[e] == kbLo && ports[e] == kPorts && meta[e] == kMeta
                    && aHi[e] == kaHi && bHi[e] == kbHi) {
                return e;
            }
            i = (i + 1) & mask;
        }
    }

    private int insert(int h, long kaHi, long kaLo, long kbHi, long kbLo, int kPorts, int kMeta, boolean swap, long now) {
        int e = freeHead;
        freeHead = freeNext[e];
        size++;
        int i = h & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = e + 1;
        hashes[e] = h;
        aHi[e] = kaHi;
        aLo[e] = kaLo;
        bHi[e] = kbHi;
        bLo[e] = kbLo;
        ports[e] = kPorts;
        meta[e] = kMeta;
        origIsB[e] = swap;
        for (int d = 2 * e; d < 2 * e + 2; d++) {
            packets[d] = 0;
            bytes[d] = 0;
            firstNanos[d] = 0;
            lastNanos[d] = 0;
            flags[d] = 0;
        }
        firstNanos[2 * e + ORIG] = now;
        historySeen[e] = 0;
        historyLen[e] = 0;
        tcpState[e] = 0;
        idleAppend(e);
        agePrev[e] = ageTail;
        ageNext[e] = NONE;
        if (ageTail != NONE) {
            ageNext[ageTail] = e;
        } else {
            ageHead = e;
        }
        ageTail = e;
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
        int m = meta[e];
        int ipVersion = (m >>> 20 & 1) == 1 ? 6 : 4;
        int proto = m >>> 12 & 0xFF;
        boolean icmp = proto == 1 || proto == 58;
        int pa = ports[e] >>> 16, pb = ports[e] & 0xFFFF;
        boolean b = origIsB[e];
        int o = 2 * e + ORIG, r = 2 * e + RESP;
        return new FlowRecord(ipVersion, proto,
                b ? bHi[e] : aHi[e], b ? bLo[e] : aLo[e], icmp ? pa : (b ? pb : pa),
                b ? aHi[e] : bHi[e], b ? aLo[e] : bLo[e], icmp ? pb : (b ? pa : pb),
                m & 0xFFF,
                packets[o], bytes[o], packets[r], bytes[r],
                firstNanos[o], flowLast[e], lastNanos[o], firstNanos[r], lastNanos[r],
                flags[o], flags[r],
                new String(history, MAX_HISTORY * e, historyLen[e], java.nio.charset.StandardCharsets.US_ASCII),
                reason);
    }

    private void remove(int e) {
        // backward-shift deletion keeps every probe chain unbroken without tombstones
        int i = hashes[e] & mask;
        while (slots[i] != e + 1) {
            i = (i + 1) & mask;
        }
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            int other = slots[j] - 1;
            if (other < 0) {
                break;
            }
            int home = hashes[other] & mask;
            // move `other` into the hole at i when its home is not cyclically in (i, j]
            boolean homeInRange = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!homeInRange) {
                slots[i] = slots[j];
                i = j;
            }
        }
        slots[i] = 0;
        idleUnlink(e);
        int p = agePrev[e], n = ageNext[e];
        if (p != NONE) ageNext[p] = n; else ageHead = n;
        if (n != NONE) agePrev[n] = p; else ageTail = p;
        freeNext[e] = freeHead;
        freeHead = e;
        size--;
    }

    private void idleUnlink(int e) {
        int p = idlePrev[e], n = idleNext[e];
        if (p != NONE) idleNext[p] = n; else idleHead = n;
        if (n != NONE) idlePrev[n] = p; else idleTail = p;
    }

    private void idleAppend(int e) {
        idlePrev[e] = idleTail;
        idleNext[e] = NONE;
        if (idleTail != NONE) {
            idleNext[idleTail] = e;
        } else {
            idleHead = e;
        }
        idleTail = e;
    }

    /** Options of a {@link FlowTable}; defaults: 65 536 flows, 60 s idle, 30 min active (as common exporters). */
    public static final class Builder {
        private int maxFlows = 1 << 16;
        private Duration idle = Duration.ofSeconds(60);
        private Duration active = Duration.ofMinutes(30);
        private FlowRecordHandler handler;

        private Builder() {}

        /** Open flows kept at most; a new flow beyond it evicts the least recently seen one. */
        public Builder maxFlows(int maxFlows) {
            if (maxFlows < 1 || maxFlows > 1 << 28) {
                throw new IllegalArgumentException("maxFlows=" + maxFlows + ": must be in [1, 268435456]");
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
