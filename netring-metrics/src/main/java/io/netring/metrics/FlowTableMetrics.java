package io.netring.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netring.flow.FlowTable;

import java.util.Objects;

/**
 * A {@link FlowTable}'s state: {@code netring.flows.active} (a gauge), {@code netring.flows.records}
 * and {@code netring.flows.evictions} (records forced out because the table was full), tagged
 * {@code table}. Read from the scrape thread while one thread fills the table: a scrape may lag.
 */
public final class FlowTableMetrics implements MeterBinder {
    private final FlowTable table;
    private final Tags tags;

    /** The metrics of {@code table}, named {@code name} in the {@code table} tag. */
    public FlowTableMetrics(FlowTable table, String name) {
        this.table = Objects.requireNonNull(table, "table");
        this.tags = Tags.of("table", Objects.requireNonNull(name, "name"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("netring.flows.active", table, FlowTable::size).description("Flows in the table").tags(tags)
                .register(registry);
        FunctionCounter.builder("netring.flows.records", table, FlowTable::recordsEmitted)
                .description("Flow records emitted").tags(tags).register(registry);
        FunctionCounter.builder("netring.flows.evictions", table, FlowTable::evictions)
                .description("Flows evicted because the table was full").tags(tags).register(registry);
    }
}
