package io.netring.adapter;

import io.netring.Capture;
import io.netring.CaptureBuilder;
import io.netring.InterfaceNotFoundException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** ChannelCapture's argument checks; no privileges needed. */
class ChannelCaptureValidationTest {

    @Test
    void badArgumentsFailBeforeAnySystemCall() {
        CaptureBuilder ok = Capture.builder().interfaceName("lo");
        var e = assertThrows(IllegalArgumentException.class, () -> ChannelCapture.spawn(ok, 0));
        assertEquals("capacity=0: must be in [1, 16777216] packets", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChannelCapture.spawn(ok, (1 << 24) + 1));
        assertEquals("capacity=16777217: must be in [1, 16777216] packets", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChannelCapture.spawn(ok, 16, null));
        assertEquals("policy=null: must be one of [BLOCK, DROP_NEWEST]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChannelCapture.spawn((CaptureBuilder) null, 16));
        assertTrue(e.getMessage().startsWith("builder=null: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChannelCapture.spawn(Capture.builder(), 16));
        assertTrue(e.getMessage().startsWith("interfaceName=null: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChannelCapture.spawn("", 16));
        assertTrue(e.getMessage().startsWith("interfaceName=\"\": "), e.getMessage());
    }

    @Test
    void unknownInterfaceIsReportedByName() {
        var e = assertThrows(InterfaceNotFoundException.class, () -> ChannelCapture.spawn("nr-no-such0", 16));
        assertTrue(e.getMessage().contains("nr-no-such0"), e.getMessage());
    }
}
