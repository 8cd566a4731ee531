package io.netring;

import io.netring.filter.BpfProgram;
import io.netring.filter.EbpfProgram;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Spliterator;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The high-level capture: a flat stream of packets that waits for traffic and gives blocks back
 * to the kernel for you.
 *
 * <pre>{@code
 * try (Capture cap = Capture.open("eth0")) {
 *     cap.packets().limit(100).forEach(pkt ->
 *         System.out.printf("[%s] %d bytes%n", pkt.timestamp(), pkt.length()));
 *     System.out.println(cap.stats());          // packets: 100, drops: 0, freezes: 0
 * }
 * }</pre>
 *
 * <p>A {@link Packet} from the stream is valid until the stream moves past its block; keep
 * one with {@link Packet#toOwned()}. The stream ends when the capture is closed (from any
 * thread); a socket error surfaces as an {@link UncheckedIOException} wrapping a
 * {@link NetringException}.
 */
public final class Capture implements AutoCloseable {
    private final AfPacketRx rx;
    private PacketCursor cursor;

    Capture(AfPacketRx rx) {
        this.rx = rx;
    }

    /** Opens a capture on {@code interfaceName} with the default options. */
    public static Capture open(String interfaceName) throws NetringException {
        return builder().interfaceName(interfaceName).build();
    }

    /**
     * A builder for a capture: set at least the interface, then {@code build()} opens the socket
     * and maps the ring. Not thread-safe; each call returns a new builder.
     */
    public static CaptureBuilder builder() {
        return new CaptureBuilder();
    }

    /**
     * An endless, sequential stream of the packets arriving on the interface; it ends when the
     * capture is closed. Calling it again releases the block the previous stream was reading.
     */
    public Stream<Packet> packets() {
        if (cursor != null) {
            cursor.release();
        }
        PacketCursor c = new PacketCursor(rx, rx.pollTimeout(), rx::isClosed);
        cursor = c;
        return StreamSupport.stream(c, false).onClose(c::release);
    }

