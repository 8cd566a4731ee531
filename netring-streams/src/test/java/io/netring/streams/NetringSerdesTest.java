package io.netring.streams;

import io.netring.app.Service;
import io.netring.flow.FlowEndReason;
import io.netring.flow.FlowRecord;
import io.netring.testing.UdpFrames;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The serdes: flow records survive JSON both ways; malformed values fail with what is wrong. */
class NetringSerdesTest {
    @Test
    void flowRecordsRoundTripThroughTheirJson() {
        var serde = NetringSerdes.flowRecords();
        FlowRecord v4 = new FlowRecord(4, 6, 0, 0x0A000001L, 40000, 0, 0xC0A80102L, 443, 0, 5, 600, 4, 3000,
                1_767_225_600_000_000_100L, 1_767_225_601_500_000_000L, 0, 0, 0, 0x1b, 0x1a, "ShADadFf", FlowEndReason.FIN)
                .withApplication(Service.TLS, "a\"b.example");
        FlowRecord v6 = new FlowRecord(6, 17, 0x20010db800000000L, 1, 5353, 0xfe80000000000000L, 0x0200_5eff_fe00_0001L, 5353,
                0, 1, 90, 0, 0, 1_767_225_600_000_000_000L, 1_767_225_600_000_000_000L, 0, 0, 0, 0, 0, "",
                FlowEndReason.IDLE_TIMEOUT);
        for (FlowRecord r : new FlowRecord[] {v4, v6}) {
            SourcedFlowRecord s = new SourcedFlowRecord("host \"1\"/eth0", r);
            byte[] bytes = serde.serializer().serialize("flows", s);
            assertEquals(s.toJson(), new String(bytes, StandardCharsets.UTF_8));
            SourcedFlowRecord back = serde.deserializer().deserialize("flows", bytes);
            assertEquals(s, back);
        }
        assertNull(serde.deserializer().deserialize("flows", null));
        var e = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("flows", "{\"source\":\"h/e\",\"proto\":6}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("topic flows: flow record without field src", e.getMessage());
        e = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("flows", "[1]".getBytes(StandardCharsets.UTF_8)));
        assertEquals("topic flows: flow record JSON: expected '{' at 0", e.getMessage());
    }

    @Test
    void packetRecordsAreCheckedOnTheWayIn() {
        var serde = NetringSerdes.packetRecords();
        byte[] ok = PacketRecordBytes.of("h1/eth0", new long[] {1, 2}, UdpFrames.frame(1, 2, 0, 60), UdpFrames.frame(1, 2, 1, 60));
        assertArrayEquals(ok, serde.deserializer().deserialize("packets", serde.serializer().serialize("packets", ok)));
        var e = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("packets", Arrays.copyOf(ok, ok.length - 1)));
        assertEquals("topic packets: packet 1 of 2: captured length 60 runs past the record's " + (ok.length - 1) + " bytes",
                e.getMessage());
        e = assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("packets", new byte[12]));
        assertEquals("topic packets: not a packet record: magic 0x00000000, expected 0x4e524b31 (NRK1)", e.getMessage());
    }
}
