package io.netring.filter;

import io.netring.NetringException;

/**
 * The kernel's verifier refused an eBPF program. {@link #verifierLog()} holds the verifier's
 * own account of why, instruction by instruction; its last lines usually name the problem
 * (for instance {@code R0 !read_ok} for a program that returns an unset register).
 */
public final class EbpfVerifierException extends NetringException {
    private static final long serialVersionUID = 1L;

    /** The verifier's log, as {@link #verifierLog()} returns it. */
    private final String verifierLog;

    /**
     * {@code call} (the program load) failed with {@code errno}; {@code verifierLog} is the log the
     * kernel filled, possibly empty.
     */
    public EbpfVerifierException(String message, String call, int errno, String verifierLog) {
        super(message, call, errno);
        this.verifierLog = verifierLog;
    }

    /** The verifier's log (log level 1), as the kernel wrote it. */
    public String verifierLog() {
        return verifierLog;
    }
}
