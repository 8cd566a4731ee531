package io.netring.cli;

import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;
import io.netring.reassembly.DefragResult;
import io.netring.reassembly.IpDefragmenter;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * IP defragmentation for {@code -T fields|json}, shown as tshark shows it: a fragment's line has
 * its network header and no transport fields; the frame that completes a datagram shows its own
 * network header and the reassembled datagram's transport (ports, {@code udp.length}, DNS …).
 *
 * <p>Read from a file with a {@code reassembled_in} field chosen ({@code twoPass}), it follows
 * {@code tshark -2}: the fragments before the last one name the
 * completing frame in {@code ip.reassembled_in} / {@code ipv6.reassembled.in}. Their lines (and
 * every line after them, to keep frame order) are held until their datagram completes or is
 * given up — at the defragmenter's timeout, when nothing is pending any more, past
 * {@link #MAX_HELD_BYTES}, or at the end. Otherwise nothing is held: every other field is the
 * same in tshark's one pass, which shows no {@code reassembled_in}.
 */
final class FragmentLines {
    /** Prints one frame: transport fields from {@code transport}, network header fields from {@code network}. */
    interface Printer {
        void frame(PacketDecoder transport, PacketDecoder network, FrameMeta meta);
    }

    /** Held frames' bytes at most; past it the oldest line goes out without {@code reassembled_in}. */
    static final long MAX_HELD_BYTES = IpDefragmenter.DEFAULT_MAX_TOTAL_BYTES;

    private final IpDefragmenter defrag = IpDefragmenter.create();
    private final boolean twoPass;
    /** The application fields' parsers, fed each frame's transport in frame order; null when no such field is asked for. */
    private final ApplicationFields app;
    private final Printer printer;
    private final ArrayDeque<Held> queue = new ArrayDeque<>();
    /** The held fragments that wait for their datagram, by frame number. */
    private final Map<Long, Held> waiting = new HashMap<>();
    private final PacketDecoder own = new PacketDecoder();
    private final PacketDecoder whole = new PacketDecoder();
    private final FrameMeta meta = new FrameMeta();
    private byte[] scratch = new byte[2048];
    private long heldBytes;

    /** One frame whose line waits: its bytes (and, completing a datagram, the reassembled frame). */
    private static final class Held {
        final byte[] frame;
        final byte[] reassembled;
        final long number, seconds, timeNanos;
        final int nanos, wireLength;
        final boolean fragment;
        /** The application values reported on this frame when it came, or null. */
        ApplicationFields.Values app;
        long reassembledIn;
        boolean waits;

        Held(byte[] frame, byte[] reassembled, long number, long seconds, int nanos, int wireLength, long timeNanos,
             boolean fragment, boolean waits) {
            this.frame = frame;
            this.reassembled = reassembled;
            this.number = number;
            this.seconds = seconds;
            this.nanos = nanos;
            this.wireLength = wireLength;
            this.timeNanos = timeNanos;
            this.fragment = fragment;
            this.waits = waits;
        }
    }

    FragmentLines(boolean twoPass, ApplicationFields app, Printer printer) {
        this.twoPass = twoPass;
        this.app = app;
        this.printer = printer;
        meta.defragmenting = true;
    }

    /**
     * Takes the next frame, already decoded in {@code d}; prints it, or holds it, and prints
     * every held line whose datagram is now settled.
     */
    void offer(PacketDecoder d, long number, long seconds, int nanos, int wireLength) {
        long timeNanos = seconds * 1_000_000_000L + nanos;
        MemorySegment seg = d.segment();
        long at = d.offset();
        int length = d.length();
        DefragResult result = defrag.offerFrame(seg, at, length, number, timeNanos);
        switch (result) {
            case NOT_FRAGMENT -> {
                ApplicationFields.Values values = analyze(d, number, timeNanos);
                if (queue.isEmpty()) {
                    meta.app = values;
                    printer.frame(d, d, meta.set(number, seconds, nanos, length, wireLength).reassembledIn(0));
                } else {
                    hold(new Held(copy(seg, at, length), null, number, seconds, nanos, wireLength, timeNanos, false, false),
                            values);
                }
            }
            case HELD, DROPPED -> {
                boolean waits = twoPass && result == DefragResult.HELD;
                if (queue.isEmpty() && !waits) {
                    printFragment(seg, at, length, number, seconds, nanos, wireLength, 0);
                } else {
                    Held h = new Held(copy(seg, at, length), null, number, seconds, nanos, wireLength, timeNanos, true, waits);
                    hold(h, null);
                    if (waits) {
                        waiting.put(number, h);
                    }
                }
            }
            case COMPLETED -> {
                if (twoPass) {
                    for (int i = 0; i < defrag.frameCount(); i++) {
                        Held h = waiting.remove(defrag.frameNumber(i));
                        if (h != null && h.number != number) {
                            h.reassembledIn = number;
                            h.waits = false;
                        }
                    }
                }
                int linkLength = d.networkOffset();
                int total = linkLength + defrag.datagramLength();
                if (scratch.length < total) {
                    scratch = new byte[Math.max(total, scratch.length * 2)];
                }
                MemorySegment.copy(seg, java.lang.foreign.ValueLayout.JAVA_BYTE, at, scratch, 0, linkLength);
                MemorySegment.copy(defrag.datagram(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, scratch, linkLength,
                        defrag.datagramLength());
                whole.decode(MemorySegment.ofArray(scratch), 0, total, total);
                ApplicationFields.Values values = analyze(whole, number, timeNanos);
                if (queue.isEmpty()) {
                    meta.app = values;
                    printer.frame(whole, d, meta.set(number, seconds, nanos, length, wireLength).reassembledIn(0));
                } else {
                    hold(new Held(copy(seg, at, length), java.util.Arrays.copyOf(scratch, total), number, seconds, nanos,
                            wireLength, timeNanos, false, false), values);
                }
            }
        }
        release(timeNanos);
    }

    /** End of input: every datagram still incomplete is given up and every held line printed. */
    void finish() {
        defrag.discardPending();
        waiting.clear();
        while (!queue.isEmpty()) {
            print(queue.poll());
        }
        heldBytes = 0;
    }

    /** The application values reported on this frame, as it comes (frame order), or null. */
    private ApplicationFields.Values analyze(PacketDecoder transport, long number, long timeNanos) {
        return app == null ? null : app.offer(transport, number, timeNanos);
    }

    private void hold(Held h, ApplicationFields.Values values) {
        h.app = values == null ? null : values.copyOrNull();
        queue.add(h);
        heldBytes += h.frame.length + (h.reassembled == null ? 0 : h.reassembled.length);
    }

    /** Prints held lines from the oldest while they are settled, or given up (timeout, nothing pending, bound). */
    private void release(long nowNanos) {
        long timeout = defrag.timeout().toNanos();
        while (!queue.isEmpty()) {
            Held h = queue.peek();
            boolean givenUp = h.waits && (defrag.pendingDatagrams() == 0 || nowNanos - h.timeNanos >= timeout
                    || heldBytes > MAX_HELD_BYTES);
            if (h.waits && !givenUp) {
                return;
            }
            queue.poll();
            heldBytes -= h.frame.length + (h.reassembled == null ? 0 : h.reassembled.length);
            if (h.waits) {
                waiting.remove(h.number);
            }
            print(h);
        }
    }

    private void print(Held h) {
        MemorySegment frame = MemorySegment.ofArray(h.frame);
        meta.app = h.app;
        if (h.fragment) {
            printFragment(frame, 0, h.frame.length, h.number, h.seconds, h.nanos, h.wireLength, h.reassembledIn);
        } else if (h.reassembled != null) {
            own.decode(frame, 0, h.frame.length, h.wireLength);
            whole.decode(MemorySegment.ofArray(h.reassembled), 0, h.reassembled.length, h.reassembled.length);
            printer.frame(whole, own, meta.set(h.number, h.seconds, h.nanos, h.frame.length, h.wireLength).reassembledIn(0));
        } else {
            own.decode(frame, 0, h.frame.length, h.wireLength);
            printer.frame(own, own, meta.set(h.number, h.seconds, h.nanos, h.frame.length, h.wireLength).reassembledIn(0));
        }
    }

    /** A fragment is decoded up to its network header: its transport header belongs to the datagram. */
    private void printFragment(MemorySegment seg, long at, int length, long number, long seconds, int nanos, int wireLength,
                               long reassembledIn) {
        meta.app = null;
        own.decode(seg, at, length, wireLength);
        int upper = own.upperLayerOffset();
        if (upper >= 0 && (own.has(Layer.IPV4) || own.has(Layer.IPV6))) {
            own.decode(seg, at, upper, wireLength);
        }
        printer.frame(own, own, meta.set(number, seconds, nanos, length, wireLength).reassembledIn(reassembledIn));
    }

    private static byte[] copy(MemorySegment seg, long at, int length) {
        byte[] b = new byte[length];
        MemorySegment.copy(seg, java.lang.foreign.ValueLayout.JAVA_BYTE, at, b, 0, length);
        return b;
    }
}
