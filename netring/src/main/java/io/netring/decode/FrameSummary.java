package io.netring.decode;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A one-line, tcpdump-like description of an Ethernet frame ("IPv4 UDP 10.0.0.1:53 >
 * 10.0.0.2:40000, 42 bytes payload"), read in place from the frame's segment. Never throws on
 * short or garbage frames: what cannot be decoded is described as such.
 */
public final class FrameSummary {
    private FrameSummary() {}

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int ETH_HLEN = 14;

    /** Describes {@code frame}, which starts at the MAC header. */
    public static String describe(MemorySegment frame) {
        long len = frame.byteSize();
        if (len < ETH_HLEN) {
            return "runt frame, " + len + " bytes";
        }
        int etherType = u16(frame, 12);
        long l3 = ETH_HLEN;
        String vlan = "";
        if ((etherType == 0x8100 || etherType == 0x88A8) && len >= ETH_HLEN + 4) {
            vlan = "vlan " + (u16(frame, 14) & 0x0FFF) + ", ";
            etherType = u16(frame, 16);
            l3 += 4;
        }
        return vlan + switch (etherType) {
            case 0x0800 -> ipv4(frame, l3);
            case 0x86DD -> ipv6(frame, l3);
            case 0x0806 -> "ARP";
            default -> String.format("ethertype 0x%04x, %d bytes", etherType, len);
        };
    }

    private static String ipv4(MemorySegment f, long off) {
        if (f.byteSize() < off + 20) {
            return "IPv4, truncated";
        }
        int ihl = (u8(f, off) & 0x0F) * 4;
        int proto = u8(f, off + 9);
        String src = u8(f, off + 12) + "." + u8(f, off + 13) + "." + u8(f, off + 14) + "." + u8(f, off + 15);
        String dst = u8(f, off + 16) + "." + u8(f, off + 17) + "." + u8(f, off + 18) + "." + u8(f, off + 19);
        int total = u16(f, off + 2);
        return "IPv4 " + transport(f, off + Math.max(ihl, 20), proto, src, dst, off + total);
    }

    private static String ipv6(MemorySegment f, long off) {
        if (f.byteSize() < off + 40) {
            return "IPv6, truncated";
        }
        int next = u8(f, off + 6);
        String src = ipv6Address(f, off + 8);
        String dst = ipv6Address(f, off + 24);
        return "IPv6 " + transport(f, off + 40, next, "[" + src + "]", "[" + dst + "]", off + 40 + u16(f, off + 4));
    }

    private static String transport(MemorySegment f, long off, int proto, String src, String dst, long end) {
        long avail = Math.min(f.byteSize(), end);
        switch (proto) {
            case 6 -> {
                if (avail < off + 20) {
                    return "TCP " + src + " > " + dst + ", truncated";
                }
                int flags = u8(f, off + 13);
                int dataOff = (u8(f, off + 12) >> 4) * 4;
                return "TCP " + src + ":" + u16(f, off) + " > " + dst + ":" + u16(f, off + 2)
                        + " [" + tcpFlags(flags) + "], " + Math.max(0, avail - off - dataOff) + " bytes payload";
            }
            case 17 -> {
                if (avail < off + 8) {
                    return "UDP " + src + " > " + dst + ", truncated";
                }
                return "UDP " + src + ":" + u16(f, off) + " > " + dst + ":" + u16(f, off + 2)
                        + ", " + Math.max(0, avail - off - 8) + " bytes payload";
            }
            case 1 -> {
                return "ICMP " + src + " > " + dst;
            }
            case 58 -> {
                return "ICMPv6 " + src + " > " + dst;
            }
            default -> {
                return "proto " + proto + " " + src + " > " + dst;
            }
        }
    }

    private static String tcpFlags(int flags) {
        StringBuilder s = new StringBuilder();
        if ((flags & 0x02) != 0) s.append('S');
        if ((flags & 0x01) != 0) s.append('F');
        if ((flags & 0x04) != 0) s.append('R');
        if ((flags & 0x08) != 0) s.append('P');
        if ((flags & 0x10) != 0) s.append('.');
        return s.toString();
    }

    private static String ipv6Address(MemorySegment f, long off) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i > 0) {
                s.append(':');
            }
            s.append(Integer.toHexString(u16(f, off + 2L * i)));
        }
        return s.toString();
    }

    private static int u8(MemorySegment f, long off) {
        return Byte.toUnsignedInt(f.get(ValueLayout.JAVA_BYTE, off));
    }

    private static int u16(MemorySegment f, long off) {
        return Short.toUnsignedInt(f.get(U16, off));
    }
}
