package io.netring;

/** What a {@link PacketBatch} calls back into: the ring that lent it its block. */
interface BlockOwner {
    /** Gives the block back; called once, by {@link PacketBatch#close()}. */
    void releaseBlock(PacketBatch batch);

    /** A packet header pointed outside its block; the walk stopped at {@code index}. */
    void reportMalformed(PacketBatch batch, int index, long offset);

    /** The flyweight used by {@link PacketBatch#dispatch}. */
    PacketView view();
}
