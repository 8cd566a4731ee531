package io.netring;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * Packet injection, the high-level way: fill frames of a TX ring, flush them to the kernel.
 *
 * <pre>{@code
 * try (Injector inj = Injector.builder().interfaceName("eth0").qdiscBypass(true).build()) {
 *     for (byte[] frame : frames) {
 *         if (!inj.send(frame)) {             // ring full even after a flush
 *             inj.flushBlocking(Duration.ofMillis(10));
 *             inj.send(frame);
 *         }
 *     }
 *     inj.flushBlocking(Duration.ofSeconds(1));
 * }
 *
 * // zero-copy: write straight into the ring
 * TxSlot slot = inj.allocate(64);
 * if (slot != null) {
 *     MemorySegment d = slot.data();
 *     // ... write 64 bytes, from the Ethernet header on ...
 *     slot.send();
 * }
 * inj.flush();
 * }</pre>
 *
 * <p>A thin layer over {@link AfPacketTx} (see {@link #unwrap()}); the same threading rules
 * apply: one thread fills and flushes, {@link #close()} may come from any thread.
 */
public final class Injector implements PacketSink, AutoCloseable {
    private final AfPacketTx tx;

    Injector(AfPacketTx tx) {
        this.tx = tx;
    }

    /** A builder with the defaults: 2048-byte frames, 1024 of them, through traffic control, strict. */
    public static InjectorBuilder builder() { return new InjectorBuilder(); }

    /** An injector on {@code interfaceName} with the defaults. */
    public static Injector open(String interfaceName) throws NetringException {
        return builder().interfaceName(interfaceName).build();
    }

    /** {@inheritDoc} */
    @Override
    public TxSlot allocate(int length) {
        return tx.allocate(length);
    }

    /** {@inheritDoc} */
    @Override
    public int flush() throws NetringException {
        return tx.flush();
    }

    /** {@inheritDoc} */
    @Override
    public boolean flushBlocking(Duration timeout) throws NetringException {
        return tx.flushBlocking(timeout);
    }

    /** Queues a copy of {@code frame}; see {@link AfPacketTx#send(MemorySegment)}. */
    public boolean send(MemorySegment frame) throws NetringException {
        return tx.send(frame);
    }

    /** Queues a copy of {@code frame}; see {@link AfPacketTx#send(MemorySegment)}. */
    public boolean send(byte[] frame) throws NetringException {
        return tx.send(frame);
    }

    /** The low-level handle underneath (Rust: {@code into_inner}); closing either closes both. */
    public AfPacketTx unwrap() { return tx; }

    @Override
    public int fd() { return tx.fd(); }

    /** Frames the kernel has taken for sending. */
    public long framesSent() { return tx.framesSent(); }

    /** Frames skipped for being longer than the interface carries. */
    public long framesSkipped() { return tx.framesSkipped(); }

    /** Slots given back with {@link TxSlot#discard()}. */
    public long framesDiscarded() { return tx.framesDiscarded(); }

    /** Closes the socket and unmaps the ring; unflushed frames are dropped. Idempotent, any thread. */
    @Override
    public void close() {
        tx.close();
    }

    @Override
    public String toString() { return "Injector[" + tx + "]"; }
}
