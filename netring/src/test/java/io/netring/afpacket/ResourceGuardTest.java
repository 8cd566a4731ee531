package io.netring.afpacket;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class ResourceGuardTest {
    /** How many times the guard ran its release; a new guard and count for every test. */
    private final AtomicInteger released = new AtomicInteger();
    private final ResourceGuard g = new ResourceGuard(released::incrementAndGet);

    @Test
    void closeWithoutUsersReleasesAtOnceAndOnlyOnce() {
        assertTrue(g.close());
        assertFalse(g.close());
        assertEquals(1, released.get());
        assertFalse(g.tryAcquire());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.acquire("AfPacketRx on x"));
        assertEquals("AfPacketRx on x is closed", e.getMessage());
    }

    @Test
    void closeWhileInUseDefersReleaseToTheLastUser() {
        assertTrue(g.tryAcquire());
        assertTrue(g.tryAcquire());
        g.close();
        assertEquals(0, released.get());
        g.release();
        assertEquals(0, released.get());
        g.release();
        assertEquals(1, released.get());
    }

    @Test
    void closeLeakedFreesDespiteUsesThatCanNeverBeGivenBack() {
        AtomicInteger released = new AtomicInteger();
        ResourceGuard g = new ResourceGuard(released::incrementAndGet);
        assertTrue(g.tryAcquire());                 // a batch left open, dropped with its handle
        assertTrue(g.closeLeaked());
        assertEquals(1, released.get());
        assertTrue(g.isClosed());
        assertFalse(g.closeLeaked());
        assertFalse(g.close());
        assertEquals(1, released.get());
    }

    @Test
    void closeLeakedAfterAnExplicitCloseLeavesTheLastUserInCharge() {
        AtomicInteger released = new AtomicInteger();
        ResourceGuard g = new ResourceGuard(released::incrementAndGet);
        assertTrue(g.tryAcquire());
        assertTrue(g.close());
        assertFalse(g.closeLeaked());               // close() ran the cleaner; the open batch still reads
        assertEquals(0, released.get());
        g.release();
        assertEquals(1, released.get());
    }

    @RepeatedTest(20)
    void racingUsersAndClosersReleaseExactlyOnce() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            boolean closer = t == 0;
            threads[t] = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 10_000; i++) {
                    if (closer && i == 5_000) {
                        g.close();
                    }
                    if (g.tryAcquire()) {
                        assertEquals(0, released.get(), "released while in use");
                        g.release();
                    }
                }
            });
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        g.close();
        assertEquals(1, released.get());
    }
}
