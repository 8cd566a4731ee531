package io.netring.cli;

import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.kafka.KafkaPacketPublisher;
import io.netring.kafka.KafkaTarget;
import io.netring.kafka.PublishStats;

/** {@code -w kafka://HOST:PORT/TOPIC}: packets published as packet records, never blocking the capture. */
final class KafkaPacketSink implements CaptureSink {
    private final KafkaPacketPublisher publisher;

    private KafkaPacketSink(KafkaPacketPublisher publisher) {
        this.publisher = publisher;
    }

    /**
     * Opens a publisher whose records name this host and {@code interfaceName} as their source;
     * it waits {@code brokerTimeout} at most for delivery at the end.
     */
    static KafkaPacketSink open(KafkaTarget target, String interfaceName, java.time.Duration brokerTimeout) {
        return new KafkaPacketSink(KafkaPacketPublisher.builder().bootstrapServers(target.bootstrapServers())
                .topic(target.topic()).source(hostName(), interfaceName == null ? "file" : interfaceName)
                .closeTimeout(brokerTimeout).build());
    }

    /** True once the broker answered. */
    boolean brokerReachable() {
        return publisher.brokerReachable();
    }

    @Override
    public long write(PacketBatch batch, long max) {
        long[] n = {0};
        batch.dispatch(v -> {
            if (n[0] < max) {
                publisher.publish(v);
                n[0]++;
            }
        });
        publisher.tick();
        return n[0];
    }

    @Override
    public boolean write(Packet packet) {
        publisher.publish(packet);
        return true;
    }

    /** Lets a quiet link's partial record go. */
    @Override
    public void idle() {
        publisher.tick();
    }

    /** Delivery counters, for the summary. */
    PublishStats stats() {
        return publisher.stats();
    }

    /** The delivery counters after close. */
    @Override
    public String summary() {
        return publisher.stats().toString();
    }

    /** Waits (bounded) for delivery and closes; what is left counts as undelivered. */
    @Override
    public void close() {
        publisher.close();
    }

    /** As {@link #close()}, within {@code within}: a signal leaves only a moment before the process ends. */
    void close(java.time.Duration within) {
        publisher.close(within);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
