package io.netring.xdp;

/**
 * The kernel's counters of one AF_XDP socket ({@code XDP_STATISTICS}), totals since it was
 * bound; reading does not reset them.
 *
 * @param rxDropped frames dropped for reasons other than those below
 * @param rxInvalidDescs RX frames dropped for an invalid descriptor
 * @param txInvalidDescs TX descriptors the kernel refused (address or length out of the UMEM frame)
 * @param rxRingFull frames dropped because the RX ring was full: the reader is too slow
 * @param rxFillRingEmptyDescs times the kernel found the fill ring empty: no frame to receive into
 * @param txRingEmptyDescs times the kernel looked at the TX ring and found nothing to send
 */
public record XdpStatistics(long rxDropped, long rxInvalidDescs, long txInvalidDescs, long rxRingFull,
                            long rxFillRingEmptyDescs, long txRingEmptyDescs) {
}
