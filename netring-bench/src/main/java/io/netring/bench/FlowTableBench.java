package io.netring.bench;

import io.netring.flow.FlowExtractor;
import io.netring.flow.FlowTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Flow accounting per packet on one core: Ethernet/IP/TCP-UDP frames extracted and added to a
 * {@link FlowTable}. The mix: {@code flows} conversations, 80 % TCP and 20 % UDP, IPv4 with a
 * share of IPv6, packet sizes 64 to 1500, skewed so a tenth of the flows carry most packets; one
 * packet in {@code 1/newFlowShare} is a RST that ends its flow, so the next packet of that tuple
 * opens a new one (records are emitted to a counter). Figures are ns per packet; with
 * {@code -prof gc}, the {@code existingFlows} row shows the bytes per packet of known flows.
 */
@OperationsPerInvocation(FlowTableBench.PACKETS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FlowTableBench extends AverageNanosBench {
    public static final int PACKETS = 1 << 16;
    private static final int SLOT = 128;              // bytes per frame in the arena (headers only; wire length kept apart)
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    @Param({"100000"})
    public int flows;

    private MemorySegment mixFrames;
    private MemorySegment knownFrames;
    private int[] wireLengths;
    private FlowTable mixTable;
    private FlowTable knownTable;
    private final FlowExtractor extractor = new FlowExtractor();
    private long records;
    private long clock = 1_767_225_600_000_000_000L;

    @Setup
    public void setUp() {
        Arena arena = Arena.ofAuto();
        Random rnd = new Random(42);
        mixFrames = arena.allocate((long) PACKETS * SLOT);
        knownFrames = arena.allocate((long) PACKETS * SLOT);
        wireLengths = new int[PACKETS];
        for (int i = 0; i < PACKETS; i++) {
            // a tenth of the flows carry 90 % of the packets
            int flow = rnd.nextInt(10) < 9 ? rnd.nextInt(flows / 10) : rnd.nextInt(flows);
            boolean reply = rnd.nextBoolean();
            boolean rst = rnd.nextInt(50) == 0;
            write(mixFrames, i, flow, reply, rst ? 0x04 : 0x18);
            write(knownFrames, i, rnd.nextInt(flows / 10), reply, 0x10);
            wireLengths[i] = 64 + rnd.nextInt(1437);
        }
        mixTable = FlowTable.builder().maxFlows(flows * 2).onRecord(r -> records++).build();
        knownTable = FlowTable.builder().maxFlows(flows * 2).onRecord(r -> records++).build();
        for (int i = 0; i < 4; i++) {
            mixPass();
            knownPass();
        }
    }

    private static void write(MemorySegment s, int i, int flow, boolean reply, int tcpFlags) {
        long o = (long) i * SLOT;
        boolean tcp = flow % 5 != 0;
        boolean v6 = flow % 8 == 0;
        int client = 0x0A000000 | (flow >>> 4), server = 0xC0A80000 | (flow & 15);
        int cport = 1024 + (flow & 0x7FFF), sport = tcp ? 443 : 53;
        s.set(BE_SHORT, o + 12, (short) (v6 ? 0x86DD : 0x0800));
        long l4;
        if (v6) {
            s.set(BE_INT, o + 14, 0x6000_0000);
            s.set(BE_SHORT, o + 18, (short) 60);
            s.set(ValueLayout.JAVA_BYTE, o + 20, (byte) (tcp ? 6 : 17));
            s.set(BE_INT, o + 22, 0x20010db8);
            s.set(BE_INT, o + 34, reply ? server : client);
            s.set(BE_INT, o + 38, 0x20010db8);
            s.set(BE_INT, o + 50, reply ? client : server);
            l4 = o + 54;
        } else {
            s.set(ValueLayout.JAVA_BYTE, o + 14, (byte) 0x45);
            s.set(BE_SHORT, o + 16, (short) 80);
            s.set(ValueLayout.JAVA_BYTE, o + 23, (byte) (tcp ? 6 : 17));
            s.set(BE_INT, o + 26, reply ? server : client);
            s.set(BE_INT, o + 30, reply ? client : server);
            l4 = o + 34;
        }
        s.set(BE_SHORT, l4, (short) (reply ? sport : cport));
        s.set(BE_SHORT, l4 + 2, (short) (reply ? cport : sport));
        if (tcp) {
            s.set(ValueLayout.JAVA_BYTE, l4 + 12, (byte) 0x50);
            s.set(ValueLayout.JAVA_BYTE, l4 + 13, (byte) tcpFlags);
        }
    }

    private int pass(MemorySegment frames, FlowTable table) {
        FlowExtractor ex = extractor;
        int[] wire = wireLengths;
        long t = clock;
        int n = 0;
        for (int i = 0; i < PACKETS; i++) {
            t += 1000;
            if (ex.extract(frames, (long) i * SLOT, SLOT, wire[i], t, 0)) {
                table.add(ex.fields());
                n++;
            }
        }
        clock = t;
        return n;
    }

    private int mixPass() {
        return pass(mixFrames, mixTable);
    }

    private int knownPass() {
        return pass(knownFrames, knownTable);
    }

    /** The realistic mix: mostly packets of known flows, 2 % RSTs that end flows and reopen them. */
    @Benchmark
    public int realisticMix() {
        return mixPass();
    }

    /** Only packets of flows already in the table: must allocate nothing. */
    @Benchmark
    public int existingFlows() {
        return knownPass();
    }
}
