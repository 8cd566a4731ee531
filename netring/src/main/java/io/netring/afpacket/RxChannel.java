package io.netring.afpacket;

import io.netring.NetringException;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.EventFd;
import io.netring.internal.linux.LinuxErrors;
import io.netring.internal.linux.PollSet;


import static io.netring.internal.linux.LinuxConstants.POLLERR;
import static io.netring.internal.linux.LinuxConstants.POLLIN;
import static io.netring.internal.linux.LinuxConstants.TPACKET_V3;

/**
 * An open AF_PACKET receive socket with its mapped TPACKET_V3 ring and the eventfd that wakes a
 * waiter: everything {@code AfPacketRx} delegates to. {@link #open} is the whole set-up, in the
 * order docs/ARCHITECTURE.md gives, and undoes what it did when a step fails.
 *
 * <p>One reader thread calls {@link #await} and {@link #drain}; {@link #wake()} may come from any
 * thread. The owner's {@link ResourceGuard} decides when {@link #close()} runs.
 *
 * @param pollSet entry 0 the socket, entry 1 the eventfd
 * @param fanoutGroupId the fanout group joined, as the kernel reports it; -1 when none
 */
public record RxChannel(PacketSocket socket, RingMapping mapping, RxRing ring, EventFd wakeup, PollSet pollSet,
                        int fanoutGroupId) {
    /** What ended an {@link #await}. */
    public enum Wait {
        /** The socket is readable: a block may be ready. */
        READABLE,
        /** {@link #wake()} was called. */
        WOKEN,
        /** The time ran out, or a signal interrupted the wait. */
        TIMED_OUT
    }

    /** Opens socket and ring for {@code config}; closes everything on failure. */
    public static RxChannel open(RxConfig config) throws NetringException {
        PacketSocket socket = PacketSocket.open(config.interfaceName());
        RingMapping mapping = null;
        EventFd wakeup = null;
        try {
            socket.setVersion(TPACKET_V3);
            // PACKET_RESERVE is refused once a ring exists.
            if (config.reserve() > 0) {
                socket.setReserve(config.reserve());
            }
            if (config.timestamping() != 0) {
                socket.setTimestamping(config.timestamping(), config.timestampName());
            }
            if (config.ignoreOutgoing()) {
                socket.setIgnoreOutgoing();
            }
            if (config.busyPollMicros() > 0) {
                socket.setBusyPoll(config.busyPollMicros());
            }
            // The filter goes on before the ring, so not one packet reaches the ring unfiltered.
            SocketFilters.attach(socket, config.filter());
            RxRingSetup.Result ringResult = RxRingSetup.create(socket, config);
            mapping = ringResult.mapping();
            wakeup = new EventFd();
            socket.bind();
            if (config.promiscuous()) {
                socket.setPromiscuous(true);
            }
            // The kernel only lets a bound socket join a fanout group.
            int groupId = config.fanout() == null ? -1 : Fanout.join(socket, config.fanout());
            // Last, because a locked socket also refuses a new fanout program.
            if (config.filter().lock()) {
                socket.lockFilter();
            }
            RingGeometry g = ringResult.geometry();
            return new RxChannel(socket, mapping, new RxRing(mapping.raw(), g.blockSize(), g.blockCount()), wakeup,
                    new PollSet(POLLIN, socket.fd(), wakeup.fd()), groupId);
        } catch (NetringException | RuntimeException e) {
            if (wakeup != null) {
                wakeup.close();
            }
            RingMapping.unmapThenClose(mapping, socket);
            throw e;
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for the socket or a {@link #wake()}.
     * @return what ended the wait
     * @throws NetringException when poll fails, or on a socket error (interface down or gone)
     */
    public Wait await(int timeoutMillis) throws NetringException {
        int r = pollSet.poll(2, timeoutMillis);
        if (r == -Errno.EINTR || r == 0) {
            return Wait.TIMED_OUT;
        }
        if (r < 0) {
            throw LinuxErrors.exception("poll", -r);
        }
        if ((pollSet.revents(0) & POLLERR) != 0) {
            throw socketError();
        }
        return pollSet.revents(1) != 0 ? Wait.WOKEN : Wait.READABLE;
    }

    private NetringException socketError() throws NetringException {
        int err = socket.pendingError();
        String name = socket.interfaceName();
        String what = switch (err) {
            case Errno.ENETDOWN -> "interface " + name + " went down; capture resumes when it comes back up";
            case Errno.ENXIO, Errno.ENODEV -> "interface " + name + " disappeared";
            default -> "socket error on " + name;
        };
        return LinuxErrors.failure(what + " (" + LinuxErrors.describe(err) + ")", "poll(POLLERR)", err);
    }

    /** Makes every later {@link #await} return {@link Wait#WOKEN} at once. */
    public void wake() {
        wakeup.signal();
    }

    /**
     * After a reject-all filter went on, gives every block holding packets of the old filter back
     * to the kernel ({@link FilterSwapDrain}).
     *
     * @param blockTimeoutMillis the ring's block timeout (0: derived by the kernel)
     * @return the number of packets dropped
     */
    public long drain(int blockTimeoutMillis) {
        return FilterSwapDrain.drain(ring, mapping.raw(), pollSet, blockTimeoutMillis, socket.interfaceName());
    }

    /**
     * After the interface was deleted, waits (bounded) for the kernel to retire the block it was
     * filling ({@link FilterSwapDrain#awaitLastBlock}); true when a block is ready.
     */
    public boolean awaitLastBlock(int blockTimeoutMillis) {
        return FilterSwapDrain.awaitLastBlock(ring, mapping.raw(), blockTimeoutMillis);
    }

    /** Unmaps the ring, then closes the socket (as the kernel's examples do) and the eventfd. */
    public void close() {
        RingMapping.unmapThenClose(mapping, socket);
        wakeup.close();
    }
}
