package io.netring.afpacket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counts the operations currently using a native resource (an fd, a mapping) and frees it
 * exactly once, when it is both closed and unused.
 *
 * <p>This is what lets {@code close()} come from any thread at any time without a crash: a
 * thread that is reading a block or waiting in {@code poll()} holds a use, so the mapping and
 * the fd outlive it; the last use to leave after {@code close()} runs the release.
 *
 * <p>State word: bit 0 is "closed", the rest counts uses in steps of two. A compare-and-set
 * loop moves it, as Netty's {@code FileDescriptor} does, so a second close is harmless.
 */
public final class ResourceGuard {
    private static final int CLOSED = 1;
    private static final int ONE_USE = 2;

    private static final VarHandle STATE = FieldHandles.of(MethodHandles.lookup(), "state", int.class);

    /**
     * The state word, a field of this object rather than an AtomicInteger beside it, so that
     * {@link #isClosed()} (on the TX producer's path for every frame) is one load, not two.
     */
    private volatile int state;
    private final Runnable release;

    /** @param release frees the resource; runs once, on whichever thread drops the last use */
    public ResourceGuard(Runnable release) {
        this.release = release;
    }

    /** Takes a use; false when already closed. */
    public boolean tryAcquire() {
        for (;;) {
            int s = state;
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s + ONE_USE)) {
                return true;
            }
        }
    }

    /** Takes a use, or throws {@link IllegalStateException} naming {@code what} when closed. */
    public void acquire(String what) {
        if (!tryAcquire()) {
            throw new IllegalStateException(what + " is closed");
        }
    }

    /** Drops a use taken by {@link #tryAcquire()}; frees the resource if it was the last after close. */
    public void release() {
        if ((int) STATE.getAndAdd(this, -ONE_USE) - ONE_USE == CLOSED) {
            release.run();
        }
    }

    /**
     * Marks the resource closed. Frees it now when no one uses it, otherwise the last user does.
     * @return true for the call that closed it, false for every later call
     */
    public boolean close() {
        for (;;) {
            int s = state;
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s | CLOSED)) {
                if (s == 0) {
                    release.run();
                }
                return true;
            }
        }
    }

    /**
     * For a Cleaner: the handle became unreachable without {@code close()}. Uses still counted
     * (a batch or a slot left open and dropped with the handle) can never be given back, so this
     * closes and frees now instead of waiting for them. Nothing happens when the handle was
     * closed already (its own close path decides then).
     * @return true when this call closed and freed the resource
     */
    public boolean closeLeaked() {
        for (;;) {
            int s = state;
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, CLOSED)) {
                release.run();
                return true;
            }
        }
    }

    public boolean isClosed() {
        return (state & CLOSED) != 0;
    }
}
