package io.netring.flow;

/** Receives each record a {@link FlowTable} emits, on the thread that fed the table. */
@FunctionalInterface
public interface FlowRecordHandler {
    void onRecord(FlowRecord record);
}
