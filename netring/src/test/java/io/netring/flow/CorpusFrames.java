package io.netring.flow;

import java.nio.ByteBuffer;

/** Builds Ethernet frames carrying IPv4/IPv6 with TCP, UDP or ICMP for the flow corpus. */
final class CorpusFrames {
    private CorpusFrames() {}

    static final int TCP = 6, UDP = 17, ICMP = 1, ICMP6 = 58;

    /** An endpoint: address bytes (4 or 16) and port. */
    record End(byte[] addr, int port) {
        boolean v6() {
            return addr.length == 16;
        }
    }

    static byte[] v4(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    static byte[] v6(int last, int net) {
        byte[] b = new byte[16];
        b[0] = (byte) 0x20;
        b[1] = 0x01;
        b[2] = 0x0d;
        b[3] = (byte) 0xb8;
        b[5] = (byte) net;
        b[15] = (byte) last;
        return b;
    }

    /** A frame from {@code src} to {@code dst}; {@code flags} and {@code payload} for TCP, ICMP type/code in the ports. */
    static byte[] frame(int proto, End src, End dst, int flags, int payload, int vlan) {
        boolean v6 = src.v6();
        int l4Len = switch (proto) {
            case TCP -> 20 + payload;
            case UDP -> 8 + payload;
            default -> 8 + payload;
        };
        int ipLen = (v6 ? 40 : 20) + l4Len;
        int eth = vlan != 0 ? 18 : 14;
        ByteBuffer b = ByteBuffer.allocate(eth + ipLen);
        b.put(new byte[] {2, 0, 0, 0, 0, (byte) (dst.addr()[dst.addr().length - 1])});
        b.put(new byte[] {2, 0, 0, 0, 0, (byte) (src.addr()[src.addr().length - 1])});
        if (vlan != 0) {
            b.putShort((short) 0x8100);
            b.putShort((short) vlan);
        }
        b.putShort((short) (v6 ? 0x86DD : 0x0800));
        int ipStart = b.position();
        if (v6) {
            b.putInt(0x6000_0000);
            b.putShort((short) l4Len);
            b.put((byte) proto);
            b.put((byte) 64);
            b.put(src.addr());
            b.put(dst.addr());
        } else {
            b.put((byte) 0x45).put((byte) 0).putShort((short) ipLen);
            b.putShort((short) 1).putShort((short) 0x4000);
            b.put((byte) 64).put((byte) proto).putShort((short) 0);
            b.put(src.addr());
            b.put(dst.addr());
            int sum = 0;
            for (int i = 0; i < 20; i += 2) {
                sum += b.getShort(ipStart + i) & 0xFFFF;
            }
            while (sum > 0xFFFF) {
                sum = (sum & 0xFFFF) + (sum >>> 16);
            }
            b.putShort(ipStart + 10, (short) ~sum);
        }
        switch (proto) {
            case TCP -> {
                b.putShort((short) src.port()).putShort((short) dst.port());
                b.putInt(1000).putInt((flags & 0x10) != 0 ? 2000 : 0);
                b.put((byte) 0x50).put((byte) flags).putShort((short) 65535);
                b.putShort((short) 0).putShort((short) 0);
            }
            case UDP -> b.putShort((short) src.port()).putShort((short) dst.port()).putShort((short) l4Len).putShort((short) 0);
            default -> b.put((byte) src.port()).put((byte) dst.port()).putShort((short) 0).putInt(0x0001_0001);
        }
        for (int i = 0; i < payload; i++) {
            b.put((byte) ('a' + i % 26));
        }
        return b.array();
    }

    /** A UDP frame carrying {@code payload}. */
    static byte[] udp(End src, End dst, byte[] payload) {
        byte[] f = frame(UDP, src, dst, 0, payload.length, 0);
        System.arraycopy(payload, 0, f, f.length - payload.length, payload.length);
        return f;
    }
}
