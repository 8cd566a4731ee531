package io.netring.streams;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Packet record values (the NRK1 format netring-kafka writes) built from frames and their times. */
final class PacketRecordBytes {
    private PacketRecordBytes() {}

    /** One record of {@code source} holding {@code frames[i]} stamped {@code nanos[i]}, in that order. */
    static byte[] of(String source, long[] nanos, byte[]... frames) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            byte[] src = source.getBytes(StandardCharsets.UTF_8);
            out.writeInt(PacketRecords.MAGIC);
            out.writeShort(1);
            out.writeShort(src.length);
            out.write(src);
            out.writeLong(0);
            out.writeInt(frames.length);
            for (int i = 0; i < frames.length; i++) {
                out.writeLong(nanos[i]);
                out.writeInt(frames[i].length);
                out.writeInt(frames[i].length);
                out.write(frames[i]);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
