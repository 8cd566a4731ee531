package io.netring;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A packet copied out of the ring: it stays valid after its batch is released and may cross
 * threads. Made by {@link Packet#toOwned()} and by the channel and async adapters.
 *
 * @param data the captured bytes, from the MAC header on
 * @param timestamp when the kernel stamped it
 * @param originalLength its length on the wire (may exceed {@code data.length} when truncated)
 */
public record OwnedPacket(byte[] data, Timestamp timestamp, int originalLength) {

    /** Captured length. */
    public int length() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OwnedPacket p && Arrays.equals(data, p.data)
                && timestamp.equals(p.timestamp) && originalLength == p.originalLength;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + timestamp.hashCode();
    }

    @Override
    public String toString() {
        int shown = Math.min(data.length, 32);
        return "OwnedPacket[" + timestamp + ", " + data.length + "/" + originalLength + " bytes, "
                + HexFormat.of().formatHex(data, 0, shown) + (shown < data.length ? "…" : "") + "]";
    }
}
