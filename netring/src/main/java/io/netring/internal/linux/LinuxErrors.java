package io.netring.internal.linux;

import io.netring.InterfaceNotFoundException;
import io.netring.NetringException;
import io.netring.PermissionDeniedException;
import io.netring.filter.EbpfVerifierException;

/**
 * The one factory of the exceptions the backend throws (as Netty's {@code Errors}): a failed
 * call's {@code -errno} becomes an exception with the call's name and the C library's text in
 * the message. Nothing else in {@code internal.linux} or {@code afpacket} constructs one.
 */
public final class LinuxErrors {
    private LinuxErrors() {}

    /** {@code "ENOMEM (Cannot allocate memory)"}. */
    public static String describe(int errno) {
        return Errno.name(errno) + " (" + Syscalls.strerror(errno) + ")";
    }

    /**
     * The exception for {@code call} failing with {@code errno}. EPERM and EACCES become a
     * {@link PermissionDeniedException} naming {@code capability}; {@code context} (may be
     * empty) says what netring was doing, in words a user can act on.
     */
    public static NetringException exception(String call, int errno, String capability, String context) {
        String what = context.isEmpty() ? "" : context + ": ";
        if (errno == Errno.EPERM || errno == Errno.EACCES) {
            return new PermissionDeniedException(what + call + " failed with " + describe(errno)
                    + "; this needs " + capability + " (run as root, or grant the capability to the java binary)",
                    call, errno, capability);
        }
        return new NetringException(what + call + " failed with " + describe(errno), call, errno);
    }

    /** {@link #exception(String, int, String, String)} for calls that only need CAP_NET_RAW. */
    public static NetringException exception(String call, int errno) {
        return exception(call, errno, "CAP_NET_RAW", "");
    }

    /** A failure whose whole message the caller words: {@code message} is used as it is. */
    public static NetringException failure(String message, String call, int errno) {
        return new NetringException(message, call, errno);
    }

    /** {@code name} is not an interface of the calling thread's network namespace. */
    public static InterfaceNotFoundException interfaceNotFound(String name, String call, int errno) {
        return new InterfaceNotFoundException(name, call, errno);
    }

    /** The eBPF verifier refused a program; {@code log} is its account of why. */
    public static EbpfVerifierException verifierRefused(String message, String call, int errno, String log) {
        return new EbpfVerifierException(message, call, errno, log);
    }

    /** Throws when {@code result} is a {@code -errno}; returns it otherwise. */
    public static int check(int result, String call) throws NetringException {
        if (result < 0) {
            throw exception(call, -result);
        }
        return result;
    }
}
