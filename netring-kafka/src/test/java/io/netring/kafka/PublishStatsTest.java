package io.netring.kafka;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The summary line of a publisher: counts as people write them. */
class PublishStatsTest {
    @Test
    void oneIsSingular() {
        assertEquals("kafka: 1 packet, 1 delivered, 0 undelivered, 0 pending, 1 record", new PublishStats(1, 1, 0, 0, 1).toString());
        assertEquals("kafka: 2 packets, 0 delivered, 2 undelivered, 0 pending, 0 records", new PublishStats(2, 0, 2, 0, 0).toString());
    }
}
