package io.netring.cli;

import io.netring.decode.PacketDecoder;

/**
 * The bytes tcpdump's protocol printers may read: those captured, and no further than the end
 * of the IP datagram (tcpdump trims its "snapend" to the IP length, so Ethernet padding is
 * never read as payload). A read past {@link #end} throws {@link Truncated}, the way tcpdump
 * jumps to its "[|proto]" mark; printers catch it where tcpdump's would.
 */
final class TcpdumpBytes {
    /** Thrown at the first byte that is not there; one shared instance, without a stack trace. */
    static final class Truncated extends RuntimeException {
        static final Truncated INSTANCE = new Truncated();

        private Truncated() {
            super(null, null, false, false);
        }
    }

    private PacketDecoder d;
    /** One past the last readable byte (frame offsets). */
    int end;

    TcpdumpBytes set(PacketDecoder d, int end) {
        this.d = d;
        this.end = Math.min(end, d.length());
        return this;
    }

    /** The end of the IP datagram of {@code d}, or of the capture when there is none. */
    static int ipEnd(PacketDecoder d) {
        int l3 = d.networkOffset();
        if (d.etherType() == 0x0800 && d.u16(l3 + 2) >= 0) {
            return l3 + d.u16(l3 + 2);
        }
        if (d.etherType() == 0x86DD && d.u16(l3 + 4) >= 0) {
            return l3 + 40 + d.u16(l3 + 4);
        }
        return d.length();
    }

    boolean has(int at, int n) {
        return at >= 0 && at + n <= end;
    }

    int u8(int at) {
        if (!has(at, 1)) {
            throw Truncated.INSTANCE;
        }
        return d.u8(at);
    }

    int u16(int at) {
        if (!has(at, 2)) {
            throw Truncated.INSTANCE;
        }
        return d.u16(at);
    }

    long u32(int at) {
        if (!has(at, 4)) {
            throw Truncated.INSTANCE;
        }
        return d.u32(at);
    }

    /** The 16-byte IPv6 address at {@code at}, in tcpdump's form. */
    StringBuilder ipv6(StringBuilder sb, int at) {
        if (!has(at, 16)) {
            throw Truncated.INSTANCE;
        }
        io.netring.decode.AddressText.appendIpv6(sb, (d.u32(at) << 32) | d.u32(at + 4), (d.u32(at + 8) << 32) | d.u32(at + 12));
        return sb;
    }

    /** The IPv4 address at {@code at}, dotted. */
    StringBuilder ipv4(StringBuilder sb, int at) {
        io.netring.decode.AddressText.appendIpv4(sb, (int) u32(at));
        return sb;
    }

    /** A character as tcpdump shows one from the packet: M- for the high half, ^ for controls. */
    static void printable(StringBuilder sb, int c) {
        if (c >= 0x80) {
            c &= 0x7F;
            sb.append("M-");
        }
        if (c < 0x20 || c == 0x7F) {
            c ^= 0x40;
            sb.append('^');
        }
        sb.append((char) c);
    }
}
