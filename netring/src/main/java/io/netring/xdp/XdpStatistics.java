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
    /** All counters zero. */
    public static final XdpStatistics ZERO = new XdpStatistics(0, 0, 0, 0, 0, 0);

    /** The sum of these counters and {@code other}'s (several queues' sockets). */
    public XdpStatistics plus(XdpStatistics other) {
        return new XdpStatistics(rxDropped + other.rxDropped, rxInvalidDescs + other.rxInvalidDescs,
                txInvalidDescs + other.txInvalidDescs, rxRingFull + other.rxRingFull,
                rxFillRingEmptyDescs + other.rxFillRingEmptyDescs, txRingEmptyDescs + other.txRingEmptyDescs);
    }

    /** What these counters grew by since {@code earlier}. */
    public XdpStatistics minus(XdpStatistics earlier) {
        return new XdpStatistics(rxDropped - earlier.rxDropped, rxInvalidDescs - earlier.rxInvalidDescs,
                txInvalidDescs - earlier.txInvalidDescs, rxRingFull - earlier.rxRingFull,
                rxFillRingEmptyDescs - earlier.rxFillRingEmptyDescs, txRingEmptyDescs - earlier.txRingEmptyDescs);
    }
}
