package io.netring.bench;

import io.netring.Injector;
import io.netring.TxSlot;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;

import java.time.Duration;

/**
 * One Java sender of the TX comparison, in its own JVM inside the namespace:
 * {@code JavaSender MODE IFNAME COUNT SIZE}. Prints {@code READY}, sends COUNT test frames as
 * fast as the API allows, and prints {@code RESULT sent=.. wallNs=.. cpuNs=..} (process CPU).
 *
 * <p>Modes: {@code pcap4j} ({@code PcapHandle.sendPacket(byte[])}), {@code injector}
 * (netring's {@link Injector}, driven like the C TX-ring sender) and {@code ffm} (the C sender's
 * loop in Java on the same kind of ring, without the library: the Java floor, {@link FfmTxLoop}).
 */
public final class JavaSender {

    /** The ring and kick cadence of tx_ring.c (FRAME_SIZE, FRAME_NR, BATCH), shared by both Java ring senders. */
    static final int RING_FRAME_SIZE = 2048;
    static final int RING_FRAME_COUNT = 4096;
    static final int KICK_EVERY = 64;

    private JavaSender() {}

    public static void main(String[] args) throws Exception {
        Usage.require(args, 4, "JavaSender pcap4j|injector|ffm IFNAME COUNT SIZE");
        long count = Long.parseLong(args[2]);
        int size = Integer.parseInt(args[3]);
        switch (args[0]) {
            case "pcap4j" -> pcap4j(args[1], count, size);
            case "injector" -> injector(args[1], count, size);
            case "ffm" -> FfmTxLoop.run(args[1], count, size, warmup(count));
            default -> throw new IllegalArgumentException("mode=" + args[0] + ": one of pcap4j, injector, ffm");
        }
    }

    private static void pcap4j(String ifName, long count, int size) throws Exception {
        PcapHandle handle = new PcapHandle.Builder(ifName)
                .snaplen(65535)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(60)
                .build();
        try {
            byte[] frame = TestFrames.frame(0, size);
            System.out.println("READY");
            System.out.flush();
            for (long seq = 0; seq < warmup(count); seq++) {
                handle.sendPacket(withSequence(frame, seq));
            }
            long cpu0 = processCpuNanos();
            long wall0 = System.nanoTime();
            for (long seq = 0; seq < count; seq++) {
                handle.sendPacket(withSequence(frame, seq));
            }
            report(count, System.nanoTime() - wall0, processCpuNanos() - cpu0);
        } finally {
            handle.close();
        }
    }

    /**
     * netring's Injector, set up and driven like tx_ring.c: a 4096-frame ring of 2048-byte frames,
     * each frame copied into its slot from one template, then its sequence number written in
     * place (the template is never changed: rewriting it before each copy would make every copy
     * wait for those few byte stores to land), a non-blocking kick every 64
     * frames or when the ring is full, and a blocking flush at the end; timed after a warm-up.
     */
    private static void injector(String ifName, long count, int size) throws Exception {
        try (Injector inj = Injector.builder().interfaceName(ifName).frameSize(RING_FRAME_SIZE).frameCount(RING_FRAME_COUNT).build()) {
            byte[] frame = TestFrames.frame(0, size);
            System.out.println("READY");
            System.out.flush();
            send(inj, frame, warmup(count));
            inj.flushBlocking(Duration.ofSeconds(30));
            long cpu0 = processCpuNanos();
            long wall0 = System.nanoTime();
            send(inj, frame, count);
            inj.flushBlocking(Duration.ofSeconds(30));
            report(count, System.nanoTime() - wall0, processCpuNanos() - cpu0);
        }
    }

    /** Sends {@code count} frames: a kick every 64 frames, or when the ring is full. */
    private static void send(Injector inj, byte[] frame, long count) throws Exception {
        int pending = 0;
        for (long seq = 0; seq < count; ) {
            TxSlot slot = inj.allocate(frame.length);
            if (slot == null) {
                inj.flush();                                   // ring full: hand frames over
                pending = 0;
                Thread.onSpinWait();
                continue;
            }
            slot.copyFrom(frame).putInt(TestFrames.SEQUENCE_OFFSET, (int) seq).send();
            seq++;
            if (++pending == KICK_EVERY) {
                inj.flush();
                pending = 0;
            }
        }
    }

    /**
     * Frames sent before timing starts, so that the JIT has compiled the send loop (the C
     * senders need none); the receiving side ignores them.
     */
    private static long warmup(long count) {
        return Math.min(count / 4, 500_000);
    }

    private static byte[] withSequence(byte[] frame, long seq) {
        int s = (int) seq;
        frame[14] = (byte) (s >>> 24);
        frame[15] = (byte) (s >>> 16);
        frame[16] = (byte) (s >>> 8);
        frame[17] = (byte) s;
        return frame;
    }

    /** CPU time of the whole process (JIT and GC threads included). */
    static long processCpuNanos() {
        return ThreadCpu.processNanos();
    }

    static void report(long sent, long wallNs, long cpuNs) {
        System.out.printf("RESULT sent=%d wallNs=%d cpuNs=%d%n", sent, wallNs, cpuNs);
        System.out.flush();
    }
}
