package io.netring.flow;

/** Receives each record a {@link FlowTable} emits, on the thread that fed the table. */
@FunctionalInterface
public interface FlowRecordHandler {
    /**
     * Handles one finished (or, on an active timeout, continuing) flow. The record is a new
     * immutable object the handler may keep; an exception thrown here reaches the caller of the
     * table method that emitted it.
     */
    void onRecord(FlowRecord record);
}
