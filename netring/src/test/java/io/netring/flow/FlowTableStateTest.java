package io.netring.flow;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A saved and restored table continues exactly as the original: same records, same order. */
class FlowTableStateTest {
    private static final long MS = 1_000_000L;

    private static FlowTable table(List<FlowRecord> out) {
        return FlowTable.builder().maxFlows(300).idleTimeout(Duration.ofSeconds(2)).activeTimeout(Duration.ofSeconds(9))
                .onRecord(out::add).build();
    }

    /** Packet {@code i} of a fixed random mix: TCP with FIN, RST and data, UDP, ICMP replies first; enough flows to evict. */
    private static FlowPacket packet(FlowPacket p, Random rnd, int i) {
        int host = rnd.nextInt(400);
        boolean back = rnd.nextBoolean();
        int a = 0x0A000000 | host, b = 0x0A010001;
        long t = i * 3 * MS;
        switch (host % 3) {
            case 0 -> {
                int[] flags = {0x02, 0x12, 0x10, 0x18, 0x11, 0x04};
                int f = flags[rnd.nextInt(flags.length)];
                p.ipv4(back ? b : a, back ? a : b).transport(6, back ? 443 : 40000 + host, back ? 40000 + host : 443, f,
                        (f & 0x08) != 0 ? 100 : 0);
            }
            case 1 -> p.ipv4(back ? b : a, back ? a : b).transport(17, back ? 53 : 5000, back ? 5000 : 53, 0, 20);
            default -> p.ipv4(back ? b : a, back ? a : b).transport(1, back ? 0 : 8, 0, 0, 0);
        }
        return p.frame(t, 60 + host % 50, 0);
    }

    @Test
    void aRestoredTableEmitsWhatTheOriginalWould() {
        List<FlowRecord> whole = new ArrayList<>(), split = new ArrayList<>();
        FlowTable original = table(whole);
        FlowPacket p = new FlowPacket();
        Random rnd = new Random(27);
        for (int i = 0; i < 20_000; i++) {
            original.add(packet(p, rnd, i));
        }
        original.flush();

        FlowTable first = table(split);
        rnd = new Random(27);
        int i = 0;
        for (int cut : new int[] {5_000, 11_111, 20_000}) {
            for (; i < cut; i++) {
                first.add(packet(p, rnd, i));
            }
            byte[] state = first.saveState();
            first = table(split);
            first.restoreState(state);
        }
        first.flush();
        assertEquals(whole, split);
        assertEquals(0, first.size());
    }

    @Test
    void restoreRefusesAFullTableAndForeignBytes() {
        List<FlowRecord> out = new ArrayList<>();
        FlowTable t = table(out);
        t.add(packet(new FlowPacket(), new Random(1), 0));
        byte[] state = t.saveState();
        var busy = assertThrows(IllegalStateException.class, () -> t.restoreState(state));
        assertEquals("restoreState: the table holds 1 flows; only an empty table takes a saved state", busy.getMessage());
        var foreign = assertThrows(IllegalArgumentException.class, () -> table(out).restoreState(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        assertEquals("not a saved flow table state (8 bytes)", foreign.getMessage());
        byte[] cut = java.util.Arrays.copyOf(state, state.length - 1);
        var shortState = assertThrows(IllegalArgumentException.class, () -> table(out).restoreState(cut));
        assertEquals("saved flow table state of " + cut.length + " bytes does not hold 1 flows", shortState.getMessage());
        var small = assertThrows(IllegalArgumentException.class,
                () -> FlowTable.builder().maxFlows(1).onRecord(r -> {}).build().restoreState(two()));
        assertEquals("saved state holds 2 flows, more than maxFlows=1", small.getMessage());
    }

    private static byte[] two() {
        FlowTable t = table(new ArrayList<>());
        FlowPacket p = new FlowPacket();
        t.add(p.ipv4(1, 2).transport(17, 1, 2, 0, 0).frame(0, 60, 0));
        t.add(p.ipv4(1, 3).transport(17, 1, 2, 0, 0).frame(0, 60, 0));
        return t.saveState();
    }
}
