package io.netring.examples;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Hand-made Ethernet/IPv4 frames with TCP or UDP payloads, for the DPI tests. */
final class Frames {
    private Frames() {}

    static byte[] tcp(int srcPort, int dstPort, byte[] payload) {
        return ipv4(6, l4(srcPort, dstPort, payload, true));
    }

    static byte[] udp(int srcPort, int dstPort, byte[] payload) {
        return ipv4(17, l4(srcPort, dstPort, payload, false));
    }

    private static byte[] l4(int srcPort, int dstPort, byte[] payload, boolean tcp) {
        int hdr = tcp ? 20 : 8;
        ByteBuffer b = ByteBuffer.allocate(hdr + payload.length);
        b.putShort((short) srcPort).putShort((short) dstPort);
        if (tcp) {
            b.putInt(1).putInt(0).put((byte) 0x50).put((byte) 0x18).putShort((short) 512).putInt(0);
        } else {
            b.putShort((short) (8 + payload.length)).putShort((short) 0);
        }
        b.put(payload);
        return b.array();
    }

    private static byte[] ipv4(int proto, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + l4.length);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putInt(0)
                .put((byte) 64).put((byte) proto).putShort((short) 0)
                .put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
        b.put(l4);
        return b.array();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A TLS 1.2 ClientHello record with one cipher suite and a server_name extension. */
    static byte[] clientHello(String sni) {
        byte[] name = ascii(sni);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        int listLen = 3 + name.length;
        writeShort(ext, 0x0000);
        writeShort(ext, listLen + 2);
        writeShort(ext, listLen);
        ext.write(0);
        writeShort(ext, name.length);
        ext.writeBytes(name);
        byte[] extensions = ext.toByteArray();

        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        writeShort(hello, 0x0303);
        hello.writeBytes(new byte[32]);
        hello.write(0);                 // session id
        writeShort(hello, 2);
        writeShort(hello, 0x1301);      // one cipher suite
        hello.write(1);
        hello.write(0);                 // null compression
        writeShort(hello, extensions.length);
        hello.writeBytes(extensions);
        byte[] body = hello.toByteArray();

        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        rec.write(0x16);
        writeShort(rec, 0x0301);
        writeShort(rec, body.length + 4);
        rec.write(0x01);
        rec.write(0);
        writeShort(rec, body.length);
        rec.writeBytes(body);
        return rec.toByteArray();
    }

    /** A DNS query for {@code name} (type A). */
    static byte[] dnsQuery(String name) {
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        writeShort(q, 0x1234);
        writeShort(q, 0x0100);
        writeShort(q, 1);
        writeShort(q, 0);
        writeShort(q, 0);
        writeShort(q, 0);
        for (String label : name.split("\\.")) {
            q.write(label.length());
            q.writeBytes(ascii(label));
        }
        q.write(0);
        writeShort(q, 1);
        writeShort(q, 1);
        return q.toByteArray();
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v & 0xFF);
    }
}
