/**
 * AF_XDP: capture and injection through XDP sockets, UMEM and their four rings, in pure Java.
 *
 * <p>{@link io.netring.xdp.XdpTx} sends frames through an AF_XDP TX ring; {@link io.netring.xdp.XdpMode}
 * chooses copy or zero-copy mode. How the rings work is in docs/ARCHITECTURE.md, "The AF_XDP rings".
 */
package io.netring.xdp;
