package io.netring;

import io.netring.internal.linux.Errno;

/** The named network interface does not exist (in the calling thread's network namespace). */
public final class InterfaceNotFoundException extends NetringException {
    private static final long serialVersionUID = 1L;

    private final String interfaceName;

    public InterfaceNotFoundException(String interfaceName, String call, int errno) {
        super("no network interface named '" + interfaceName + "' (" + call + " failed with "
                + Errno.name(errno)
                + "); list the interfaces with `ip link`", call, errno);
        this.interfaceName = interfaceName;
    }

    /** The name that was looked up. */
    public String interfaceName() {
        return interfaceName;
    }
}
