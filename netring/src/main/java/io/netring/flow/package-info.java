/**
 * Flows: bidirectional 5-tuple conversations built from captured packets.
 *
 * <p>This package is the home of the flow table, the flow records it emits when a flow ends
 * (FIN from both sides, RST, idle or active timeout, eviction, end of input) and their
 * exporters.
 */
package io.netring.flow;
