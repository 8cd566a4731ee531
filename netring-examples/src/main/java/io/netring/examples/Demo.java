package io.netring.examples;

import io.netring.Capture;
import io.netring.RingProfile;
import io.netring.Timestamp;
import io.netring.decode.FrameSummary;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The first thing to run: captures on {@code lo} while sending itself a few UDP datagrams,
 * prints one line per captured packet and the kernel's statistics, then exits.
 *
 * <pre>bin/demo [COUNT]</pre>
 */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        try (Capture cap = Capture.builder()
                .interfaceName("lo")
                .profile(RingProfile.MEMORY_CONSTRAINED)
                .blockTimeout(Duration.ofMillis(10))
                .ignoreOutgoing(true)             // lo shows every packet twice otherwise
                .build();
             DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket sender = new DatagramSocket()) {

            int port = receiver.getLocalPort();
            // Both sockets are made on this thread, so they share the capture's network namespace.
            Thread traffic = Thread.ofVirtual().start(() -> sendDatagrams(sender, port, count));

            System.out.printf("capturing on lo; sending %d UDP datagrams to 127.0.0.1:%d%n", count, port);
            // Should a datagram get lost, closing the capture from another thread ends the stream.
            Thread watchdog = Thread.ofVirtual().start(() -> closeAfter(cap, Duration.ofSeconds(10)));
            String ours = ":" + port + ",";
            long seen = cap.packets()
                    .peek(p -> System.out.printf("%s %-9s %4d bytes  %s%n",
                            clock(p.timestamp()), p.direction(), p.length(), FrameSummary.describe(p.data())))
                    .filter(p -> FrameSummary.describe(p.data()).contains(ours))
                    .limit(count)
                    .count();
            watchdog.interrupt();
            traffic.join();
            System.out.println("ours: " + seen + " of " + count + " datagrams seen");
            System.out.println("stats: " + cap.stats());
            System.out.println("total: " + cap.totalStats());
        }
    }

    /** Local time of day with nanoseconds, as tcpdump prints it: {@code 14:03:07.123456789}. */
    static String clock(Timestamp t) {
        return CLOCK.format(t.toInstant());
    }

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss.nnnnnnnnn").withZone(ZoneId.systemDefault());

    private static void closeAfter(Capture cap, Duration delay) {
        try {
            Thread.sleep(delay);
            System.out.println("timed out waiting for traffic; closing the capture");
            cap.close();
        } catch (InterruptedException done) {
            // the demo finished in time
        }
    }

    private static void sendDatagrams(DatagramSocket s, int port, int count) {
        try {
            for (int i = 0; i < count; i++) {
                byte[] msg = ("hello netring #" + i).getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(msg, msg.length, InetAddress.getLoopbackAddress(), port));
                Thread.sleep(20);
            }
        } catch (IOException | InterruptedException e) {
            System.err.println("traffic: " + e);
        }
    }
}
