package io.netring.examples;

import io.netring.AfPacketRx;
import io.netring.Capture;
import io.netring.CaptureBuilder;
import io.netring.RingProfile;
import io.netring.filter.EbpfInstruction;
import io.netring.filter.EbpfProgram;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.netring.filter.EbpfInstruction.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * An eBPF socket filter that keeps one EtherType, two ways:
 * <ol>
 *   <li>loaded with netring's own loader ({@link EbpfProgram#load}) and given to the builder;</li>
 *   <li>attached by hand to a capture's socket through {@link Capture#fd()}, as a program loaded
 *       by libbpf or bpftool would be: {@code setsockopt(fd, SOL_SOCKET, SO_ATTACH_BPF, &progFd)}.</li>
 * </ol>
 * Prints what each capture saw when done.
 *
 * <pre>bin/run-class io.netring.examples.Ebpf INTERFACE [SECONDS] [ETHERTYPE, default 0x88b5]</pre>
 */
public final class Ebpf {
    private Ebpf() {}

    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_BPF = 50;

    /** What one capture saw: all packets, and how many of them had the wanted EtherType. */
    public record Seen(long packets, long matching) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: Ebpf INTERFACE [SECONDS] [ETHERTYPE]   (needs CAP_NET_RAW and CAP_BPF)");
            System.exit(2);
        }
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        int etherType = args.length > 2 ? Integer.decode(args[2]) : 0x88B5;
        run(args[0], duration, etherType, System.out);
    }

    /** The filter: keep whole frames whose EtherType is {@code etherType}, drop the rest. */
    public static List<EbpfInstruction> etherTypeFilter(int etherType) {
        return List.of(
                movReg(R6, R1),                    // BPF_LD_ABS reads the packet through the context in r6
                loadAbsolute(2, 12),               // r0 = EtherType (bytes 12-13 of the frame)
                jumpIfNotEqual(R0, etherType, 2),
                movImm(R0, 0x40000),               // keep up to 256 KiB of the frame
                exit(),
                movImm(R0, 0),                     // drop
                exit());
    }

    /** Runs both captures on {@code interfaceName} for {@code duration}; returns {builder, by-fd}. */
    public static Seen[] run(String interfaceName, Duration duration, int etherType, PrintStream out) throws Exception {
        try (EbpfProgram program = EbpfProgram.load(etherTypeFilter(etherType))) {
            out.printf("loaded %s keeping EtherType 0x%04x%n", program, etherType);
            Capture viaBuilder = capture(interfaceName).ebpfFilter(program).build();
            Capture viaFd = null;
            Thread a = null;
            Thread b = null;
            AtomicLong[] counts = {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()};
            try {
                viaFd = capture(interfaceName).build();
                // What a user with their own loader does: attach its program fd to the socket fd.
                attachByFd(viaFd.fd(), program.fd());
                out.printf("attached program fd %d to socket fd %d with SO_ATTACH_BPF%n", program.fd(), viaFd.fd());
                a = count(viaBuilder, etherType, counts[0], counts[1]);
                b = count(viaFd, etherType, counts[2], counts[3]);
                Thread.sleep(duration);
            } finally {
                // Closing ends the packets() streams the counting threads are in.
                viaBuilder.close();
                if (viaFd != null) {
                    viaFd.close();
                }
                if (a != null) {
                    a.join();
                }
                if (b != null) {
                    b.join();
                }
            }
            Seen[] seen = {new Seen(counts[0].get(), counts[1].get()), new Seen(counts[2].get(), counts[3].get())};
            out.printf("builder ebpfFilter: %d packets, %d with EtherType 0x%04x%n", seen[0].packets(), seen[0].matching(), etherType);
            out.printf("attached via fd():  %d packets, %d with EtherType 0x%04x%n", seen[1].packets(), seen[1].matching(), etherType);
            return seen;
        }
    }

    private static CaptureBuilder capture(String interfaceName) {
        return Capture.builder().interfaceName(interfaceName).profile(RingProfile.MEMORY_CONSTRAINED)
                .blockTimeout(Duration.ofMillis(10));
    }

    private static Thread count(Capture cap, int etherType, AtomicLong all, AtomicLong matching) {
        return Thread.ofPlatform().start(() -> cap.packets().forEach(p -> {
            all.incrementAndGet();
            if (p.protocol() == etherType) {
                matching.incrementAndGet();
            }
        }));
    }

    /**
     * setsockopt(SO_ATTACH_BPF) through the FFM API, as code around an external loader would
     * call it. Packets that reached the ring before this call are not filtered; to avoid that,
     * give the program to the builder, or replace with {@link AfPacketRx#setFilter(EbpfProgram)}.
     */
    static void attachByFd(int socketFd, int programFd) {
        Linker linker = Linker.nativeLinker();
        MethodHandle setsockopt = linker.downcallHandle(linker.defaultLookup().find("setsockopt").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocateFrom(JAVA_INT, programFd);
            int r = (int) setsockopt.invokeExact(socketFd, SOL_SOCKET, SO_ATTACH_BPF, value, 4);
            if (r != 0) {
                throw new IllegalStateException("setsockopt(SO_ATTACH_BPF) failed");
            }
        } catch (Throwable t) {
            if (t instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(t);
        }
    }
}
