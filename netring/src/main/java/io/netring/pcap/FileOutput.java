package io.netring.pcap;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file written through one large native buffer: records are assembled in place (fields set,
 * packet bytes copied) and reach the file in big {@code write(2)} calls. Host byte order, as
 * libpcap writes. Nothing is allocated per record.
 */
final class FileOutput implements AutoCloseable {
    static final int DEFAULT_BUFFER = 1 << 21;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    private final Path path;
    private final WritableByteChannel channel;
    /** The buffer's memory, kept reachable: it is freed when this output is collected. */
    private MemorySegment owned;
    /**
     * The same memory without a scope: no liveness test per field store. Safe because
     * {@link #owned} keeps the memory alive as long as this object can be used.
     */
    private MemorySegment buf;
    /** Field stores (absolute, whole capacity). */
    private ByteBuffer view;
    /** What flush() hands to the channel: its own position and limit, so {@link #view}'s never change. */
    private ByteBuffer drain;
    private long pos;
    /** Bytes already handed to the file. */
    private long flushed;

    FileOutput(Path path, int bufferSize) throws IOException {
        this(path, FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING), bufferSize);
    }

    /** Output to a channel already open (a pipe, standard output); {@code path} names it in messages. */
    FileOutput(Path path, WritableByteChannel channel, int bufferSize) {
        this.path = path;
        this.channel = channel;
        allocate(bufferSize);
    }

    private void allocate(long size) {
        owned = NativeBuffers.allocate(size, 8);
        buf = MemorySegment.ofAddress(owned.address()).reinterpret(size);
        view = owned.asByteBuffer().order(java.nio.ByteOrder.nativeOrder());
        drain = owned.asByteBuffer();
    }

    Path path() {
        return path;
    }

    /** Bytes written so far, buffered ones included. */
    long size() {
        return flushed + pos;
    }

    /** Makes room for {@code n} contiguous bytes, flushing (or growing for a record larger than the buffer). */
    void reserve(long n) throws IOException {
        if (pos + n <= buf.byteSize()) {
            return;
        }
        flush();
        if (n > buf.byteSize()) {
            allocate(Long.highestOneBit(n) << 1);
        }
    }

    /** The position of the next byte, to set fields at after {@link #reserve}. */
    long position() {
        return pos;
    }

    /** Bytes free in the buffer before the next flush. */
    long room() {
        return buf.byteSize() - pos;
    }

    /** The buffer for in-place field reads and stores (absolute indexes, host byte order). */
    ByteBuffer view() {
        return view;
    }

    void skip(long n) {
        pos += n;
    }

    // Field stores through the ByteBuffer view: fewer layers than a segment's var handle, which
    // matters while the JIT has not compiled the loop yet (a short file is over by then).
    void putInt(long at, int v) {
        view.putInt((int) at, v);
    }

    void putShort(long at, short v) {
        view.putShort((int) at, v);
    }

    void putLong(long at, long v) {
        view.putLong((int) at, v);
    }

    void copy(MemorySegment src, long offset, long at, int length) {
        MemorySegment.copy(src, offset, buf, at, length);
    }

    void copy(byte[] src, int offset, long at, int length) {
        MemorySegment.copy(src, offset, buf, ValueLayout.JAVA_BYTE, at, length);
    }

    /** Hands the buffered bytes to the file. */
    void flush() throws IOException {
        if (pos == 0) {
            return;
        }
        ByteBuffer v = drain;
        v.clear().limit((int) pos);
        try {
            while (v.hasRemaining()) {
                channel.write(v);
            }
        } catch (IOException e) {
            throw named(e);
        }
        flushed += pos;
        pos = 0;
    }

    /**
     * The error with this file's name in it ("FILE: No space left on device"): the channel's own
     * says only the reason, which names no file when a capture writes several.
     */
    private IOException named(IOException e) {
        if (e instanceof java.nio.file.FileSystemException) {
            return e;
        }
        String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        java.nio.file.FileSystemException n = new java.nio.file.FileSystemException(path.toString(), null, reason);
        n.initCause(e);
        return n;
    }

    @Override
    public void close() throws IOException {
        try (channel) {
            flush();
        }
    }
}
