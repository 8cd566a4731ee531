package io.netring.internal;

import io.netring.PacketBatch;

/** The batches of one AF_XDP RX ring, from {@link PacketAccess#descriptorBatches}. */
public interface DescriptorBatches {
    /**
     * A batch over {@code count} RX descriptors from ring index {@code firstIndex}, stamped
     * {@code stampNanos} since the epoch. One batch of a ring may be open at a time.
     */
    PacketBatch batch(long firstIndex, int count, long sequence, long stampNanos);
}
