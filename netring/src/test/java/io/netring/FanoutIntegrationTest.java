package io.netring;

import io.netring.filter.BpfInstruction;
import io.netring.filter.BpfProgram;
import io.netring.filter.EbpfInstruction;
import io.netring.filter.EbpfProgram;
import io.netring.testing.Collect;
import io.netring.testing.EbpfAllowed;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import io.netring.testing.TestRings;
import io.netring.testing.UdpFrames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Fanout groups against the real kernel, on a veth pair in a namespace made per test. */
@Privileged
@Timeout(60)
class FanoutIntegrationTest extends NamespaceTest {
    private static final Duration IDLE = Duration.ofMillis(300);
    /** Frames are sent before they are read: each member has room for every frame in a block of its own. */
    private AfPacketRxBuilder member(FanoutMode mode, int group) {
        return AfPacketRx.builder().interfaceName(ns.b).blockSize(TestRings.BLOCK_SIZE)
                .blockCount(TestRings.blocksFor(800)).blockTimeout(Duration.ofMillis(10)).fanout(mode, group);
    }

    /** Opens {@code n} members built by {@code builder}, in join order. */
    private static List<AfPacketRx> open(int n, java.util.function.Supplier<AfPacketRxBuilder> builder) throws Exception {
        List<AfPacketRx> group = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            group.add(builder.get().build());
        }
        return group;
    }

    private interface GroupTest {
        void run(List<AfPacketRx> group, FrameSender tx) throws Exception;
    }

    /** In the namespace: {@code n} members built by {@code builder}, a sender on the other side, all closed after. */
    private void withGroup(int n, java.util.function.Supplier<AfPacketRxBuilder> builder, GroupTest test) throws Exception {
        ns.run(() -> {
            List<AfPacketRx> group = open(n, builder);
            try (FrameSender tx = new FrameSender(ns.a)) {
                test.run(group, tx);
            } finally {
                closeAll(group);
            }
        });
    }

    private static void closeAll(List<AfPacketRx> group) {
        group.forEach(AfPacketRx::close);
    }

    /**
     * The test-frame sequence numbers each member captured: read until {@code n} came across the
     * group, then until it stayed quiet, so extra or duplicate frames show up too.
     */
    private static List<List<Integer>> sequencesPerMember(List<AfPacketRx> group, int n) throws Exception {
        List<List<Integer>> out = new ArrayList<>();
        for (List<byte[]> frames : Collect.acrossMembers(group, f -> FrameSender.sequenceOf(f) >= 0, n, IDLE)) {
            out.add(frames.stream().map(FrameSender::sequenceOf).toList());
        }
        return out;
    }

    /** Every sequence number 0..n-1 exactly once across the members. */
    private static void assertExactlyOnce(List<List<Integer>> perMember, int n) {
        BitSet seen = new BitSet(n);
        int total = 0;
        for (List<Integer> seqs : perMember) {
            for (int s : seqs) {
                assertFalse(seen.get(s), "frame " + s + " delivered twice");
                seen.set(s);
                total++;
            }
        }
        assertEquals(n, total, "frames across the group");
        assertEquals(n, seen.cardinality());
    }

    @Test
    void loadBalanceDeliversEveryFrameOnceInFairShares() throws Exception {
        int n = 800;
        withGroup(4, () -> member(FanoutMode.LOAD_BALANCE, 4242), (group, tx) -> {
            for (AfPacketRx rx : group) {
                assertEquals(4242, rx.fanoutGroupId().orElseThrow());
            }
            tx.sendSequence(0, n, 64);
            List<List<Integer>> per = sequencesPerMember(group, n);
            assertExactlyOnce(per, n);
            for (int i = 0; i < 4; i++) {
                int share = per.get(i).size();
                assertTrue(share >= n / 4 * 0.8 && share <= n / 4 * 1.2, "member " + i + " got " + share + " of " + n);
            }
        });
    }

    @Test
    void hashKeepsAFlowOnOneSocketAndSpreadsFlows() throws Exception {
        int flows = 32;
        int perFlow = 10;
        withGroup(4, () -> member(FanoutMode.HASH, 7), (group, tx) -> {
            for (int i = 0; i < perFlow; i++) {
                for (int f = 0; f < flows; f++) {
                    tx.send(UdpFrames.frame(10000 + f, 5000, f * perFlow + i, 80));
                }
            }
            Map<Integer, Set<Integer>> membersOfFlow = new HashMap<>();
            int total = 0;
            List<List<byte[]>> per = Collect.acrossMembers(group, f -> UdpFrames.dstPort(f) == 5000, flows * perFlow, IDLE);
            for (int m = 0; m < group.size(); m++) {
                for (byte[] frame : per.get(m)) {
                    membersOfFlow.computeIfAbsent(UdpFrames.srcPort(frame), k -> new HashSet<>()).add(m);
                    total++;
                }
            }
            assertEquals(flows * perFlow, total, "frames across the group");
            Set<Integer> used = new HashSet<>();
            membersOfFlow.forEach((flow, members) -> {
                assertEquals(1, members.size(), "flow from port " + flow + " landed on members " + members);
                used.addAll(members);
            });
            assertTrue(used.size() >= 3, flows + " flows spread over only " + used.size() + " of 4 members");
        });
    }

    @Test
    void rolloverFlagMovesOverflowToAnotherMemberAndLosesNothing() throws Exception {
        int n = 600;
        ns.run(() -> {
            // One flow, so HASH sends everything to one member, whose ring (8 x 64 KiB, about 480
            // frames of 1000 bytes) cannot hold n; the overflow must roll over to the other one.
            // The kernel rolls over only to members with room to spare, so the group as a whole
            // is given plenty: nothing may be lost. The block timeout is long so that blocks
            // retire full however slowly the frames come (the capacity above holds), and the
            // reader counts frames rather than waiting for the timer.
            List<AfPacketRx> group = open(2, () -> AfPacketRx.builder().interfaceName(ns.b).blockSize(1 << 16)
                    .blockCount(8).blockTimeout(Duration.ofSeconds(1))
                    .fanout(FanoutMode.HASH, 99).fanoutFlags(FanoutFlag.ROLLOVER));
            try (FrameSender tx = new FrameSender(ns.a)) {
                for (int first = 0; first < n; first += 50) {
                    tx.sendSequence(first, 50, 1000);
                    Thread.sleep(2);    // keeps the veth backlog (netdev_max_backlog) from dropping
                }
                List<List<Integer>> per = sequencesPerMember(group, n);
                long drops = 0;
                for (AfPacketRx rx : group) {
                    drops += rx.stats().drops();
                }
                assertEquals(0, drops, "ring drops; members got " + per.get(0).size() + " / " + per.get(1).size());
                assertExactlyOnce(per, n);
                assertTrue(per.get(0).size() > 0 && per.get(1).size() > 0,
                        "both members received frames: " + per.get(0).size() + " / " + per.get(1).size());
            } finally {
                closeAll(group);
            }
        });
    }

    @Test
    void cbpfProgramSteersByAByteOfTheFrame() throws Exception {
        int n = 200;
        // ldb [4]; ret a. A fanout program sees offsets from the network header, so [4] is byte
        // 18 of the frame; the kernel takes the result modulo the member count.
        BpfProgram steer = BpfProgram.of(new BpfInstruction(0x30, 0, 0, 4), new BpfInstruction(0x16, 0, 0, 0));
        withGroup(4, () -> member(FanoutMode.CBPF, 11).fanoutProgram(steer), (group, tx) -> {
            for (int seq = 0; seq < n; seq++) {
                byte[] frame = FrameSender.frame(seq, 64);
                frame[18] = (byte) (seq * 7 % 4);
                tx.send(frame);
            }
            List<List<Integer>> per = sequencesPerMember(group, n);
            assertExactlyOnce(per, n);
            for (int m = 0; m < 4; m++) {
                for (int seq : per.get(m)) {
                    assertEquals(seq * 7 % 4, m, "frame " + seq + " (byte 18 = " + (seq * 7 % 4) + ") on member " + m);
                }
            }
        });
    }

    @Test
    @EbpfAllowed
    void ebpfProgramSteers() throws Exception {
        int n = 100;
        ns.run(() -> {
            try (EbpfProgram toSecond = EbpfProgram.load(List.of(
                    EbpfInstruction.movImm(EbpfInstruction.R0, 1), EbpfInstruction.exit()))) {
                List<AfPacketRx> group = open(3, () -> member(FanoutMode.EBPF, 12).fanoutProgram(toSecond));
                try (FrameSender tx = new FrameSender(ns.a)) {
                    tx.sendSequence(0, n, 64);
                    List<List<Integer>> per = sequencesPerMember(group, n);
                    assertExactlyOnce(per, n);
                    assertEquals(List.of(0, n, 0), per.stream().map(List::size).toList());
                } finally {
                    closeAll(group);
                }
            }
        });
    }

    @Test
    void uniqueIdIsChosenByTheKernelAndOthersJoinIt() throws Exception {
        int n = 200;
        ns.run(() -> {
            List<AfPacketRx> group = new ArrayList<>();
            try (FrameSender tx = new FrameSender(ns.a)) {
                group.add(member(FanoutMode.LOAD_BALANCE, 0).fanoutFlags(FanoutFlag.UNIQUE_ID).build());
                int id = group.getFirst().fanoutGroupId().orElseThrow();
                group.add(member(FanoutMode.LOAD_BALANCE, id).build());
                assertEquals(id, group.get(1).fanoutGroupId().orElseThrow());
                tx.sendSequence(0, n, 64);
                List<List<Integer>> per = sequencesPerMember(group, n);
                assertExactlyOnce(per, n);
                assertEquals(n / 2, per.get(0).size(), "round robin over two members");
            } finally {
                closeAll(group);
            }
        });
    }

    @Test
    void joiningAGroupWithAnotherModeNamesTheConflict() throws Exception {
        ns.run(() -> {
            try (AfPacketRx first = member(FanoutMode.HASH, 9).build()) {
                assertEquals(9, first.fanoutGroupId().orElseThrow());
                NetringException e = assertThrows(NetringException.class, () -> member(FanoutMode.LOAD_BALANCE, 9).build());
                assertTrue(e.getMessage().contains("cannot join fanout LOAD_BALANCE group 9 on " + ns.b), e.getMessage());
                assertTrue(e.getMessage().contains("conflict with the existing group 9"), e.getMessage());
                assertTrue(e.getMessage().contains("different mode, flags, interface or protocol"), e.getMessage());
                assertEquals("setsockopt(PACKET_FANOUT)", e.call());
                NetringException flags = assertThrows(NetringException.class,
                        () -> member(FanoutMode.HASH, 9).fanoutFlags(FanoutFlag.DEFRAG).build());
                assertTrue(flags.getMessage().contains("conflict with the existing group 9"), flags.getMessage());
                // The same settings still join.
                try (AfPacketRx second = member(FanoutMode.HASH, 9).build()) {
                    assertEquals(9, second.fanoutGroupId().orElseThrow());
                }
            }
        });
    }

    @Test
    void noGroupWithoutFanout() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = AfPacketRx.builder().interfaceName(ns.b).blockSize(1 << 16).blockCount(2).build()) {
                assertTrue(rx.fanoutGroupId().isEmpty());
            }
        });
    }
}
