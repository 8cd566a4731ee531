package io.netring.internal;

import io.netring.FrameTooLongException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The frames a {@link io.netring.TxSlot} is lent from: a TPACKET_V3 TX ring or an AF_XDP UMEM.
 * A slot names its frame by an index and the offset of the frame's first data byte in the
 * owner's memory; the owner checks, writes and queues. Not part of the API.
 */
public abstract class TxFrames {
    protected TxFrames() {}

    /** The most bytes a frame holds. */
    public abstract int frameCapacity();

    /** {@code length} checked against the frames' limits (message names {@code name}); returned as an int. */
    public abstract int checkLength(String name, long length);

    /** Takes a use that keeps the frames mapped while a slot's data() segment is out. */
    public abstract void holdFrames();

    /** Drops a use taken by {@link #holdFrames()}. */
    public abstract void releaseFrames();

    /** Frame {@code index}'s data, {@code length} bytes, as a segment of {@code arena}. */
    public abstract MemorySegment frameSegment(int index, int length, Arena arena);

    /** Copies {@code length} bytes of {@code frame} to offset {@code at}. */
    public abstract void copyIn(long at, MemorySegment frame, int length);

    /** Writes {@code value} big-endian at offset {@code at}. */
    public abstract void putShort(long at, short value);

    /** Writes {@code value} big-endian at offset {@code at}. */
    public abstract void putInt(long at, int value);

    /** Queues frame {@code index}, {@code length} bytes from {@code dataAt}. */
    public abstract void sendSlot(int index, long dataAt, int length) throws FrameTooLongException;

    /** Gives frame {@code index} back unsent. */
    public abstract void discardSlot(int index);
}
