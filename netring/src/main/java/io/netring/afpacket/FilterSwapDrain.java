package io.netring.afpacket;

import io.netring.internal.linux.PollSet;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Empties an RX ring after a reject-all filter went on, the middle step of replacing a filter
 * on a live socket without letting through a packet the new filter rejects (as libpcap does);
 * and waits for the last block after the interface was deleted. Both wait for the kernel's
 * timer, the only one that retires the block it is filling when no more packets come.
 */
final class FilterSwapDrain {
    private static final System.Logger LOG = System.getLogger("io.netring");
    /** Upper bound of the block timeout the kernel derives when asked for 0 (8 ms on unknown links). */
    private static final int DERIVED_BLOCK_TIMEOUT_BOUND_MS = 100;
    private static final int DRAIN_SLACK_MS = 50;
    /** Time for packets that passed the old filter on another CPU to land before the ring is inspected. */
    private static final int SWAP_GRACE_MS = 1;

    private FilterSwapDrain() {}

    /**
     * Gives back every block holding packets of the old filter. Packets that passed the old
     * filter on another CPU just before the swap may still land, and the block being filled only
     * reaches user space when the kernel's timer retires it, so this waits, bounded, until the
     * kernel's current block is empty.
     *
     * @param pollSet entry 0 is the socket, polled while waiting for the kernel's timer
     * @param blockTimeoutMillis the ring's block timeout (0: derived by the kernel)
     * @return the number of packets dropped
     */
    static long drain(RxRing ring, MemorySegment raw, PollSet pollSet, int blockTimeoutMillis, String interfaceName) {
        long deadline = retireDeadline(blockTimeoutMillis);
        long dropped = 0;
        sleepQuietly(SWAP_GRACE_MS);
        for (;;) {
            while (ring.ready()) {
                dropped += Integer.toUnsignedLong(raw.get(JAVA_INT, ring.currentOffset() + TpacketV3.NUM_PKTS_OFFSET));
                ring.observeSequence(raw.get(JAVA_LONG, ring.currentOffset() + TpacketV3.SEQ_NUM_OFFSET));
                ring.release();
            }
            int filling = filling(ring, raw);
            if (filling == 0) {
                return dropped;
            }
            if (System.nanoTime() >= deadline) {
                LOG.log(System.Logger.Level.WARNING, "filter swap on " + interfaceName + ": the kernel did not "
                        + "retire its current block in time; up to " + filling + " packet(s) of the old filter may follow");
                return dropped;
            }
            pollSet.poll(1, 1);
        }
    }

    /**
     * After the interface was deleted: waits (bounded by the block timeout) until the kernel's
     * timer retires the block it was filling, so its packets are read rather than lost.
     *
     * @return true when a block is ready for user space
     */
    static boolean awaitLastBlock(RxRing ring, MemorySegment raw, int blockTimeoutMillis) {
        long deadline = retireDeadline(blockTimeoutMillis);
        while (!ring.ready()) {
            if (filling(ring, raw) == 0 || System.nanoTime() >= deadline) {
                return false;
            }
            sleepQuietly(1);            // not poll: the socket of a deleted interface reports POLLERR at once
        }
        return true;
    }

    /** When the kernel's timer has had time to retire the block it fills: twice its period and some slack. */
    private static long retireDeadline(int blockTimeoutMillis) {
        int tov = blockTimeoutMillis > 0 ? blockTimeoutMillis : DERIVED_BLOCK_TIMEOUT_BOUND_MS;
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2L * tov + DRAIN_SLACK_MS);
    }

    /**
     * Packets in the block the kernel is filling. The kernel's current block is the one after the
     * last we gave back; it counts its packets in num_pkts as it fills it. A block we released
     * that the kernel has not reopened yet still shows its old count; the kernel stamps a new
     * seq_num when it opens a block, so only a sequence number past the last one seen means "filling".
     */
    private static int filling(RxRing ring, MemorySegment raw) {
        long seq = raw.get(JAVA_LONG, ring.currentOffset() + TpacketV3.SEQ_NUM_OFFSET);
        return seq > ring.lastSequence() ? raw.get(JAVA_INT, ring.currentOffset() + TpacketV3.NUM_PKTS_OFFSET) : 0;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
