package io.netring.decode;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** Builds test frames layer by layer, with correct lengths and checksums. */
public final class FrameBuilder {
    private FrameBuilder() {}

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }

    static void put32(byte[] b, int at, long v) {
        put16(b, at, (int) (v >> 16));
        put16(b, at + 2, (int) v);
    }

    public static byte[] mac(long m) {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (m >> (8 * (5 - i)));
        }
        return b;
    }

    public static byte[] ipv4Addr(int a, int b, int c, int d) {
        return bytes(a, b, c, d);
    }

    /** An IPv6 address from 8 groups. */
    public static byte[] ipv6Addr(int... groups) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            put16(b, 2 * i, groups[i]);
        }
        return b;
    }

    public static byte[] ethernet(long dst, long src, int type, byte[] payload) {
        byte[] h = new byte[14];
        System.arraycopy(mac(dst), 0, h, 0, 6);
        System.arraycopy(mac(src), 0, h, 6, 6);
        put16(h, 12, type);
        return concat(h, payload);
    }

    /** Pads a frame to the 60-byte Ethernet minimum, as a NIC would. */
    public static byte[] pad(byte[] frame) {
        return frame.length >= 60 ? frame : Arrays.copyOf(frame, 60);
    }

    /** A VLAN tag: TPID is the type before it (set by the caller), this is TCI + inner type. */
    public static byte[] vlanTag(int pcp, int id, int innerType) {
        byte[] t = new byte[4];
        put16(t, 0, (pcp << 13) | id);
        put16(t, 2, innerType);
        return t;
    }

    public static byte[] ipv4(byte[] src, byte[] dst, int proto, int ttl, int id, int flagsAndOffset, byte[] options, byte[] payload) {
        int hl = 20 + options.length;
        byte[] h = new byte[hl];
        h[0] = (byte) (0x40 | (hl / 4));
        put16(h, 2, hl + payload.length);
        put16(h, 4, id);
        put16(h, 6, flagsAndOffset);
        h[8] = (byte) ttl;
        h[9] = (byte) proto;
        System.arraycopy(src, 0, h, 12, 4);
        System.arraycopy(dst, 0, h, 16, 4);
        System.arraycopy(options, 0, h, 20, options.length);
        put16(h, 10, checksum(h, 0, hl, 0));
        return concat(h, payload);
    }

    public static byte[] ipv6(byte[] src, byte[] dst, int next, int hopLimit, byte[] payload) {
        byte[] h = new byte[40];
        h[0] = 0x60;
        put16(h, 4, payload.length);
        h[6] = (byte) next;
        h[7] = (byte) hopLimit;
        System.arraycopy(src, 0, h, 8, 16);
        System.arraycopy(dst, 0, h, 24, 16);
        return concat(h, payload);
    }

    /** A hop-by-hop or destination-options header padded to 8 bytes (PadN). */
    public static byte[] ipv6Options(int next, byte[] payload) {
        return concat(bytes(next, 0, 1, 4, 0, 0, 0, 0), payload);
    }

    /** A type-4 (segment routing) free routing header with zero segments left: type 0 is deprecated. */
    public static byte[] ipv6Routing(int next, byte[] payload) {
        return concat(bytes(next, 2, 4, 0, 0, 0, 0, 0), new byte[16], payload);
    }

    public static byte[] ipv6Fragment(int next, int offset, boolean more, int id, byte[] payload) {
        byte[] h = new byte[8];
        h[0] = (byte) next;
        put16(h, 2, offset | (more ? 1 : 0));
        put32(h, 4, id);
        return concat(h, payload);
    }

    public static byte[] tcp(int sport, int dport, long seq, long ack, int flags, int window, byte[] options, byte[] payload) {
        int hl = 20 + options.length;
        byte[] h = new byte[hl];
        put16(h, 0, sport);
        put16(h, 2, dport);
        put32(h, 4, seq);
        put32(h, 8, ack);
        put16(h, 12, ((hl / 4) << 12) | flags);
        put16(h, 14, window);
        System.arraycopy(options, 0, h, 20, options.length);
        return concat(h, payload);
    }

    public static byte[] udp(int sport, int dport, byte[] payload) {
        byte[] h = new byte[8];
        put16(h, 0, sport);
        put16(h, 2, dport);
        put16(h, 4, 8 + payload.length);
        return concat(h, payload);
    }

    public static byte[] icmp(int type, int code, int rest, byte[] payload) {
        byte[] h = new byte[8];
        h[0] = (byte) type;
        h[1] = (byte) code;
        put32(h, 4, rest);
        byte[] m = concat(h, payload);
        put16(m, 2, checksum(m, 0, m.length, 0));
        return m;
    }

    /** ICMPv6 message without checksum (set by {@link #fixChecksums}). */
    public static byte[] icmpv6(int type, int code, int rest, byte[] body) {
        byte[] h = new byte[8];
        h[0] = (byte) type;
        h[1] = (byte) code;
        put32(h, 4, rest);
        return concat(h, body);
    }

    public static byte[] arp(int op, long senderMac, byte[] senderIp, long targetMac, byte[] targetIp) {
        byte[] a = new byte[28];
        put16(a, 0, 1);
        put16(a, 2, 0x0800);
        a[4] = 6;
        a[5] = 4;
        put16(a, 6, op);
        System.arraycopy(mac(senderMac), 0, a, 8, 6);
        System.arraycopy(senderIp, 0, a, 14, 4);
        System.arraycopy(mac(targetMac), 0, a, 18, 6);
        System.arraycopy(targetIp, 0, a, 24, 4);
        return a;
    }

    public static byte[] dnsQuery(int id, int flags, String name, int qtype) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = new byte[12];
        put16(h, 0, id);
        put16(h, 2, flags);
        put16(h, 4, 1);
        out.writeBytes(h);
        if (!name.isEmpty()) {
            for (String label : name.split("\\.")) {
                out.write(label.length());
                out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        out.write(0);
        out.writeBytes(bytes(qtype >> 8, qtype, 0, 1));
        return out.toByteArray();
    }

    /** One's-complement sum over {@code len} bytes from {@code off}, starting from {@code sum}. */
    static int checksum(byte[] b, int off, int len, long sum) {
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xFF) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /**
     * Sets the TCP, UDP and ICMPv6 checksums of an untruncated Ethernet frame whose IP header
     * starts at {@code l3} and whose transport header starts at {@code l4}.
     */
    static void fixTransportChecksum(byte[] f, int l3, int l4, int proto) {
        boolean v6 = (f[l3] >> 4 & 0xF) == 6;
        int end = v6 ? l3 + 40 + (((f[l3 + 4] & 0xFF) << 8) | (f[l3 + 5] & 0xFF))
                : l3 + (((f[l3 + 2] & 0xFF) << 8) | (f[l3 + 3] & 0xFF));
        end = Math.min(end, f.length);
        int len = end - l4;
        int field = switch (proto) {
            case 6 -> 16;
            case 17 -> 6;
            case 58 -> 2;
            default -> -1;
        };
        if (field < 0 || len < field + 2) {
            return;
        }
        f[l4 + field] = 0;
        f[l4 + field + 1] = 0;
        long sum = 0;
        if (v6) {
            byte[] ph = new byte[40];
            System.arraycopy(f, l3 + 8, ph, 0, 32);
            put32(ph, 32, len);
            ph[39] = (byte) proto;
            sum = ~checksum(ph, 0, 40, 0) & 0xFFFF;
        } else {
            byte[] ph = new byte[12];
            System.arraycopy(f, l3 + 12, ph, 0, 8);
            ph[9] = (byte) proto;
            put16(ph, 10, len);
            sum = ~checksum(ph, 0, 12, 0) & 0xFFFF;
        }
        int c = checksum(f, l4, len, sum);
        if (proto == 17 && c == 0) {
            c = 0xFFFF;
        }
        put16(f, l4 + field, c);
    }
}