    /**
     * The same flat stream as {@link #packets()}, over any {@link PacketSource} (a ring, a replay
     * of saved blocks, a test double): each block is released before the next is asked for, and
     * each wait lasts at most {@code pollTimeout}. The stream ends when the source reports that it
     * is closed by throwing {@link IllegalStateException} from
     * {@link PacketSource#nextBatchBlocking}; close it (or the stream) to release the open block.
     */
    public static Stream<Packet> stream(PacketSource source, Duration pollTimeout) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        if (pollTimeout.isNegative()) {
            throw new IllegalArgumentException("pollTimeout=" + pollTimeout + ": must not be negative");
        }
        BooleanSupplier closed = source instanceof AfPacketRx rx ? rx::isClosed : null;
        PacketCursor c = new PacketCursor(source, pollTimeout, closed);
        return StreamSupport.stream(c, false).onClose(c::release);
    }

    /**
     * Every packet of a finite source (a file, a replay of saved blocks), in order: batch after
     * batch from {@link PacketSource#nextBatch()} until it returns null, each released before the
     * next is asked for. Close the stream to release the open batch early; a source error
     * surfaces as an {@link UncheckedIOException} wrapping the {@link NetringException}.
     */
    public static Stream<Packet> stream(PacketSource source) {
        Objects.requireNonNull(source, "source");
        PacketCursor c = new PacketCursor(source, null, null);
        return StreamSupport.stream(c, false).onClose(c::release);
    }

    /** Kernel counters since the previous read (reading resets them). */
    public CaptureStats stats() throws NetringException {
        return rx.stats();
    }

    /** The running sum of every {@link #stats()} reading. */
    public CaptureStats totalStats() {
        return rx.totalStats();
    }

    /** The low-level handle underneath, for batch access. Closing this capture closes it. */
    public AfPacketRx unwrap() {
        return rx;
    }

    /**
     * Compiles a tcpdump filter expression ({@link BpfProgram#compile}) and replaces the socket
     * filter with it, as {@link #setFilter(BpfProgram)} does.
     *
     * @throws io.netring.filter.FilterSyntaxException when the expression does not compile
     */
    public void setFilter(String expression) throws NetringException {
        setFilter(BpfProgram.compile(expression));
    }

    /**
     * Replaces the socket filter without letting through a packet {@code program} rejects; see
     * {@link AfPacketRx#setFilter(BpfProgram)}. Call it from the thread that consumes
     * {@link #packets()}: the rest of the block that stream was reading is dropped with the
     * packets already in the ring, and the stream continues with packets of the new filter.
     */
    public void setFilter(BpfProgram program) throws NetringException {
        releaseOwnCursor();
        rx.setFilter(program);
    }

    /** Replaces the socket filter with an eBPF program; see {@link #setFilter(BpfProgram)}. */
    public void setFilter(EbpfProgram program) throws NetringException {
        releaseOwnCursor();
        rx.setFilter(program);
    }

    /** Removes the socket filter; see {@link AfPacketRx#detachFilter()}. */
    public void detachFilter() throws NetringException {
        rx.detachFilter();
    }

    /** The fanout group id (the kernel's choice under UNIQUE_ID); empty when in no group. */
    public OptionalInt fanoutGroupId() {
        return rx.fanoutGroupId();
    }

    private void releaseOwnCursor() {
        PacketCursor c = cursor;
        if (c != null && c.ownedByCurrentThread()) {
            c.release();
        }
    }

    /** The socket's file descriptor. */
    public int fd() {
        return rx.fd();
    }

    /** Closes the socket and ring; idempotent, safe from any thread; ends a running stream. */
    @Override
    public void close() {
        PacketCursor c = cursor;
        if (c != null && c.ownedByCurrentThread()) {
            c.release();
        }
        rx.close();
    }

    /**
     * Walks batch after batch; holds at most one open batch. Per packet it keeps a position in
     * the block ({@link PacketBatch.Walk}), not an iterator, and hands each packet over in a
     * method of its own ({@link #step}), so the Packet it makes need not be allocated
     * (docs/ARCHITECTURE.md, "The JIT and memory ordering"). Also the finite-source stream.
     */
    private static final class PacketCursor implements Spliterator<Packet> {
        private final PacketSource source;
        /** How long one wait lasts; null for a finite source, read with nextBatch() until null. */
        private final Duration pollTimeout;
        /** Whether the source is closed; null when it cannot tell (any IllegalStateException ends the stream). */
        private final BooleanSupplier closed;
        private final Thread owner = Thread.currentThread();
        /** The position in the open batch; null when no batch is open. */
        private PacketBatch.Walk walk;

        PacketCursor(PacketSource source, Duration pollTimeout, BooleanSupplier closed) {
            this.source = source;
            this.pollTimeout = pollTimeout;
            this.closed = closed;
        }

        boolean ownedByCurrentThread() {
            return owner == Thread.currentThread();
        }

        void release() {
            PacketBatch.Walk w = walk;
            if (w != null) {
                walk = null;
                w.batch().close();
            }
        }

        @Override
        public boolean tryAdvance(Consumer<? super Packet> action) {
            for (;;) {
                PacketBatch.Walk w = walk;
                if (w != null && w.advance()) {
                    action.accept(w.packet());
                    return true;
                }
                if (!nextBatch()) {
                    return false;
                }
            }
        }

        @Override
        public void forEachRemaining(Consumer<? super Packet> action) {
            for (;;) {
                PacketBatch.Walk w = walk;
                while (w != null && walkRun(w, action)) {
                    // next run of the same block
                }
                if (!nextBatch()) {
                    return;
                }
            }
        }

        /** Up to {@link #RUN} packets of {@code w}; false when the block ended or the action released it. */
        private boolean walkRun(PacketBatch.Walk w, Consumer<? super Packet> action) {
            for (int i = 0; i < RUN; i++) {
                if (!step(w, action)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * One packet of {@code w} to {@code action}; false when the block ended or the action
         * released it (walk changes on Capture.close() inside it). A method per packet, not a
         * loop over the block: the JIT compiles it as soon as it compiles the action, which it
         * then inlines, so the Packet is not allocated. Inside a loop over many packets the
         * action would be compiled first, on its own, and may then be too large to inline
         * (docs/PERFORMANCE.md, "The README's own loops").
         */
        private boolean step(PacketBatch.Walk w, Consumer<? super Packet> action) {
            if (w != walk || !w.advance()) {
                return false;
            }
            action.accept(w.packet());
            return true;
        }

        /** Packets per {@link #walkRun}, as {@code PacketBatch}'s dispatch runs. */
        private static final int RUN = 256;

        /** Releases the open batch and waits for the next; false when the source is closed. */
        private boolean nextBatch() {
            release();
            if (closed != null && closed.getAsBoolean()) {
                return false;
            }
            PacketBatch batch;
            try {
                if (pollTimeout == null) {
                    batch = source.nextBatch();
                    if (batch == null) {
                        return false;
                    }
                } else {
                    batch = source.nextBatchBlocking(pollTimeout);
                }
            } catch (IllegalStateException e) {
                if (closed == null || closed.getAsBoolean()) {
                    return false;
                }
                throw e;
            } catch (NetringException e) {
                throw new UncheckedIOException(e);
            }
            if (batch != null) {
                walk = batch.walk();
            }
            return true;
        }

        @Override
        public Spliterator<Packet> trySplit() {
            return null;
        }

        @Override
        public long estimateSize() {
            return Long.MAX_VALUE;
        }

        @Override
        public int characteristics() {
            return ORDERED | NONNULL;
        }
    }
}
