package io.netring.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RX row's note, read from the RESULT lines of the generator and of a C or Java reader. */
class RxNoteTest {
    private static final String GEN = "RESULT sent=3000000 wallNs=2000000000 cpuNs=1900000000 retries=0";

    @Test
    void ringWalkResultGivesTheOfferedRate() {
        var r = Child.parse("RESULT received=3000000 drops=0 gaps=0 firstSeq=0 lastSeq=2999999 measured=2000000"
                + " cpuNs=170000000 wallNs=1300000000 blocks=90");
        assertEquals("offered 1.500 Mpps", E2eBench.rxNote(Child.parse(GEN), r));
    }

    @Test
    void xdpResultAddsItsModeAndEmptyFillRing() {
        var r = Child.parse("RESULT received=2990000 drops=10000 gaps=7 firstSeq=0 lastSeq=2999999 measured=2000000"
                + " cpuNs=900000000 wallNs=2500000000 blocks=700000 fillEmpty=10000 wakeups=0 xdpMode=native napUs=0");
        assertEquals("offered 1.500 Mpps, 7 seq gaps, native XDP, copy mode, fill ring empty 10000x",
                E2eBench.rxNote(Child.parse(GEN), r));
    }

    @Test
    void xdpResultWithNapsSaysSo() {
        var r = Child.parse("RESULT received=10 drops=0 gaps=0 measured=10 cpuNs=1 wallNs=1 fillEmpty=3 xdpMode=native napUs=500");
        assertEquals("offered 1.500 Mpps, native XDP, copy mode, sleeps 500 us when idle, fill ring empty 3x",
                E2eBench.rxNote(Child.parse(GEN), r));
    }

    @Test
    void xdpResultWithAFullFillRingSaysNothingOfIt() {
        var r = Child.parse("RESULT received=10 drops=0 gaps=0 measured=10 cpuNs=1 wallNs=1 fillEmpty=0 xdpMode=generic");
        assertEquals("offered 1.500 Mpps, generic XDP, copy mode", E2eBench.rxNote(Child.parse(GEN), r));
    }

    @Test
    void missingCountIsAClearError() {
        var r = Child.parse("RESULT received=10 drops=0 measured=10");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> E2eBench.rxNote(Child.parse(GEN), r));
        assertTrue(e.getMessage().startsWith("result has no gaps: "), e.getMessage());
    }
}
