package io.netring.cli;

import io.netring.Injector;
import io.netring.InterfaceInfo;
import io.netring.TxSlot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code netring inject}: sends COUNT test frames of SIZE bytes through the TX ring. Frames go
 * to the broadcast address from 02:00:00:00:00:01 with EtherType 0x88B5 (local experimental)
 * and carry a 4-byte sequence number, so a capture on the other end can check order and loss.
 */
@Command(name = "inject", mixinStandardHelpOptions = true,
        description = "Send test frames (EtherType 0x88B5, sequence-numbered) through the TX ring.")
final class InjectCommand implements Callable<Integer> {
    static final int ETHERTYPE = 0x88B5;
    static final int MIN_SIZE = 18;     // Ethernet header + sequence number
    static final int LINK_HEADER = 14;  // Ethernet (lo and veth too)
    /** Ring frame bytes before the packet (TPACKET header + sockaddr_ll, aligned), the most any kernel needs. */
    private static final int FRAME_OVERHEAD = 48;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-i", "--interface"}, required = true, paramLabel = "IFACE")
    String interfaceName;

    @Option(names = {"-c", "--count"}, required = true, paramLabel = "COUNT", description = "Frames to send.")
    long count;

    @Option(names = {"-s", "--size"}, paramLabel = "SIZE", defaultValue = "64", description = "Frame size in bytes (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--pps", paramLabel = "RATE", description = "Frames per second (default: as fast as the ring drains).")
    Long pps;

    @Option(names = "--qdisc-bypass", description = "Skip traffic control (other packet sockets then do not see these frames).")
    boolean qdiscBypass;

    @Override
    public Integer call() throws Exception {
        if (count <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be positive, was " + count);
        }
        if (size < MIN_SIZE) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size must be at least " + MIN_SIZE
                    + " (Ethernet header and sequence number), was " + size);
        }
        if (pps != null && pps <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--pps must be positive, was " + pps);
        }
        InterfaceInfo link = InterfaceInfo.of(interfaceName);
        int carried = link.mtu() + LINK_HEADER;
        if (size > carried) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size " + size + " is more than "
                    + interfaceName + " carries: MTU " + link.mtu() + " + " + LINK_HEADER + "-byte Ethernet header = "
                    + carried + " bytes");
        }
        PrintWriter out = spec.commandLine().getOut();
        byte[] frame = template(size);
        long interval = pps == null ? 0 : 1_000_000_000L / pps;
        try (Injector inj = Injector.builder().interfaceName(interfaceName).frameSize(frameSizeFor(size))
                .qdiscBypass(qdiscBypass).build();
             StopSignal stop = new StopSignal(null)) {
            long start = System.nanoTime();
            long next = start;
            long seq = 0;
            while (seq < count && !stop.stopRequested()) {
                if (interval > 0) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        inj.flush();                    // frames already queued go out on time
                        LockSupport.parkNanos(wait);
                    }
                    next += interval;
                }
                TxSlot slot = inj.allocate(size);
                if (slot == null) {
                    inj.flush();                        // ring full: hand frames over, then retry
                    Thread.onSpinWait();
                    continue;
                }
                writeSequence(frame, seq);
                slot.copyFrom(frame).send();
                seq++;
                if (interval > 0 || seq % 64 == 0) {
                    inj.flush();
                }
            }
            boolean drained = inj.flushBlocking(Duration.ofSeconds(5));
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf("%d frames of %d bytes sent on %s in %.3f s (%.0f frames/s)%s%n", inj.framesSent(), size,
                    interfaceName, seconds, inj.framesSent() / seconds, drained ? "" : ", some still queued at exit");
        }
        return 0;
    }

    /** The default frame size, or a larger one (multiple of 16) when {@code --size} needs it. */
    static int frameSizeFor(int size) {
        int needed = (size + FRAME_OVERHEAD + 15) & ~15;
        return Math.max(2048, needed);
    }

    /** Broadcast destination, locally administered source, EtherType 0x88B5, then a byte pattern. */
    static byte[] template(int size) {
        byte[] f = new byte[size];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) 0xFF;
        }
        f[6] = 0x02;
        f[11] = 0x01;
        f[12] = (byte) (ETHERTYPE >> 8);
        f[13] = (byte) ETHERTYPE;
        for (int i = MIN_SIZE; i < size; i++) {
            f[i] = (byte) i;
        }
        return f;
    }

    static void writeSequence(byte[] frame, long seq) {
        int s = (int) seq;
        frame[14] = (byte) (s >>> 24);
        frame[15] = (byte) (s >>> 16);
        frame[16] = (byte) (s >>> 8);
        frame[17] = (byte) s;
    }
}
