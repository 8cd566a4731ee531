package io.netring.pcap;

import io.netring.Capture;
import io.netring.CaptureStats;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.PacketSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A saved-traffic file (classic pcap or pcapng, detected from its first bytes) as a
 * {@link PacketSource}: code written for a live capture runs unchanged on it.
 *
 * <pre>{@code
 * try (PcapReader in = PcapReader.open(Path.of("trace.pcapng"))) {
 *     for (PacketBatch next = in.nextBatch(); next != null; next = in.nextBatch()) {
 *         try (PacketBatch batch = next) { batch.dispatch(v -> bytes += v.length()); }
 *     }
 * }
 * }</pre>
 *
 * <p>The file is memory-mapped; each batch lays the next records out as one TPACKET_V3 block in
 * a reused buffer (one copy, no allocation per packet), so {@link Packet}, {@code PacketView},
 * {@code dispatch} and {@code toOwned} behave as on the ring: one open batch at a time, released
 * packets throw. Timestamps honour any pcapng {@code if_tsresol} and {@code if_tsoffset};
 * {@code direction()} comes from {@code epb_flags}; {@code interfaceIndex()} is the pcapng
 * interface id (0 for pcap). Seconds are 32-bit as in the kernel header (they wrap after 2106).
 *
 * <p>Damaged content surfaces as {@link PcapFormatException} (from {@link #open} when the
 * header is bad, else from the {@link #nextBatch()} after the last good record).
 */
public final class PcapReader implements PacketSource, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Path file;
    private final Arena mapping;
    private final RecordParser parser;
    private final FileBlock block;
    private final Cleaner.Cleanable cleanable;
    private PacketBatch open;
    private long seq;
    private CaptureStats reported = CaptureStats.ZERO;
    /**
     * {@link #IDLE}, {@link #BUSY} (a thread is reading the mapping), {@link #CLOSING} (closed
     * while busy: the reading thread unmaps when it is done) or {@link #CLOSED}. The parser reads
     * the mapping without a scope, so the unmap must never overlap a read.
     */
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private static final int IDLE = 0;
    private static final int BUSY = 1;
    private static final int CLOSING = 2;
    private static final int CLOSED = 3;

    private PcapReader(Path file, Arena mapping, RecordParser parser, int bufferSize) {
        this.file = file;
        this.mapping = mapping;
        this.parser = parser;
        this.block = new FileBlock(bufferSize);
        this.cleanable = CLEANER.register(this, new Unmap(mapping));
    }

    /**
     * Opens and maps {@code file}, reads its header (and, for pcapng, the blocks before the first
     * packet).
     *
     * @throws PcapFormatException when the file is empty, is neither pcap nor pcapng, or its
     *         header is damaged
     * @throws IOException when the file cannot be opened or mapped
     */
    public static PcapReader open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (java.nio.file.Files.isDirectory(file)) {
            // Opened, a directory reads as an unmappable device ("No such device"): say what it is.
            throw new java.nio.file.FileSystemException(file.toString(), null, "Is a directory");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                throw new PcapFormatException(file, 0, "empty file: no pcap or pcapng header");
            }
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            // Read without a scope (no liveness test per field): the state word in nextBatch and
            // close() makes sure the mapping outlives every read.
            MemorySegment data = MemorySegment.ofAddress(mapped.address()).reinterpret(size);
            return over(file, arena, data, FileBlock.DEFAULT_CAPACITY);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Reads {@code in} (a pipe, standard input) to its end into memory, then reads that as
     * {@link #open} reads a file: tcpdump's {@code -r -}. {@code name} names it in messages. The
     * whole stream is held in native memory until the reader is closed, and no packet is
     * delivered before the stream has ended.
     *
     * @throws PcapFormatException when the stream is empty or its header is not pcap or pcapng
     */
    public static PcapReader read(ReadableByteChannel in, Path name) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(name, "name");
        Arena arena = Arena.ofShared();
        try {
            MemorySegment buf = arena.allocate(1 << 20);
            long size = 0;
            for (;;) {
                if (size == buf.byteSize()) {
                    // Doubling into a fresh arena, the old one freed at once.
                    Arena bigger = Arena.ofShared();
                    MemorySegment grown = bigger.allocate(buf.byteSize() * 2);
                    MemorySegment.copy(buf, 0, grown, 0, size);
                    arena.close();
                    arena = bigger;
                    buf = grown;
                }
                int r = in.read(buf.asSlice(size, Math.min(buf.byteSize() - size, 1 << 30)).asByteBuffer());
                if (r < 0) {
                    break;
                }
                size += r;
            }
            if (size == 0) {
                throw new PcapFormatException(name, 0, "empty file: no pcap or pcapng header");
            }
            return over(name, arena, MemorySegment.ofAddress(buf.address()).reinterpret(size), FileBlock.DEFAULT_CAPACITY);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * A reader over {@code data}, which {@code arena} keeps alive and which is named {@code file}
     * in messages: the mapped file, or bytes in memory for tests; batches start at
     * {@code bufferSize} bytes and grow for a larger record.
     */
    static PcapReader over(Path file, Arena arena, MemorySegment data, int bufferSize) throws PcapFormatException {
        if (data.byteSize() < 4) {
            throw new PcapFormatException(file, 0, "file of " + data.byteSize()
                    + " bytes is too short for a pcap or pcapng header");
        }
        RecordParser parser = ClassicPcapParser.probe(file, data);
        if (parser == null) {
            parser = PcapngParser.probe(file, data);
        }
        if (parser == null) {
            throw new PcapFormatException(file, 0, String.format(
                    "not a pcap or pcapng file (starts with %08x)", Integer.reverseBytes(data.get(RecordParser.INT, 0))));
        }
        return new PcapReader(file, arena, parser, bufferSize);
    }

    /** The file being read. */
    public Path file() {
        return file;
    }

    /**
     * The link type (LINKTYPE_* / DLT_*, 1 for Ethernet) of the file (classic pcap) or of its
     * first interface (pcapng); -1 when a pcapng file describes no interface before its first packet.
     */
    public int linkType() {
        return parser.linkType();
    }

    /** The snapshot length of the file, or of its first interface (0 when the file gives none). */
    public int snaplen() {
        return parser.snaplen();
    }

    /** The format detected. */
    public PcapFormat format() {
        return parser instanceof PcapngParser ? PcapFormat.PCAPNG : PcapFormat.PCAP;
    }

    /** For classic pcap, whether the file has nanosecond timestamps; pcapng is always true (per-interface resolution). */
    public boolean nanosecondPrecision() {
        return !(parser instanceof ClassicPcapParser c) || c.nanosecondPrecision();
    }

    /** The pcapng {@code if_name} of interface {@code id} in the current section; null when absent or for classic pcap. */
    public String interfaceName(int id) {
        return parser instanceof PcapngParser p ? p.interfaceName(id) : null;
    }

    /** True when every record has been delivered (a damaged file is not at its end until its error was thrown). */
    public boolean atEnd() {
        return parser.atEnd() && block.count() == 0;
    }

    /**
     * The next records as a batch, or null at the end of the file. Close it before asking for
     * the next one.
     *
     * @throws PcapFormatException when the next record is damaged (every record before it was delivered)
     * @throws IllegalStateException when the previous batch is still open, or the reader is closed
     */
    @Override
    public PacketBatch nextBatch() throws PcapFormatException {
        return nextBatch(Integer.MAX_VALUE);
    }

    /**
     * As {@link #nextBatch()}, with at most {@code maxPackets} records: for a copy with a packet
     * limit, which then ends on a batch boundary and leaves the records after it for the next call.
     *
     * @throws IllegalArgumentException when {@code maxPackets} is not positive
     */
    public PacketBatch nextBatch(int maxPackets) throws PcapFormatException {
        if (maxPackets <= 0) {
            throw new IllegalArgumentException("maxPackets=" + maxPackets + ": must be positive");
        }
        enter();
        try {
            block.reset();
            block.maxCount(maxPackets);
            parser.fill(block);
            if (block.count() == 0) {
                PcapFormatException e = parser.error();
                if (e != null) {
                    throw e;
                }
                return null;
            }
            PacketBatch b = block.finish(++seq);
            block.reset();
            open = b;
            return b;
        } finally {
            leave();
        }
    }

    /**
     * For {@link PcapWriter#transferFrom}: classic pcap records straight from the mapping into
     * {@code out} (see {@link ClassicPcapCopy}), holding the mapping as {@link #nextBatch()}
     * does; 0 for pcapng, whose records go batch by batch.
     */
    long copyRecords(FileOutput out, int snaplen, long max) throws java.io.IOException {
        if (!(parser instanceof ClassicPcapParser classic)) {
            return 0;
        }
        enter();
        try {
            return ClassicPcapCopy.copy(classic, out, snaplen, max);
        } finally {
            leave();
        }
    }

    /** Takes the mapping for one read: no other reader, not closed, no batch still open. */
    private void enter() {
        if (!state.compareAndSet(IDLE, BUSY)) {
            throw new IllegalStateException(state.get() == BUSY
                    ? "PcapReader of " + file + " is being read by another thread"
                    : "PcapReader is closed: " + file);
        }
        PacketBatch prev = open;
        if (prev != null && prev.isOpen()) {
            leave();
            throw new IllegalStateException("the previous PacketBatch of " + file + " is still open: close it first");
        }
        open = null;
    }

    /** Gives the mapping back; unmaps it when close() came during the read. */
    private void leave() {
        if (!state.compareAndSet(BUSY, IDLE)) {
            state.set(CLOSED);
            cleanable.clean();
        }
    }

    /** Same as {@link #nextBatch()}: a file never makes a caller wait. */
    @Override
    public PacketBatch nextBatchBlocking(Duration timeout) throws PcapFormatException {
        return nextBatch();
    }

    /**
     * The interface statistics the file recorded (pcapng ISBs: {@code isb_ifrecv} as packets,
     * {@code isb_ifdrop} as drops) read since the previous call; zeros for classic pcap.
     */
    @Override
    public CaptureStats stats() {
        CaptureStats now = parser.recordedStats();
        CaptureStats since = new CaptureStats(now.packets() - reported.packets(), now.drops() - reported.drops(), 0);
        reported = now;
        return since;
    }

    /** -1: a file has no socket. */
    @Override
    public int fd() {
        return -1;
    }

    /**
     * Every remaining packet of the file, in order; the stream ends at the end of the file.
     * Each packet is valid until the stream moves past its batch. A damaged record ends the
     * stream with an {@link UncheckedIOException} wrapping the {@link PcapFormatException}.
     */
    public Stream<Packet> packets() {
        return Capture.stream(this);
    }

    /**
     * Unmaps the file. Idempotent. A batch still open stays readable until it is closed (its
     * buffer is not the mapping).
     */
    @Override
    public void close() {
        for (;;) {
            int s = state.get();
            if (s == IDLE && state.compareAndSet(IDLE, CLOSED)) {
                cleanable.clean();
                return;
            }
            if (s == BUSY && state.compareAndSet(BUSY, CLOSING)) {
                return;                                 // the reading thread unmaps when it is done
            }
            if (s == CLOSING || s == CLOSED) {
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "PcapReader[" + file + ", " + format() + ", linkType=" + linkType() + (state.get() >= CLOSING ? ", closed" : "") + "]";
    }

    /** Closes the mapping of a reader that was closed or forgotten. */
    private record Unmap(Arena arena) implements Runnable {
        @Override
        public void run() {
            arena.close();
        }
    }
}
