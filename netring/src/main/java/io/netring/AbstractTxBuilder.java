package io.netring;

import io.netring.afpacket.TxConfig;
import io.netring.afpacket.TxGeometry;


/**
 * The transmit options shared by {@link InjectorBuilder} and {@link AfPacketTxBuilder}.
 *
 * <p>Setters only record values; {@code build()} checks all of them before any system call and
 * throws {@link IllegalArgumentException} naming the parameter, its value and the rule broken.
 *
 * @param <B> the concrete builder, so chained calls keep their type
 */
public abstract sealed class AbstractTxBuilder<B extends AbstractTxBuilder<B>>
        permits InjectorBuilder, AfPacketTxBuilder {

    /** Default bytes per frame: room for a 1500-byte MTU frame with its header, and a VLAN tag. */
    public static final int DEFAULT_FRAME_SIZE = 2048;
    /** Default number of frames in the ring (2 MiB with the default frame size). */
    public static final int DEFAULT_FRAME_COUNT = 1024;

    private String interfaceName;
    private int frameSize = DEFAULT_FRAME_SIZE;
    private int frameCount = DEFAULT_FRAME_COUNT;
    private boolean qdiscBypass;
    private boolean lossy;
    private boolean lockMemory = true;

    AbstractTxBuilder() {}

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The interface to send on, e.g. {@code "eth0"} (required; {@code interface} is a Java keyword). */
    public B interfaceName(String interfaceName) {
        this.interfaceName = interfaceName;
        return self();
    }

    /**
     * Bytes per ring frame (default 2048): a multiple of 16 in [80, 262144]. A frame holds
     * {@code frameSize - 48} bytes of packet, so jumbo frames need e.g. 9216 + 48 → 9280. When
     * every frame is small, a size just above the largest one (e.g. 128 or 256 for minimum-size
     * Ethernet frames) keeps the ring in the CPU's cache and sends a few percent faster (see
     * docs/TUNING_GUIDE.md).
     */
    public B frameSize(int frameSize) {
        this.frameSize = frameSize;
        return self();
    }

    /**
     * Frames in the ring (default 1024), in [1, 1048576]; rounded up to fill whole blocks. More
     * frames let more packets wait for one flush.
     */
    public B frameCount(int frameCount) {
        this.frameCount = frameCount;
        return self();
    }

    /**
     * PACKET_QDISC_BYPASS (default off): hand frames straight to the driver, skipping traffic
     * control. Faster, but no qdisc shapes or queues them, and other packet sockets on the host
     * do not see them.
     */
    public B qdiscBypass(boolean qdiscBypass) {
        this.qdiscBypass = qdiscBypass;
        return self();
    }

    /**
     * What to do with a frame longer than the interface carries (MTU plus link header), the
     * kernel's PACKET_LOSS choice. false (default): {@code send()} throws
     * {@link FrameTooLongException}. true: the frame is skipped and counted in
     * {@code framesSkipped()}, and the frames after it still go out.
     */
    public B lossy(boolean lossy) {
        this.lossy = lossy;
        return self();
    }

    /**
     * Lock the ring in memory with MAP_LOCKED (default on). Without CAP_IPC_LOCK or enough
     * {@code ulimit -l}, the ring is mapped unlocked and a warning is logged once.
     */
    public B lockMemory(boolean lockMemory) {
        this.lockMemory = lockMemory;
        return self();
    }

    /** Validates everything; the one place a bad option becomes an IllegalArgumentException. */
    TxConfig config() {
        BuilderChecks.interfaceName(interfaceName);
        TxGeometry geometry = TxGeometry.validate(frameSize, frameCount, BuilderChecks.physicalMemory());
        return new TxConfig(interfaceName, geometry, qdiscBypass, lossy, lockMemory, true);
    }
}
