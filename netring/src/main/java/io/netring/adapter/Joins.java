package io.netring.adapter;

import java.time.Duration;

/** Waiting, bounded, for an adapter's own thread to end after it was told to stop. */
final class Joins {
    private static final System.Logger LOG = System.getLogger("io.netring");

    private Joins() {}

    /**
     * Waits up to {@code bound} for {@code thread} to end and logs a warning when it does not;
     * returns at once when called on {@code thread} itself (a callback closing its own adapter).
     * An interrupt ends the wait and stays set.
     */
    static void awaitEnd(Thread thread, Duration bound) {
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            if (!thread.join(bound)) {
                LOG.log(System.Logger.Level.WARNING, thread.getName() + " did not end within " + bound);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
