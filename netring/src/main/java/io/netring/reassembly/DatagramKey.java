package io.netring.reassembly;

/**
 * What names a datagram among fragments: IP version, source, destination, protocol (IPv4) or
 * the fragment header's next header (IPv6), the identification and, as tshark keys it, the
 * innermost VLAN id (0 untagged). Mutable so one probe
 * serves every lookup; {@link #copy()} makes the key stored in the table.
 */
final class DatagramKey {
    int version;
    long srcHigh, srcLow, dstHigh, dstLow;
    int protocol;
    long id;
    int vlan;
    private int hash;

    void set(int version, long srcHigh, long srcLow, long dstHigh, long dstLow, int protocol, long id, int vlan) {
        this.version = version;
        this.srcHigh = srcHigh;
        this.srcLow = srcLow;
        this.dstHigh = dstHigh;
        this.dstLow = dstLow;
        this.protocol = protocol;
        this.id = id;
        this.vlan = vlan;
        long h = version * 31L + srcHigh;
        h = h * 0x9E3779B97F4A7C15L + srcLow;
        h = h * 0x9E3779B97F4A7C15L + dstHigh;
        h = h * 0x9E3779B97F4A7C15L + dstLow;
        h = h * 0x9E3779B97F4A7C15L + protocol;
        h = h * 0x9E3779B97F4A7C15L + id;
        h = h * 0x9E3779B97F4A7C15L + vlan;
        hash = (int) (h ^ (h >>> 32));
    }

    DatagramKey copy() {
        DatagramKey k = new DatagramKey();
        k.set(version, srcHigh, srcLow, dstHigh, dstLow, protocol, id, vlan);
        return k;
    }

    @Override
    public int hashCode() { return hash; }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatagramKey k && k.hash == hash && k.version == version && k.srcHigh == srcHigh
                && k.srcLow == srcLow && k.dstHigh == dstHigh && k.dstLow == dstLow && k.protocol == protocol
                && k.id == id && k.vlan == vlan;
    }
}
