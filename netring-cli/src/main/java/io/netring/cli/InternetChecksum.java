package io.netring.cli;

import io.netring.decode.PacketDecoder;

/**
 * The Internet checksum (RFC 1071) over captured bytes, as tcpdump's {@code -v} checks it, and
 * the value tcpdump says a wrong checksum field should have held.
 */
final class InternetChecksum {
    private InternetChecksum() {}

    /**
     * The one's-complement sum of bytes {@code from} to {@code end} of {@code d} (an odd last
     * byte as the high half of a word) plus {@code initial}, folded to 16 bits.
     */
    static int sum(PacketDecoder d, int from, int end, long initial) {
        long s = initial;
        int i = from;
        for (; i + 1 < end; i += 2) {
            s += d.u16(i);
        }
        if (i < end) {
            s += d.u8(i) << 8;
        }
        return fold(s);
    }

    /** 0 when a sum taken over the checksum field too is right; else what tcpdump calls the computed sum. */
    static int residue(int sum) {
        return ~sum & 0xFFFF;
    }

    /** What the field should have held, given its value and a non-zero {@link #residue} (tcpdump's in_cksum_shouldbe). */
    static int shouldBe(int field, int residue) {
        return fold(field + residue);
    }

    /** The IPv6 pseudo-header's sum: source, destination, upper-layer length and next header. */
    static long ipv6PseudoHeader(PacketDecoder d, int ipv6At, int upperLength, int nextHeader) {
        long s = (upperLength >>> 16) + (upperLength & 0xFFFF) + nextHeader;
        for (int i = ipv6At + 8; i < ipv6At + 40; i += 2) {
            s += d.u16(i);
        }
        return s;
    }

    private static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }
}
