package io.netring.internal.linux;

import io.netring.PermissionDeniedException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** errno is captured per thread: concurrent failing calls each see their own value. */
class ErrnoTest {

    @Test
    void failedCallsReturnNegativeErrno() {
        assertEquals(-Errno.EBADF, Syscalls.close(-1));
        int r = Syscalls.ifNameToIndex("nr-no-such-if0");
        assertEquals(-Errno.ENODEV, r);
    }

    @Test
    void concurrentFailuresDoNotOverwriteEachOther() throws Exception {
        int rounds = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<String> failure = new AtomicReference<>();
        Thread badFd = Thread.ofPlatform().start(() -> {
            await(start);
            for (int i = 0; i < rounds && failure.get() == null; i++) {
                int r = Syscalls.close(-1);
                if (r != -Errno.EBADF) {
                    failure.set("close(-1) gave " + r);
                }
            }
        });
        Thread badName = Thread.ofPlatform().start(() -> {
            await(start);
            for (int i = 0; i < rounds && failure.get() == null; i++) {
                int r = Syscalls.munmap(1, 4096); // unaligned address: EINVAL
                if (r != -Errno.EINVAL) {
                    failure.set("munmap(1) gave " + r);
                }
            }
        });
        start.countDown();
        badFd.join();
        badName.join();
        assertNull(failure.get());
    }

    @Test
    void errorsNameTheCallAndErrno() {
        var e = LinuxErrors.exception("setsockopt(PACKET_RX_RING)", Errno.ENOMEM);
        assertEquals(Errno.ENOMEM, e.errno());
        assertEquals("setsockopt(PACKET_RX_RING)", e.call());
        assertTrue(e.getMessage().contains("ENOMEM"), e.getMessage());
        assertTrue(e.getMessage().contains("Cannot allocate memory"), e.getMessage());
        var denied = LinuxErrors.exception("socket", Errno.EPERM, "CAP_NET_RAW", "");
        assertInstanceOf(PermissionDeniedException.class, denied);
        assertTrue(denied.getMessage().contains("CAP_NET_RAW"), denied.getMessage());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
