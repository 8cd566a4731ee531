package io.netring.internal.xdp;

import io.netring.NetringException;
import io.netring.afpacket.Leaks;
import io.netring.afpacket.ResourceGuard;
import io.netring.internal.linux.Bpf;

import java.lang.ref.Cleaner;

import static io.netring.internal.linux.LinuxConstants.BPF_MAP_TYPE_XSKMAP;

/**
 * A {@code BPF_MAP_TYPE_XSKMAP}: RX queue (u32 key) to AF_XDP socket (u32 fd as value), what the
 * redirect program looks up for each frame. A queue with no socket in it passes its frames to
 * the kernel's stack (the program's fallback action). Only a bound AF_XDP socket goes in.
 */
public final class XskMap implements AutoCloseable {
    private final int fd;
    private final int size;
    private final ResourceGuard guard;
    private final Cleaner.Cleanable cleanable;

    private XskMap(int fd, int size) {
        this.fd = fd;
        this.size = size;
        this.guard = new ResourceGuard(() -> Bpf.close(fd));
        this.cleanable = Leaks.watch(this, guard, "an XSKMAP (fd " + fd + ")", "closed its fd");
    }

    /** A map with slots for queues 0 to {@code size - 1}. */
    public static XskMap create(int size) throws NetringException {
        if (size <= 0) {
            throw new IllegalArgumentException("size=" + size + ": an XSKMAP needs at least one slot");
        }
        return new XskMap(Bpf.createMap(BPF_MAP_TYPE_XSKMAP, Integer.BYTES, Integer.BYTES, size, "netring_xsks"), size);
    }

    /**
     * A map with a slot for every RX queue of {@code interfaceName} (in the calling thread's
     * namespace), one slot when the driver does not say how many it has.
     */
    public static XskMap forInterface(String interfaceName) throws NetringException {
        return create(Math.max(1, XskBindErrors.rxQueueCount(interfaceName)));
    }

    /** Sends queue {@code queue}'s frames to the bound AF_XDP socket {@code xskFd}, replacing any before it. */
    public void put(int queue, int xskFd) throws NetringException {
        checkQueue(queue);
        Bpf.updateElement(fd(), queue, xskFd);
    }

    /** Stops sending queue {@code queue}'s frames to a socket; an empty slot stays empty. */
    public void remove(int queue) throws NetringException {
        checkQueue(queue);
        Bpf.deleteElement(fd(), queue);
    }

    private void checkQueue(int queue) {
        if (queue < 0 || queue >= size) {
            throw new IllegalArgumentException("queue=" + queue + ": this XSKMAP has slots for queues 0 to " + (size - 1));
        }
    }

    /** How many queues the map has slots for. */
    public int size() {
        return size;
    }

    /** The map's fd, for the program that looks it up; throws IllegalStateException once closed. */
    public int fd() {
        if (guard.isClosed()) {
            throw new IllegalStateException("the XSKMAP (fd " + fd + ") is closed");
        }
        return fd;
    }

    /** Closes the fd; a loaded program keeps its own reference to the map. Idempotent, from any thread. */
    @Override
    public void close() {
        guard.close();
        cleanable.clean();
    }
}
