package io.netring;

/**
 * The kernel refused an operation for lack of privilege. The message and {@link #capability()}
 * name what is missing: {@code CAP_NET_RAW} to open a packet socket, {@code CAP_NET_ADMIN} for
 * promiscuous mode and busy polling, {@code CAP_IPC_LOCK} for locked ring memory.
 */
public final class PermissionDeniedException extends NetringException {
    private static final long serialVersionUID = 1L;

    /** The capability that was missing, as {@link #capability()} returns it. */
    private final String capability;

    /**
     * {@code call} failed with {@code errno} (EPERM or EACCES) for want of {@code capability},
     * described by {@code message}.
     */
    public PermissionDeniedException(String message, String call, int errno, String capability) {
        super(message, call, errno);
        this.capability = capability;
    }

    /** The Linux capability that would have allowed the operation, e.g. {@code "CAP_NET_RAW"}. */
    public String capability() { return capability; }
}
