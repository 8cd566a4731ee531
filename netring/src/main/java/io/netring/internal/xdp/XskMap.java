package io.netring.internal.xdp;

import io.netring.NetringException;
import io.netring.internal.linux.Bpf;

import static io.netring.internal.linux.LinuxConstants.BPF_MAP_TYPE_XSKMAP;

/**
 * A {@code BPF_MAP_TYPE_XSKMAP}: RX queue id to AF_XDP socket, what the redirect program
 * looks up for each frame. A queue with no socket in it passes its frames to the kernel's
 * stack (the program's fallback action).
 */
public final class XskMap implements AutoCloseable {
    private final int fd;
    private final int size;
    private boolean closed;

    private XskMap(int fd, int size) {
        this.fd = fd;
        this.size = size;
    }

    /** A map with slots for queues 0 to {@code size - 1}. */
    public static XskMap create(int size) throws NetringException {
        if (size <= 0) {
            throw new IllegalArgumentException("size=" + size + ": an XSKMAP needs at least one slot");
        }
        return new XskMap(Bpf.createMap(BPF_MAP_TYPE_XSKMAP, Integer.BYTES, Integer.BYTES, size, "netring_xsks"), size);
    }

    /** Sends queue {@code queue}'s frames to socket {@code xskFd}. */
    public void put(int queue, int xskFd) throws NetringException {
        checkQueue(queue);
        Bpf.updateElement(fd, queue, xskFd);
    }

    /** Stops sending queue {@code queue}'s frames to a socket. */
    public void remove(int queue) throws NetringException {
        checkQueue(queue);
        Bpf.deleteElement(fd, queue);
    }

    private void checkQueue(int queue) {
        if (queue < 0 || queue >= size) {
            throw new IllegalArgumentException("queue=" + queue + ": this XSKMAP has slots for queues 0 to " + (size - 1));
        }
    }

    /** The map's fd, for the program that looks it up. */
    public int fd() {
        return fd;
    }

    /** Closes the fd; a loaded program keeps its own reference to the map. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Bpf.close(fd);
        }
    }
}
