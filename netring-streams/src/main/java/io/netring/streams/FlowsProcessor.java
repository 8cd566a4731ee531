package io.netring.streams;

import io.netring.flow.FlowExtractor;
import io.netring.flow.FlowRecord;
import io.netring.flow.FlowTable;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Flow records per source: one {@link FlowTable} per source (the key of the packet records), fed
 * each source's packets in capture order, exactly as {@code netring flows -r} feeds its table.
 * After every record the source's open flows go into the state store (changelogged, in the same
 * transaction as the output and the offsets), so a task moved to another instance continues
 * from them. A punctuation on stream time ends the flows of quiet sources: idle and active
 * timeouts at stream time less the grace, which a source that is not more than the grace behind
 * the others would have reached by itself.
 */
final class FlowsProcessor implements Processor<byte[], byte[], String, SourcedFlowRecord> {
    /** How often, in stream time, quiet sources' flows are checked for timeouts. */
    static final Duration PUNCTUATE_EVERY = Duration.ofSeconds(1);

    private final String storeName;
    private final Duration idle;
    private final Duration active;
    private final int maxFlows;
    private final long graceNanos;
    private final Map<String, FlowTable> tables = new HashMap<>();
    private final FlowExtractor extractor = new FlowExtractor();
    private ProcessorContext<String, SourcedFlowRecord> context;
    private KeyValueStore<String, byte[]> store;

    FlowsProcessor(String storeName, Duration idle, Duration active, int maxFlows, Duration grace) {
        this.storeName = storeName;
        this.idle = idle;
        this.active = active;
        this.maxFlows = maxFlows;
        this.graceNanos = grace.toNanos();
    }

    @Override
    public void init(ProcessorContext<String, SourcedFlowRecord> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        tables.clear();                        // a revived task starts again from its store
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                table(kv.key).restoreState(kv.value);
            }
        }
        context.schedule(PUNCTUATE_EVERY, PunctuationType.STREAM_TIME, this::expire);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        byte[] value = record.value();
        String source;
        try {
            source = PacketRecords.source(value);
        } catch (IllegalArgumentException malformed) {
            return;                            // not a packet record: nothing to count
        }
        FlowTable[] table = {null};
        try {
            MemorySegment segment = MemorySegment.ofArray(value);
            PacketRecords.forEach(value, (ts, original, bytes, offset, captured) -> {
                // Packets from a topic carry no VLAN id the kernel stripped: 0, as KafkaPacketReader gives.
                if (extractor.extract(segment, offset, captured, original, ts, 0)) {
                    if (table[0] == null) {
                        table[0] = table(source);
                    }
                    table[0].add(extractor.fields());
                }
            });
        } catch (IllegalArgumentException cutShort) {
            // the packets before the fault were counted, as netring flows -r counts a cut file
        }
        if (table[0] != null) {
            save(source, table[0]);
        }
    }

    /** Ends flows idle or active too long at stream time less the grace, in every source of this task. */
    private void expire(long streamTimeMillis) {
        long horizon = Math.multiplyExact(streamTimeMillis, 1_000_000L) - graceNanos;
        for (Map.Entry<String, FlowTable> e : tables.entrySet()) {
            FlowTable t = e.getValue();
            long before = t.recordsEmitted();
            t.expire(horizon);
            if (t.recordsEmitted() != before) {
                save(e.getKey(), t);
            }
        }
    }

    private void save(String source, FlowTable t) {
        store.put(source, t.saveState());
    }

    private FlowTable table(String source) {
        return tables.computeIfAbsent(source, s -> FlowTable.builder().maxFlows(maxFlows).idleTimeout(idle).activeTimeout(active)
                .onRecord(r -> emit(s, r)).build());
    }

    private void emit(String source, FlowRecord r) {
        context.forward(new Record<>(source, new SourcedFlowRecord(source, r),
                Math.floorDiv(r.lastSeenNanos(), 1_000_000L)));
    }
}
