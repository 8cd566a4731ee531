package io.netring.adapter;

import io.netring.OwnedPacket;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A {@link Flow.Publisher} of the packets of an {@link AsyncCapture}, with demand-driven
 * backpressure: it asks for a block only while its subscriber has outstanding demand and the
 * previous block was delivered, so a paused subscriber leaves blocks in the kernel ring, which
 * absorbs the pause and, once full, drops (counted in {@code stats().drops()}) instead of filling
 * the heap.
 *
 * <pre>{@code
 * AsyncCapture async = AsyncCapture.of(AfPacketRx.builder().interfaceName("eth0").build());
 * PacketPublisher.of(async).subscribe(mySubscriber);     // or hand it to Reactor/RxJava adapters
 * }</pre>
 *
 * <p>Signals follow the Reactive Streams rules ({@code request(n <= 0)} is an {@code onError});
 * closing the capture completes the subscriber, a capture failure is an {@code onError}, and
 * cancelling leaves the capture open. One subscriber at a time (another gets {@code onError}).
 * Signals run on the {@code executor} (a virtual thread per block by default), never on the
 * reactor thread.
 */
public final class PacketPublisher implements Flow.Publisher<OwnedPacket> {
    private static final System.Logger LOG = System.getLogger("io.netring");
    private static final Executor VIRTUAL_THREADS = task -> Thread.ofVirtual().name("netring-publisher").start(task);

    private final Supplier<CompletableFuture<List<OwnedPacket>>> blocks;
    private final BooleanSupplier ended;
    private final Executor executor;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    PacketPublisher(Supplier<CompletableFuture<List<OwnedPacket>>> blocks, BooleanSupplier ended, Executor executor) {
        this.blocks = blocks;
        this.ended = ended;
        this.executor = executor;
    }

    /** A publisher of {@code capture}'s packets, signalling on virtual threads. */
    public static PacketPublisher of(AsyncCapture capture) {
        return of(capture, VIRTUAL_THREADS);
    }

    /**
     * A publisher of {@code capture}'s packets whose signals after a block arrives run on
     * {@code executor}.
     * @throws IllegalArgumentException when an argument is null
     */
    public static PacketPublisher of(AsyncCapture capture, Executor executor) {
        if (capture == null) {
            throw new IllegalArgumentException("capture=null: pass an open AsyncCapture");
        }
        if (executor == null) {
            throw new IllegalArgumentException("executor=null: pass an Executor for the subscriber's signals");
        }
        return new PacketPublisher(capture::recv, capture::isClosed, executor);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super OwnedPacket> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");      // Reactive Streams §1.9
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(NoSubscription.INSTANCE);
            subscriber.onError(new IllegalStateException(
                    "PacketPublisher serves one subscriber at a time; the current one has not cancelled or finished"));
            return;
        }
        PacketSubscription s = new PacketSubscription(subscriber);
        try {
            subscriber.onSubscribe(s);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "onSubscribe threw; cancelling the subscription", e);
            s.cancel();
        }
    }

    /** One subscription: a serialized drain loop over a buffer of at most one block. */
    private final class PacketSubscription implements Flow.Subscription {
        private final Flow.Subscriber<? super OwnedPacket> downstream;
        private final AtomicLong requested = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private final ConcurrentLinkedQueue<OwnedPacket> buffer = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean fetching = new AtomicBoolean();
        private final AtomicReference<CompletableFuture<List<OwnedPacket>>> inFlight = new AtomicReference<>();
        private volatile boolean cancelled;
        private volatile boolean upstreamDone;
        private volatile Throwable error;
        private volatile Throwable badRequest;

        PacketSubscription(Flow.Subscriber<? super OwnedPacket> downstream) {
            this.downstream = downstream;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = new IllegalArgumentException("n=" + n + ": request(n) needs n > 0 (Reactive Streams §3.9)");
            } else {
                requested.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            }
            drain();
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            CompletableFuture<List<OwnedPacket>> f = inFlight.getAndSet(null);
            if (f != null) {
                f.cancel(false);
            }
            finish();
        }

        /** Lets the next subscriber in; runs once per subscription. */
        private void finish() {
            buffer.clear();
            subscribed.set(false);
        }

        /** Emits what demand allows; only one thread at a time runs the loop (§1.3). */
        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            for (;;) {
                if (cancelled) {
                    buffer.clear();
                    return;
                }
                Throwable bad = badRequest;
                if (bad != null) {
                    terminate(bad);
                    return;
                }
                long r = requested.get();
                long emitted = 0;
                while (emitted != r && !cancelled) {
                    OwnedPacket p = buffer.poll();
                    if (p == null) {
                        break;
                    }
                    try {
                        downstream.onNext(p);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "onNext threw; cancelling the subscription (§2.13)", e);
                        cancel();
                        return;
                    }
                    emitted++;
                }
                if (emitted != 0 && r != Long.MAX_VALUE) {
                    requested.addAndGet(-emitted);
                }
                if (!cancelled && buffer.isEmpty()) {
                    Throwable err = error;
                    if (err != null) {
                        terminate(err);
                        return;
                    }
                    if (upstreamDone) {
                        cancelled = true;
                        finish();
                        downstream.onComplete();
                        return;
                    }
                    if (requested.get() > 0) {
                        fetch();
                    }
                }
                missed = wip.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        private void terminate(Throwable cause) {
            cancelled = true;
            CompletableFuture<List<OwnedPacket>> f = inFlight.getAndSet(null);
            if (f != null) {
                f.cancel(false);
            }
            finish();
            downstream.onError(cause);
        }

        /** Asks the capture for one block unless a request is already out. */
        private void fetch() {
            if (!fetching.compareAndSet(false, true)) {
                return;
            }
            CompletableFuture<List<OwnedPacket>> f;
            try {
                f = blocks.get();
            } catch (RuntimeException e) {
                onBlock(null, e);
                return;
            }
            inFlight.set(f);
            f.whenCompleteAsync(this::onBlock, executor);
        }

        private void onBlock(List<OwnedPacket> packets, Throwable failure) {
            inFlight.set(null);
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : failure;
                if (ended.getAsBoolean()) {
                    upstreamDone = true;          // the capture was closed: the stream ends
                } else if (!(cause instanceof CancellationException)) {
                    error = cause;
                }
            } else {
                buffer.addAll(packets);
            }
            fetching.set(false);
            drain();
        }
    }

    /** Given to a subscriber that is refused, so it still sees onSubscribe first (§1.9). */
    private enum NoSubscription implements Flow.Subscription {
        INSTANCE;

        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
    }
}
