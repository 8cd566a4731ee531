package io.netring.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netring.Injector;

import java.util.Objects;

/**
 * An {@link Injector}'s counters: {@code netring.tx.sent}, {@code netring.tx.skipped} (longer
 * than the interface carries) and {@code netring.tx.discarded}, tagged {@code interface}. Read
 * from the scrape thread while the sender writes them: a scrape may lag a frame or two.
 */
public final class InjectorMetrics implements MeterBinder {
    private final Injector injector;
    private final Tags tags;

    /** The metrics of {@code injector}, which sends on {@code interfaceName}. */
    public InjectorMetrics(Injector injector, String interfaceName) {
        this.injector = Objects.requireNonNull(injector, "injector");
        this.tags = Tags.of("interface", Objects.requireNonNull(interfaceName, "interfaceName"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("netring.tx.sent", injector, Injector::framesSent)
                .description("Frames the kernel took for sending").tags(tags).register(registry);
        FunctionCounter.builder("netring.tx.skipped", injector, Injector::framesSkipped)
                .description("Frames skipped for being longer than the interface carries").tags(tags).register(registry);
        FunctionCounter.builder("netring.tx.discarded", injector, Injector::framesDiscarded)
                .description("Slots given back unsent").tags(tags).register(registry);
    }
}
