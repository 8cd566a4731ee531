package io.netring;

import io.netring.afpacket.FanoutSpec;
import io.netring.afpacket.RxConfig;
import io.netring.filter.BpfProgram;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.netring.BpfProgramTest.assertMessage;
import static org.junit.jupiter.api.Assertions.*;

/** Fanout and filter options: validated at build() before any system call. */
class FanoutOptionsTest {
    private static AfPacketRxBuilder rx() {
        return AfPacketRx.builder().interfaceName("eth-none");
    }

    @Test
    void optionValuePacksIdTypeAndFlags() {
        FanoutSpec hash = BackendSpecs.fanout(FanoutMode.HASH, 42, Set.of(), null, null);
        assertEquals(42, hash.optionValue());
        FanoutSpec lb = BackendSpecs.fanout(FanoutMode.LOAD_BALANCE, 0xffff, Set.of(FanoutFlag.ROLLOVER, FanoutFlag.DEFRAG), null, null);
        assertEquals(0xffff | (1 | 0x1000 | 0x8000) << 16, lb.optionValue());
        FanoutSpec unique = BackendSpecs.fanout(FanoutMode.CPU, 0, Set.of(FanoutFlag.UNIQUE_ID, FanoutFlag.IGNORE_OUTGOING), null, null);
        assertEquals((2 | 0x2000 | 0x4000) << 16, unique.optionValue());
        int[] types = {0, 1, 2, 3, 4, 5, 6, 7};
        for (FanoutMode m : FanoutMode.values()) {
            assertEquals(types[m.ordinal()], m.kernelType, m.name());
        }
    }

    @Test
    void validFanoutReachesTheConfig() {
        RxConfig c = rx().fanout(FanoutMode.HASH, 7).fanoutFlags(FanoutFlag.ROLLOVER, FanoutFlag.DEFRAG).config();
        assertEquals(FanoutMode.HASH.kernelType, c.fanout().type());
        assertEquals(7, c.fanout().groupId());
        assertEquals(FanoutFlag.ROLLOVER.kernelBit | FanoutFlag.DEFRAG.kernelBit, c.fanout().flagBits());
        assertEquals("HASH group 7 [ROLLOVER, DEFRAG]", c.fanout().description());
        assertNull(rx().config().fanout(), "no fanout unless asked");
        assertEquals(0, rx().fanout(FanoutMode.ROLLOVER, 0).config().fanout().groupId());
        assertEquals(65535, rx().fanout(FanoutMode.CPU, 65535).config().fanout().groupId());
    }

    @Test
    void groupIdOutOfRange() {
        assertMessage(() -> rx().fanout(FanoutMode.HASH, 65536).config(), "fanoutGroupId=65536", "[0, 65535]");
        assertMessage(() -> rx().fanout(FanoutMode.HASH, -1).config(), "fanoutGroupId=-1", "[0, 65535]");
    }

    @Test
    void rolloverFlagWithRolloverMode() {
        assertMessage(() -> rx().fanout(FanoutMode.ROLLOVER, 1).fanoutFlags(FanoutFlag.ROLLOVER).config(),
                "fanoutFlags=[ROLLOVER]", "not allowed with FanoutMode.ROLLOVER");
    }

    @Test
    void flagListedTwice() {
        assertMessage(() -> rx().fanout(FanoutMode.HASH, 1).fanoutFlags(FanoutFlag.DEFRAG, FanoutFlag.DEFRAG).config(),
                "fanoutFlags=[DEFRAG, DEFRAG]", "DEFRAG is listed twice");
    }

    @Test
    void uniqueIdNeedsGroupZero() {
        assertMessage(() -> rx().fanout(FanoutMode.HASH, 5).fanoutFlags(FanoutFlag.UNIQUE_ID).config(),
                "fanoutGroupId=5", "must be 0 with FanoutFlag.UNIQUE_ID");
        assertNotNull(rx().fanout(FanoutMode.HASH, 0).fanoutFlags(FanoutFlag.UNIQUE_ID).config().fanout());
    }

    @Test
    void flagsOrProgramWithoutFanout() {
        assertMessage(() -> rx().fanoutFlags(FanoutFlag.DEFRAG).config(), "fanoutFlags=[DEFRAG]", "need a fanout group");
        assertMessage(() -> rx().fanoutProgram(BpfProgram.acceptAll()).config(), "fanoutProgram=", "needs fanout(");
    }

    @Test
    void nullModeOrFlags() {
        assertMessage(() -> rx().fanout(null, 1).config(), "fanoutMode=null");
        assertMessage(() -> rx().fanout(FanoutMode.HASH, 1).fanoutFlags((FanoutFlag) null).config(), "fanoutFlags=[null]");
    }

    @Test
    void programModesNeedTheRightProgram() {
        assertMessage(() -> rx().fanout(FanoutMode.CBPF, 1).config(), "fanout=CBPF", "fanoutProgram(BpfProgram)");
        assertMessage(() -> rx().fanout(FanoutMode.EBPF, 1).fanoutProgram(BpfProgram.acceptAll()).config(),
                "fanout=EBPF", "use FanoutMode.CBPF");
        assertMessage(() -> rx().fanout(FanoutMode.HASH, 1).fanoutProgram(BpfProgram.acceptAll()).config(),
                "fanout=HASH", "takes no steering program");
        RxConfig c = rx().fanout(FanoutMode.CBPF, 1).fanoutProgram(BpfProgram.acceptAll()).config();
        assertEquals(BackendSpecs.classic(BpfProgram.acceptAll()), c.fanout().cbpf());
    }

    @Test
    void filterOptionsReachTheConfig() {
        RxConfig c = rx().bpfFilter(BpfProgram.rejectAll()).lockFilter(true).config();
        assertEquals(BackendSpecs.classic(BpfProgram.rejectAll()), c.filter().classic());
        assertTrue(c.filter().lock());
        assertNull(rx().config().filter().classic());
        assertFalse(rx().config().filter().lock());
    }
}
