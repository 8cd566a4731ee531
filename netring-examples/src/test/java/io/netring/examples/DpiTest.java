package io.netring.examples;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The dpi example's classifier on hand-made frames, truncated frames and garbage. */
class DpiTest {

    private static Dpi.Finding classify(byte[] frame) {
        return Dpi.classify(MemorySegment.ofArray(frame));
    }

    @Test
    void recognisesHttpRequestAndResponse() {
        assertEquals("HTTP request GET /index.html",
                classify(Frames.tcp(40000, 80, Frames.ascii("GET /index.html HTTP/1.1\r\nHost: example.org\r\n\r\n"))).toString());
        assertEquals("HTTP response 200 OK",
                classify(Frames.tcp(80, 40000, Frames.ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))).toString());
    }

    @Test
    void recognisesTlsClientHelloWithSni() {
        assertEquals("TLS ClientHello SNI netring.example",
                classify(Frames.tcp(40000, 443, Frames.clientHello("netring.example"))).toString());
    }

    @Test
    void recognisesDnsQuery() {
        assertEquals("DNS query www.example.com", classify(Frames.udp(5353, 53, Frames.dnsQuery("www.example.com"))).toString());
    }

    @Test
    void recognisesSshBanner() {
        assertEquals("SSH SSH-2.0-OpenSSH_9.6", classify(Frames.tcp(22, 40000, Frames.ascii("SSH-2.0-OpenSSH_9.6\r\n"))).toString());
    }

    @Test
    void truncatedFramesNeverThrow() {
        byte[][] frames = {
            Frames.tcp(40000, 443, Frames.clientHello("netring.example")),
            Frames.udp(5353, 53, Frames.dnsQuery("www.example.com")),
            Frames.tcp(40000, 80, Frames.ascii("GET / HTTP/1.1\r\n")),
        };
        for (byte[] full : frames) {
            for (int len = 0; len <= full.length; len++) {
                byte[] cut = Arrays.copyOf(full, len);
                assertNotNull(assertDoesNotThrow(() -> classify(cut)), "length " + len);
            }
        }
        // A cut ClientHello is still TLS, just without its name.
        byte[] hello = Frames.tcp(40000, 443, Frames.clientHello("netring.example"));
        String cut = classify(Arrays.copyOf(hello, hello.length - 5)).toString();
        assertTrue(cut.startsWith("TLS ClientHello"), cut);
    }

    @Test
    void garbageNeverThrows() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            if (junk.length > 13 && random.nextBoolean()) {
                junk[12] = 0x08;                   // pretend IPv4 to reach the deeper parsers
                junk[13] = 0x00;
            }
            assertDoesNotThrow(() -> classify(junk));
        }
        assertSame(Dpi.UNKNOWN, classify(new byte[0]));
    }
}
