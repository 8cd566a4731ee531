package io.netring;

import io.netring.testing.FrameSender;
import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The injection hot path (allocate, copyFrom, send, flush, and the send(MemorySegment)
 * convenience) allocates no Java objects per frame once warmed up. Counts bytes, not time.
 */
@Privileged
@Timeout(120)
class InjectorAllocationTest {
    private static final int FRAMES = 200_000;
    /** Generous for the rare one-off (a deoptimization, a lazily grown table), far below 1 byte per frame. */
    private static final long BUDGET_BYTES = 16 * 1024;
    /** Rounds go on until one is clean or this has passed: JIT warm-up is slow on a loaded machine. */
    private static final long WARM_UP_NANOS = java.time.Duration.ofSeconds(60).toNanos();

    private static boolean clean(List<Long> rounds) {
        return !rounds.isEmpty() && rounds.getLast() < BUDGET_BYTES;
    }

    /**
     * com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes, bound to the platform bean.
     * Looked up reflectively because the tests compile inside module io.netring, which does not
     * read jdk.management; they run on the class path, where it is readable.
     */
    private static final MethodHandle ALLOCATED_BYTES = allocatedBytesHandle();

    private static MethodHandle allocatedBytesHandle() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            return MethodHandles.publicLookup().findVirtual(type, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
                    .bindTo(bean);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static long allocatedBytes() {
        try {
            return (long) ALLOCATED_BYTES.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Test
    void steadyStateInjectionAllocatesNothingPerFrame() throws Exception {
        try (NetNamespace ns = NetNamespace.create()) {
            ns.run(() -> {
                try (Injector inj = Injector.builder().interfaceName(ns.a).frameCount(256).build()) {
                    MemorySegment frame = Arena.ofAuto().allocate(64);
                    MemorySegment.copy(MemorySegment.ofArray(FrameSender.frame(1, 64)), 0, frame, 0, 64);

                    long sent = 0;
                    List<Long> slotRounds = new ArrayList<>();
                    List<Long> sendRounds = new ArrayList<>();
                    // A per-frame allocation shows in every round (>= 1 byte x FRAMES); JIT warm-up only in
                    // the first ones, so on a loaded machine keep measuring until a round is clean.
                    long deadline = System.nanoTime() + WARM_UP_NANOS;
                    while (!clean(slotRounds) && (slotRounds.isEmpty() || System.nanoTime() < deadline)) {
                        long before = allocatedBytes();
                        sent += slots(inj, frame, FRAMES);
                        slotRounds.add(allocatedBytes() - before);
                    }
                    deadline = System.nanoTime() + WARM_UP_NANOS;
                    while (!clean(sendRounds) && (sendRounds.isEmpty() || System.nanoTime() < deadline)) {
                        long before = allocatedBytes();
                        sent += convenience(inj, frame, FRAMES);
                        sendRounds.add(allocatedBytes() - before);
                    }
                    assertTrue(sent > FRAMES, "frames actually went out: " + sent);
                    assertTrue(clean(slotRounds), "allocate/copyFrom/send/flush allocated " + slotRounds
                            + " bytes per round of " + FRAMES + " frames");
                    assertTrue(clean(sendRounds), "send(MemorySegment)/flush allocated " + sendRounds
                            + " bytes per round of " + FRAMES + " frames");
                }
            });
        }
    }

    private static long slots(Injector inj, MemorySegment frame, int n) throws NetringException {
        long queued = 0;
        for (int i = 0; i < n; i++) {
            TxSlot slot = inj.allocate(64);
            if (slot == null) {
                inj.flush();
                continue;
            }
            slot.copyFrom(frame);
            slot.send();
            queued++;
            if ((i & 63) == 63) {
                inj.flush();
            }
        }
        inj.flushBlocking(java.time.Duration.ofSeconds(5));
        return queued;
    }

    private static long convenience(Injector inj, MemorySegment frame, int n) throws NetringException {
        long queued = 0;
        for (int i = 0; i < n; i++) {
            if (inj.send(frame)) {
                queued++;
            }
            if ((i & 63) == 63) {
                inj.flush();
            }
        }
        inj.flushBlocking(java.time.Duration.ofSeconds(5));
        return queued;
    }
}
