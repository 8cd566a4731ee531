package io.netring;

import io.netring.xdp.XdpTx;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;

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
 * <p>A thin layer over {@link AfPacketTx} (see {@link #unwrap()}), or over an AF_XDP
 * {@link XdpTx} ({@link #over(XdpTx)}); the same threading rules apply: one thread fills and
 * flushes, {@link #close()} may come from any thread.
 */
public final class Injector implements PacketSink, AutoCloseable {
    /** The AF_PACKET sender, or null when this injector sends through {@link #xdp}. */
    private final AfPacketTx tx;
    /** The AF_XDP sender, or null: one of the two is set, and each call tests which. */
    private final XdpTx xdp;

    Injector(AfPacketTx tx) {
        this.tx = tx;
        this.xdp = null;
    }

    private Injector(XdpTx xdp) {
        this.tx = null;
        this.xdp = xdp;
    }

    /** A builder with the defaults: 2048-byte frames, 1024 of them, through traffic control, strict. */
    public static InjectorBuilder builder() { return new InjectorBuilder(); }

    /** An injector on {@code interfaceName} with the defaults. */
    public static Injector open(String interfaceName) throws NetringException {
        return builder().interfaceName(interfaceName).build();
    }

    /**
     * An injector that sends through an AF_XDP socket's TX ring: slots are UMEM frames, written in
     * place; {@link #flush()} kicks the kernel and takes completed frames back (it returns how
     * many completed). The injector owns {@code tx}: closing either closes both.
     *
     * <pre>{@code
     * try (Injector inj = Injector.over(XdpTx.builder().interfaceName("eth0").queue(0).build())) { ... }
     * }</pre>
     */
    public static Injector over(XdpTx tx) {
        return new Injector(Objects.requireNonNull(tx, "tx"));
    }

    /** {@inheritDoc} */
    @Override
    public TxSlot allocate(int length) {
        return tx != null ? tx.allocate(length) : xdp.allocate(length);
    }

    /** {@inheritDoc} On AF_XDP: the frames completed during this call. */
    @Override
    public int flush() throws NetringException {
        return tx != null ? tx.flush() : xdp.flush();
    }

    /** {@inheritDoc} */
    @Override
    public boolean flushBlocking(Duration timeout) throws NetringException {
        return tx != null ? tx.flushBlocking(timeout) : xdp.flush(timeout);
    }

    /** Queues a copy of {@code frame}; see {@link AfPacketTx#send(MemorySegment)} and {@link XdpTx#send(MemorySegment)}. */
    public boolean send(MemorySegment frame) throws NetringException {
        return tx != null ? tx.send(frame) : xdp.send(frame);
    }

    /** Queues a copy of {@code frame}; see {@link AfPacketTx#send(MemorySegment)} and {@link XdpTx#send(MemorySegment)}. */
    public boolean send(byte[] frame) throws NetringException {
        return tx != null ? tx.send(frame) : xdp.send(frame);
    }

    /**
     * The low-level handle underneath (Rust: {@code into_inner}); closing either closes both.
     *
     * @throws IllegalStateException when this injector sends through AF_XDP ({@link #unwrapXdp()})
     */
    public AfPacketTx unwrap() {
        if (tx == null) {
            throw new IllegalStateException("this Injector sends through AF_XDP (" + xdp + "); use unwrapXdp()");
        }
        return tx;
    }

    /**
     * The AF_XDP sender underneath; closing either closes both.
     *
     * @throws IllegalStateException when this injector sends through AF_PACKET ({@link #unwrap()})
     */
    public XdpTx unwrapXdp() {
        if (xdp == null) {
            throw new IllegalStateException("this Injector sends through an AF_PACKET TX ring (" + tx + "); use unwrap()");
        }
        return xdp;
    }

    @Override
    public int fd() { return tx != null ? tx.fd() : xdp.fd(); }

    /** Frames the kernel has taken for sending (AF_XDP: frames queued on the TX ring). */
    public long framesSent() { return tx != null ? tx.framesSent() : xdp.framesSent(); }

    /** Frames skipped for being longer than the interface carries (AF_XDP: always 0, see {@link XdpTx#stats()}). */
    public long framesSkipped() { return tx != null ? tx.framesSkipped() : 0; }

    /** Slots given back with {@link TxSlot#discard()}. */
    public long framesDiscarded() { return tx != null ? tx.framesDiscarded() : xdp.framesDiscarded(); }

    /** Closes the socket and unmaps the ring; unflushed frames are dropped. Idempotent, any thread. */
    @Override
    public void close() {
        if (tx != null) {
            tx.close();
        } else {
            xdp.close();
        }
    }

    @Override
    public String toString() { return "Injector[" + (tx != null ? tx : xdp) + "]"; }
}
