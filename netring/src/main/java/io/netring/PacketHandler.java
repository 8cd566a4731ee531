package io.netring;

/**
 * Receives each packet of a batch through a reused {@link PacketView}, without allocating:
 * the zero-garbage path for hot loops.
 *
 * <pre>{@code
 * try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofMillis(100))) {
 *     if (batch != null) batch.dispatch(view -> bytes += view.length());
 * }
 * }</pre>
 */
@FunctionalInterface
public interface PacketHandler {
    /**
     * Handles one packet. Called on the thread that dispatches the batch, once per packet in
     * ring order; an exception thrown here ends the dispatch and reaches its caller.
     *
     * @param packet a flyweight re-pointed at each packet in turn; valid only during this call
     */
    void onPacket(PacketView packet);
}
