package io.netring.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** How the TX rounds become one row: the median run, its note naming the spread. */
class TxMedianTest {
    private static Row run(double mpps) {
        return new Row("TX", "sender", 1000, -1, Double.NaN, 500, Double.NaN, mpps, Double.NaN, null);
    }

    @Test
    void theMedianRoundIsTheRowAndTheNoteNamesTheSpread() {
        Row m = E2eBench.median(List.of(run(2.0), run(1.8), run(2.1)));
        assertEquals(2.0, m.mpps());
        assertEquals("median of 3 rounds (1.800–2.100 Mpps)", m.note());
    }

    @Test
    void aFailedRoundIsLeftOutAndASingleRunHasNoNote() {
        Row failed = Row.skipped("TX", "sender", "failed: no result");
        assertEquals("median of 2 rounds (1.900–2.000 Mpps)", E2eBench.median(List.of(failed, run(2.0), run(1.9))).note());
        assertNull(E2eBench.median(List.of(run(2.0))).note());
        assertSame(failed, E2eBench.median(List.of(failed)));
    }
}
