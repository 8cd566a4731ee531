package io.netring.examples;

import io.netring.testing.EbpfAllowed;
import io.netring.testing.FrameSender;
import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import io.netring.testing.UdpFrames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
                ExampleRunner.Printed<Ebpf.Seen[]> run = ExampleRunner.runAfterCue(ns, "with SO_ATTACH_BPF", tx -> {
                    for (int i = 0; i < n; i++) {
                        tx.send(FrameSender.frame(i, 64));
                        tx.send(UdpFrames.frame(1000, 2000, i, 64));
                    }
                }, out -> Ebpf.run(ns.b, Duration.ofSeconds(4), FrameSender.ETHERTYPE, out));
                String out = run.output();
                assertEquals(new Ebpf.Seen(n, n), run.result()[0], "builder-attached filter\n" + out);
                assertEquals(new Ebpf.Seen(n, n), run.result()[1], "filter attached through fd()\n" + out);
                assertTrue(out.contains("with SO_ATTACH_BPF"), out);
            });
        }
    }
}
