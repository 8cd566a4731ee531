package io.netring.examples;

import io.netring.Injector;
import io.netring.NetringException;
import io.netring.TxSlot;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Injects numbered test frames through a TX ring and prints what it sent (the Rust crate's
 * {@code inject} example).
 *
 * <pre>bin/run-class io.netring.examples.Inject INTERFACE [COUNT] [SIZE]</pre>
 *
 * <p>Each frame is a broadcast Ethernet frame from 02:00:00:00:00:01 with the local
 * experimental EtherType 0x88B5, a 4-byte big-endian sequence number, then filler bytes. Watch
 * them arrive with {@code tcpdump -i INTERFACE ether proto 0x88b5} (on the peer of a veth pair,
 * or on the interface itself). Needs CAP_NET_RAW.
 */
public final class Inject {
    /** The EtherType of the test frames (IEEE 802 local experimental). */
    public static final int ETHERTYPE = 0x88B5;
    /** Header (14) plus the sequence number (4). */
    public static final int MIN_SIZE = 18;
    private static final int LINES = 10;

    private Inject() {}

    /** What a run did. */
    public record Result(long sent, long skipped, boolean drained) {}

    public static void main(String[] args) throws Exception {
        System.exit(runMain(args, System.out, System.err));
    }

    /** Parses the arguments and runs; returns the process exit code. */
    static int runMain(String[] args, PrintStream out, PrintStream err) throws NetringException {
        if (args.length < 1 || args.length > 3) {
            err.println("usage: Inject INTERFACE [COUNT (default 10)] [SIZE in bytes (default 64)]");
            return 2;
        }
        int count;
        int size;
        try {
            count = args.length > 1 ? Integer.parseInt(args[1]) : 10;
            size = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        } catch (NumberFormatException e) {
            err.println("COUNT and SIZE must be whole numbers: " + e.getMessage());
            return 2;
        }
        if (count < 1) {
            err.println("COUNT=" + count + ": must be at least 1");
            return 2;
        }
        if (size < MIN_SIZE) {
            err.println("SIZE=" + size + ": must be at least " + MIN_SIZE + " (Ethernet header and sequence number)");
            return 2;
        }
        Result r = run(args[0], count, size, out);
        return r.drained() ? 0 : 1;
    }

    /** Sends {@code count} frames of {@code size} bytes on {@code interfaceName}, reporting to {@code out}. */
    public static Result run(String interfaceName, int count, int size, PrintStream out) throws NetringException {
        try (Injector inj = Injector.builder().interfaceName(interfaceName).frameSize(frameSizeFor(size)).build()) {
            out.printf("injecting %d frames of %d bytes on %s (%s)%n", count, size, interfaceName, inj.unwrap());
            byte[] frame = new byte[size];
            long start = System.nanoTime();
            for (int seq = 0; seq < count; seq++) {
                fill(frame, seq);
                TxSlot slot = inj.allocate(size);
                while (slot == null) {                      // ring full: let the kernel drain some
                    inj.flushBlocking(Duration.ofMillis(10));
                    slot = inj.allocate(size);
                }
                slot.copyFrom(frame);
                slot.send();
                if (seq < LINES) {
                    out.printf("  #%d  %d bytes  %s%n", seq, size, HexFormat.ofDelimiter(" ").formatHex(frame, 0, MIN_SIZE));
                } else if (seq == LINES) {
                    out.println("  ...");
                }
            }
            boolean drained = inj.flushBlocking(Duration.ofSeconds(5));
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf("sent %d frames (%d skipped) in %.3f s%s%n", inj.framesSent(), inj.framesSkipped(), seconds,
                    drained ? "" : "; the ring did not drain within 5 s");
            return new Result(inj.framesSent(), inj.framesSkipped(), drained);
        }
    }

    /** Frame {@code seq}: broadcast, from 02:00:00:00:00:01, EtherType 0x88B5, sequence, filler. */
    public static void fill(byte[] frame, int seq) {
        ByteBuffer f = ByteBuffer.wrap(frame);
        f.put(new byte[] {-1, -1, -1, -1, -1, -1, 2, 0, 0, 0, 0, 1});
        f.putShort((short) ETHERTYPE);
        f.putInt(seq);
        for (int i = f.position(); i < frame.length; i++) {
            frame[i] = (byte) (seq + i);
        }
    }

    /** The smallest valid ring frame for packets of {@code size} bytes, but at least the default. */
    private static int frameSizeFor(int size) {
        int needed = (size + 48 + 15) & ~15;
        return Math.max(2048, needed);
    }
}
