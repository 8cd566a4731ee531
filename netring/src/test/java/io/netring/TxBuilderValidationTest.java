package io.netring;

import io.netring.afpacket.TxConfig;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/** Every TX builder mistake is an IllegalArgumentException "param=value: rule" before any system call. */
class TxBuilderValidationTest {

    private static void rejects(UnaryOperator<InjectorBuilder> setup, String prefix) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> setup.apply(Injector.builder().interfaceName("eth0")).build());
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    @Test
    void lowLevelBuilderAppliesTheSameRules() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AfPacketTx.builder().interfaceName("eth0").frameSize(100).build());
        assertTrue(e.getMessage().startsWith("frameSize=100: must be a multiple of 16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AfPacketTx.builder().build());
        assertTrue(e.getMessage().startsWith("interfaceName=null"), e.getMessage());
    }

    @Test
    void interfaceName() {
        rejects(b -> b.interfaceName(null), "interfaceName=null: an interface name is required");
        rejects(b -> b.interfaceName(""), "interfaceName=\"\": an interface name is required");
        rejects(b -> b.interfaceName("a-very-long-name0"), "interfaceName=\"a-very-long-name0\": must be at most 15 bytes");
        rejects(b -> b.interfaceName("eth 0"), "interfaceName=\"eth 0\": must not contain");
    }

    @Test
    void frameSize() {
        rejects(b -> b.frameSize(0), "frameSize=0: must be in [80, 262144]");
        rejects(b -> b.frameSize(64), "frameSize=64: must be in [80, 262144]");
        rejects(b -> b.frameSize(-2048), "frameSize=-2048: must be in [80, 262144]");
        rejects(b -> b.frameSize(1 << 19), "frameSize=524288: must be in [80, 262144]");
        rejects(b -> b.frameSize(2050), "frameSize=2050: must be a multiple of 16");
    }

    @Test
    void frameCount() {
        rejects(b -> b.frameCount(0), "frameCount=0: must be in [1, 1048576]");
        rejects(b -> b.frameCount(-5), "frameCount=-5: must be in [1, 1048576]");
        rejects(b -> b.frameCount(1 << 21), "frameCount=2097152: must be in [1, 1048576]");
    }

    @Test
    void defaultsAreValid() {
        TxConfig c = Injector.builder().interfaceName("eth0").config();
        assertEquals(2048, c.geometry().frameSize());
        assertEquals(1024, c.geometry().frameCount());
        assertEquals(2000, c.geometry().frameCapacity());
        assertFalse(c.qdiscBypass());
        assertFalse(c.lossy());
        assertTrue(c.allowV3());
        TxConfig custom = AfPacketTx.builder().interfaceName("eth0").frameSize(9280).frameCount(3)
                .qdiscBypass(true).lossy(true).lockMemory(false).config();
        assertEquals(3, custom.geometry().frameCount());
        assertTrue(custom.qdiscBypass() && custom.lossy() && !custom.lockMemory());
    }
}
