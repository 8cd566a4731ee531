package io.netring.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The frame mix of {@link DecodeBench}: {@value #COUNT} Ethernet frames, reproducible — IPv4 TCP
 * (half with SYN options), IPv4 UDP, IPv6 TCP, IPv4 ICMP echo, and some behind a VLAN tag.
 */
final class DecodeFrames {
    static final int COUNT = 1024;

    private DecodeFrames() {}

    static List<byte[]> mix() {
        Random r = new Random(7);
        List<byte[]> frames = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            int kind = r.nextInt(10);
            boolean vlan = r.nextInt(8) == 0;
            byte[] l3;
            int type;
            if (kind < 5) {
                type = 0x0800;
                boolean syn = r.nextBoolean();
                l3 = ipv4(6, tcp(r, syn ? new byte[] {2, 4, 5, (byte) 0xB4, 4, 2, 1, 1} : new byte[0], syn ? 0 : 100 + r.nextInt(1200)), r);
            } else if (kind < 7) {
                type = 0x0800;
                l3 = ipv4(17, udp(r, 20 + r.nextInt(400)), r);
            } else if (kind < 9) {
                type = 0x86DD;
                l3 = ipv6(6, tcp(r, new byte[0], 50 + r.nextInt(1200)), r);
            } else {
                type = 0x0800;
                byte[] icmp = new byte[64];
                icmp[0] = 8;
                l3 = ipv4(1, icmp, r);
            }
            ByteBuffer f = ByteBuffer.allocate(14 + (vlan ? 4 : 0) + l3.length);
            f.putShort((short) 0x0200).putInt(r.nextInt()).putShort((short) 0x0200).putInt(r.nextInt());
            if (vlan) {
                f.putShort((short) 0x8100).putShort((short) (1 + r.nextInt(4094)));
            }
            f.putShort((short) type).put(l3);
            frames.add(f.array());
        }
        return frames;
    }

    private static byte[] ipv4(int proto, byte[] payload, Random r) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putShort((short) r.nextInt())
                .putShort((short) 0x4000).put((byte) 64).put((byte) proto).putShort((short) 0)
                .putInt(0x0A000000 | r.nextInt(1 << 16)).putInt(0x0A010000 | r.nextInt(1 << 16)).put(payload);
        byte[] a = b.array();
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((a[i] & 0xFF) << 8) | (a[i + 1] & 0xFF);
        }
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = ~((sum & 0xFFFF) + (sum >> 16)) & 0xFFFF;
        a[10] = (byte) (sum >> 8);
        a[11] = (byte) sum;
        return a;
    }

    private static byte[] ipv6(int next, byte[] payload, Random r) {
        ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
        b.putInt(0x60000000).putShort((short) payload.length).put((byte) next).put((byte) 64)
                .putLong(0x20010db800000000L).putLong(r.nextLong()).putLong(0x20010db800000001L).putLong(r.nextLong()).put(payload);
        return b.array();
    }

    private static byte[] tcp(Random r, byte[] options, int data) {
        ByteBuffer b = ByteBuffer.allocate(20 + options.length + data);
        b.putShort((short) (1024 + r.nextInt(60000))).putShort((short) 443).putInt(r.nextInt()).putInt(r.nextInt())
                .putShort((short) ((((20 + options.length) / 4) << 12) | (options.length > 0 ? 0x02 : 0x18)))
                .putShort((short) 64240).putShort((short) 0).putShort((short) 0).put(options);
        return b.array();
    }

    private static byte[] udp(Random r, int data) {
        ByteBuffer b = ByteBuffer.allocate(8 + data);
        b.putShort((short) (1024 + r.nextInt(60000))).putShort((short) (1024 + r.nextInt(60000))).putShort((short) (8 + data)).putShort((short) 0);
        return b.array();
    }
}
