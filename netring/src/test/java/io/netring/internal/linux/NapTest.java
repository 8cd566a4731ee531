package io.netring.internal.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/** The readers' nap: at least as long as asked, on platform and virtual threads; nothing for nothing. */
@Timeout(30)
class NapTest {

    private static long sleptNanos(long nanos) {
        long t0 = System.nanoTime();
        Nap.sleep(nanos);
        return System.nanoTime() - t0;
    }

    @Test
    void sleepsAtLeastTheTimeAskedOnAPlatformThread() {
        assertTrue(sleptNanos(2_000_000) >= 2_000_000, "usleep rounds up, never down");
    }

    @Test
    void roundsAPartialMicrosecondUp() {
        assertTrue(sleptNanos(1) >= 1_000, "a nanosecond naps a whole microsecond");
    }

    @Test
    void zeroOrNegativeReturnsAtOnce() {
        Nap.sleep(0);
        Nap.sleep(-5);
    }

    @Test
    void aVirtualThreadNapsTooWithoutHoldingItsCarrier() throws Exception {
        AtomicLong slept = new AtomicLong();
        Thread t = Thread.ofVirtual().start(() -> slept.set(sleptNanos(2_000_000)));
        t.join();
        assertTrue(slept.get() >= 2_000_000, "parked for the time asked");
    }

    @Test
    void anInterruptedThreadStillNapsAndKeepsItsFlag() {
        Thread.currentThread().interrupt();
        try {
            assertTrue(sleptNanos(1_000_000) >= 1_000_000, "usleep is not cut short by the flag");
            assertTrue(Thread.currentThread().isInterrupted(), "the flag is left for the caller");
        } finally {
            Thread.interrupted();
        }
    }
}
