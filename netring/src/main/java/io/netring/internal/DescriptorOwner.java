package io.netring.internal;

import io.netring.PacketBatch;

/**
 * What an AF_XDP receiver gives the {@link PacketBatch}es it makes from runs of RX
 * descriptors ({@link PacketAccess#descriptorBatches}): where the frames came from, and the way
 * back for a run once its batch is closed.
 */
public interface DescriptorOwner {
    /** Gives the run's frames back to the fill ring and its descriptors back to the kernel. */
    void release(PacketBatch batch, long firstIndex, int count);

    /** A descriptor pointing outside the UMEM; the batch stops before it. */
    void reportMalformed(PacketBatch batch, int index, long descriptorOffset);

    /** The index of the interface the frames came in on. */
    int ifIndex();

    /** The interface's MAC address in the low 48 bits, or -1 when unknown. */
    long localMac();
}
