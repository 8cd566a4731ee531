package io.netring.xdp;

import io.netring.PacketBatch;
import io.netring.afpacket.ResourceGuard;

/**
 * The one batch an {@link XdpRx} has handed out, and the guard use it holds. Shared with the
 * queues, which clear it when the batch is closed; it refers to no {@link XdpRx}, so a leaked
 * handle can still be collected and cleaned.
 */
final class OpenBatch {
    private final ResourceGuard guard;
    private PacketBatch batch;

    OpenBatch(ResourceGuard guard) {
        this.guard = guard;
    }

    /** The open batch, or null. */
    PacketBatch get() {
        return batch;
    }

    /** {@code b} is handed out, holding a use of the guard (taken by the caller). */
    void set(PacketBatch b) {
        batch = b;
    }

    /** The batch was closed: its use of the guard ends. */
    void released() {
        batch = null;
        guard.release();
    }
}
