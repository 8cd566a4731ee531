package io.netring.pcap;

import io.netring.PacketBatch;
import io.netring.PacketView;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a whole file back as {@link TestFiles.Rec}s, through {@code dispatch}. */
final class Read {
    private Read() {}

    static List<TestFiles.Rec> all(Path file) throws IOException {
        try (PcapReader r = PcapReader.open(file)) {
            return all(r);
        }
    }

    static List<TestFiles.Rec> all(PcapReader r) throws IOException {
        List<TestFiles.Rec> out = new ArrayList<>();
        for (PacketBatch next = r.nextBatch(); next != null; next = r.nextBatch()) {
            try (PacketBatch b = next) {
                b.dispatch(v -> out.add(rec(v)));
            }
        }
        return out;
    }

    static TestFiles.Rec rec(PacketView v) {
        byte[] d = v.segment().asSlice(v.dataOffset(), v.length()).toArray(ValueLayout.JAVA_BYTE);
        return new TestFiles.Rec(d, v.timestampSeconds(), v.timestampNanos(), v.originalLength());
    }
}
