package io.netring.kafka;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaTargetTest {
    @Test
    void parsesUrlsWithAndWithoutScheme() {
        assertEquals(new KafkaTarget("localhost:9092", "packets", false), KafkaTarget.parse("kafka://localhost:9092/packets"));
        assertEquals(new KafkaTarget("a:1,b:2", "t.x", true), KafkaTarget.parse("a:1,b:2/t.x?follow"));
        assertTrue(KafkaTarget.isKafka("kafka://h:1/t"));
        assertEquals(new KafkaTarget("h:1", "t", false), KafkaTarget.parse(java.nio.file.Path.of("kafka://h:1/t").toString()));
        assertFalse(KafkaTarget.isKafka("file.pcap"));
        assertEquals("kafka://h:1/t?follow", KafkaTarget.parse("kafka://h:1/t?follow").toString());
    }

    @Test
    void rejectsWhatIsNotHostPortTopic() {
        var e = assertThrows(IllegalArgumentException.class, () -> KafkaTarget.parse("kafka://localhost:9092"));
        assertEquals("kafka://localhost:9092: expected kafka://HOST:PORT/TOPIC", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KafkaTarget.parse("kafka://localhost/t"));
        assertEquals("kafka://localhost/t: 'localhost' is not HOST:PORT", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KafkaTarget.parse("kafka://h:1/a b"));
        assertEquals("kafka://h:1/a b: topic 'a b' must be 1 to 249 of [a-zA-Z0-9._-]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KafkaTarget.parse("kafka://h:1/t?x"));
        assertEquals("kafka://h:1/t?x: unknown option 'x' (only ?follow)", e.getMessage());
    }
}
