package io.netring.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * TLS records shaped as a browser's and a server's first flight: a ClientHello with the extensions
 * a modern client sends (SNI, groups, point formats, signature algorithms, ALPN, supported
 * versions, key share), a TLS 1.3 ServerHello, and application-data records of random bytes.
 */
final class TlsRecords {
    private static final int[] CIPHERS = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
        0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
    private static final int[] GROUPS = {0x001d, 0x0017, 0x0018};
    private static final int[] SIGNATURES = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};

    private TlsRecords() {}

    /** A ClientHello record for {@code serverName}, offering h2 and http/1.1, TLS 1.3 and 1.2. */
    static byte[] clientHello(String serverName, Random random) {
        Body ext = new Body();
        byte[] name = serverName.getBytes(StandardCharsets.US_ASCII);
        ext.u16(0x0000).u16(name.length + 5).u16(name.length + 3).u8(0).u16(name.length).bytes(name);
        ext.u16(0x000a).u16(2 + 2 * GROUPS.length).u16(2 * GROUPS.length).u16s(GROUPS);
        ext.u16(0x000b).u16(2).u8(1).u8(0);
        ext.u16(0x000d).u16(2 + 2 * SIGNATURES.length).u16(2 * SIGNATURES.length).u16s(SIGNATURES);
        ext.u16(0x0010).u16(14).u16(12).u8(2).bytes("h2".getBytes(StandardCharsets.US_ASCII))
                .u8(8).bytes("http/1.1".getBytes(StandardCharsets.US_ASCII));
        ext.u16(0x002b).u16(5).u8(4).u16(0x0304).u16(0x0303);
        ext.u16(0x0033).u16(38).u16(36).u16(0x001d).u16(32).bytes(randomBytes(random, 32));
        Body hello = new Body().u16(0x0303).bytes(randomBytes(random, 32)).u8(32).bytes(randomBytes(random, 32))
                .u16(2 * CIPHERS.length).u16s(CIPHERS).u8(1).u8(0).u16(ext.size()).bytes(ext.toBytes());
        return handshakeRecord(1, hello.toBytes());
    }

    /** A TLS 1.3 ServerHello record choosing TLS_AES_128_GCM_SHA256 and x25519. */
    static byte[] serverHello(Random random) {
        Body ext = new Body().u16(0x002b).u16(2).u16(0x0304).u16(0x0033).u16(36).u16(0x001d).u16(32)
                .bytes(randomBytes(random, 32));
        Body hello = new Body().u16(0x0303).bytes(randomBytes(random, 32)).u8(32).bytes(randomBytes(random, 32))
                .u16(0x1301).u8(0).u16(ext.size()).bytes(ext.toBytes());
        return handshakeRecord(2, hello.toBytes());
    }

    /** ChangeCipherSpec, then application-data records carrying {@code bytes} random bytes in all. */
    static byte[] encrypted(int bytes, Random random, boolean changeCipherSpec) {
        Body out = new Body();
        if (changeCipherSpec) {
            out.u8(0x14).u16(0x0303).u16(1).u8(1);
        }
        while (bytes > 0) {
            int n = Math.min(bytes, 16_384);
            out.u8(0x17).u16(0x0303).u16(n).bytes(randomBytes(random, n));
            bytes -= n;
        }
        return out.toBytes();
    }

    private static byte[] handshakeRecord(int type, byte[] body) {
        return new Body().u8(0x16).u16(0x0301).u16(body.length + 4).u8(type).u8(body.length >>> 16).u16(body.length)
                .bytes(body).toBytes();
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Big-endian writes into a growing array. */
    private static final class Body {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Body u8(int v) {
            out.write(v);
            return this;
        }

        Body u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Body u16s(int[] values) {
            for (int v : values) {
                u16(v);
            }
            return this;
        }

        Body bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        int size() {
            return out.size();
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }
}
