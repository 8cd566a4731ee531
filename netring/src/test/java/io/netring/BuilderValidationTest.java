package io.netring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every invalid option fails at build() with an IllegalArgumentException naming parameter,
 * value and rule. The interface named here does not exist, so reaching any system call would
 * throw InterfaceNotFoundException instead: an IAE proves validation came first.
 */
class BuilderValidationTest {
    private static final String NO_SUCH_IF = "nr-nosuch0";

    private static void assertRejected(UnaryOperator<AfPacketRxBuilder> options, String expectedStart) {
        Executable rx = () -> options.apply(AfPacketRx.builder().interfaceName(NO_SUCH_IF)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, rx);
        assertTrue(e.getMessage().startsWith(expectedStart), "message was: " + e.getMessage());
    }

    @Test
    void blockSizeMustBeAPowerOfTwo() {
        assertRejected(b -> b.blockSize(1000), "blockSize=1000: must be a power of two");
        assertRejected(b -> b.blockSize(0), "blockSize=0: must be a power of two");
        assertRejected(b -> b.blockSize(-4096), "blockSize=-4096: must be a power of two");
    }

    @Test
    void blockSizeMustBePageAligned() {
        assertRejected(b -> b.blockSize(2048).frameSize(1024), "blockSize=2048: must be a multiple of the page size");
    }

    @Test
    void blockCountMustBePositive() {
        assertRejected(b -> b.blockCount(0), "blockCount=0: must be at least 1");
        assertRejected(b -> b.blockCount(-3), "blockCount=-3: must be at least 1");
    }

    @Test
    void frameSizeRules() {
        assertRejected(b -> b.frameSize(64), "frameSize=64: must be at least 68 (TPACKET3_HDRLEN)");
        assertRejected(b -> b.frameSize(100), "frameSize=100: must be a multiple of 16");
        assertRejected(b -> b.frameSize(0), "frameSize=0: must be at least 68");
        assertRejected(b -> b.blockSize(4096).frameSize(8192), "frameSize=8192: must not exceed blockSize=4096");
    }

    @Test
    void absurdRingSizeSaysWhatToChange() {
        assertRejected(b -> b.blockSize(1 << 30).blockCount(64), "blockSize*blockCount=68719476736 bytes (64 GiB): must not exceed half of this machine's memory");
    }

    @Test
    void interfaceNameRules() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AfPacketRx.builder().build());
        assertEquals("interfaceName=null: an interface name is required, e.g. interfaceName(\"eth0\")", e.getMessage());
        assertRejected(b -> b.interfaceName(""), "interfaceName=\"\": an interface name is required");
        assertRejected(b -> b.interfaceName("a-very-long-interface"), "interfaceName=\"a-very-long-interface\": must be at most 15 bytes");
        assertRejected(b -> b.interfaceName("eth0/1"), "interfaceName=\"eth0/1\": must not contain");
    }

    @Test
    void durationRules() {
        assertRejected(b -> b.blockTimeout(Duration.ofMillis(-1)), "blockTimeout=PT-0.001S: must be zero or positive");
        assertRejected(b -> b.blockTimeout(Duration.ofNanos(1500_000)), "blockTimeout=PT0.0015S: must be a whole number of milliseconds");
        assertRejected(b -> b.blockTimeout(null), "blockTimeout=null: must be zero or positive");
        assertRejected(b -> b.busyPoll(Duration.ofNanos(10)), "busyPoll=PT0.00000001S: must be a whole number of microseconds");
        assertRejected(b -> b.pollTimeout(Duration.ZERO), "pollTimeout=PT0S: must be positive");
    }

    @Test
    void otherRules() {
        assertRejected(b -> b.timestampSource(null), "timestampSource=null: must be one of");
        assertRejected(b -> b.reserve(-1), "reserve=-1: must be in [0, 1024]");
        assertThrows(IllegalArgumentException.class, () -> AfPacketRx.builder().profile(null));
    }

    @Test
    void captureBuilderValidatesTheSameWay() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Capture.builder().interfaceName(NO_SUCH_IF).blockCount(0).build());
        assertTrue(e.getMessage().startsWith("blockCount=0"));
    }

    @Test
    void validOptionsReachTheKernelLookup() {
        InterfaceNotFoundException e = assertThrows(InterfaceNotFoundException.class,
                () -> AfPacketRx.builder().interfaceName(NO_SUCH_IF).profile(RingProfile.LOW_LATENCY).build());
        assertEquals(NO_SUCH_IF, e.interfaceName());
        assertTrue(e.getMessage().startsWith("no network interface named 'nr-nosuch0'"), e.getMessage());
        assertTrue(e.getMessage().contains("ENODEV"), e.getMessage());
    }

    @Test
    void profilesCarryTheRustCrateValues() {
        assertEquals(1 << 22, RingProfile.DEFAULT.blockSize());
        assertEquals(64, RingProfile.DEFAULT.blockCount());
        assertEquals(Duration.ofMillis(60), RingProfile.DEFAULT.blockTimeout());
        assertEquals(1 << 18, RingProfile.LOW_LATENCY.blockSize());
        assertEquals(Duration.ofNanos(50_000), RingProfile.LOW_LATENCY.busyPoll());
        assertEquals(16L << 20, (long) RingProfile.MEMORY_CONSTRAINED.blockSize() * RingProfile.MEMORY_CONSTRAINED.blockCount());
        assertEquals(65536, RingProfile.JUMBO_FRAMES.frameSize());
        assertEquals(128, RingProfile.HIGH_THROUGHPUT.blockCount());
    }
}
