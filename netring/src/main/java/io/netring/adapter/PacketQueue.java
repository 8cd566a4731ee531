package io.netring.adapter;

import io.netring.OwnedPacket;
import io.netring.Timestamp;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The bounded queue between a {@link ChannelCapture}'s capture thread and its consumers.
 *
 * <p>Unlike a {@code BlockingQueue} it has an end: {@link #close()} wakes every waiter on both
 * sides at once, and {@link #fail(Throwable)} lets consumers drain what was queued before they
 * see the failure. A {@link ReentrantLock} rather than {@code synchronized}, so a virtual thread
 * waiting in {@link #take(long)} unmounts.
 */
final class PacketQueue {
    /** Returned by {@link #take} and {@link #poll} once the queue is closed, or failed and drained. */
    static final OwnedPacket END = new OwnedPacket(new byte[0], new Timestamp(0, 0), 0);

    private final OwnedPacket[] items;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private int head;
    private int count;
    private boolean closed;
    private Throwable failure;
    private long dropped;

    PacketQueue(int capacity) {
        this.items = new OwnedPacket[capacity];
    }

    /**
     * Appends all of {@code packets} in order, waiting for room whenever the queue is full;
     * takes the lock and wakes consumers once per stretch that fits rather than once per packet.
     * @return false when the queue was closed meanwhile
     */
    boolean putAll(List<OwnedPacket> packets) throws InterruptedException {
        int next = 0;
        lock.lockInterruptibly();
        try {
            while (next < packets.size()) {
                while (count == items.length && !closed) {
                    notFull.await();
                }
                if (closed) {
                    return false;
                }
                int room = items.length - count;
                int end = Math.min(packets.size(), next + room);
                for (; next < end; next++) {
                    items[(head + count) % items.length] = packets.get(next);
                    count++;
                }
                notEmpty.signalAll();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends what fits of {@code packets}, in order, and counts the rest as dropped.
     * @return false when the queue is closed
     */
    boolean offerAll(List<OwnedPacket> packets) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            int fit = Math.min(packets.size(), items.length - count);
            for (int i = 0; i < fit; i++) {
                items[(head + count) % items.length] = packets.get(i);
                count++;
            }
            dropped += packets.size() - fit;
            if (fit > 0) {
                notEmpty.signalAll();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private OwnedPacket dequeue() {
        OwnedPacket p = items[head];
        items[head] = null;
        head = (head + 1) % items.length;
        count--;
        notFull.signal();
        return p;
    }

    /**
     * Waits up to {@code nanos} for a packet.
     * @return the packet, null when the time ran out, or {@link #END}
     */
    OwnedPacket take(long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (count == 0 && !closed && failure == null) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return closed || count == 0 ? END : dequeue();
        } finally {
            lock.unlock();
        }
    }

    /** Waits as long as it takes; returns the packet or {@link #END}. */
    OwnedPacket take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (count == 0 && !closed && failure == null) {
                notEmpty.await();
            }
            return closed || count == 0 ? END : dequeue();
        } finally {
            lock.unlock();
        }
    }

    /** A packet if one is queued, null when empty, {@link #END} when closed or failed and drained. */
    OwnedPacket poll() {
        lock.lock();
        try {
            if (closed || (count == 0 && failure != null)) {
                return END;
            }
            return count == 0 ? null : dequeue();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the queue for the producer: consumers get what is queued, then {@link #END}. */
    void fail(Throwable cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the queue for everyone and discards what is queued; wakes every waiter. */
    void close() {
        lock.lock();
        try {
            closed = true;
            Arrays.fill(items, null);
            count = 0;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The capture thread's failure, or null. */
    Throwable failure() {
        return read(() -> failure);
    }

    long dropped() {
        return read(() -> dropped);
    }

    int size() {
        return read(() -> count);
    }

    /** A status field read under the lock (not on the packet path, so the lambda costs nothing that matters). */
    private <T> T read(Supplier<T> field) {
        lock.lock();
        try {
            return field.get();
        } finally {
            lock.unlock();
        }
    }
}
