package io.netring.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * When a capturing command should stop: a deadline, or Ctrl-C. On Ctrl-C (or SIGTERM) the
 * shutdown hook raises the flag, waits (briefly) for the command to print its summary and
 * then ends the process with status 0, as tcpdump does.
 */
final class StopSignal implements AutoCloseable {
    /** How long the hook lets the command finish after a signal before the process ends anyway. */
    private static final Duration HOOK_WAIT = Duration.ofSeconds(2);
    /** What {@link #bound} keeps back from the hook's wait: the summary lines and the last closes. */
    private static final Duration SUMMARY_MARGIN = Duration.ofMillis(400);

    private final long deadline;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean interrupted;
    private volatile long signalledAt;
    private volatile int exitStatus;

    StopSignal(Duration timeout) {
        InheritedSignals.handleEvenIfIgnored();      // `cmd &` from a script starts with SIGINT ignored
        this.deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        this.hook = new Thread(() -> {
            signalledAt = System.nanoTime();
            interrupted = true;
            try {
                if (finished.await(HOOK_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                    // The command stopped cleanly and printed its summary: exit 0, as tcpdump does
                    // on Ctrl-C, rather than the JVM's 130 for a signal.
                    Runtime.getRuntime().halt(exitStatus);
                }
            } catch (InterruptedException ignored) {
                // exiting anyway, with the signal's status
            }
        }, "netring-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The status the process ends with when a signal stopped it and the command finished in time (0 unless set). */
    void exitStatus(int status) {
        this.exitStatus = status;
    }

    boolean stopRequested() {
        return interrupted || System.nanoTime() - deadline >= 0 && deadline != Long.MAX_VALUE;
    }

    /**
     * How long a step of the shutdown (delivering what a sink holds) may take: {@code wanted},
     * or, once a signal is ending the process, what is left of the hook's wait less a margin for
     * the summary, so that the summary is printed before the process ends.
     */
    Duration bound(Duration wanted) {
        if (!interrupted) {
            return wanted;
        }
        long left = signalledAt + HOOK_WAIT.toNanos() - SUMMARY_MARGIN.toNanos() - System.nanoTime();
        return Duration.ofNanos(Math.max(0, Math.min(left, wanted.toNanos())));
    }

    /** How long to wait for the next batch: up to 100 ms, less when the deadline is near. */
    Duration nextWait() {
        if (deadline == Long.MAX_VALUE) {
            return Duration.ofMillis(100);
        }
        long left = Math.max(0, deadline - System.nanoTime());
        return Duration.ofNanos(Math.min(left, Duration.ofMillis(100).toNanos()));
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it waits for `finished`, counted down above
        }
    }
}
