package io.netring.kafka;

/**
 * What a {@link KafkaPacketPublisher} did with the packets handed to it.
 *
 * @param packets     packets handed to {@code publish}
 * @param delivered   packets the broker acknowledged
 * @param undelivered packets given up: dropped because the bounded buffer was full (broker down
 *                    or slow), or whose record the producer could not deliver in time
 * @param pending     packets still buffered, neither acknowledged nor given up
 * @param records     Kafka records acknowledged
 */
public record PublishStats(long packets, long delivered, long undelivered, long pending, long records) {
    @Override
    public String toString() {
        return "kafka: " + packets + (packets == 1 ? " packet, " : " packets, ") + delivered + " delivered, "
                + undelivered + " undelivered, " + pending + " pending, " + records + (records == 1 ? " record" : " records");
    }
}
