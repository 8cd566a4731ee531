package io.netring.streams;

import io.netring.flow.FlowRecord;

import java.util.Objects;

/**
 * A flow record and the source that saw it ({@code host/interface}, as in the packet records):
 * the same flow seen by two sensors is two of these. As JSON it is {@code netring flows}' object
 * with {@code "source"} first: {@code {"source":"host1/eth0","proto":6,"src":…}}.
 */
public record SourcedFlowRecord(String source, FlowRecord flow) {
    /** Both are required. */
    public SourcedFlowRecord {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(flow, "flow");
    }

    /** {@code netring flows}' JSON object of the flow with {@code "source"} as its first field. */
    public String toJson() {
        return "{\"source\":" + JsonText.quote(source) + "," + flow.toJson().substring(1);
    }
}
