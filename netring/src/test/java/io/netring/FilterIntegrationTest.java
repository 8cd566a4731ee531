package io.netring;

import io.netring.filter.BpfInstruction;
import io.netring.filter.BpfProgram;
import io.netring.filter.EbpfInstruction;
import io.netring.filter.EbpfProgram;
import io.netring.filter.EbpfVerifierException;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.LinuxConstants;
import io.netring.internal.linux.Syscalls;
import io.netring.testing.EbpfAllowed;
import io.netring.testing.Collect;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import io.netring.testing.TestRings;
import io.netring.testing.UdpFrames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.netring.filter.EbpfInstruction.*;
import static org.junit.jupiter.api.Assertions.*;

/** Socket filters (classic and eBPF) against the real kernel, on a veth pair in a namespace made per test. */
@Privileged
@Timeout(60)
class FilterIntegrationTest extends NamespaceTest {
    private static final Duration IDLE = Duration.ofMillis(300);
    /** Frames are sent before they are read: room for each in a block of its own. */
    private AfPacketRxBuilder smallRx() {
        return AfPacketRx.builder().interfaceName(ns.b).blockSize(TestRings.BLOCK_SIZE)
                .blockCount(TestRings.blocksFor(4 * 100)).blockTimeout(Duration.ofMillis(10));
    }

    static BpfProgram dd(String resource) throws Exception {
        return BpfProgram.parseTcpdumpDd(BpfProgramTest.resource(resource));
    }

    /** An eBPF socket filter keeping whole frames of one EtherType and dropping the rest. */
    static List<EbpfInstruction> etherTypeFilter(int etherType) {
        return List.of(
                movReg(R6, R1),
                loadAbsolute(2, 12),
                jumpIfNotEqual(R0, etherType, 2),
                movImm(R0, 0x40000),
                exit(),
                movImm(R0, 0),
                exit());
    }

