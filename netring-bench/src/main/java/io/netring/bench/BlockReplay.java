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
    private long remaining;
    private boolean closed;

    /** Replays {@code block} until closed. */
    public BlockReplay(MemorySegment block) {
        this(block, Long.MAX_VALUE);
    }

    /** Replays {@code block} {@code times} times, then acts as closed (a stream over it ends). */
    public BlockReplay(MemorySegment block, long times) {
        this.block = block;
        this.remaining = times;
    }

    @Override
    public PacketBatch nextBatch() {
        if (closed || remaining == 0) {
            throw new IllegalStateException("BlockReplay closed");
        }
        remaining--;
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
