package io.netring.adapter;

import io.netring.AfPacketRx;
import io.netring.Capture;
import io.netring.CaptureBuilder;
import io.netring.CaptureStats;
import io.netring.InterfaceNotFoundException;
import io.netring.NetringException;
import io.netring.OwnedPacket;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.internal.linux.Errno;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A capture thread that copies every packet out of the ring into a bounded queue, for
 * consumers that want plain blocking reads on threads of their own.
 *
 * <pre>{@code
 * try (ChannelCapture ch = ChannelCapture.spawn("eth0", 4096)) {
 *     for (OwnedPacket pkt : ch) {                       // ends when ch is closed
 *         System.out.printf("[%s] %d bytes%n", pkt.timestamp(), pkt.length());
 *     }
 * }
 * }</pre>
 *
 * <p>{@code spawn} opens the socket on the calling thread (its network namespace; set-up errors
 * are thrown there). A full queue is the {@link OverflowPolicy}'s call. After a capture failure
 * consumers get what was queued, then a {@link NetringException} on every read; a {@link #close()}
 * from any thread wakes a consumer blocked in {@link #recv()} with an IllegalStateException.
 */
public final class ChannelCapture implements AutoCloseable, Iterable<OwnedPacket> {
    /** Largest queue capacity accepted by {@code spawn}. */
    public static final int MAX_CAPACITY = 1 << 24;
    /** How long {@link #close()} waits for the capture thread to finish. */
    public static final Duration CLOSE_JOIN_BOUND = Duration.ofSeconds(5);
    /** Name prefix of capture threads ({@code netring-channel-eth0}). */
    public static final String THREAD_PREFIX = "netring-channel-";

    private static final System.Logger LOG = System.getLogger("io.netring");

    private final Capture capture;
    private final AfPacketRx rx;
    private final OverflowPolicy policy;
    private final int capacity;
    private final PacketQueue queue;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;

    private ChannelCapture(Capture capture, int capacity, OverflowPolicy policy) {
        this.capture = capture;
        this.rx = capture.unwrap();
        this.policy = policy;
        this.capacity = capacity;
        this.queue = new PacketQueue(capacity);
        this.thread = Thread.ofPlatform()
                .name(THREAD_PREFIX + rx.interfaceName())
                .daemon(true)
                .unstarted(this::captureLoop);
    }

    /**
     * Opens a capture on {@code interfaceName} with the default ring (see {@link Capture#builder()})
     * and starts its capture thread; the full-queue policy is {@link OverflowPolicy#BLOCK}.
     *
     * @param capacity how many packets the queue holds, in [1, {@value #MAX_CAPACITY}]
     * @throws IllegalArgumentException for a bad capacity or interface name, before any system call
     * @throws NetringException when the capture cannot be opened
     */
    public static ChannelCapture spawn(String interfaceName, int capacity) throws NetringException {
        return spawn(interfaceName, capacity, OverflowPolicy.BLOCK);
    }

    /** As {@link #spawn(String, int)}, with the given full-queue policy. */
    public static ChannelCapture spawn(String interfaceName, int capacity, OverflowPolicy policy) throws NetringException {
        return spawn(Capture.builder().interfaceName(interfaceName), capacity, policy);
    }

    /**
     * Builds the capture from {@code builder} on the calling thread and starts its capture
     * thread; the full-queue policy is {@link OverflowPolicy#BLOCK}.
     *
     * @throws IllegalArgumentException for a bad capacity or option, before any system call
     * @throws NetringException when the capture cannot be opened
     */
    public static ChannelCapture spawn(CaptureBuilder builder, int capacity) throws NetringException {
        return spawn(builder, capacity, OverflowPolicy.BLOCK);
    }

    /** As {@link #spawn(CaptureBuilder, int)}, with the given full-queue policy. */
    public static ChannelCapture spawn(CaptureBuilder builder, int capacity, OverflowPolicy policy) throws NetringException {
        if (builder == null) {
            throw new IllegalArgumentException("builder=null: pass Capture.builder().interfaceName(...)");
        }
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity=" + capacity + ": must be in [1, " + MAX_CAPACITY + "] packets");
        }
        if (policy == null) {
            throw new IllegalArgumentException("policy=null: must be one of " + Arrays.toString(OverflowPolicy.values()));
        }
        Capture capture = builder.build();
        ChannelCapture channel = new ChannelCapture(capture, capacity, policy);
        channel.thread.start();
        return channel;
    }

    /** Runs on the capture thread: batch after batch until closed or failed. */
    private void captureLoop() {
        Duration pollTimeout = rx.pollTimeout();
        try {
            while (!closed.get()) {
                try (PacketBatch batch = rx.nextBatchBlocking(pollTimeout)) {
                    if (batch != null && !enqueueAll(batch)) {
                        return;
                    }
                } catch (NetringException e) {
                    // A link that went down comes back (the kernel re-hooks the socket): keep
                    // capturing. A deleted interface is an InterfaceNotFoundException: it ends.
                    if (e instanceof InterfaceNotFoundException || e.errno() != Errno.ENETDOWN) {
                        throw e;
                    }
                    LOG.log(System.Logger.Level.INFO, rx + ": " + e.getMessage());
                }
            }
        } catch (InterruptedException | NetringException | RuntimeException | Error e) {
            // After close() these are the expected wake-ups (IllegalStateException from the
            // closed source); before it they are the capture's failure, for the consumers.
            if (!closed.get()) {
                LOG.log(System.Logger.Level.WARNING, "capture thread of " + this + " failed", e);
                queue.fail(e);
            }
        }
    }

    /**
     * Copies the whole batch first, then hands it to the queue in one go: one lock and one
     * consumer wake-up per batch rather than per packet.
     * @return false when the channel was closed meanwhile
     */
    private boolean enqueueAll(PacketBatch batch) throws InterruptedException {
        List<OwnedPacket> copies = new ArrayList<>(batch.size());
        for (Packet p : batch) {
            copies.add(p.toOwned());
        }
        return policy == OverflowPolicy.BLOCK ? queue.putAll(copies) : queue.offerAll(copies);
    }

    /**
     * Waits for the next packet.
     *
     * @throws IllegalStateException when the channel is closed, also while waiting
     * @throws NetringException when the capture thread failed (after the queued packets were read)
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public OwnedPacket recv() throws NetringException, InterruptedException {
        return orFailure(queue.take());
    }

    /**
     * Waits up to {@code timeout} for the next packet.
     *
     * @return the packet, or null when the time ran out
     * @throws IllegalArgumentException when {@code timeout} is null or negative
     * @throws IllegalStateException when the channel is closed, also while waiting
     * @throws NetringException when the capture thread failed (after the queued packets were read)
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public OwnedPacket recv(Duration timeout) throws NetringException, InterruptedException {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout=" + timeout + ": must be zero or positive");
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE;
        }
        return orFailure(queue.take(nanos));
    }

    /**
     * The next packet if one is queued, without waiting.
     *
     * @return the packet, or null when the queue is empty
     * @throws IllegalStateException when the channel is closed
     * @throws NetringException when the capture thread failed and the queue is drained
     */
    public OwnedPacket tryRecv() throws NetringException {
        return orFailure(queue.poll());
    }

    private OwnedPacket orFailure(OwnedPacket p) throws NetringException {
        if (p != PacketQueue.END) {
            return p;
        }
        if (closed.get()) {
            throw new IllegalStateException("ChannelCapture on " + rx.interfaceName() + " closed");
        }
        Throwable cause = queue.failure();
        String message = "the capture thread of ChannelCapture on " + rx.interfaceName() + " failed: " + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName());
        if (cause instanceof NetringException ne) {
            throw new NetringException(message, ne.call(), ne.errno(), ne);
        }
        throw new NetringException(message, "capture thread", 0, cause);
    }

    /**
     * The packets in arrival order, waiting for each. The iteration ends when the channel is
     * closed or the iterating thread is interrupted (its interrupt flag is then set again); a
     * capture failure surfaces as an {@link UncheckedIOException} wrapping the
     * {@link NetringException} {@link #recv()} would throw.
     */
    @Override
    public Iterator<OwnedPacket> iterator() {
        return new Iterator<>() {
            private OwnedPacket next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (ended) {
                    return false;
                }
                try {
                    next = recv();
                    return true;
                } catch (IllegalStateException closedMeanwhile) {
                    ended = true;
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ended = true;
                    return false;
                } catch (NetringException e) {
                    ended = true;
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public OwnedPacket next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                OwnedPacket p = next;
                next = null;
                return p;
            }
        };
    }

    /** Packets dropped because the queue was full (always 0 under {@link OverflowPolicy#BLOCK}). */
    public long dropped() { return queue.dropped(); }

    /** Packets queued now, waiting for a consumer. */
    public int queued() { return queue.size(); }

    /** The queue's capacity in packets, as built. */
    public int capacity() { return capacity; }

    /** What happens to a packet when the queue is full, as built. */
    public OverflowPolicy policy() { return policy; }

    /** The kernel's counters since the previous read (reading resets them); see {@link AfPacketRx#stats()}. */
    public CaptureStats stats() throws NetringException {
        return rx.stats();
    }

    /** The running sum of every {@link #stats()} reading. */
    public CaptureStats totalStats() { return rx.totalStats(); }

    /** The interface this capture reads. */
    public String interfaceName() { return rx.interfaceName(); }

    /** True once {@link #close()} has been called. */
    public boolean isClosed() { return closed.get(); }

    /**
     * Stops the capture thread, closes the socket and ring, and waits up to
     * {@link #CLOSE_JOIN_BOUND} for the thread to end. Queued packets are discarded; consumers
     * blocked in {@link #recv()} wake with an {@link IllegalStateException}. Idempotent and safe
     * from any thread.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        queue.close();          // wakes the consumers and a capture thread waiting for room
        capture.close();        // wakes a capture thread waiting in poll()
        Joins.awaitEnd(thread, CLOSE_JOIN_BOUND);
    }

    /** Whether the capture thread is still running (false soon after close or a failure). */
    public boolean isCapturing() { return thread.isAlive(); }

    @Override
    public String toString() {
        return "ChannelCapture[" + rx.interfaceName() + ", " + policy + ", capacity " + capacity
                + (closed.get() ? ", closed" : "") + "]";
    }
}
