package io.netring.afpacket;

import java.lang.ref.Cleaner;

/**
 * The one {@link Cleaner} for every native resource netring owns (sockets, rings, program fds)
 * and its one leak action: when a handle becomes unreachable without {@code close()}, close its
 * {@link ResourceGuard} (which frees the resource once no use is left) and say so.
 */
public final class Leaks {
    private static final System.Logger LOG = System.getLogger("io.netring");
    private static final Cleaner CLEANER = Cleaner.create();

    private Leaks() {}

    /**
     * Watches {@code handle}. Its {@code close()} closes {@code guard} first, then calls
     * {@link Cleaner.Cleanable#clean()} on the result, which then finds nothing left to do.
     *
     * @param owner the handle in a message, e.g. {@code an AfPacketRx on eth0}
     * @param freed what closing the guard frees, e.g. {@code closed its socket and unmapped its ring}
     */
    public static Cleaner.Cleanable watch(Object handle, ResourceGuard guard, String owner, String freed) {
        return CLEANER.register(handle, new LeakAction(guard, owner, freed));
    }

    /** Holds no reference to the handle, or the handle could never become unreachable. */
    private record LeakAction(ResourceGuard guard, String owner, String freed) implements Runnable {
        @Override
        public void run() {
            // A batch or slot left open counts as a use, but it went unreachable with the handle.
            if (guard.closeLeaked()) {
                LOG.log(System.Logger.Level.WARNING, owner + " was not closed; the cleaner " + freed);
            }
        }
    }
}
