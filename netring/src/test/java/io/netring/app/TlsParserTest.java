package io.netring.app;

import io.netring.reassembly.StreamSide;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TlsParserTest {
    // The JA4 specification's example (FoxIO technical_details/JA4.md), plus GREASE values it says to ignore.
    static final int[] CIPHERS = {0x2a2a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013,
        0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
    static final int[] EXTENSIONS = {0x4a4a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023,
        0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015};
    static final int[] SIGNATURES = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};

    /** A ClientHello handshake message (type, 3-byte length, body) with the given lists. */
    static byte[] clientHello(int[] ciphers, int[] extensions, int[] signatures) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, 0x0303);
        body.writeBytes(new byte[32]);
        body.write(0);
        u16(body, ciphers.length * 2);
        for (int c : ciphers) {
            u16(body, c);
        }
        body.write(1);
        body.write(0);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        for (int type : extensions) {
            byte[] data = switch (type) {
                case 0x0000 -> concat(new byte[] {0, 12, 0, 0, 9}, "ex.test.a".getBytes(StandardCharsets.US_ASCII));
                case 0x0010 -> new byte[] {0, 12, 2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
                case 0x002b -> new byte[] {6, 0x3a, 0x3a, 3, 4, 3, 3};
                case 0x000a -> new byte[] {0, 6, 0x1a, 0x1a, 0, 29, 0, 23};
                case 0x000b -> new byte[] {1, 0};
                case 0x000d -> {
                    ByteArrayOutputStream s = new ByteArrayOutputStream();
                    u16(s, signatures.length * 2);
                    for (int v : signatures) {
                        u16(s, v);
                    }
                    yield s.toByteArray();
                }
                default -> new byte[type == 0x0015 ? 3 : 0];
            };
            u16(ext, type);
            u16(ext, data.length);
            ext.writeBytes(data);
        }
        u16(body, ext.size());
        body.writeBytes(ext.toByteArray());
        return handshake(1, body.toByteArray());
    }

    static byte[] serverHello() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, 0x0303);
        body.writeBytes(new byte[32]);
        body.write(0);
        u16(body, 0x1302);
        body.write(0);
        u16(body, 14);
        u16(body, 0x002b);
        u16(body, 2);
        u16(body, 0x0304);
        u16(body, 0x0033);
        u16(body, 4);
        u16(body, 0);
        u16(body, 0);
        return handshake(2, body.toByteArray());
    }

    static byte[] handshake(int type, byte[] body) {
        return concat(new byte[] {(byte) type, 0, (byte) (body.length >> 8), (byte) body.length}, body);
    }

    /** {@code message} cut into handshake records of at most {@code size} bytes. */
    static byte[] records(byte[] message, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < message.length; i += size) {
            int n = Math.min(size, message.length - i);
            out.writeBytes(new byte[] {22, 3, 1, (byte) (n >> 8), (byte) n});
            out.write(message, i, n);
        }
        return out.toByteArray();
    }

    static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static TlsClientHello parseOne(byte[] stream) {
        Recorder r = new Recorder();
        Conversation c = new Conversation(Recorder.analyzer(r), null);
        c.data(StreamSide.CLIENT, MemorySegment.ofArray(stream), 7);
        assertEquals(1, r.values.size(), r.lines.toString());
        return (TlsClientHello) r.values.get(0);
    }

    @Test
    void ja4MatchesTheSpecificationsExample() {
        TlsClientHello h = parseOne(records(clientHello(CIPHERS, EXTENSIONS, SIGNATURES), 1 << 14));
        assertEquals("t13d1516h2_8daaf6152771_e5627efa2ab1", h.ja4());
        assertEquals("ex.test.a", h.serverName());
        assertEquals(List.of("h2", "http/1.1"), h.alpn());
        assertEquals(List.of(0x3a3a, 0x0304, 0x0303), h.supportedVersions());
    }

    @Test
    void ja4WithoutSignatureAlgorithmsHashesTheExtensionsAlone() {
        int[] noSignatures = java.util.Arrays.stream(EXTENSIONS).filter(e -> e != 0x000d).toArray();
        TlsClientHello h = parseOne(records(clientHello(CIPHERS, noSignatures, SIGNATURES), 1 << 14));
        // The spec's figure for the sorted list with 000d in it and no signature list.
        assertEquals("6d807ffa2a79", TlsFingerprints.sha12("0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01"));
        assertTrue(h.ja4().startsWith("t13d1515h2_8daaf6152771_"), h.ja4());
        assertEquals("000000000000", TlsFingerprints.ja4(0x0303, List.of(), List.of(), List.of(), false, null, List.of())
                .substring(11, 23));
    }

    @Test
    void ja4AlpnFallsBackToHexForNonAlphanumericBytes() {
        assertEquals("t12i0000ab", TlsFingerprints.ja4(0x0303, List.of(), List.of(), List.of(), false, new byte[] {(byte) 0xab},
                List.of()).substring(0, 10));
        assertEquals("3b", TlsFingerprints.ja4(0x0303, List.of(), List.of(), List.of(), false, new byte[] {0x30, (byte) 0xab},
                List.of()).substring(8, 10));
        assertEquals("01", TlsFingerprints.ja4(0x0303, List.of(), List.of(), List.of(), false,
                new byte[] {0x30, (byte) 0xab, (byte) 0xcd, 0x31}, List.of()).substring(8, 10));
    }

    @Test
    void ja3LeavesGreaseOutAndHashesWithMd5() {
        TlsClientHello h = parseOne(records(clientHello(CIPHERS, EXTENSIONS, SIGNATURES), 1 << 14));
        assertEquals("771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,"
                + "27-0-51-16-17513-23-45-13-5-35-18-43-65281-11-10-21,29-23,0", h.ja3Full());
        assertEquals(TlsFingerprints.md5(h.ja3Full()), h.ja3Hash());
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", TlsFingerprints.md5(""));
    }

    @Test
    void aHelloSpanningRecordsAndSplitAtEveryByteIsReportedOnItsLastByte() {
        byte[] hello = clientHello(CIPHERS, EXTENSIONS, SIGNATURES);
        byte[] stream = concat(records(hello, 40), new byte[] {20, 3, 3, 0, 1, 1, 23, 3, 3, 0, 2, 9, 9});
        int helloEnd = records(hello, 40).length;
        TlsClientHello whole = parseOne(stream);
        for (int k = 0; k <= stream.length; k++) {
            Recorder r = new Recorder();
            Conversation c = new Conversation(Recorder.analyzer(r), null);
            Recorder.split(c, StreamSide.CLIENT, stream, k, 0);
            assertEquals(List.of(whole), r.values, "split at " + k);
            assertEquals(List.of(helloEnd <= k ? 1L : 2L), r.frames, "split at " + k);
        }
    }

    @Test
    void serverHelloGivesJa3sAndTheSelectedVersion() {
        Recorder r = new Recorder();
        Conversation c = new Conversation(Recorder.analyzer(r), null);
        byte[] s = records(serverHello(), 100);
        Recorder.byteByByte(c, StreamSide.SERVER, s);
        assertEquals(List.of(new TlsServerHello(0x0303, 0x1302, "771,4866,43-51", "15af977ce25de452b96affa2addb1036", 0x0304, null)),
                r.values);
        assertEquals(List.of((long) s.length), r.frames);
    }

    @Test
    void aHandshakeMessageOverTheBoundIsCounted() {
        ApplicationAnalyzer a = ApplicationAnalyzer.builder().maxTlsHandshakeBytes(1024).build();
        Conversation c = new Conversation(a, null);
        byte[] big = records(handshake(1, new byte[5000]), 1 << 14);
        c.data(StreamSide.CLIENT, MemorySegment.ofArray(big), 1);
        assertEquals(1, a.counters().tlsHandshakeTooLong());
        assertEquals(0, c.heldBytes() - Math.min(c.heldBytes(), 0));
        assertEquals(0, a.counters().tlsClientHellos());
    }
}
