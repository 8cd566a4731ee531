package io.netring.cli;

import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import io.netring.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On {@code lo} the kernel shows a packet socket every packet twice; like tcpdump, a file written
 * from {@code lo} and the flows counted there take each packet once.
 */
@Privileged
@Timeout(60)
class LoopbackOnceTest extends NamespaceTest {
    private static final int DATAGRAMS = 20;

    @TempDir
    Path dir;

    /** Runs {@code args} in the namespace, sends {@link #DATAGRAMS} UDP datagrams on lo once it is capturing; code, out, err. */
    private String[] runWhileSending(String... args) throws Exception {
        ns.ip("link", "set", "lo", "up");
        AtomicReference<String[]> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int before = ns.packetSocketsOn("lo");
        ns.run(() -> {
            Thread cli = Thread.ofPlatform().start(() -> {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                try {
                    int code = NetringCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
                    result.set(new String[] {Integer.toString(code), out.toString(), err.toString()});
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            Waits.until(() -> {
                try {
                    return ns.packetSocketsOn("lo") > before || !cli.isAlive();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, Duration.ofSeconds(30), "the command opened its capture on lo");
            try (DatagramChannel a = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                 DatagramChannel b = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
                for (int i = 0; i < DATAGRAMS; i++) {
                    a.send(ByteBuffer.wrap(new byte[32]), b.getLocalAddress());
                }
            }
            cli.join(Duration.ofSeconds(30));
        });
        assertNull(failure.get());
        String[] r = result.get();
        assertEquals("0", r[0], r[2]);
        return r;
    }

    @Test
    void aFileWrittenFromLoHoldsEachPacketOnce() throws Exception {
        ReferenceTools.require("capinfos");
        Path file = dir.resolve("lo.pcap");
        runWhileSending("capture", "-i", "lo", "-w", file.toString(), "--timeout", "3s");
        assertEquals(DATAGRAMS, ReferenceTools.capinfosPackets(List.of(file)));
    }

    @Test
    void flowsOnLoCountEachPacketOnce() throws Exception {
        String[] r = runWhileSending("flows", "-i", "lo", "--timeout", "3s");
        List<String> records = r[1].lines().toList();
        assertEquals(1, records.size(), r[1]);
        assertTrue(records.getFirst().contains("\"packets\":" + DATAGRAMS + ","), records.getFirst());
        assertTrue(r[2].startsWith(DATAGRAMS + " packets, 1 flow record"), r[2]);
    }
}
