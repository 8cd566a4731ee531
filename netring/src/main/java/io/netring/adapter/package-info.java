/**
 * Adapters that move captured packets to other threads and programming models.
 *
 * <ul>
 *   <li>{@link io.netring.adapter.ChannelCapture}: a capture thread feeding a bounded queue of
 *       {@link io.netring.OwnedPacket}s, read with blocking {@code recv()} or as an
 *       {@code Iterable}.</li>
 *   <li>{@link io.netring.adapter.AsyncCapture}: readiness from one shared epoll reactor thread,
 *       handed out as {@link java.util.concurrent.CompletableFuture}s; virtual threads that join
 *       them unmount while they wait.</li>
 *   <li>{@link io.netring.adapter.PacketPublisher}: a {@link java.util.concurrent.Flow.Publisher}
 *       over an {@code AsyncCapture} that takes blocks from the ring only as fast as its
 *       subscriber asks for packets.</li>
 * </ul>
 */
package io.netring.adapter;
