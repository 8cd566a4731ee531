package io.netring.cli;

import io.netring.Injector;
import io.netring.InterfaceInfo;
import io.netring.TxSlot;
import io.netring.xdp.XdpTx;
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
 * With {@code --xdp} they go through an AF_XDP socket's TX ring instead.
 */
@Command(name = "inject", mixinStandardHelpOptions = true,
        description = "Send test frames (EtherType 0x88B5, sequence-numbered) through the TX ring (AF_PACKET, or AF_XDP with --xdp).")
final class InjectCommand implements Callable<Integer> {
    static final int ETHERTYPE = 0x88B5;
    static final int MIN_SIZE = 18;     // Ethernet header + sequence number
    static final int LINK_HEADER = 14;  // Ethernet (lo and veth too)
    /** Ring frame bytes before the packet (TPACKET header + sockaddr_ll, aligned), the most any kernel needs. */
    private static final int FRAME_OVERHEAD = 48;
    /** UMEM frame bytes with --xdp: the page size, the most a frame may be. */
    private static final int XDP_FRAME_SIZE = 4096;

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

    @Option(names = "--xdp", description = "Send through an AF_XDP socket's TX ring instead of an AF_PACKET ring "
            + "(no XDP program is attached for sending; packet sockets on this interface do not see the frames).")
    boolean xdp;

    @Option(names = "--queue", paramLabel = "N", description = "With --xdp: the TX queue to send on (default 0).")
    Integer queue;

    @Option(names = "--xdp-mode", paramLabel = "auto|copy|zc",
            description = "With --xdp: zc (zero-copy, the driver must have it), copy, or auto (the default).")
    String xdpMode;

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
        String misuse = xdpMisuse();
        if (misuse != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), misuse);
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
        try (Injector inj = open();
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
            out.printf("%d frames of %d bytes sent on %s%s in %.3f s (%.0f frames/s)%s%n", inj.framesSent(), size,
                    interfaceName, xdp ? " (AF_XDP queue " + inj.unwrapXdp().queue() + ", "
                            + (inj.unwrapXdp().zeroCopy() ? "zero-copy" : "copy mode") + ")" : "",
                    seconds, inj.framesSent() / seconds, drained ? "" : ", some still queued at exit");
        }
        return 0;
    }

    /** The usage error the AF_XDP options make, or null. */
    private String xdpMisuse() {
        if (!xdp) {
            java.util.List<String> orphans = new java.util.ArrayList<>();
            if (queue != null) {
                orphans.add("--queue");
            }
            if (xdpMode != null) {
                orphans.add("--xdp-mode");
            }
            return XdpOptions.needXdp(orphans);
        }
        if (qdiscBypass) {
            return "--qdisc-bypass does not go with --xdp: AF_XDP frames skip traffic control anyway";
        }
        if (queue != null && queue < 0) {
            return "--queue must be 0 or more (a TX queue id of the interface), was " + queue;
        }
        if (size > XDP_FRAME_SIZE) {
            return "--size " + size + " is more than an AF_XDP frame holds (" + XDP_FRAME_SIZE + " bytes)";
        }
        try {
            XdpOptions.mode(xdpMode);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    /** The injector: an AF_PACKET TX ring, or with {@code --xdp} an AF_XDP socket's TX ring. */
    private Injector open() throws io.netring.NetringException {
        if (!xdp) {
            return Injector.builder().interfaceName(interfaceName).frameSize(frameSizeFor(size)).qdiscBypass(qdiscBypass).build();
        }
        return Injector.over(XdpTx.builder().interfaceName(interfaceName).queue(queue == null ? 0 : queue)
                .mode(XdpOptions.mode(xdpMode)).frameSize(XDP_FRAME_SIZE).build());
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
