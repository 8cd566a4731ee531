package io.netring.adapter;

import io.netring.AfPacketRx;
import io.netring.OwnedPacket;
import io.netring.testing.FrameSender;
import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import io.netring.testing.TestRings;
import io.netring.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Flow;

import static org.junit.jupiter.api.Assertions.*;

/** The publisher over a real AsyncCapture on a veth pair in a namespace made for the test. */
@Privileged
@Timeout(60)
class PacketPublisherIntegrationTest {

    @Test
    void aSubscriberRequestingTenAtATimeReceivesExactlyWhatItRequested() throws Exception {
        try (NetNamespace ns = NetNamespace.create();
             FrameSender tx = ns.call(() -> new FrameSender(ns.a));
             AsyncCapture async = AsyncCapture.of(ns.call(() -> AfPacketRx.builder().interfaceName(ns.b)
                     .blockSize(TestRings.BLOCK_SIZE).blockCount(TestRings.blocksFor(100))
                     .blockTimeout(Duration.ofMillis(10)).build()))) {
            tx.sendSequence(0, 100, 96);            // far more than will be requested

            List<Integer> received = Collections.synchronizedList(new ArrayList<>());
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            Flow.Subscription[] subscription = new Flow.Subscription[1];
            PacketPublisher.of(async).subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription[0] = s;
                }

                @Override
                public void onNext(OwnedPacket item) {
                    received.add(FrameSender.sequenceOf(item.data()));
                }

                @Override
                public void onError(Throwable t) {
                    errors.add(t);
                }

                @Override
                public void onComplete() {
                    errors.add(new AssertionError("completed early"));
                }
            });

            for (int round = 1; round <= 5; round++) {
                subscription[0].request(10);
                int want = 10 * round;
                Waits.until(() -> received.size() >= want, Duration.ofSeconds(30), "round " + round + " delivered");
                Thread.sleep(150);          // room for any delivery beyond the demand to show up
                assertEquals(10 * round, received.size(), "round " + round + ": exactly the demand");
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                expected.add(i);
            }
            assertEquals(expected, received);
            subscription[0].cancel();
            assertEquals(List.of(), errors);
        }
    }
}
