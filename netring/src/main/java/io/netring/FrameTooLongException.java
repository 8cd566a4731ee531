package io.netring;

import io.netring.internal.linux.Errno;

/**
 * A frame is longer than the interface can carry: its MTU plus the link-layer header (plus 4
 * bytes for an 802.1Q-tagged Ethernet frame), the rule the kernel applies to TX-ring frames.
 * The frame was not sent; the ring keeps working. Injectors built with {@code lossy(true)} skip
 * such frames and count them instead of throwing.
 */
public final class FrameTooLongException extends NetringException {
    private static final long serialVersionUID = 1L;

    /** The interface the frame was for. */
    private final String interfaceName;
    /** The frame's length in bytes. */
    private final int frameLength;
    /** The interface's MTU in bytes. */
    private final int mtu;
    /** The longest frame the interface takes, in bytes. */
    private final int limit;

    FrameTooLongException(String interfaceName, int frameLength, int mtu, int limit) {
        super("frame of " + frameLength + " bytes is too long for " + interfaceName + " (MTU " + mtu
                + "): at most " + limit + " bytes fit, the MTU plus " + (limit - mtu)
                + " bytes of link header; the frame was not sent (use lossy(true) to skip such frames silently)",
                "sendto(PACKET_TX_RING)", Errno.EMSGSIZE);
        this.interfaceName = interfaceName;
        this.frameLength = frameLength;
        this.mtu = mtu;
        this.limit = limit;
    }

    /** The interface the frame was meant for. */
    public String interfaceName() { return interfaceName; }

    /** The length of the rejected frame in bytes, link header included. */
    public int frameLength() { return frameLength; }

    /** The interface MTU when the frame was rejected. */
    public int mtu() { return mtu; }

    /** The longest frame the interface takes: MTU plus link header (and VLAN tag, if the frame has one). */
    public int limit() { return limit; }
}
