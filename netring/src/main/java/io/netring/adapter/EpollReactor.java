package io.netring.adapter;

import io.netring.NetringException;
import io.netring.internal.linux.Epoll;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.EventFd;
import io.netring.internal.linux.LinuxErrors;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static io.netring.internal.linux.LinuxConstants.EPOLLIN;
import static io.netring.internal.linux.LinuxConstants.EPOLLONESHOT;

/**
 * The one thread that waits in {@code epoll_wait} for every {@link AsyncCapture}: a daemon
 * thread named {@value #THREAD_PREFIX}-N, started by the first registration and stopped (and,
 * unless on itself, joined) by the removal of the last, so an application with no open
 * AsyncCapture has no reactor thread.
 *
 * <p>Registrations need no wake-up ({@code epoll_ctl} is safe during a wait); only shutdown
 * wakes the thread, through an eventfd under token 0, which it leaves on, so the eventfd is
 * never written after it was closed. Sources are armed one-shot and re-armed while requests are
 * pending, so a readable ring nobody asked about costs nothing.
 */
final class EpollReactor {
    /** Name prefix of reactor threads. */
    static final String THREAD_PREFIX = "netring-reactor";
    static final Duration JOIN_BOUND = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger("io.netring");
    private static final long WAKEUP_TOKEN = 0;
    private static final int MAX_EVENTS = 64;
    private static final Object LIFECYCLE = new Object();
    private static final AtomicLong THREAD_SERIAL = new AtomicLong();
    private static final AtomicLong TOKENS = new AtomicLong(WAKEUP_TOKEN);
    private static EpollReactor current;

    /** What the reactor calls back; implemented by {@link AsyncCapture}. */
    interface Handler {
        /** Runs on the reactor thread with the epoll event bits. Must not block for long. */
        void onEvents(int events);

        /** The reactor failed for good; the handler fails what is pending. */
        void onReactorFailure(Throwable cause);
    }

    /** A handler's place in a reactor. */
    record Key(EpollReactor reactor, int fd, long token) {
        /** Asks for one readiness report (EPOLLIN, or an error/hang-up). */
        void arm() throws NetringException {
            reactor.epoll.modify(fd, EPOLLIN | EPOLLONESHOT, token);
        }
    }

    private final Epoll epoll;
    private final EventFd wakeup;
    private final Map<Long, Handler> handlers = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean stopping;

    private EpollReactor() throws NetringException {
        this.epoll = new Epoll(MAX_EVENTS);
        EventFd w = null;
        try {
            w = new EventFd();
            epoll.add(w.fd(), EPOLLIN, WAKEUP_TOKEN);
        } catch (NetringException | RuntimeException e) {
            if (w != null) {
                w.close();
            }
            epoll.close();
            throw e;
        }
        this.wakeup = w;
        this.thread = Thread.ofPlatform()
                .name(THREAD_PREFIX + "-" + THREAD_SERIAL.incrementAndGet())
                .daemon(true)
                .unstarted(this::loop);
    }

    /**
     * Adds {@code fd} to the shared reactor, starting one if none runs. The fd is registered
     * disarmed (one-shot with no interest) until {@link Key#arm()}.
     */
    static Key register(int fd, Handler handler) throws NetringException {
        synchronized (LIFECYCLE) {
            boolean started = false;
            if (current == null) {
                current = new EpollReactor();
                started = true;
            }
            EpollReactor r = current;
            long token = TOKENS.incrementAndGet();
            try {
                r.epoll.add(fd, EPOLLONESHOT, token);
            } catch (NetringException e) {
                if (started) {
                    current = null;
                    r.epoll.close();
                    r.wakeup.close();
                }
                throw e;
            }
            r.handlers.put(token, handler);
            if (started) {
                r.thread.start();
            }
            return new Key(r, fd, token);
        }
    }

    /**
     * Removes a registration; the reactor it was in stops when it was the last. Call before the
     * fd is closed. Returns after the reactor thread ended (within {@link #JOIN_BOUND}), unless
     * called on that thread.
     */
    static void deregister(Key key) {
        EpollReactor r = key.reactor();
        boolean stop = false;
        synchronized (LIFECYCLE) {
            if (r.handlers.remove(key.token()) == null) {
                return;
            }
            r.epoll.delete(key.fd());
            if (r.handlers.isEmpty() && current == r) {
                current = null;
                stop = true;
            }
        }
        if (stop) {
            r.stop();       // outside the lock: a callback on the reactor thread may register meanwhile
        }
    }

    private void stop() {
        stopping = true;
        wakeup.signal();
        Joins.awaitEnd(thread, JOIN_BOUND);
    }

    private void loop() {
        try {
            for (;;) {
                int n = epoll.await(-1);
                if (n == -Errno.EINTR) {
                    continue;
                }
                if (n < 0) {
                    failAll(LinuxErrors.exception("epoll_wait", -n));
                    return;
                }
                boolean leave = false;
                for (int i = 0; i < n; i++) {
                    long token = epoll.token(i);
                    if (token == WAKEUP_TOKEN) {
                        leave = stopping;
                        continue;
                    }
                    Handler h = handlers.get(token);
                    if (h != null) {
                        dispatch(h, epoll.events(i));
                    }
                }
                if (leave) {
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            failAll(e);
            throw e;
        } finally {
            epoll.close();
            wakeup.close();
        }
    }

    private static void dispatch(Handler h, int events) {
        try {
            h.onEvents(events);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "an AsyncCapture's event handler failed", e);
        }
    }

    /** The reactor cannot go on: detaches it so the next registration starts a fresh one. */
    private void failAll(Throwable cause) {
        LOG.log(System.Logger.Level.ERROR, thread.getName() + " stopped: " + cause, cause);
        synchronized (LIFECYCLE) {
            if (current == this) {
                current = null;
            }
        }
        for (Handler h : handlers.values()) {
            try {
                h.onReactorFailure(cause);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "an AsyncCapture's failure handler failed", e);
            }
        }
    }

    /** Number of live reactor threads (for tests and diagnostics). */
    static long liveThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(THREAD_PREFIX) && t.isAlive())
                .count();
    }
}
