package io.netring;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * netring's JDK Flight Recorder events and the registry behind the periodic one. The periodic
 * hook is added once Flight Recorder runs (adding it earlier would start Flight Recorder's
 * machinery, a tenth of a second, in every process); open handles are checked at open and at
 * each retired block, a volatile read. Handles are held weakly: a leaked one does not stay.
 * Callers reach this class only when {@link io.netring.internal.Jfr#AVAILABLE}.
 */
final class RingEvents {
    private RingEvents() {}

    private static final Set<AfPacketRx> OPEN = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static volatile boolean hooked;

    static void opened(AfPacketRx rx) {
        OPEN.add(rx);
        hookWhenRecording();
    }

    static void closed(AfPacketRx rx) {
        OPEN.remove(rx);
    }

    /** Adds the periodic hook once Flight Recorder is up (started at launch or later by jcmd). */
    static void hookWhenRecording() {
        if (!hooked && FlightRecorder.isInitialized()) {
            hook();
        }
    }

    private static synchronized void hook() {
        if (!hooked) {
            FlightRecorder.addPeriodicEvent(RingStatistics.class, RingEvents::emitStatistics);
            hooked = true;
        }
    }

    private static void emitStatistics() {
        List<AfPacketRx> handles;
        synchronized (OPEN) {
            handles = new ArrayList<>(OPEN);
        }
        for (AfPacketRx rx : handles) {
            rx.emitStatistics();
        }
    }

    /** A retired block's event, when enabled. */
    static void blockRetired(String interfaceName, long sequence, int packets, long bytes, boolean timedOut) {
        BlockRetired event = new BlockRetired();
        if (event.isEnabled()) {
            event.interfaceName = interfaceName;
            event.sequence = sequence;
            event.packets = packets;
            event.bytes = bytes;
            event.timedOut = timedOut;
            event.commit();
        }
    }

    static void interfaceGone(String interfaceName, int interfaceIndex) {
        InterfaceGone event = new InterfaceGone();
        if (event.isEnabled()) {
            event.interfaceName = interfaceName;
            event.interfaceIndex = interfaceIndex;
            event.commit();
        }
    }

    static void interfaceDown(String interfaceName) {
        InterfaceDown event = new InterfaceDown();
        if (event.isEnabled()) {
            event.interfaceName = interfaceName;
            event.commit();
        }
    }

    /** A timed event begun now; an Object, so that callers name no Flight Recorder type. */
    static Object filterSwapBegin() {
        FilterSwap event = new FilterSwap();
        event.begin();
        return event;
    }

    static void filterSwapEnd(Object begun, String interfaceName, String filter, long dropped) {
        FilterSwap event = (FilterSwap) begun;
        if (event.shouldCommit()) {
            event.interfaceName = interfaceName;
            event.filter = filter;
            event.dropped = dropped;
            event.commit();
        }
    }

    static Object txFlushBegin() {
        TxFlushWaited event = new TxFlushWaited();
        event.begin();
        return event;
    }

    static void txFlushEnd(Object begun, String interfaceName, boolean drained) {
        TxFlushWaited event = (TxFlushWaited) begun;
        if (event.shouldCommit()) {
            event.interfaceName = interfaceName;
            event.drained = drained;
            event.commit();
        }
    }

    /** A periodic statistics event with {@code rx}'s totals, when enabled. */
    static void ringStatistics(AfPacketRx rx, String interfaceName, int fanoutGroup, CaptureStats t, long blocks, long gaps) {
        RingStatistics event = new RingStatistics();
        if (!event.isEnabled()) {
            return;
        }
        event.interfaceName = interfaceName;
        event.fanoutGroup = fanoutGroup;
        event.packets = t.packets();
        event.drops = t.drops();
        event.freezes = t.freezeCount();
        event.blocks = blocks;
        event.sequenceGaps = gaps;
        event.commit();
    }

    @Name("io.netring.RingStatistics")
    @Label("Ring Statistics")
    @Category("netring")
    @Description("An AF_PACKET capture's kernel counters since it opened, read without taking them from stats()")
    @Period("1 s")
    @StackTrace(false)
    static final class RingStatistics extends Event {
        @Label("Interface")
        String interfaceName;
        @Label("Fanout Group")
        int fanoutGroup;
        @Label("Packets")
        @Description("Packets the kernel saw, delivered or dropped")
        long packets;
        @Label("Drops")
        long drops;
        @Label("Freezes")
        @Description("Times the ring was full and the queue froze")
        long freezes;
        @Label("Blocks")
        @Description("Blocks handed back to the kernel")
        long blocks;
        @Label("Sequence Gaps")
        long sequenceGaps;
    }

    @Name("io.netring.BlockRetired")
    @Label("Block Retired")
    @Category("netring")
    @Description("A TPACKET_V3 block handed back to the kernel (off by default: one event per block)")
    @Enabled(false)
    @StackTrace(false)
    static final class BlockRetired extends Event {
        @Label("Interface")
        String interfaceName;
        @Label("Sequence")
        long sequence;
        @Label("Packets")
        int packets;
        @Label("Bytes")
        @DataAmount
        long bytes;
        @Label("Timed Out")
        @Description("The kernel retired the block on its timeout, not because it was full")
        boolean timedOut;
    }

    @Name("io.netring.FilterSwap")
    @Label("Filter Swap")
    @Category("netring")
    @Description("A live capture's socket filter replaced; the duration covers the drain of the ring")
    static final class FilterSwap extends Event {
        @Label("Interface")
        String interfaceName;
        @Label("Filter")
        String filter;
        @Label("Dropped")
        @Description("Packets the swap drained from the ring")
        long dropped;
    }

    @Name("io.netring.InterfaceGone")
    @Label("Interface Gone")
    @Category("netring")
    @Description("The interface a capture was bound to was deleted")
    static final class InterfaceGone extends Event {
        @Label("Interface")
        String interfaceName;
        @Label("Index")
        int interfaceIndex;
    }

    @Name("io.netring.InterfaceDown")
    @Label("Interface Down")
    @Category("netring")
    @Description("The interface a capture was bound to went down (ENETDOWN); the capture resumes when it comes up")
    static final class InterfaceDown extends Event {
        @Label("Interface")
        String interfaceName;
    }

    @Name("io.netring.TxFlushWaited")
    @Label("TX Flush Waited")
    @Category("netring")
    @Description("flushBlocking waited for the kernel to drain a TX ring (1 ms or longer by default)")
    @Threshold("1 ms")
    static final class TxFlushWaited extends Event {
        @Label("Interface")
        String interfaceName;
        @Label("Drained")
        boolean drained;
    }
}