    /** Sends UDP to ports 53 and 54, UDP from port 53, and non-IP frames: {@code n} of each. */
    private static void sendMix(FrameSender tx, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            tx.send(UdpFrames.frame(40000 + i, 53, i, 80));
            tx.send(UdpFrames.frame(40000 + i, 54, i, 80));
            tx.send(UdpFrames.frame(53, 1000 + i, i, 80));
            tx.send(FrameSender.frame(i, 80));
        }
    }

    @Test
    void nullEbpfInstructionIsNamedByItsIndexBeforeAnyLoad() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> EbpfProgram.load(java.util.Arrays.asList(EbpfInstruction.exit(), null)));
        assertEquals("instructions[1] is null; every instruction of an eBPF program is required", e.getMessage());
    }

    @Test
    void tcpdumpFilterAdmitsExactlyTheMatchingFrames() throws Exception {
        int n = 100;
        ns.run(() -> {
            try (AfPacketRx rx = smallRx().bpfFilter(dd("udp-dst-port-53.dd")).build(); FrameSender tx = new FrameSender(ns.a)) {
                sendMix(tx, n);
                List<byte[]> got = Collect.exactly(rx, f -> true, n);
                assertEquals(n, got.size(), "frames admitted");
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(UdpFrames.frame(40000 + i, 53, i, 80), got.get(i), "frame " + i);
                }
            }
        });
    }

    @Test
    void replacingTheFilterOnALiveSocketAdmitsNothingTheNewProgramRejects() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = smallRx().bpfFilter(dd("udp-dst-port-53.dd")).build()) {
                try (FrameSender tx = new FrameSender(ns.a)) {
                    // Old-filter packets waiting in the ring when the swap happens.
                    for (int i = 0; i < 200; i++) {
                        tx.send(UdpFrames.frame(40000, 53, i, 80));
                    }
                }
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger sent = new AtomicInteger();
                // Keeps both kinds of traffic flowing through the swap (a thread made here starts in the namespace).
                Thread sender = new Thread(() -> {
                    try (FrameSender tx = new FrameSender(ns.a)) {
                        for (int i = 0; !stop.get() && i < 200_000; i++) {
                            tx.send(UdpFrames.frame(40000, i % 2 == 0 ? 53 : 123, i, 80));
                            sent.incrementAndGet();
                            if (i % 64 == 0) {
                                Thread.sleep(1);
                            }
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                sender.start();
                while (sent.get() < 200 && sender.isAlive()) {
                    Thread.sleep(1);
                }
                rx.setFilter(dd("udp-dst-port-123.dd"));
                // Traffic keeps flowing until more than 10 frames came after the swap.
                List<byte[]> after = Collect.frames(rx, f -> true, 11, Duration.ofSeconds(30), Duration.ofSeconds(30));
                stop.set(true);
                sender.join();
                after.addAll(Collect.untilQuiet(rx, f -> true, IDLE));
                long rejectedButDelivered = after.stream().filter(f -> UdpFrames.dstPort(f) != 123).count();
                assertEquals(0, rejectedButDelivered, "frames the new filter rejects, delivered after setFilter");
                assertTrue(after.size() > 10, "the new filter admits port 123: " + after.size() + " of " + sent.get() + " sent");
            }
        });
    }

    @Test
    void captureSetFilterSwitchesTheStream() throws Exception {
        ns.run(() -> {
            try (Capture cap = Capture.builder().interfaceName(ns.b).blockSize(1 << 16).blockCount(8)
                    .blockTimeout(Duration.ofMillis(10)).bpfFilter(dd("udp-dst-port-53.dd")).build();
                 FrameSender tx = new FrameSender(ns.a)) {
                tx.send(UdpFrames.frame(1, 53, 1, 80));
                assertEquals(53, cap.packets().limit(1).map(p -> UdpFrames.dstPort(p.toOwned().data())).findFirst().orElseThrow());
                tx.send(UdpFrames.frame(1, 53, 2, 80));
                cap.setFilter(dd("udp-dst-port-123.dd"));
                tx.send(UdpFrames.frame(1, 53, 3, 80));
                tx.send(UdpFrames.frame(1, 123, 4, 80));
                byte[] next = cap.packets().limit(1).map(p -> p.toOwned().data()).findFirst().orElseThrow();
                assertEquals(123, UdpFrames.dstPort(next));
                assertEquals(4, UdpFrames.sequenceOf(next));
            }
        });
    }

    @Test
    void detachFilterAdmitsEverything() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = smallRx().bpfFilter(BpfProgram.rejectAll()).build(); FrameSender tx = new FrameSender(ns.a)) {
                tx.sendSequence(0, 10, 64);
                assertEquals(0, Collect.untilQuiet(rx, f -> true, IDLE).size(), "reject-all admits nothing");
                rx.detachFilter();
                rx.detachFilter();      // no filter left: not an error
                tx.sendSequence(10, 10, 64);
                List<byte[]> got = Collect.exactly(rx, f -> FrameSender.sequenceOf(f) >= 0, 10);
                assertEquals(10, got.size());
                assertEquals(10, FrameSender.sequenceOf(got.get(0)));
            }
        });
    }

    @Test
    void lockedFilterCannotBeReplacedOrDetached() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = smallRx().bpfFilter(dd("udp-dst-port-53.dd")).lockFilter(true).build()) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> rx.setFilter(BpfProgram.acceptAll()));
                assertTrue(e.getMessage().contains("is locked (lockFilter(true))"), e.getMessage());
                assertThrows(IllegalStateException.class, rx::detachFilter);
                // The kernel enforces it too, for anyone holding the fd.
                try (Arena arena = Arena.ofConfined()) {
                    int r = Syscalls.setsockopt(rx.fd(), LinuxConstants.SOL_SOCKET, LinuxConstants.SO_DETACH_FILTER,
                            arena.allocateFrom(ValueLayout.JAVA_INT, 0), 4);
                    assertEquals(-Errno.EPERM, r, "SO_DETACH_FILTER on a locked socket");
                }
            }
        });
    }

    /** ldh [12]; jeq #0x88b5; ret whole frame; ret 0: keeps only the test frames. */
    private static BpfProgram testFramesOnly() {
        return BpfProgram.of(new BpfInstruction(0x28, 0, 0, 12), new BpfInstruction(0x15, 0, 1, FrameSender.ETHERTYPE),
                BpfInstruction.ret(0x40000), BpfInstruction.ret(0));
    }

    /** Valid to our checks, refused by the kernel's: memory slot 16 does not exist (BPF_MEMWORDS is 16). */
    private static BpfProgram kernelRefuses() {
        return BpfProgram.of(new BpfInstruction(0x60, 0, 0, 16), BpfInstruction.ret(-1));
    }

    private int sendAndCount(AfPacketRx rx, FrameSender tx, int first, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            tx.send(FrameSender.frame(first + i, 64));
        }
        return Collect.exactly(rx, f -> FrameSender.sequenceOf(f) >= first, n).size();
    }

    @Test
    void refusedSetFilterKeepsThePreviousFilterInForce() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = smallRx().bpfFilter(testFramesOnly()).build(); FrameSender tx = new FrameSender(ns.a)) {
                assertEquals(20, sendAndCount(rx, tx, 0, 20), "before");
                NetringException e = assertThrows(NetringException.class, () -> rx.setFilter(kernelRefuses()));
                assertEquals(Errno.EINVAL, e.errno());
                assertTrue(e.getMessage().contains("the kernel rejected the classic BPF program of 2 instructions on " + ns.b),
                        e.getMessage());
                assertEquals(20, sendAndCount(rx, tx, 100, 20), "after the refused swap: the old filter, not reject-all");
                sendMix(tx, 5);                                 // and it is still the old filter
                assertEquals(5, Collect.exactly(rx, f -> true, 5).size());
            }
        });
    }

    @Test
    void refusedSetFilterOnAnUnfilteredSocketLeavesItUnfiltered() throws Exception {
        ns.run(() -> {
            try (Capture cap = Capture.builder().interfaceName(ns.b).blockSize(1 << 16).blockCount(16)
                    .blockTimeout(Duration.ofMillis(10)).build(); FrameSender tx = new FrameSender(ns.a)) {
                AfPacketRx rx = cap.unwrap();
                assertEquals(20, sendAndCount(rx, tx, 0, 20), "before");
                assertThrows(NetringException.class, () -> cap.setFilter(kernelRefuses()));
                assertEquals(20, sendAndCount(rx, tx, 100, 20), "after");
            }
        });
    }

    @Test
    void setFilterWithAnOpenBatchIsRefused() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = smallRx().build(); FrameSender tx = new FrameSender(ns.a)) {
                tx.send(FrameSender.frame(1, 64));
                try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofSeconds(5))) {
                    assertNotNull(batch);
                    IllegalStateException e = assertThrows(IllegalStateException.class,
                            () -> rx.setFilter(BpfProgram.acceptAll()));
                    assertTrue(e.getMessage().contains("is open; close it before replacing the filter"), e.getMessage());
                }
            }
            AfPacketRx closed = ns.call(() -> smallRx().build());
            closed.close();
            assertThrows(IllegalStateException.class, () -> closed.setFilter(BpfProgram.acceptAll()));
        });
    }

    @Test
    @EbpfAllowed
    void ebpfFilterAcceptsOnlyOneEtherType() throws Exception {
        int n = 100;
        ns.run(() -> {
            try (EbpfProgram prog = EbpfProgram.load(etherTypeFilter(FrameSender.ETHERTYPE));
                 AfPacketRx rx = smallRx().ebpfFilter(prog).build();
                 FrameSender tx = new FrameSender(ns.a)) {
                assertTrue(prog.fd() > 0);
                assertEquals(7, prog.instructionCount());
                sendMix(tx, n);
                List<byte[]> got = Collect.exactly(rx, f -> true, n);
                assertEquals(n, got.size(), "frames admitted");
                for (int i = 0; i < n; i++) {
                    assertEquals(i, FrameSender.sequenceOf(got.get(i)), "frame " + i);
                }
                // Live replacement by a classic program works the same way.
                rx.setFilter(dd("udp-dst-port-53.dd"));
                sendMix(tx, 10);
                List<byte[]> dns = Collect.exactly(rx, f -> true, 10);
                assertEquals(10, dns.size());
                assertTrue(dns.stream().allMatch(f -> UdpFrames.dstPort(f) == 53));
            }
        });
    }

    @Test
    @EbpfAllowed
    void ebpfFilterCanBeAttachedLiveAndOutlivesItsHandle() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = smallRx().build(); FrameSender tx = new FrameSender(ns.a)) {
                try (EbpfProgram prog = EbpfProgram.load(etherTypeFilter(0x0800))) {
                    rx.setFilter(prog);
                }
                sendMix(tx, 20);
                List<byte[]> got = Collect.exactly(rx, f -> true, 60);
                assertEquals(60, got.size(), "the three IPv4 kinds");
                assertTrue(got.stream().allMatch(f -> UdpFrames.dstPort(f) >= 0));
            }
        });
    }

    @Test
    @EbpfAllowed
    void verifierRefusalCarriesTheLog() {
        // r0 is never set before exit.
        EbpfVerifierException e = assertThrows(EbpfVerifierException.class, () -> EbpfProgram.load(List.of(exit())));
        assertTrue(e.verifierLog().contains("R0 !read_ok"), e.verifierLog());
        assertTrue(e.getMessage().contains("the eBPF verifier refused"), e.getMessage());
        assertTrue(e.getMessage().contains("R0 !read_ok"), e.getMessage());
        assertEquals("bpf(BPF_PROG_LOAD)", e.call());
        assertThrows(IllegalArgumentException.class, () -> EbpfProgram.load(List.of()));
    }

    @Test
    @EbpfAllowed
    void largeValidProgramLoadsThoughItsVerifierLogWouldOverflow() throws Exception {
        // 30 000 instructions: the verifier's log of them (one line each) is far larger than
        // the log buffer, which failed the load with ENOSPC while the log was always asked for.
        List<EbpfInstruction> big = new java.util.ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            big.add(movImm(R0, i));
        }
        big.add(exit());
        try (EbpfProgram prog = EbpfProgram.load(big)) {
            assertEquals(30_001, prog.instructionCount());
            assertTrue(prog.fd() > 0);
        }
    }

    @Test
    @EbpfAllowed
    void closedProgramIsRefusedAtBuild() throws Exception {
        EbpfProgram prog = EbpfProgram.load(etherTypeFilter(0x0800));
        prog.close();
        prog.close();
        assertThrows(IllegalStateException.class, prog::fd);
        BpfProgramTest.assertMessage(() -> AfPacketRx.builder().interfaceName("x").ebpfFilter(prog).build(),
                "ebpfFilter=", "the program is closed");
        try (EbpfProgram other = EbpfProgram.load(etherTypeFilter(0x0800))) {
            BpfProgramTest.assertMessage(() -> AfPacketRx.builder().interfaceName("x").ebpfFilter(other)
                    .bpfFilter(BpfProgram.acceptAll()).build(), "a socket has one filter");
        }
    }
}
