package io.netring.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** How RX rounds become one row: the median round by CPU, ratios paired with the walk of the same round. */
class RxRoundsTest {
    private static Row run(double cpu, double proc) {
        return new Row("RX", "consumer", 1000, 0, cpu, proc, 0.01, 1.0, Double.NaN, "offered 1.000 Mpps");
    }

    @Test
    void ratiosArePairedByRoundForTheThreadAndTheProcess() {
        // round 2 is slowed by a neighbour: the walk and the loop alike
        List<Row> walk = List.of(run(8, 8), run(16, 16), run(9, 9));
        List<Row> loop = List.of(run(12, 12.8), run(24, 25.6), run(13.5, 14.4));
        Row paired = RxRounds.pairedToFloor(loop, walk);
        assertEquals(13.5, paired.cpuNsPerPacket(), "the row is the median round");
        assertEquals(1.5, paired.ratio(), 1e-9, "median of 1.5, 1.5, 1.5");
        assertTrue(paired.note().contains("process CPU 1.60x"), paired.note());
        assertTrue(paired.note().contains("median of 3 rounds (12.0–24.0 ns)"), paired.note());
        assertTrue(paired.note().contains("ratio per round 1.50–1.50"), paired.note());
        assertTrue(paired.note().startsWith("offered 1.000 Mpps"), "the run's own note is kept: " + paired.note());
    }

    @Test
    void theFloorAgainstItselfAndASingleRound() {
        List<Row> walk = List.of(run(8, 8), run(10, 10), run(9, 9));
        assertEquals(1.0, RxRounds.pairedToFloor(walk, walk).ratio(), 1e-9);
        assertEquals(9.0, RxRounds.pairedToFloor(walk, walk).cpuNsPerPacket());
        Row single = RxRounds.pairedToFloor(List.of(run(12, 14)), List.of(run(8, 8)));
        assertEquals(1.5, single.ratio(), 1e-9);
        assertEquals("offered 1.000 Mpps, process CPU 1.75x", single.note());
    }

    @Test
    void aSkippedRunIsLeftOut() {
        Row failed = Row.skipped("RX", "consumer", "failed: no result");
        assertSame(failed, RxRounds.pairedToFloor(List.of(failed), List.of(run(8, 8))));
        Row paired = RxRounds.pairedToFloor(List.of(run(12, 12), failed), List.of(run(8, 8), run(8, 8)));
        assertEquals(1.5, paired.ratio(), 1e-9, "the failed round has no ratio");
    }

    @Test
    void aNappingRowIsPairedWithTheNappingCReaderToo() {
        List<Row> cReader = List.of(run(50, 50), run(80, 80), run(45, 45));
        List<Row> xdp = List.of(run(55, 56), run(84, 85), run(54, 55));
        Row row = RxRounds.against(RxRounds.pairedToFloor(xdp, List.of(run(8, 8), run(8, 8), run(8, 8))), xdp, cReader,
                "napping C reader");
        assertTrue(row.note().endsWith("against the napping C reader 1.10x (per round 1.05–1.20)"), row.note());
        assertEquals(55.0, row.cpuNsPerPacket(), "the row itself is unchanged");
        Row single = RxRounds.against(run(66, 66), List.of(run(66, 66)), List.of(run(60, 60)), "napping C reader");
        assertEquals("offered 1.000 Mpps, against the napping C reader 1.10x", single.note());
    }
}
