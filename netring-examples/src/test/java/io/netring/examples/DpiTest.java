package io.netring.examples;

import io.netring.testing.TcpConversation;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The dpi example's pipeline on hand-made traffic: split, reordered and retransmitted segments, truncated frames, garbage. */
class DpiTest {
    private static final byte[] CLIENT = {10, 0, 0, 1};
    private static final byte[] SERVER = {10, 0, 0, 2};

    /** What the inspector prints for {@code frames}, numbered from 1, then its end of input. */
    private static List<String> inspect(List<byte[]> frames) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Dpi.Inspector inspector = new Dpi.Inspector(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        long time = 1_700_000_000_000_000_000L;
        for (byte[] f : frames) {
            inspector.frame(MemorySegment.ofArray(f), 0, f.length, time += 1_000_000);
        }
        inspector.finish();
        return buffer.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void httpRequestReorderedAndRetransmittedIsReportedOnTheFrameCompletingIt() {
        byte[] request = Frames.ascii("GET /index.html HTTP/1.1\r\nHost: example.org\r\nUser-Agent: dpi-test\r\n\r\n");
        byte[] response = Frames.ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        TcpConversation c = TcpConversation.between(CLIENT, 40000, SERVER, 80, 0, 1000, 5000).handshake()
                .data(true, 20, Arrays.copyOfRange(request, 20, 40))          // frame 4: after a hole
                .data(true, 40, Arrays.copyOfRange(request, 40, request.length))
                .data(true, 20, Arrays.copyOfRange(request, 20, 40))          // a retransmission
                .data(true, 0, Arrays.copyOfRange(request, 0, 20))            // frame 7 fills the hole
                .data(false, 0, response)
                .close();
        List<String> lines = inspect(c.frames());
        assertEquals("frame 7  tcp 10.0.0.1:40000 -> 10.0.0.2:80  HTTP request GET host=example.org uri=/index.html "
                + "user-agent=dpi-test", lines.get(0));
        assertEquals("frame 8  tcp 10.0.0.1:40000 -> 10.0.0.2:80  HTTP response 200", lines.get(1));
        assertEquals("stream 0  tcp 10.0.0.1:40000 -> 10.0.0.2:80  HTTP, " + request.length + "/" + response.length
                + " bytes, fin", lines.get(2));
        assertEquals("frames: 11, TCP streams: 1, seen: {HTTP=2}", lines.get(3));
    }

    @Test
    void tlsClientHelloAcrossSegmentsOnAnyPort() {
        byte[] hello = Frames.clientHello("netring.example");
        TcpConversation c = TcpConversation.between(CLIENT, 40001, SERVER, 8443, 0, 7, 9).handshake()
                .data(true, 0, Arrays.copyOfRange(hello, 0, 30))
                .data(true, 30, Arrays.copyOfRange(hello, 30, hello.length));
        String line = inspect(c.frames()).get(0);
        assertTrue(line.startsWith("frame 5  tcp 10.0.0.1:40001 -> 10.0.0.2:8443  TLS ClientHello sni=netring.example alpn= ja3="),
                line);
        assertTrue(line.contains(" ja4=t12d"), line);
    }

    @Test
    void dnsOverUdpAndSshBanner() {
        List<byte[]> frames = new ArrayList<>();
        frames.add(Frames.udp(5353, 53, Frames.dnsQuery("www.example.com")));
        frames.addAll(TcpConversation.between(SERVER, 22, CLIENT, 40002, 0, 1, 2)
                .data(true, 0, Frames.ascii("SSH-2.0-OpenSSH_9.6\r\n")).frames());
        List<String> lines = inspect(frames);
        assertEquals("frame 1  udp 10.0.0.1:5353 -> 10.0.0.2:53  DNS query www.example.com", lines.get(0));
        assertEquals("stream 0  tcp 10.0.0.2:22 -> 10.0.0.1:40002  SSH, 21/0 bytes, end_of_input", lines.get(1));
        assertEquals("frames: 2, TCP streams: 1, seen: {DNS=1, SSH=1}", lines.get(2));
    }

    @Test
    void truncatedFramesAndGarbageNeverThrow() {
        List<byte[]> frames = new ArrayList<>();
        byte[][] full = {
            Frames.tcp(40000, 443, Frames.clientHello("netring.example")),
            Frames.udp(5353, 53, Frames.dnsQuery("www.example.com")),
            Frames.tcp(40000, 80, Frames.ascii("GET / HTTP/1.1\r\n")),
        };
        for (byte[] f : full) {
            for (int len = 0; len <= f.length; len++) {
                frames.add(Arrays.copyOf(f, len));
            }
        }
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            if (junk.length > 14 && random.nextBoolean()) {
                junk[12] = 0x08;                   // pretend IPv4 to reach the deeper parsers
                junk[13] = 0x00;
                junk[14] = 0x45;
            }
            frames.add(junk);
        }
        List<String> lines = assertDoesNotThrow(() -> inspect(frames));
        assertTrue(lines.getLast().startsWith("frames: " + frames.size() + ", "), lines.getLast());
    }
}
