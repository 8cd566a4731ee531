package io.netring.testing;

/**
 * Ring shapes for tests that send frames before they read them. A loaded machine may let the
 * block timer retire a block after a single frame, so a ring is only sure to hold {@code n}
 * frames when it has at least {@code n} blocks: these rings give every frame a small block of
 * its own, plus spares, so no test loses frames to the way they happen to fall into blocks.
 */
public final class TestRings {
    private TestRings() {}

    /** One page: the smallest block, large enough for any test frame up to 4000 bytes. */
    public static final int BLOCK_SIZE = 4096;

    /** Blocks for a ring that holds {@code frames} frames even with one frame per block. */
    public static int blocksFor(int frames) {
        return frames + 8;
    }
}
