package io.netring;

import io.netring.internal.linux.Errno;

/**
 * The named network interface does not exist (in the calling thread's network namespace), or
 * the one a capture was bound to was deleted while it ran.
 */
public final class InterfaceNotFoundException extends NetringException {
    private static final long serialVersionUID = 1L;

    /** The missing interface's name, as {@link #interfaceName()} returns it. */
    private final String interfaceName;

    /**
     * {@code call} failed with {@code errno} (typically ENODEV) because no interface is named
     * {@code interfaceName}; the message says so and how to list interfaces.
     */
    public InterfaceNotFoundException(String interfaceName, String call, int errno) {
        super("no network interface named '" + interfaceName + "' (" + call + " failed with "
                + Errno.name(errno)
                + "); list the interfaces with `ip link`", call, errno);
        this.interfaceName = interfaceName;
    }

    private InterfaceNotFoundException(String message, String interfaceName, String call, int errno) {
        super(message, call, errno);
        this.interfaceName = interfaceName;
    }

    /**
     * The interface a capture was bound to (name and index) was deleted ({@code ip link del}):
     * it cannot come back. For capture back ends outside this package, such as AF_XDP.
     */
    public static InterfaceNotFoundException deleted(String interfaceName, int index) {
        return new InterfaceNotFoundException("interface '" + interfaceName + "' (index " + index + ") was deleted; "
                + "this capture cannot resume: close it (a new interface of that name is a new capture)",
                interfaceName, "getsockname", Errno.ENODEV);
    }

    /** The name that was looked up. */
    public String interfaceName() { return interfaceName; }
}
