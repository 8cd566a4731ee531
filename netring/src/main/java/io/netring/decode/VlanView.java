package io.netring.decode;

/**
 * The 802.1Q / 802.1ad tag stack of the decoded frame, outermost tag first: tag {@code i}
 * has its TPID, priority, drop-eligible bit and VLAN id. At most
 * {@link PacketDecoder#MAX_VLAN_TAGS} tags are kept.
 */
public final class VlanView {
    private final PacketDecoder d;

    VlanView(PacketDecoder d) {
        this.d = d;
    }

    /** How many tags the frame carries (0 when none). */
    public int count() {
        return d.vlanCount;
    }

    /** The VLAN id (12 bits) of tag {@code i}. */
    public int id(int i) {
        return tci(i) & 0x0FFF;
    }

    /** The priority code point (3 bits) of tag {@code i}. */
    public int priority(int i) {
        return tci(i) >>> 13;
    }

    /** The drop-eligible indicator of tag {@code i}. */
    public boolean dropEligible(int i) {
        return (tci(i) & 0x1000) != 0;
    }

    /** The whole tag control information of tag {@code i}. */
    public int tci(int i) {
        return d.get16(tag(i));
    }

    /** The tag protocol identifier of tag {@code i} (0x8100 for 802.1Q, 0x88A8 for 802.1ad). */
    public int tpid(int i) {
        return d.get16(tag(i) - 2);
    }

    /** The EtherType after tag {@code i}. */
    public int etherType(int i) {
        return d.get16(tag(i) + 2);
    }

    /** Offset of tag i's TCI; its TPID is in the two bytes before, the next EtherType in the two after. */
    private int tag(int i) {
        d.require(Layer.VLAN);
        if (i < 0 || i >= d.vlanCount) {
            throw new IndexOutOfBoundsException("tag " + i + " of " + d.vlanCount);
        }
        return d.vlanOffsets[i];
    }
}
