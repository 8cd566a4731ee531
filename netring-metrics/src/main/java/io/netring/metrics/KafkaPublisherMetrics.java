package io.netring.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netring.kafka.KafkaPacketPublisher;

import java.util.Objects;

/**
 * A {@link KafkaPacketPublisher}'s delivery: {@code netring.kafka.packets} (handed to the
 * publisher), {@code netring.kafka.delivered}, {@code netring.kafka.undelivered} (failed for
 * good), {@code netring.kafka.records} and the gauge {@code netring.kafka.pending}, tagged
 * {@code topic}. Needs netring-kafka on the class path (an optional dependency of this module).
 */
public final class KafkaPublisherMetrics implements MeterBinder {
    private final KafkaPacketPublisher publisher;
    private final Tags tags;

    /** The metrics of {@code publisher}, which publishes to {@code topic}. */
    public KafkaPublisherMetrics(KafkaPacketPublisher publisher, String topic) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.tags = Tags.of("topic", Objects.requireNonNull(topic, "topic"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("netring.kafka.packets", publisher, p -> p.stats().packets())
                .description("Packets handed to the publisher").tags(tags).register(registry);
        FunctionCounter.builder("netring.kafka.delivered", publisher, p -> p.stats().delivered())
                .description("Packets the broker acknowledged").tags(tags).register(registry);
        FunctionCounter.builder("netring.kafka.undelivered", publisher, p -> p.stats().undelivered())
                .description("Packets that failed for good").tags(tags).register(registry);
        FunctionCounter.builder("netring.kafka.records", publisher, p -> p.stats().records())
                .description("Kafka records sent (several packets each)").tags(tags).register(registry);
        Gauge.builder("netring.kafka.pending", publisher, p -> p.stats().pending())
                .description("Packets sent and not yet acknowledged").tags(tags).register(registry);
    }
}
