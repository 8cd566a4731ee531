package io.netring.xdp;

import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.testing.EbpfAllowed;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.UdpFrames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code allQueues()} on a veth pair made with four RX and TX queues. veth hands a frame to the
 * peer's RX queue with the number of the TX queue it was sent on, and the kernel picks that TX
 * queue from the frame's flow hash (no XPS is set): UDP frames of 32 source ports spread over
 * the four queues, each flow staying on one.
 */
@EbpfAllowed
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class XdpQueuesIntegrationTest extends NamespaceTest {
    private static final int QUEUES = 4;
    private static final int FLOWS = 32;
    private static final int PER_FLOW = 125;

    private io.netring.internal.xdp.Umem umemOfClosed;

    @Test
    void fourQueuesEachFrameOnceEachFlowInOrder() throws Exception {
        ns.ip("link", "add", "qa", "numrxqueues", "4", "numtxqueues", "4", "type", "veth",
                "peer", "name", "qb", "numrxqueues", "4", "numtxqueues", "4");
        ns.ip("link", "set", "qa", "up");
        ns.ip("link", "set", "qb", "up");
        ns.run(() -> {
            try (XdpRx rx = XdpRx.builder().interfaceName("qb").allQueues().mode(XdpMode.COPY).frameSize(2048)
                    .frameCount(2048).ringSize(2048).batchSize(64).build();
                 FrameSender tx = new FrameSender("qa", 0)) {
                assertEquals(List.of(0, 1, 2, 3), rx.queues());
                // One UMEM of 4 x 2048 frames, each queue receiving into its own 2048 of them.
                List<io.netring.internal.xdp.XskSocket> sockets = rx.sockets();
                var umem = sockets.get(0).umem();
                assertEquals(4 * 2048, umem.frameCount());
                for (int i = 0; i < 4; i++) {
                    assertTrue(sockets.get(i).umem() == umem, "queue " + i + " shares the first queue's UMEM");
                    assertEquals(i * 2048, sockets.get(i).firstFrame(), "queue " + i + "'s first frame");
                }
                umemOfClosed = umem;
                for (int i = 0; i < PER_FLOW; i++) {
                    for (int flow = 0; flow < FLOWS; flow++) {
                        tx.send(UdpFrames.frame(40000 + flow, 9, i, 64));
                    }
                }
                Map<Integer, List<Integer>> byFlow = collect(rx, FLOWS * PER_FLOW, Duration.ofSeconds(20));
                assertEquals(FLOWS, byFlow.size(), "flows seen");
                for (Map.Entry<Integer, List<Integer>> f : byFlow.entrySet()) {
                    List<Integer> seqs = f.getValue();
                    assertEquals(PER_FLOW, seqs.size(), "frames of source port " + f.getKey());
                    for (int i = 0; i < PER_FLOW; i++) {
                        assertEquals(i, seqs.get(i), "source port " + f.getKey() + ", frame " + i);
                    }
                }
                long total = 0;
                int queuesUsed = 0;
                StringBuilder spread = new StringBuilder();
                for (int q = 0; q < QUEUES; q++) {
                    long n = rx.framesReceived(q);
                    total += n;
                    queuesUsed += n > 0 ? 1 : 0;
                    spread.append(" queue ").append(q).append(": ").append(n);
                }
                System.out.println("XdpRx allQueues on a 4-queue veth, frames per" + spread);
                assertTrue(total >= FLOWS * PER_FLOW, "frames counted per queue:" + spread);
                assertTrue(queuesUsed >= 2, "the flows spread over queues:" + spread);
                assertEquals(0, rx.xdpStatistics().rxDropped() + rx.xdpStatistics().rxRingFull(), spread.toString());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rx.framesReceived(4));
                assertEquals("queue=4: not read by this handle, which reads queues [0, 1, 2, 3]", e.getMessage());
            }
        });
        assertTrue(umemOfClosed.isUnmapped(), "the shared UMEM is unmapped once the last socket closed");
    }

    /** Sequence numbers of the test flows' frames by source port, in arrival order. */
    private static Map<Integer, List<Integer>> collect(XdpRx rx, int count, Duration within) throws Exception {
        Map<Integer, List<Integer>> byFlow = new HashMap<>();
        int got = 0;
        long end = System.nanoTime() + within.toNanos();
        while (got < count && System.nanoTime() < end) {
            try (PacketBatch b = rx.nextBatchBlocking(Duration.ofMillis(50))) {
                if (b == null) {
                    continue;
                }
                for (Packet p : b) {
                    byte[] f = p.toOwned().data();
                    int src = UdpFrames.srcPort(f);
                    if (UdpFrames.dstPort(f) == 9 && src >= 40000 && src < 40000 + FLOWS) {
                        byFlow.computeIfAbsent(src, k -> new ArrayList<>()).add(UdpFrames.sequenceOf(f));
                        got++;
                    }
                }
            }
        }
        return byFlow;
    }
}
