/**
 * Packet capture and injection on Linux through AF_PACKET TPACKET_V3 rings: the kernel writes
 * packets into memory shared with the process, and netring reads them in place.
 *
 * <p>Receiving, from the simplest to the most direct:
 * <ul>
 *   <li>{@link io.netring.Capture} ({@link io.netring.Capture#open(String)} or
 *       {@link io.netring.Capture#builder()}): a stream or iterator of {@link io.netring.Packet}s
 *       that waits for traffic and hands blocks back to the kernel itself;</li>
 *   <li>{@link io.netring.AfPacketRx}: one {@link io.netring.PacketBatch} (a ring block) at a
 *       time, iterated as {@code Packet}s or walked without allocating through
 *       {@link io.netring.PacketBatch#dispatch(PacketHandler)} and a reused
 *       {@link io.netring.PacketView}.</li>
 * </ul>
 * Both are configured the same way ({@link io.netring.AbstractRxBuilder}: interface, ring
 * geometry or a {@link io.netring.RingProfile}, fanout, filters, timestamps) and report
 * {@link io.netring.CaptureStats}. A packet's bytes live in the ring: they are valid until its
 * batch is released, and {@link io.netring.Packet#toOwned()} copies one that must outlive it.
 *
 * <p>Sending: {@link io.netring.Injector} copies frames into a TX ring and flushes them;
 * {@link io.netring.AfPacketTx} lets the caller write each frame into its ring slot
 * ({@link io.netring.TxSlot}) directly.
 *
 * <p>Failures of system calls are {@link io.netring.NetringException}s carrying the call and the
 * errno ({@link io.netring.PermissionDeniedException} names the missing capability,
 * {@link io.netring.InterfaceNotFoundException} the interface). Handles are meant for one
 * thread; closing one is safe from any thread. {@link io.netring.PacketSource} and
 * {@link io.netring.PacketSink} are what the saved-traffic, flow and adapter packages build on.
 */
package io.netring;
