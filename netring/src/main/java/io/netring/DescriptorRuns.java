package io.netring;

import io.netring.internal.DescriptorBatches;
import io.netring.internal.DescriptorOwner;
import io.netring.internal.NativeMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

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
        if (mask < 0 || descriptors.byteSize() < (mask + 1) * XdpDescriptorLayout.DESC_SIZE) {
            // The walk reads descriptor (index & mask) without a segment's bounds: the area must hold them all.
            throw new IllegalArgumentException("descriptor area of " + descriptors.byteSize() + " bytes for a ring of "
                    + (mask + 1) + " descriptors");
        }
        // warm() and the batches read both areas at masked addresses: refused here if the mask would move them.
        NativeMemory.addressable(frames);
        NativeMemory.addressable(descriptors);
        this.owner = owner;
        this.frames = frames;
        this.descriptors = descriptors;
        this.mask = mask;
        this.layout = new XdpDescriptorLayout(descriptors, frames, owner.ifIndex(), owner.localMac());
    }

    @Override
    public PacketBatch batch(long firstIndex, int count, long sequence, long stampNanos) {
        layout.stamp(stampNanos);
        warm(firstIndex, count);
        return new PacketBatch(this, frames, descriptors, mask, layout, firstIndex, count, sequence);
    }

    /** Sum of the bytes read by {@link #warm}: kept in a field, so the reads are not optimised away. */
    private int warmed;

    /**
     * Reads the first byte of each frame of the run before the batch is handed out. The kernel
     * wrote those frames from another CPU, one per UMEM page, so each is a cache miss; in this
     * loop of independent loads the misses overlap, where in the user's loop, with its work in
     * between, they come one after another (the README loop over XDP batches: 97-115 ns per
     * packet before, 61-65 after, docs/PERFORMANCE.md "AF_XDP").
     */
    private void warm(long firstIndex, int count) {
        long limit = frames.byteSize();
        long base = frames.address();
        long descriptorBase = descriptors.address();
        int sum = 0;
        for (int i = 0; i < count; i++) {
            long at = XdpDescriptorLayout.address(descriptorBase, ((firstIndex + i) & mask) * XdpDescriptorLayout.DESC_SIZE);
            if (at >= 0 && at < limit) {
                sum += NativeMemory.ALL.get(ValueLayout.JAVA_BYTE, NativeMemory.address(base + at));
            }
        }
        warmed = sum;
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
