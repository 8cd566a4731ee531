package io.netring.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** How the TX rounds become one row: the median run, its note naming the spread, its ratio paired by round. */
class TxMedianTest {
    private static Row run(double mpps) {
        return new Row("TX", "sender", 1000, -1, Double.NaN, 500, Double.NaN, mpps, Double.NaN, null);
    }

    @Test
    void theMedianRoundIsTheRowAndTheNoteNamesTheSpread() {
        Row m = TxRounds.median(List.of(run(2.0), run(1.8), run(2.1)));
        assertEquals(2.0, m.mpps());
        assertEquals("median of 3 rounds (1.800–2.100 Mpps)", m.note());
    }

    @Test
    void aFailedRoundIsLeftOutAndASingleRunHasNoNote() {
        Row failed = Row.skipped("TX", "sender", "failed: no result");
        assertEquals("median of 2 rounds (1.900–2.000 Mpps)", TxRounds.median(List.of(failed, run(2.0), run(1.9))).note());
        assertNull(TxRounds.median(List.of(run(2.0))).note());
        assertSame(failed, TxRounds.median(List.of(failed)));
    }

    @Test
    void theRatioIsTheMedianOfPerRoundRatiosNotTheRatioOfMedians() {
        // the machine slows down in round 2: both senders feel it, the pair's ratio does not
        List<Row> c = List.of(run(2.00), run(1.60), run(2.10));
        List<Row> java = List.of(run(2.02), run(1.64), run(2.06));
        Row paired = TxRounds.pairedToFloor(java, c);
        assertEquals(2.02, paired.mpps(), "the row is still the median round");
        assertEquals(1.01, paired.ratio(), 1e-9, "median of 1.010, 1.025, 0.981");
        assertEquals("median of 3 rounds (1.640–2.060 Mpps); ratio per round 0.981–1.025", paired.note());
        assertEquals(1.0, TxRounds.pairedToFloor(c, c).ratio(), 1e-9, "the floor against itself");
        assertEquals("median of 3 rounds (1.600–2.100 Mpps)", TxRounds.pairedToFloor(c, c).note());
    }

    @Test
    void aRoundWithoutAResultOnEitherSideIsLeftOutOfTheRatio() {
        Row failed = Row.skipped("TX", "sender", "failed: no result");
        Row paired = TxRounds.pairedToFloor(List.of(run(2.0), failed, run(1.8)), List.of(run(2.0), run(2.0), failed));
        assertEquals(1.0, paired.ratio(), 1e-9, "only round 1 has both");
        assertTrue(Double.isNaN(TxRounds.pairedToFloor(List.of(failed), List.of(run(2.0))).ratio()));
    }
}
