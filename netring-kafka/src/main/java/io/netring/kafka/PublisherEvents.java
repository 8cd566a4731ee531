package io.netring.kafka;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The periodic Flight Recorder event {@code io.netring.PublishStatistics}: each open
 * {@link KafkaPacketPublisher}'s delivery counters. As the core's ring statistics, the hook is
 * added once Flight Recorder runs, and publishers are held weakly.
 */
final class PublisherEvents {
    private PublisherEvents() {}

    private static final Set<KafkaPacketPublisher> OPEN =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static volatile boolean hooked;

    static void opened(KafkaPacketPublisher publisher) {
        OPEN.add(publisher);
        hookWhenRecording();
    }

    static void closed(KafkaPacketPublisher publisher) {
        OPEN.remove(publisher);
    }

    static void hookWhenRecording() {
        if (!hooked && FlightRecorder.isInitialized()) {
            hook();
        }
    }

    private static synchronized void hook() {
        if (!hooked) {
            FlightRecorder.addPeriodicEvent(PublishStatistics.class, PublisherEvents::emit);
            hooked = true;
        }
    }

    private static void emit() {
        List<KafkaPacketPublisher> publishers;
        synchronized (OPEN) {
            publishers = new ArrayList<>(OPEN);
        }
        for (KafkaPacketPublisher p : publishers) {
            PublishStatistics event = new PublishStatistics();
            if (!event.isEnabled()) {
                return;
            }
            PublishStats s = p.stats();
            event.source = p.source();
            event.packets = s.packets();
            event.delivered = s.delivered();
            event.undelivered = s.undelivered();
            event.pending = s.pending();
            event.records = s.records();
            event.commit();
        }
    }

    @Name("io.netring.PublishStatistics")
    @Label("Publish Statistics")
    @Category("netring")
    @Description("A Kafka packet publisher's delivery counters since it opened")
    @Period("1 s")
    @StackTrace(false)
    static final class PublishStatistics extends Event {
        @Label("Source")
        String source;
        @Label("Packets")
        long packets;
        @Label("Delivered")
        long delivered;
        @Label("Undelivered")
        long undelivered;
        @Label("Pending")
        long pending;
        @Label("Records")
        long records;
    }
}
