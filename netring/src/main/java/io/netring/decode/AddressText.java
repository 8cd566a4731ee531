package io.netring.decode;

/**
 * Addresses as text the way tcpdump -n and tshark print them: MACs as {@code 00:1b:21:0a:0b:0c},
 * IPv4 dotted, IPv6 in RFC 5952 form (lower case, leading zeros dropped, the longest run of
 * two or more zero groups as {@code ::}, the first such run on a tie; a dotted IPv4 tail on
 * mapped and compatible addresses, as {@code inet_ntop} writes). Appending allocates
 * nothing beyond the builder's own growth.
 */
public final class AddressText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AddressText() {}

    /** Appends the 48-bit MAC in the low bits of {@code mac}. */
    public static StringBuilder appendMac(StringBuilder sb, long mac) {
        for (int i = 5; i >= 0; i--) {
            int b = (int) (mac >>> (8 * i)) & 0xFF;
            sb.append(HEX[b >> 4]).append(HEX[b & 0xF]);
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb;
    }

    /**
     * Appends {@code address} (big-endian, as {@link Ipv4View#source()} returns it) in dotted-quad
     * text; returns {@code sb}.
     */
    public static StringBuilder appendIpv4(StringBuilder sb, int address) {
        return sb.append(address >>> 24).append('.').append((address >>> 16) & 0xFF).append('.')
                .append((address >>> 8) & 0xFF).append('.').append(address & 0xFF);
    }

    /** Appends the IPv6 address whose high and low 64 bits are given, in RFC 5952 form. */
    public static StringBuilder appendIpv6(StringBuilder sb, long high, long low) {
        // The longest run of zero groups (length >= 2), first one on a tie.
        int bestStart = -1;
        int bestLen = 0;
        int runStart = -1;
        for (int i = 0; i <= 8; i++) {
            boolean zero = i < 8 && group(high, low, i) == 0;
            if (zero && runStart < 0) {
                runStart = i;
            } else if (!zero && runStart >= 0) {
                if (i - runStart > bestLen && i - runStart >= 2) {
                    bestStart = runStart;
                    bestLen = i - runStart;
                }
                runStart = -1;
            }
        }
        // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses keep a dotted
        // tail, as inet_ntop writes them and so tcpdump and tshark print them.
        if (bestStart == 0 && (bestLen == 6 || (bestLen == 5 && group(high, low, 5) == 0xFFFF))) {
            sb.append(bestLen == 5 ? "::ffff:" : "::");
            return appendIpv4(sb, (int) low);
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) {
                sb.append(':');
            }
            appendHexGroup(sb, group(high, low, i));
        }
        return sb;
    }

    private static int group(long high, long low, int i) {
        long half = i < 4 ? high : low;
        return (int) (half >>> (16 * (3 - (i & 3)))) & 0xFFFF;
    }

    private static void appendHexGroup(StringBuilder sb, int g) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int nibble = (g >> shift) & 0xF;
            if (nibble != 0 || started || shift == 0) {
                sb.append(HEX[nibble]);
                started = true;
            }
        }
    }

    /** The MAC address in the low 48 bits of {@code mac} as text, {@code 00:1b:21:0a:0b:0c}. */
    public static String mac(long mac) {
        return appendMac(new StringBuilder(17), mac).toString();
    }

    /** The IPv4 address (big-endian int) as dotted-quad text. */
    public static String ipv4(int address) {
        return appendIpv4(new StringBuilder(15), address).toString();
    }

    /** The IPv6 address whose high and low 64 bits are given, as RFC 5952 text. */
    public static String ipv6(long high, long low) {
        return appendIpv6(new StringBuilder(39), high, low).toString();
    }
}
