package io.netring.xdp;

/**
 * Where the XDP program that feeds an {@link XdpRx} runs. Whichever is asked, netring never
 * replaces a program someone else attached unless told to, and removes its own when closed.
 */
public enum XdpAttachMode {
    /**
     * In the driver, before any socket buffer is made (XDP_FLAGS_DRV_MODE): the fast path, and
     * the one zero-copy needs. veth and most current NIC drivers have it; on a driver without it
     * the attach fails with a message suggesting {@link #GENERIC}.
     */
    NATIVE,
    /**
     * In the kernel's generic path, after the socket buffer is made (XDP_FLAGS_SKB_MODE): works
     * on every interface, slower, copy mode only.
     */
    GENERIC,
    /**
     * {@link #NATIVE} where the driver has it, else {@link #GENERIC}, saying so in one log line.
     */
    AUTO
}
