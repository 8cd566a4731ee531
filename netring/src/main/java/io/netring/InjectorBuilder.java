package io.netring;

/** Builds an {@link Injector}; the options are those of {@link AbstractTxBuilder}. */
public final class InjectorBuilder extends AbstractTxBuilder<InjectorBuilder> {
    InjectorBuilder() {}

    /**
     * Validates the options, then opens the socket and TX ring.
     * @throws IllegalArgumentException for an invalid option, before any system call
     * @throws InterfaceNotFoundException when the interface does not exist
     * @throws PermissionDeniedException when CAP_NET_RAW is missing
     */
    public Injector build() throws NetringException {
        return new Injector(AfPacketTx.open(config()));
    }
}
