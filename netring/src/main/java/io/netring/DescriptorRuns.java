package io.netring;

import io.netring.internal.DescriptorBatches;
import io.netring.internal.DescriptorOwner;

import java.lang.foreign.MemorySegment;

/**
 * Makes the batches of one AF_XDP RX ring: what stays the same from run to run (the UMEM, the
 * descriptor area, the metadata layout, the way back) is made once, so taking a run allocates
 * the batch alone.
 */
final class DescriptorRuns implements DescriptorBatches, BlockOwner {
    private final DescriptorOwner owner;
    private final MemorySegment frames;
    private final MemorySegment descriptors;
    private final long mask;
    private final XdpDescriptorLayout layout;

    DescriptorRuns(DescriptorOwner owner, MemorySegment frames, MemorySegment descriptors, long mask) {
        this.owner = owner;
        this.frames = frames;
        this.descriptors = descriptors;
        this.mask = mask;
        this.layout = new XdpDescriptorLayout(descriptors, frames, owner.ifIndex(), owner.localMac());
    }

    @Override
    public PacketBatch batch(long firstIndex, int count, long sequence, long stampNanos) {
        layout.stamp(stampNanos);
        return new PacketBatch(this, frames, descriptors, mask, layout, firstIndex, count, sequence);
    }

    @Override
    public void releaseBlock(PacketBatch batch) {
        owner.release(batch, batch.firstIndex(), batch.size());
    }

    @Override
    public void reportMalformed(PacketBatch batch, int index, long offset) {
        owner.reportMalformed(batch, index, offset);
    }

    @Override
    public PacketView view() {
        return new PacketView();
    }
}
