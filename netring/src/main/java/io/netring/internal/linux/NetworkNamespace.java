package io.netring.internal.linux;

import io.netring.NetringException;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an action inside another network namespace without moving the process: on a dedicated
 * thread that enters the namespace with {@code setns(2)}, runs the action (typically opening a
 * socket, which stays bound to that namespace for its whole life), and returns home before it
 * ends. Every other thread, and so every other connection of the process, stays where it is.
 */
public final class NetworkNamespace {
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    private NetworkNamespace() {}

    /** An action that opens something. */
    @FunctionalInterface
    public interface Opener<T> {
        T open() throws NetringException;
    }

    /** The namespace file for {@code nameOrPath}: a path as given, a bare name under {@code /run/netns}. */
    public static String path(String nameOrPath) {
        return nameOrPath.contains("/") ? nameOrPath : "/run/netns/" + nameOrPath;
    }

    /** Runs {@code opener} inside the network namespace {@code nameOrPath} (see {@link #path}). */
    public static <T> T open(String nameOrPath, Opener<T> opener) throws NetringException {
        String target = path(nameOrPath);
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("netring-netns").start(() -> {
            try {
                result.set(inside(target, opener));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LinuxErrors.failure("interrupted while opening inside network namespace " + target, "setns", Errno.EINTR);
        }
        Throwable f = failure.get();
        if (f instanceof NetringException ne) {
            throw ne;
        } else if (f instanceof RuntimeException re) {
            throw re;
        } else if (f instanceof Error er) {
            throw er;
        }
        return result.get();
    }

    private static <T> T inside(String target, Opener<T> opener) throws NetringException {
        int nsFd = Syscalls.open(target, O_RDONLY_CLOEXEC);
        if (nsFd < 0) {
            throw LinuxErrors.exception("open(" + target + ")", -nsFd, "CAP_SYS_ADMIN",
                    "network namespace " + target + (-nsFd == Errno.ENOENT ? " does not exist (see `ip netns list`)" : ""));
        }
        int homeFd = Syscalls.open("/proc/thread-self/ns/net", O_RDONLY_CLOEXEC);
        if (homeFd < 0) {
            Syscalls.close(nsFd);
            throw LinuxErrors.exception("open(/proc/thread-self/ns/net)", -homeFd, "CAP_SYS_ADMIN", "network namespace of this thread");
        }
        try {
            int r = Syscalls.setns(nsFd, LinuxConstants.CLONE_NEWNET);
            if (r < 0) {
                throw LinuxErrors.exception("setns(" + target + ", CLONE_NEWNET)", -r, "CAP_SYS_ADMIN",
                        "entering network namespace " + target);
            }
            try {
                return opener.open();
            } finally {
                int back = Syscalls.setns(homeFd, LinuxConstants.CLONE_NEWNET);
                if (back < 0) {
                    // the thread ends right after; nothing else runs in the wrong namespace
                    System.getLogger(NetworkNamespace.class.getName()).log(System.Logger.Level.WARNING,
                            "setns back to the home network namespace failed: " + LinuxErrors.describe(-back));
                }
            }
        } finally {
            Syscalls.close(homeFd);
            Syscalls.close(nsFd);
        }
    }
}
