package io.netring.afpacket;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RingGeometryTest {

    @Test
    void derivedCounts() {
        RingGeometry g = RingGeometry.validate(1 << 22, 64, 2048, 0);
        assertEquals(2048, g.framesPerBlock());
        assertEquals(2048 * 64, g.frameCount());
        assertEquals(256L << 20, g.totalBytes());
    }

    @Test
    void shrinkStepsRemoveAQuarterDownToAQuarterOfTheRequest() {
        assertEquals(List.of(64, 48, 36, 27, 21, 16), RingGeometry.validate(1 << 22, 64, 2048, 0).shrinkSteps());
        assertEquals(List.of(1), RingGeometry.validate(1 << 22, 1, 2048, 0).shrinkSteps());
        assertEquals(List.of(4, 3, 2, 1), RingGeometry.validate(1 << 16, 4, 2048, 0).shrinkSteps());
    }

    @Test
    void ringLargerThanHalfTheMemoryIsRefusedWithWhatToChange() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> RingGeometry.validate(1 << 30, 64, 2048, 16L << 30));
        assertTrue(e.getMessage().startsWith("blockSize*blockCount=68719476736 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("lower blockSize or blockCount"), e.getMessage());
    }
}
