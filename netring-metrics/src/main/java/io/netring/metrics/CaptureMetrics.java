package io.netring.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netring.AfPacketRx;
import io.netring.Capture;
import io.netring.CaptureStats;
import io.netring.NetringException;

import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * A capture's kernel counters as Micrometer counters: {@code netring.packets},
 * {@code netring.drops}, {@code netring.freezes}, {@code netring.blocks}, {@code netring.bytes},
 * {@code netring.sequence.gaps} and the gauge {@code netring.ring.fill}, tagged {@code interface} (and {@code member}, when given, for
 * one socket of a fanout group). They are read with {@link AfPacketRx#refreshTotalStats()} at
 * most every 100 ms, so a scrape takes nothing from the application's own {@code stats()}.
 *
 * <pre>{@code
 * new CaptureMetrics(capture).bindTo(registry);
 * }</pre>
 */
public final class CaptureMetrics implements MeterBinder {
    private static final long REFRESH_NANOS = 100_000_000L;

    private final AfPacketRx rx;
    private final Tags tags;
    private CaptureStats last = CaptureStats.ZERO;
    private long lastRead = System.nanoTime() - REFRESH_NANOS;

    /** The metrics of {@code capture}'s socket. */
    public CaptureMetrics(Capture capture) {
        this(Objects.requireNonNull(capture, "capture").unwrap(), null);
    }

    /** The metrics of {@code rx}; {@code member} names it within its fanout group (null: no such tag). */
    public CaptureMetrics(AfPacketRx rx, String member) {
        this.rx = Objects.requireNonNull(rx, "rx");
        Tags t = Tags.of(Tag.of("interface", rx.interfaceName()));
        this.tags = member == null ? t : t.and("member", member);
    }

    /**
     * Registers the meters. Their state object is the capture, which Micrometer holds weakly, and
     * their functions hold this binder: the meters report while the capture is reachable, also
     * when the caller keeps no reference to the binder ({@code new CaptureMetrics(c).bindTo(r)}).
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "netring.packets", "Packets the kernel saw on the interface, delivered or dropped",
                () -> totals().packets());
        counter(registry, "netring.drops", "Packets the kernel dropped for want of ring room", () -> totals().drops());
        counter(registry, "netring.freezes", "Times the kernel found the ring full and froze the queue",
                () -> totals().freezeCount());
        counter(registry, "netring.blocks", "TPACKET_V3 blocks handed back to the kernel", rx::blocksRetired);
        FunctionCounter.builder("netring.bytes", rx, AfPacketRx::bytesRetired).baseUnit("bytes").tags(tags)
                .description("Bytes of the blocks the kernel handed over: packets with their ring headers")
                .register(registry);
        counter(registry, "netring.sequence.gaps", "Blocks missed, by their sequence numbers", rx::sequenceGaps);
        Gauge.builder("netring.ring.fill", rx, r -> ringFill()).tags(tags)
                .description("Share of the ring's blocks filled and not yet handed back; at 1 the kernel drops")
                .register(registry);
    }

    private double ringFill() {
        if (rx.isClosed()) {
            return 0;
        }
        try {
            return (double) rx.blocksWaiting() / rx.blockCount();
        } catch (IllegalStateException closedMeanwhile) {
            return 0;
        }
    }

    private void counter(MeterRegistry registry, String name, String description, DoubleSupplier value) {
        FunctionCounter.builder(name, rx, r -> value.getAsDouble()).description(description).tags(tags).register(registry);
    }

    /** The totals, read from the kernel when the last reading is older than 100 ms; the last ones once closed. */
    private synchronized CaptureStats totals() {
        long now = System.nanoTime();
        if (now - lastRead >= REFRESH_NANOS && !rx.isClosed()) {
            try {
                last = rx.refreshTotalStats();
            } catch (NetringException | IllegalStateException closedMeanwhile) {
                return last;
            }
            lastRead = now;
        }
        return last;
    }
}
