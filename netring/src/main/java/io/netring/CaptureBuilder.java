package io.netring;

import io.netring.afpacket.RxConfig;

/** Builds a {@link Capture}; the options are those of {@link AbstractRxBuilder}. */
public final class CaptureBuilder extends AbstractRxBuilder<CaptureBuilder> {
    CaptureBuilder() {}

    /**
     * Validates the options, then opens the socket and ring.
     * @throws IllegalArgumentException for an invalid option, before any system call
     * @throws InterfaceNotFoundException when the interface does not exist
     * @throws PermissionDeniedException when a capability is missing
     */
    public Capture build() throws NetringException {
        RxConfig config = config();
        return new Capture(inNamespace(() -> AfPacketRx.open(config)));
    }
}
