package io.netring.xdp;

/**
 * How an AF_XDP socket moves frames between the driver and its UMEM.
 *
 * <p>Zero-copy needs a driver that implements it (ice, i40e, ixgbe, mlx5 …); veth and most
 * virtual devices only have copy mode.
 */
public enum XdpMode {
    /** Zero-copy when the driver has it, copy mode otherwise (the fallback is logged once, at INFO). */
    AUTO,
    /** Copy mode: the kernel copies each frame between its buffers and the UMEM. Works on every driver. */
    COPY,
    /**
     * Zero-copy: the driver reads and writes the UMEM directly. Opening fails with a
     * {@link io.netring.NetringException} naming the driver when it does not support it.
     */
    ZERO_COPY
}
