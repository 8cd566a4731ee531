package io.netring.cli;

import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;

import java.util.HashMap;
import java.util.Map;

/**
 * tcpdump's relative TCP sequence numbers: the first ACK-bearing packet of a connection (or
 * any SYN with ACK) records both initial numbers, keyed by the connection in one canonical
 * direction (lower port first; on equal ports the lower address); later packets print their
 * numbers relative to them. Without ACK, numbers are printed as they are.
 */
final class TcpSequences {
    /** Bounds memory on endless captures: forget everything past this many connections. */
    private static final int MAX_CONNECTIONS = 1 << 20;

    /**
     * A connection in its canonical direction. Mutable, so that one probe looks every packet up
     * and only a new connection stores a copy. equals and hashCode are written out: a record's
     * are linked through ObjectMethods' bootstrap at their first call, about 20 ms of
     * method-handle code generated in the interpreter that the AOT cache cannot hold.
     */
    private static final class Key {
        long a;
        long b;
        long c;
        long d;
        int ports;

        Key set(long a, long b, long c, long d, int ports) {
            this.a = a;
            this.b = b;
            this.c = c;
            this.d = d;
            this.ports = ports;
            return this;
        }

        Key copy() {
            return new Key().set(a, b, c, d, ports);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && a == k.a && b == k.b && c == k.c && d == k.d && ports == k.ports;
        }

        @Override
        public int hashCode() {
            long h = a * 31 + b;
            h = h * 31 + c;
            h = h * 31 + d;
            return Long.hashCode(h) * 31 + ports;
        }
    }

    /** The lookup key, set again for every packet; never stored in {@link #initial}. */
    private final Key probe = new Key();
    private final Map<Key, long[]> initial = new HashMap<>();
    /** The numbers to print, set by {@link #relate}. */
    long seq;
    long ack;
    /**
     * The connection's initial numbers as tcpdump keeps them (its "thseq" and "thack") and
     * whether the packet goes against the canonical direction: SACK blocks are relative to them.
     */
    long initialSeq;
    long initialAck;
    boolean reversed;

    void relate(PacketDecoder d, long seqIn, long ackIn, boolean syn) {
        int sport = d.tcp().sourcePort();
        int dport = d.tcp().destinationPort();
        long s0;
        long s1;
        long d0;
        long d1;
        if (d.has(Layer.IPV4)) {
            s0 = Integer.toUnsignedLong(d.ipv4().source());
            d0 = Integer.toUnsignedLong(d.ipv4().destination());
            s1 = 0;
            d1 = 0;
        } else {
            s0 = d.ipv6().sourceHigh();
            s1 = d.ipv6().sourceLow();
            d0 = d.ipv6().destinationHigh();
            d1 = d.ipv6().destinationLow();
        }
        boolean rev = sport > dport || (sport == dport && compare(s0, s1, d0, d1) > 0);
        Key key = rev ? probe.set(d0, d1, s0, s1, dport << 16 | sport) : probe.set(s0, s1, d0, d1, sport << 16 | dport);
        long[] th = initial.get(key);
        if (th == null || syn) {
            if (th == null) {
                if (initial.size() >= MAX_CONNECTIONS) {
                    initial.clear();
                }
                th = new long[2];
                initial.put(key.copy(), th);
            }
            // th[0] is the canonical direction's initial sequence, th[1] the other's.
            if (rev) {
                th[1] = seqIn;
                th[0] = (ackIn - 1) & 0xFFFFFFFFL;
            } else {
                th[0] = seqIn;
                th[1] = (ackIn - 1) & 0xFFFFFFFFL;
            }
            seq = seqIn;
            ack = ackIn;
            initialSeq = th[0];
            initialAck = th[1];
            this.reversed = rev;
            return;
        } else if (rev) {
            seq = (seqIn - th[1]) & 0xFFFFFFFFL;
            ack = (ackIn - th[0]) & 0xFFFFFFFFL;
        } else {
            seq = (seqIn - th[0]) & 0xFFFFFFFFL;
            ack = (ackIn - th[1]) & 0xFFFFFFFFL;
        }
        initialSeq = th[0];
        initialAck = th[1];
        this.reversed = rev;
    }

    /** For a packet without ACK: nothing is relative. */
    void none() {
        initialSeq = 0;
        initialAck = 0;
        reversed = false;
    }

    private static int compare(long a0, long a1, long b0, long b1) {
        int c = Long.compareUnsigned(a0, b0);
        return c != 0 ? c : Long.compareUnsigned(a1, b1);
    }
}
