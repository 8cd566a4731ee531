package io.netring;

import io.netring.afpacket.RxConfig;

/** Builds an {@link AfPacketRx}; the options are those of {@link AbstractRxBuilder}. */
public final class AfPacketRxBuilder extends AbstractRxBuilder<AfPacketRxBuilder> {
    AfPacketRxBuilder() {}

    /**
     * Validates the options, then opens the socket and ring.
     * @throws IllegalArgumentException for an invalid option, before any system call
     * @throws InterfaceNotFoundException when the interface does not exist
     * @throws PermissionDeniedException when a capability is missing
     */
    public AfPacketRx build() throws NetringException {
        RxConfig config = config();
        return inNamespace(() -> AfPacketRx.open(config));
    }
}
