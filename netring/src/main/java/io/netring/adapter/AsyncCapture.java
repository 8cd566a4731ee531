package io.netring.adapter;

import io.netring.AfPacketRx;
import io.netring.InterfaceNotFoundException;
import io.netring.NetringException;
import io.netring.OwnedPacket;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.PacketSource;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.LinuxErrors;
import io.netring.internal.linux.LinuxSocket;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import static io.netring.internal.linux.LinuxConstants.EPOLLERR;
import static io.netring.internal.linux.LinuxConstants.EPOLLHUP;

/**
 * Packet readiness as {@link CompletableFuture}s, from one epoll reactor thread shared by every
 * AsyncCapture in the process (not a thread per capture, not a thread parked in {@code poll()}).
 *
 * <pre>{@code
 * // zero copy: wait for a ready block, then read it in place on your own thread
 * try (AsyncCapture async = AsyncCapture.of(AfPacketRx.builder().interfaceName("eth0").build())) {
 *     while (running) {
 *         async.readable().join();                       // a virtual thread unmounts here
 *         try (PacketBatch batch = async.source().nextBatch()) {
 *             if (batch != null) for (Packet p : batch) process(p.data());
 *         }
 *     }
 * }
 *
 * // owned: the reactor copies a whole block for you
 * List<OwnedPacket> packets = async.recv().join();
 * }</pre>
 *
 * <p>Futures complete on the reactor thread: keep non-async dependent actions short, or use the
 * {@code *Async} variants. Cancelling a future withdraws its request; {@link #close()} fails the
 * pending ones with an IllegalStateException and closes the source; a socket error (interface
 * down or gone) fails them with a {@link NetringException}, and later requests wait again.
 */
