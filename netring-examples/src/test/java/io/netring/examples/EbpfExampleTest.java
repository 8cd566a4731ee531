package io.netring.examples;

import io.netring.testing.EbpfAllowed;
import io.netring.testing.FrameSender;
import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import io.netring.testing.Waits;
import io.netring.testing.UdpFrames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** Runs the Ebpf example on a veth pair in a namespace with mixed traffic. */
@Privileged
@Timeout(60)
class EbpfExampleTest {
    @Test
    @EbpfAllowed
    void bothCapturesKeepOnlyTheChosenEtherType() throws Exception {
        int n = 200;
        try (NetNamespace ns = NetNamespace.create()) {
            ns.run(() -> {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                // The sender starts once the example says both filters are attached; the
                // window leaves the counting threads ample time.
                Thread sender = new Thread(() -> {
                    try (FrameSender tx = new FrameSender(ns.a)) {
                        Waits.until(() -> buffer.toString(StandardCharsets.UTF_8).contains("with SO_ATTACH_BPF"),
                                Duration.ofSeconds(30), "the example attached both filters");
                        for (int i = 0; i < n; i++) {
                            tx.send(FrameSender.frame(i, 64));
                            tx.send(UdpFrames.frame(1000, 2000, i, 64));
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                sender.start();
                Ebpf.Seen[] seen = Ebpf.run(ns.b, Duration.ofSeconds(4), FrameSender.ETHERTYPE,
                        new PrintStream(buffer, true, StandardCharsets.UTF_8));
                sender.join();
                String out = buffer.toString(StandardCharsets.UTF_8);
                assertEquals(new Ebpf.Seen(n, n), seen[0], "builder-attached filter\n" + out);
                assertEquals(new Ebpf.Seen(n, n), seen[1], "filter attached through fd()\n" + out);
                assertTrue(out.contains("with SO_ATTACH_BPF"), out);
            });
        }
    }
}
