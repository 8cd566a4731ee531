package io.netring.bench;

import io.netring.CaptureStats;
import io.netring.PacketBatch;
import io.netring.PacketSource;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * A {@link PacketSource} that hands out the same in-memory block again and again, so the
 * {@code packets()} stream can be measured without a socket. Closed, it throws
 * {@link IllegalStateException} as a closed ring does.
 */
public final class BlockReplay implements PacketSource, AutoCloseable {
    private final MemorySegment block;
    private boolean closed;

    public BlockReplay(MemorySegment block) {
        this.block = block;
    }

    @Override
    public PacketBatch nextBatch() {
        if (closed) {
            throw new IllegalStateException("BlockReplay closed");
        }
        return PacketBatch.ofBlock(block);
    }

    @Override
    public PacketBatch nextBatchBlocking(Duration timeout) {
        return nextBatch();
    }

    @Override
    public CaptureStats stats() {
        return CaptureStats.ZERO;
    }

    @Override
    public int fd() {
        return -1;
    }

    @Override
    public void close() {
        closed = true;
    }
}
