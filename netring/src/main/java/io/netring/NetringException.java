package io.netring;

import java.io.IOException;

/**
 * A system call made on behalf of a capture or injection failed.
 *
 * <p>Carries the call that failed ({@link #call()}, e.g. {@code "setsockopt(PACKET_RX_RING)"})
 * and the {@code errno} the kernel returned, so callers can react to specific conditions
 * ({@code ENETDOWN} when an interface goes down, for instance) without parsing the message.
 */
public class NetringException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The failed call, as {@link #call()} returns it. */
    private final String call;
    /** The kernel's error number, as {@link #errno()} returns it. */
    private final int errno;

    /**
     * A failure of {@code call} with {@code errno} (0 when no errno applies), described by {@code
     * message}.
     */
    public NetringException(String message, String call, int errno) {
        super(message);
        this.call = call;
        this.errno = errno;
    }

    /**
     * A failure of {@code call} with {@code errno}, described by {@code message}, caused by {@code
     * cause}.
     */
    public NetringException(String message, String call, int errno, Throwable cause) {
        super(message, cause);
        this.call = call;
        this.errno = errno;
    }

    /** The system call (with its option, where that matters) that failed. */
    public String call() { return call; }

    /** The errno value, or 0 when the failure was detected by netring rather than the kernel. */
    public int errno() { return errno; }
}
