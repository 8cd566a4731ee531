package io.netring;

/** Builds an {@link AfPacketTx}; the options are those of {@link AbstractTxBuilder}. */
public final class AfPacketTxBuilder extends AbstractTxBuilder<AfPacketTxBuilder> {
    AfPacketTxBuilder() {}

    /**
     * Validates the options, then opens the socket and TX ring.
     * @throws IllegalArgumentException for an invalid option, before any system call
     * @throws InterfaceNotFoundException when the interface does not exist
     * @throws PermissionDeniedException when CAP_NET_RAW is missing
     */
    public AfPacketTx build() throws NetringException {
        return AfPacketTx.open(config());
    }
}