public final class AsyncCapture implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.netring");

    private enum Mode { ZERO_COPY, OWNED }

    private final PacketSource source;
    private final int fd;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<CompletableFuture<Void>> readableWaiters = new ArrayList<>();
    private final ArrayDeque<CompletableFuture<List<OwnedPacket>>> recvWaiters = new ArrayDeque<>();
    /** Copied batches whose future was cancelled at the last moment, kept for the next recv(). */
    private final ArrayDeque<List<OwnedPacket>> unclaimed = new ArrayDeque<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile EpollReactor.Key key;
    private Mode mode;
    private boolean closed;
    private Throwable reactorFailure;

    private AsyncCapture(PacketSource source, int fd) {
        this.source = source;
        this.fd = fd;
        this.name = source.toString();
    }

    /**
     * Registers {@code source} with the shared reactor (starting it if needed). The AsyncCapture
     * owns the source from now on: closing it closes the source. Close the AsyncCapture rather
     * than the source: the kernel drops a closed fd from epoll without a word, so futures
     * pending at that moment would only end with {@link #close()}.
     *
     * @throws IllegalArgumentException when {@code source} is null
     * @throws IllegalStateException when {@code source} is closed
     * @throws NetringException when epoll refuses the source's fd
     */
    public static AsyncCapture of(PacketSource source) throws NetringException {
        if (source == null) {
            throw new IllegalArgumentException("source=null: pass an open PacketSource, e.g. AfPacketRx.builder()...build()");
        }
        AsyncCapture async = new AsyncCapture(source, source.fd());
        async.key = EpollReactor.register(async.fd, async.new Events());
        return async;
    }

    /** Set on the reactor thread (under the lock) once the source's interface was seen deleted. */
    private InterfaceNotFoundException interfaceGone;

    /** The source, for {@code nextBatch()} after {@link #readable()} completed. */
    public PacketSource source() { return source; }

    /**
     * A future that completes when the ring has a block ready, on the reactor thread; then call
     * {@code source().nextBatch()} on your own thread. It completes at once (shortly) when a
     * block is already waiting, including one you still hold open: close your batch before
     * asking again.
     *
     * @throws IllegalStateException when closed, or when {@link #recv()} is already in use here
     */
    public CompletableFuture<Void> readable() {
        return await(Mode.ZERO_COPY, readableWaiters, null);
    }

    /**
     * A future for the packets of the next ready block, copied out of the ring on the reactor
     * thread (the block goes straight back to the kernel). Several pending calls are served in
     * order, one block each.
     *
     * @throws IllegalStateException when closed, or when {@link #readable()} is already in use here
     */
    public CompletableFuture<List<OwnedPacket>> recv() {
        return await(Mode.OWNED, recvWaiters, unclaimed);
    }

    /**
     * Under the lock: a failed future once the capture has failed, a result {@code ready} already
     * holds, or else a new future queued in {@code waiters} and the reactor asked for readiness.
     */
    private <T> CompletableFuture<T> await(Mode wanted, Collection<CompletableFuture<T>> waiters, Queue<T> ready) {
        CompletableFuture<T> f = new CompletableFuture<>();
        List<Runnable> completions = new ArrayList<>();
        lock.lock();
        try {
            checkUsable(wanted);
            if (interfaceGone != null) {
                return CompletableFuture.failedFuture(interfaceGone);
            }
            if (reactorFailure != null) {
                return CompletableFuture.failedFuture(reactorFailure);
            }
            if (ready != null && !ready.isEmpty()) {
                return CompletableFuture.completedFuture(ready.poll());
            }
            waiters.removeIf(CompletableFuture::isDone);
            waiters.add(f);
            armLocked(completions);
        } finally {
            lock.unlock();
        }
        completions.forEach(Runnable::run);
        return f;
    }

    private void checkUsable(Mode wanted) {
        if (closed) {
            throw new IllegalStateException("AsyncCapture on " + name + " closed");
        }
        if (mode != null && mode != wanted) {
            throw new IllegalStateException("AsyncCapture on " + name + " is in use with "
                    + (mode == Mode.ZERO_COPY ? "readable()" : "recv()") + "; "
                    + (wanted == Mode.ZERO_COPY ? "readable()" : "recv()")
                    + " would take blocks on a second thread: use one pattern per AsyncCapture");
        }
        mode = wanted;
    }

    /** Asks the reactor for one more readiness report; on failure fails what is pending. */
    private void armLocked(List<Runnable> completions) {
        try {
            key.arm();
        } catch (NetringException | RuntimeException e) {
            failPendingLocked(e, completions);
        }
    }

    private void failPendingLocked(Throwable cause, List<Runnable> completions) {
        for (CompletableFuture<Void> f : readableWaiters) {
            completions.add(() -> f.completeExceptionally(cause));
        }
        readableWaiters.clear();
        for (CompletableFuture<List<OwnedPacket>> f : recvWaiters) {
            completions.add(() -> f.completeExceptionally(cause));
        }
        recvWaiters.clear();
    }

    /** Runs on the reactor thread for each readiness report. */
    private void onEvents(int events) {
        List<Runnable> completions = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if ((events & (EPOLLERR | EPOLLHUP)) != 0) {
                Throwable error = socketError(events);
                if (error != null) {
                    failPendingLocked(error, completions);
                    return;
                }
            }
            for (CompletableFuture<Void> f : readableWaiters) {
                completions.add(() -> f.complete(null));
            }
            readableWaiters.clear();
            if (mode == Mode.OWNED) {
                deliverLocked(completions);
            }
            if (!recvWaiters.isEmpty()) {
                armLocked(completions);
            }
        } finally {
            lock.unlock();
            completions.forEach(Runnable::run);
        }
    }

    /** Copies one ready block per waiting recv() future while blocks are ready. */
    private void deliverLocked(List<Runnable> completions) {
        for (;;) {
            recvWaiters.removeIf(CompletableFuture::isDone);
            if (recvWaiters.isEmpty()) {
                return;
            }
            List<OwnedPacket> packets;
            try {
                packets = takeBatch();
            } catch (NetringException | RuntimeException e) {
                failPendingLocked(e, completions);
                return;
            }
            if (packets == null) {
                return;
            }
            if (packets.isEmpty()) {
                continue;
            }
            CompletableFuture<List<OwnedPacket>> f = recvWaiters.poll();
            completions.add(() -> {
                if (!f.complete(packets)) {
                    reclaim(packets);     // cancelled between our check and now
                }
            });
        }
    }

    private List<OwnedPacket> takeBatch() throws NetringException {
        try (PacketBatch batch = source.nextBatch()) {
            if (batch == null) {
                return null;
            }
            List<OwnedPacket> packets = new ArrayList<>(batch.size());
            for (Packet p : batch) {
                packets.add(p.toOwned());
            }
            return packets;
        }
    }

    /** Gives a copied block whose future was cancelled to the next waiter, or keeps it for the next recv(). */
    private void reclaim(List<OwnedPacket> packets) {
        CompletableFuture<List<OwnedPacket>> next;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            recvWaiters.removeIf(CompletableFuture::isDone);
            next = recvWaiters.poll();
            if (next == null) {
                unclaimed.addFirst(packets);
                return;
            }
        } finally {
            lock.unlock();
        }
        if (!next.complete(packets)) {
            reclaim(packets);
        }
    }

    /** The error behind EPOLLERR/EPOLLHUP, or null when the socket has none (any more). */
    private Throwable socketError(int events) {
        int err = LinuxSocket.pendingError(fd);
        if (err == Errno.ENETDOWN && source instanceof AfPacketRx rx) {
            try {
                rx.checkInterface();
            } catch (InterfaceNotFoundException deleted) {
                interfaceGone = deleted;        // every later request fails with it at once
                return deleted;
            } catch (IllegalStateException closedMeanwhile) {
                // reported as the socket error below
            }
        }
        if (err != 0) {
            return new NetringException("socket error on " + name + " (" + LinuxErrors.describe(err) + ")",
                    "epoll_wait(EPOLLERR)", err);
        }
        if ((events & EPOLLHUP) != 0) {
            return new NetringException("the socket of " + name + " hung up", "epoll_wait(EPOLLHUP)", 0);
        }
        return null;
    }

    /** True once {@link #close()} has been called (the reading thread may still be finishing). */
    public boolean isClosed() { return closing.get(); }

    /**
     * Fails every pending future with an {@link IllegalStateException}, leaves the reactor
     * (stopping its thread when this was the last capture) and closes the source. Idempotent and
     * safe from any thread, also from a callback running on the reactor thread.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        List<Runnable> completions = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            failPendingLocked(new IllegalStateException("AsyncCapture on " + name + " closed"), completions);
            unclaimed.clear();
        } finally {
            lock.unlock();
        }
        EpollReactor.Key k = key;
        if (k != null) {
            EpollReactor.deregister(k);      // before the fd is closed
        }
        if (source instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + name + " failed", e);
            }
        }
        completions.forEach(Runnable::run);
    }

    @Override
    public String toString() { return "AsyncCapture[" + name + (closing.get() ? ", closed" : "") + "]"; }

    /** The reactor's view of this capture. */
    private final class Events implements EpollReactor.Handler {
        @Override
        public void onEvents(int events) {
            AsyncCapture.this.onEvents(events);
        }

        @Override
        public void onReactorFailure(Throwable cause) {
            List<Runnable> completions = new ArrayList<>();
            lock.lock();
            try {
                reactorFailure = cause;
                failPendingLocked(cause, completions);
            } finally {
                lock.unlock();
            }
            completions.forEach(Runnable::run);
        }
    }
}
