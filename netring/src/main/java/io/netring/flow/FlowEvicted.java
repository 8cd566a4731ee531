package io.netring.flow;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The Flight Recorder event of a flow forced out of a full {@link FlowTable} (its record is
 * emitted with reason EVICTED): many of them mean {@code maxFlows} is too small for the traffic.
 */
@Name("io.netring.FlowEvicted")
@Label("Flow Evicted")
@Category("netring")
@Description("A flow ended early because the flow table was full")
@StackTrace(false)
final class FlowEvicted extends Event {
    @Label("Table Size")
    int maxFlows;
    @Label("Protocol")
    int protocol;
    @Label("Evictions So Far")
    long evictions;

    /** Commits one when the event is enabled; reached only where Flight Recorder exists. */
    static void record(int maxFlows, int protocol, long evictions) {
        FlowEvicted event = new FlowEvicted();
        if (event.isEnabled()) {
            event.maxFlows = maxFlows;
            event.protocol = protocol;
            event.evictions = evictions;
            event.commit();
        }
    }
}
