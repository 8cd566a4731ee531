package io.netring.cli;

/**
 * On {@code lo} a packet socket sees every packet twice, leaving and arriving; tcpdump (libpcap)
 * keeps only the arriving copy. The commands do the same with whatever they do with packets
 * (print, write, publish, count as flows), unless {@code --ignore-outgoing} already has the
 * kernel drop every outgoing copy.
 */
final class LoopbackCopies {
    private LoopbackCopies() {}

    /** Whether packets marked outgoing are the second copies to leave out. */
    static boolean skipOutgoing(String interfaceName, boolean ignoreOutgoing) {
        return !ignoreOutgoing && "lo".equals(interfaceName);
    }
}
