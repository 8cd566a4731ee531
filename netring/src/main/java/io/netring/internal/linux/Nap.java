package io.netring.internal.linux;

import java.util.concurrent.locks.LockSupport;

/**
 * A reader's short sleep on an empty ring, as a C reader takes it: {@code usleep}, one
 * {@code nanosleep} system call. {@link LockSupport#parkNanos} costs more for the same sleep: it
 * goes through the JVM's parker (a mutex, a condition variable, a futex wait with an absolute
 * timeout, and the unlock's wake on the way out), which a napping AF_XDP reader pays some two
 * thousand times a second (docs/PERFORMANCE.md, "AF_XDP: XdpRx against the C readers").
 *
 * <p>A virtual thread parks instead: a system call that sleeps would hold its carrier thread.
 * An interrupt does not end a {@code usleep} (a park it ends at once, every time, until the flag
 * is cleared): the readers act on neither; after every nap they look at the ring and at whether
 * they were closed, and the nap is short.
 */
public final class Nap {
    private Nap() {}

    /** Sleeps about {@code nanos} nanoseconds (at least a microsecond; the kernel's timer slack adds to it). */
    public static void sleep(long nanos) {
        if (nanos <= 0) {
            return;
        }
        if (Thread.currentThread().isVirtual()) {
            LockSupport.parkNanos(nanos);
            return;
        }
        long micros = Math.min((nanos + 999) / 1000, Integer.MAX_VALUE);
        Syscalls.usleep((int) micros);
    }
}
