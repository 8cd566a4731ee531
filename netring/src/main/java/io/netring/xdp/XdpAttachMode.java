package io.netring.xdp;

/** Where the XDP program that feeds an {@link XdpRx} runs. */
public enum XdpAttachMode {
    /**
     * In the driver, before any socket buffer is made (XDP_FLAGS_DRV_MODE): the fast path, and
     * the one zero-copy needs. veth and most current NIC drivers have it.
     */
    NATIVE,
    /**
     * In the kernel's generic path, after the socket buffer is made (XDP_FLAGS_SKB_MODE): works
     * on every interface, slower, copy mode only.
     */
    GENERIC
}
