package io.netring.bench;

import io.netring.testing.TcpConversation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.netring.testing.FrameBuilder.*;

/**
 * The frames of one application session, numbered {@code i}: an HTTP/1.1 exchange (40 %), a TLS
 * 1.3 connection with SNI and ALPN (40 %), a DNS query and its answer over UDP (15 %), or a UDP
 * datagram over the MTU in three IPv4 fragments (5 %). Addresses and ports vary with {@code i}
 * (a client per session, 1000 servers), one session in eight is IPv6; a TCP session's data
 * segments are 1448 bytes at most, with the client's ACKs, and now and then two swapped.
 */
final class AppSessions {
    private static final int MSS = 1448;
    private static final int SERVERS = 1000;
    private static final long CLIENT_MAC = 0x020000000001L, SERVER_MAC = 0x020000000002L;

    private AppSessions() {}

    static List<byte[]> session(long i, Random random) {
        int kind = (int) (i % 20);
        if (kind < 8) {
            return http(i, random);
        }
        if (kind < 16) {
            return tls(i, random);
        }
        return kind < 19 ? dns(i, random) : fragmentedUdp(i, random);
    }

    private static List<byte[]> http(long i, Random random) {
        int server = server(i);
        String request = "GET /item/" + i + "?q=" + random.nextInt(100_000) + " HTTP/1.1\r\nHost: www" + server
                + ".example.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) bench/" + (i % 7)
                + "\r\nAccept: */*\r\n\r\n";
        int body = 200 + random.nextInt(30_000);
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + body + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] requestBytes = request.getBytes(StandardCharsets.US_ASCII);
        TcpConversation c = conversation(i, 80, random).handshake().data(true, 0, requestBytes);
        serverSegments(c, concat(head, filler(body, random)), random, 0, requestBytes.length);
        return c.close().frames();
    }

    private static List<byte[]> tls(long i, Random random) {
        byte[] hello = TlsRecords.clientHello("api" + server(i) + ".example.net", random);
        TcpConversation c = conversation(i, 443, random).handshake().data(true, 0, hello);
        byte[] flight = concat(TlsRecords.serverHello(random), TlsRecords.encrypted(2_500 + random.nextInt(1_500), random, true));
        serverSegments(c, flight, random, 0, hello.length);
        byte[] finished = TlsRecords.encrypted(53 + 200 + random.nextInt(300), random, true);
        c.data(true, hello.length, finished);
        serverSegments(c, TlsRecords.encrypted(500 + random.nextInt(12_000), random, false), random, flight.length,
                hello.length + finished.length);
        return c.close().frames();
    }

    private static List<byte[]> dns(long i, Random random) {
        int id = random.nextInt(65_536);
        String name = (i % 3 == 0 ? "cdn" : "www") + server(i) + ".example.org";
        boolean aaaa = i % 4 == 0;
        byte[] query = dnsQuery(id, 0x0100, name, aaaa ? 28 : 1);
        byte[] answer = concat(query, bytes(0xC0, 0x0C, 0, aaaa ? 28 : 1, 0, 1, 0, 0, 1, 0x2C, 0, aaaa ? 16 : 4),
                aaaa ? serverAddress(i, true) : serverAddress(i, false));
        put16(answer, 2, 0x8180);
        put16(answer, 6, 1);
        boolean v6 = isV6(i);
        int port = clientPort(i);
        return List.of(udpFrame(i, v6, true, port, 53, query), udpFrame(i, v6, false, 53, port, answer));
    }

    /** A 3000-byte UDP datagram in three IPv4 fragments, the last first now and then. */
    private static List<byte[]> fragmentedUdp(long i, Random random) {
        byte[] datagram = udp(clientPort(i), 40_000, filler(2_992, random));
        byte[] src = clientAddress(i, false), dst = serverAddress(i, false);
        int id = random.nextInt(65_536);
        byte[][] frames = new byte[3][];
        for (int k = 0, off = 0; k < 3; k++, off += 1480) {
            byte[] part = Arrays.copyOfRange(datagram, off, Math.min(datagram.length, off + 1480));
            int flags = (k < 2 ? 0x2000 : 0) | (off / 8);
            frames[k] = ethernet(SERVER_MAC, CLIENT_MAC, 0x0800, ipv4(src, dst, 17, 64, id, flags, new byte[0], part));
        }
        return random.nextInt(4) == 0 ? List.of(frames[2], frames[0], frames[1]) : List.of(frames);
    }

    private static TcpConversation conversation(long i, int serverPort, Random random) {
        boolean v6 = isV6(i);
        return TcpConversation.between(clientAddress(i, v6), clientPort(i), serverAddress(i, v6), serverPort, 0,
                random.nextInt() & 0xFFFF_FFFFL, random.nextInt() & 0xFFFF_FFFFL);
    }

    /**
     * The server's {@code data} at stream offset {@code start} in MSS-sized segments, an ACK from the
     * client (whose stream is at {@code clientEnd}) after every second.
     */
    private static void serverSegments(TcpConversation c, byte[] data, Random random, long start, long clientEnd) {
        List<byte[]> frames = c.frames();
        for (int off = 0, n = 0; off < data.length; off += MSS, n++) {
            c.data(false, start + off, Arrays.copyOfRange(data, off, Math.min(data.length, off + MSS)));
            if (n > 0 && random.nextInt(40) == 0) {
                // a reordered pair: the reassembler holds one segment and releases it with the next
                frames.add(frames.size() - 2, frames.removeLast());
            }
            if ((n & 1) == 1) {
                c.data(true, clientEnd, new byte[0]);
            }
        }
    }

    private static byte[] udpFrame(long i, boolean v6, boolean fromClient, int sport, int dport, byte[] payload) {
        byte[] src = fromClient ? clientAddress(i, v6) : serverAddress(i, v6);
        byte[] dst = fromClient ? serverAddress(i, v6) : clientAddress(i, v6);
        byte[] l4 = udp(sport, dport, payload);
        byte[] ip = v6 ? ipv6(src, dst, 17, 64, l4) : ipv4(src, dst, 17, 64, 0, 0x4000, new byte[0], l4);
        byte[] frame = ethernet(fromClient ? SERVER_MAC : CLIENT_MAC, fromClient ? CLIENT_MAC : SERVER_MAC,
                v6 ? 0x86DD : 0x0800, ip);
        fixTransportChecksum(frame, 14, v6 ? 54 : 34, 17);
        return frame;
    }

    private static boolean isV6(long i) {
        return (i & 7) == 3;
    }

    private static int server(long i) {
        return (int) ((i * 2_654_435_761L >>> 8) % SERVERS);
    }

    private static int clientPort(long i) {
        return 1024 + (int) ((i * 7919) % 64_000);
    }

    private static byte[] clientAddress(long i, boolean v6) {
        int a = (int) (i >>> 16) & 0xFF, b = (int) (i >>> 8) & 0xFF, c = (int) i & 0xFF;
        return v6 ? ipv6Addr(0xfd00, 0, 0, 1, 0, a, b, c) : ipv4Addr(10, a, b, c);
    }

    private static byte[] serverAddress(long i, boolean v6) {
        int s = server(i);
        return v6 ? ipv6Addr(0xfd00, 0, 0, 2, 0, 0, s >>> 8, s & 0xFF) : ipv4Addr(192, 168, s >>> 8, s & 0xFF);
    }

    private static byte[] filler(int n, Random random) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
