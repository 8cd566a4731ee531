package io.netring;

import io.netring.adapter.ChannelCapture;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** A deleted interface is not a link that went down: the capture says so, from then on, within a second or two. */
@Privileged
@Timeout(60)
class InterfaceDeletionTest extends NamespaceTest {

    private void assertDeleted(Throwable t) {
        InterfaceNotFoundException e = assertInstanceOf(InterfaceNotFoundException.class, t);
        assertEquals(ns.b, e.interfaceName());
        assertTrue(e.getMessage().startsWith("interface '" + ns.b + "' (index "), e.getMessage());
        assertTrue(e.getMessage().contains("was deleted; this capture cannot resume"), e.getMessage());
    }

    @Test
    void theWaitingCallAndEveryLaterOneThrowNamingTheInterface() throws Exception {
        try (AfPacketRx rx = smallCaptureOnB(4)) {
            CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    rx.nextBatchBlocking(Duration.ofSeconds(20));
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Thread.sleep(200);                                  // let it reach poll (a head start, not a condition)
            long deleted = System.nanoTime();
            ns.ip("link", "del", ns.b);
            assertDeleted(waiting.get(5, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - deleted < TimeUnit.SECONDS.toNanos(3), "noticed within a second or two");
            assertDeleted(assertThrows(InterfaceNotFoundException.class, () -> rx.nextBatchBlocking(Duration.ofSeconds(5))));
            assertDeleted(assertThrows(InterfaceNotFoundException.class, rx::nextBatch));
        }
    }

    @Test
    void deletedWhileDownIsFoundByAnIdleWait() throws Exception {
        try (AfPacketRx rx = smallCaptureOnB(4)) {
            ns.ip("link", "set", ns.b, "down");
            NetringException down = assertThrows(NetringException.class, () -> rx.nextBatchBlocking(Duration.ofSeconds(5)));
            assertFalse(down instanceof InterfaceNotFoundException, down.getMessage());
            assertTrue(down.getMessage().contains("went down"), down.getMessage());
            ns.ip("link", "del", ns.b);                          // no error reaches a socket already down
            long start = System.nanoTime();
            assertDeleted(assertThrows(InterfaceNotFoundException.class, () -> rx.nextBatchBlocking(Duration.ofSeconds(10))));
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2500), "within a second or two");
        }
    }

    @Test
    void thePacketStreamEndsWithTheException() throws Exception {
        try (Capture cap = ns.call(() -> Capture.builder().interfaceName(ns.b).blockSize(1 << 16).blockCount(4)
                .blockTimeout(Duration.ofMillis(5)).pollTimeout(Duration.ofMillis(100)).build())) {
            CompletableFuture<Throwable> streaming = CompletableFuture.supplyAsync(() -> {
                try {
                    cap.packets().forEach(p -> { });
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Thread.sleep(200);
            ns.ip("link", "del", ns.b);
            UncheckedIOException e = assertInstanceOf(UncheckedIOException.class, streaming.get(5, TimeUnit.SECONDS));
            assertDeleted(e.getCause());
        }
    }

    @Test
    void channelSurvivesDownAndUpAndEndsOnDeletion() throws Exception {
        try (ChannelCapture ch = ns.call(() -> ChannelCapture.spawn(Capture.builder().interfaceName(ns.b)
                .blockSize(1 << 16).blockCount(4).blockTimeout(Duration.ofMillis(5)), 1024))) {
            ns.ip("link", "set", ns.b, "down");
            Thread.sleep(300);                                  // the capture thread sees ENETDOWN meanwhile
            ns.ip("link", "set", ns.b, "up");
            // Carrier may take a moment after up: send until a frame arrives (bounded).
            OwnedPacket got = null;
            try (FrameSender tx = ns.call(() -> new FrameSender(ns.a))) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                int seq = 0;
                while (got == null && System.nanoTime() < deadline) {
                    tx.send(FrameSender.frame(seq++, 64));
                    OwnedPacket p = ch.recv(Duration.ofMillis(100));
                    if (p != null && FrameSender.sequenceOf(p.data()) >= 0) {
                        got = p;
                    }
                }
            }
            assertNotNull(got, "the channel still delivers after down and up");
            ns.ip("link", "del", ns.b);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            NetringException end = null;
            while (end == null && System.nanoTime() < deadline) {
                try {
                    ch.recv(Duration.ofMillis(200));
                } catch (NetringException e) {
                    end = e;
                }
            }
            assertNotNull(end, "the channel did not end after the deletion");
            assertDeleted(end instanceof InterfaceNotFoundException ? end : end.getCause());
        }
    }
}
