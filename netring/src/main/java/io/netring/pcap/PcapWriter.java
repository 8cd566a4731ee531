package io.netring.pcap;

import io.netring.CaptureStats;
import io.netring.OwnedPacket;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.PacketDirection;
import io.netring.PacketHandler;
import io.netring.afpacket.TpacketV3;
import io.netring.internal.linux.LinuxConstants;
import io.netring.PacketView;
import io.netring.Timestamp;
import io.netring.internal.PacketAccess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes packets to a classic pcap or a pcapng file that tcpdump and Wireshark read.
 *
 * <pre>{@code
 * try (Capture cap = Capture.open("eth0");
 *      PcapWriter out = PcapWriter.open(Path.of("eth0.pcapng"), PcapFormat.PCAPNG)) {
 *     while (running) {
 *         try (PacketBatch b = cap.unwrap().nextBatchBlocking(Duration.ofMillis(100))) {
 *             if (b != null) out.write(b);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Records are assembled in a 2 MiB native buffer and reach the file in large writes;
 * nothing is allocated per packet on the {@link PacketView} and {@link PacketBatch} paths.
 * Packets longer than the interface's snaplen are cut to it (the original length is kept).
 * {@link #builder(Path)} sets the link type, snaplen, interface names, the application named
 * in the pcapng section header, and where the capture's counters come from for the ISB written
 * at {@link #close()}. Not thread-safe: one writer per thread.
 */
public final class PcapWriter implements AutoCloseable {
    private static final int FIRST_PKT = (int) TpacketV3.FIRST_PKT_OFFSET;
    private static final int MAC = (int) TpacketV3.MAC_OFFSET;
    private static final int SNAPLEN = (int) TpacketV3.SNAPLEN_OFFSET;
    private static final int LEN = (int) TpacketV3.LEN_OFFSET;
    private static final int SEC = (int) TpacketV3.SEC_OFFSET;
    private static final int NSEC = (int) TpacketV3.NSEC_OFFSET;
    private static final int NEXT = (int) TpacketV3.NEXT_OFFSET_OFFSET;
    private static final int PKTTYPE = (int) TpacketV3.PKTTYPE_OFFSET;
    private final FileOutput out;
    private final PcapFormat format;
    private final RecordEncoder encoder;
    private final List<PcapInterface> interfaces;
    private final int firstSnaplen;
    private final Supplier<CaptureStats> statistics;
    private long packets;
    private boolean closed;

    PcapWriter(FileOutput out, PcapFormat format, List<PcapInterface> interfaces, String application,
               Supplier<CaptureStats> statistics) throws IOException {
        this.format = format;
        this.interfaces = List.copyOf(interfaces);
        this.firstSnaplen = this.interfaces.getFirst().snaplen();
        this.statistics = statistics;
        this.encoder = format == PcapFormat.PCAP ? ClassicPcapEncoder.INSTANCE : new PcapngEncoder(application);
        this.out = out;
        try {
            encoder.header(out, this.interfaces);
            // The header reaches the file at once: a process killed before its first flush
            // leaves a readable empty capture, not a 0-byte file.
            out.flush();
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** A writer for Ethernet packets with tcpdump's default snaplen (262144), one unnamed interface. */
    public static PcapWriter open(Path path, PcapFormat format) throws IOException {
        return builder(path).format(format).build();
    }

    /** The options beyond {@link #open}: link type, snaplen, interfaces, application, statistics. */
    public static PcapWriterBuilder builder(Path path) {
        return new PcapWriterBuilder(path);
    }

    /** The file format this writer writes (classic pcap or pcapng). */
    public PcapFormat format() { return format; }

    /** The file this writer writes to. */
    public Path path() { return out.path(); }

    /** Bytes written, including those still buffered. */
    public long bytesWritten() { return out.size(); }

    /** Packets written. */
    public long packetsWritten() { return packets; }

    /** Writes one packet of a live capture or a file (its bytes, timestamp, original length, direction). */
    public void write(Packet packet) throws IOException {
        // Hands on the packet's place as numbers; the body makes the checks (see PacketAccess).
        PacketAccess a = PacketAccess.get();
        record(null, a.data(packet), a.length(packet), 0, 0, 0, 0, 0, a.batch(packet), a.header(packet));
    }

    /** Writes the packet a {@link PacketHandler} was given; allocates nothing. */
    public void write(PacketView view) throws IOException {
        record(view.segment(), view.dataOffset(), view.length(), view.originalLength(), view.timestampSeconds(),
                view.timestampNanos(), 0, epbFlags(view.direction()));
    }

    /** As {@link #write(PacketView)}, as a packet of interface {@code interfaceId} (pcapng; ignored for classic pcap). */
    public void write(PacketView view, int interfaceId) throws IOException {
        checkInterface(interfaceId);
        record(view.segment(), view.dataOffset(), view.length(), view.originalLength(), view.timestampSeconds(),
                view.timestampNanos(), interfaceId, epbFlags(view.direction()));
    }

    /** Writes a copied packet (direction unknown). */
    public void write(OwnedPacket packet) throws IOException {
        byte[] bytes = packet.data();
        record(MemorySegment.ofArray(bytes), 0, bytes.length, packet.originalLength(), packet.timestamp().seconds(),
                packet.timestamp().nanos(), 0, 0);
    }

    /**
     * Writes {@code length} bytes of {@code data} at {@code offset} as one packet.
     * @param direction what {@code epb_flags} says (pcapng); null or {@code UNKNOWN} for none
     */
    public void write(MemorySegment data, long offset, int length, int originalLength, Timestamp timestamp,
                      PacketDirection direction) throws IOException {
        Objects.checkFromIndexSize(offset, length, data.byteSize());
        record(data, offset, length, originalLength, timestamp.seconds(), timestamp.nanos(), 0,
                direction == null ? 0 : epbFlags(direction));
    }

    /**
     * Writes the first {@code max} packets of {@code batch} (all of them when it has no more)
     * and returns how many: for a packet limit that ends inside a batch.
     */
    public long write(PacketBatch batch, long max) throws IOException {
        return BatchPrefix.write(batch, max, this::write, this::write);
    }

    /**
     * Writes every packet of {@code batch}; allocates nothing. One loop over the block's packet
     * headers (read through the batch's scoped {@link PacketBatch#segment()}, so a released
     * batch throws), which the JIT compiles early: a file conversion is over before a
     * per-packet callback chain would be.
     *
     * @return the number of packets written
     * @throws IllegalStateException when the batch was released
     */
    public int write(PacketBatch batch) throws IOException {
        if (PacketAccess.get().descriptorRun(batch)) {
            return writeEach(batch);                   // AF_XDP: no block to walk, packet by packet
        }
        MemorySegment block = batch.segment();
        // Header reads through a buffer view of the (scoped) block: fewer layers than a segment
        // read, which counts before the JIT has compiled this loop.
        ByteBuffer b = block.asByteBuffer().order(ByteOrder.nativeOrder());
        int n = batch.size();
        long limit = block.byteSize();
        long hdr = Integer.toUnsignedLong(b.getInt(FIRST_PKT));
        boolean ng = format == PcapFormat.PCAPNG;
        for (int i = 0; i < n; i++) {
            if (hdr < TpacketV3.BLOCK_DESC_SIZE || hdr + TpacketV3.PACKET_HDR_LEN > limit) {
                return i;                                  // as dispatch: stop at a header that does not fit
            }
            int h = (int) hdr;
            long mac = Short.toUnsignedLong(b.getShort(h + MAC));
            int caplen = b.getInt(h + SNAPLEN);
            if (mac < TpacketV3.PACKET_HDR_LEN || hdr + mac + Integer.toUnsignedLong(caplen) > limit) {
                return i;
            }
            int flags = ng ? epbFlags(Byte.toUnsignedInt(b.get(h + PKTTYPE))) : 0;
            record(block, hdr + mac, caplen, b.getInt(h + LEN), Integer.toUnsignedLong(b.getInt(h + SEC)),
                    b.getInt(h + NSEC), 0, flags);
            hdr += Integer.toUnsignedLong(b.getInt(h + NEXT));
        }
        return n;
    }

    /** Writes each packet of {@code batch} through a lent view. */
    private int writeEach(PacketBatch batch) throws IOException {
        try {
            return batch.dispatch(view -> {
                try {
                    write(view);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Writes the records {@code source} has left, at most {@code max}, as
     * {@code while ((b = source.nextBatch()) != null) write(b)} would, and returns how many it
     * wrote; the records after the last one written are left for the next call (a loop of
     * {@code transferFrom(source, 1000)} writes every record). Classic pcap into classic pcap skips the batches: runs of records are copied
     * from the mapped file into the output buffer in one piece and only each record header is
     * rewritten, which is what makes {@code netring capture -r in.pcap -w out.pcap} cheap.
     *
     * @throws PcapFormatException when a record is damaged, after every record before it was written
     * @throws IllegalStateException when the writer is closed, or a batch of {@code source} is still open
     */
    public long transferFrom(PcapReader source, long max) throws IOException {
        Objects.requireNonNull(source, "source");
        if (max < 0) {
            throw new IllegalArgumentException("max=" + max + ": must not be negative");
        }
        if (closed) {
            throw new IllegalStateException("PcapWriter is closed: " + out.path());
        }
        long n = 0;
        while (n < max) {
            if (format == PcapFormat.PCAP) {
                long copied = source.copyRecords(out, firstSnaplen, max - n);
                packets += copied;
                n += copied;
                if (n == max) {
                    break;
                }
            }
            // What the copy leaves (pcapng, a record to cut, grow for or report) goes batch by
            // batch, each no longer than what is left to write: a batch is never half written.
            try (PacketBatch batch = source.nextBatch((int) Math.min(max - n, Integer.MAX_VALUE))) {
                if (batch == null) {
                    break;
                }
                n += write(batch);
            }
        }
        return n;
    }

    /** {@code epb_flags} for a kernel {@code sll_pkttype}. */
    private static int epbFlags(int pktType) {
        return switch (pktType) {
            case LinuxConstants.PACKET_HOST -> epbFlags(PacketDirection.HOST);
            case LinuxConstants.PACKET_BROADCAST -> epbFlags(PacketDirection.BROADCAST);
            case LinuxConstants.PACKET_MULTICAST -> epbFlags(PacketDirection.MULTICAST);
            case LinuxConstants.PACKET_OTHERHOST -> epbFlags(PacketDirection.OTHERHOST);
            case LinuxConstants.PACKET_OUTGOING -> epbFlags(PacketDirection.OUTGOING);
            default -> 0;
        };
    }

    private void record(MemorySegment src, long offset, int caplen, int wireLen, long sec, int nanos, int ifId,
                        int flags) throws IOException {
        record(src, offset, caplen, wireLen, sec, nanos, ifId, flags, null, 0);
    }

    /**
     * Writes one record: {@code caplen} bytes of {@code src} at {@code offset}, or, when
     * {@code batch} is not null, of that batch's block, with the wire length, time and direction
     * read (and checked) from the packet header at {@code header}. Cuts the bytes to the
     * interface's snaplen. Both formats' records are written here, in one method on purpose: its
     * bytecode is larger than the JIT inlines into a hot caller (FreqInlineSize), so
     * {@link #write(Packet)} stays a few instructions in a caller's lambda, and a
     * {@code packets().forEach} lambda that writes stays small enough for the stream to inline it
     * (see {@code PacketAccess}; {@code PacketMethodShapeTest} guards the size).
     */
    private void record(MemorySegment src, long offset, int caplen, int wireLen, long sec, int nanos, int ifId,
                        int flags, PacketBatch batch, long header) throws IOException {
        if (closed) {
            throw new IllegalStateException("PcapWriter is closed: " + out.path());
        }
        if (batch != null) {
            PacketAccess a = PacketAccess.get();
            src = a.block(batch);
            wireLen = a.wireLength(batch, header);
            sec = a.seconds(batch, header);
            nanos = a.nanos(batch, header);
            flags = epbFlags(a.direction(batch, header));
        }
        int snap = ifId == 0 ? firstSnaplen : interfaces.get(ifId).snaplen();
        int kept = Math.min(caplen, snap);
        FileOutput o = out;
        if (format == PcapFormat.PCAP) {
            long size = ClassicPcapParser.RECORD_HEADER_SIZE + (long) kept;
            o.reserve(size);
            long at = o.position();
            o.putInt(at, (int) sec);
            o.putInt(at + 4, nanos);
            o.putInt(at + 8, kept);
            o.putInt(at + 12, wireLen);
            o.copy(src, offset, at + ClassicPcapParser.RECORD_HEADER_SIZE, kept);
            o.skip(size);
        } else {
            // EPB: fixed part, data padded to 32 bits, epb_flags when the direction is known, length again.
            long padded = PcapngParser.pad4(kept);
            long len = PcapngBlocks.EPB_FIXED + padded
                    + (flags != 0 ? PcapngEncoder.EPB_FLAGS_OPTION + PcapngEncoder.END_OF_OPTIONS : 0) + 4;
            o.reserve(len);
            long at = o.position();
            long ts = sec * 1_000_000_000L + nanos;     // if_tsresol=9: one count of nanoseconds
            o.putInt(at, PcapngBlocks.EPB);
            o.putInt(at + 4, (int) len);
            o.putInt(at + 8, ifId);
            o.putInt(at + 12, (int) (ts >>> 32));
            o.putInt(at + 16, (int) ts);
            o.putInt(at + 20, kept);
            o.putInt(at + 24, wireLen);
            long data = at + PcapngBlocks.EPB_FIXED;
            if (padded != kept) {
                o.putInt(data + padded - 4, 0);
            }
            o.copy(src, offset, data, kept);
            long end = data + padded;
            if (flags != 0) {
                o.putShort(end, (short) PcapngBlocks.EPB_FLAGS);
                o.putShort(end + 2, (short) 4);
                o.putInt(end + 4, flags);
                o.putInt(end + 8, 0);
                end += PcapngEncoder.EPB_FLAGS_OPTION + PcapngEncoder.END_OF_OPTIONS;
            }
            o.putInt(end, (int) len);
            o.skip(len);
        }
        packets++;
    }

    private void checkInterface(int id) {
        if (id < 0 || id >= interfaces.size()) {
            throw new IllegalArgumentException("interfaceId=" + id + ": this writer has " + interfaces.size()
                    + " interface(s)");
        }
    }

    /** pcapng {@code epb_flags}: bits 0-1 direction, 2-4 reception type. */
    static int epbFlags(PacketDirection d) {
        return switch (d) {
            case HOST -> PcapngBlocks.DIRECTION_INBOUND | PcapngBlocks.RECEPTION_UNICAST << 2;
            case MULTICAST -> PcapngBlocks.DIRECTION_INBOUND | PcapngBlocks.RECEPTION_MULTICAST << 2;
            case BROADCAST -> PcapngBlocks.DIRECTION_INBOUND | PcapngBlocks.RECEPTION_BROADCAST << 2;
            case OTHERHOST -> PcapngBlocks.DIRECTION_INBOUND | PcapngBlocks.RECEPTION_PROMISCUOUS << 2;
            case OUTGOING -> PcapngBlocks.DIRECTION_OUTBOUND;
            case UNKNOWN -> 0;
        };
    }

    /** Hands the buffered records to the file (they reach the disk when the kernel writes them back). */
    public void flush() throws IOException {
        out.flush();
    }

    /**
     * Writes what closes the file (pcapng: the interface statistics, when a statistics source
     * was given), flushes and closes it. Idempotent.
     */
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            CaptureStats stats = statistics == null ? null : statistics.get();
            java.time.Instant now = java.time.Instant.now();
            encoder.trailer(out, interfaces, stats, now.getEpochSecond() * 1_000_000_000L + now.getNano());
        } finally {
            out.close();
        }
    }

    @Override
    public String toString() { return "PcapWriter[" + out.path() + ", " + format + ", " + packets + " packets" + (closed ? ", closed" : "") + "]"; }
}
