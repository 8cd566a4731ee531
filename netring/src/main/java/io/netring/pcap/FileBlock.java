package io.netring.pcap;

import io.netring.PacketBatch;
import io.netring.afpacket.TpacketV3;
import io.netring.internal.linux.KernelLayouts;
import io.netring.internal.linux.LinuxConstants;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Lays file records out as one TPACKET_V3 block in a reused native buffer, so that a file batch
 * is an ordinary {@link PacketBatch} ({@link PacketBatch#ofBlock}) and every packet accessor,
 * {@code dispatch} included, works on saved traffic exactly as on the ring. Per record: one
 * {@code tpacket3_hdr} + {@code sockaddr_ll} written field by field and one copy of the bytes;
 * nothing allocated.
 *
 * <p>The buffer is freed by the garbage collector ({@link NativeBuffers}): a batch the caller
 * still holds keeps it alive even after the reader is closed, so no read through a batch can
 * touch freed memory.
 */
final class FileBlock {
    /** Default buffer size: thousands of small packets per batch, one batch per dozens of big ones. */
    static final int DEFAULT_CAPACITY = 1 << 20;
    /** Where the bytes start after each header: TPACKET_ALIGN(TPACKET3_HDRLEN), as the kernel places them. */
    static final long MAC = KernelLayouts.align(TpacketV3.PACKET_HDR_LEN);
    /** Direction unknown (classic pcap, pcapng without epb_flags): {@code PacketDirection.UNKNOWN}. */
    static final int PKTTYPE_UNKNOWN = 0xFF;

    private static final int NEXT = (int) TpacketV3.NEXT_OFFSET_OFFSET;
    private static final int SEC = (int) TpacketV3.SEC_OFFSET;
    private static final int NSEC = (int) TpacketV3.NSEC_OFFSET;
    private static final int SNAPLEN = (int) TpacketV3.SNAPLEN_OFFSET;
    private static final int LEN = (int) TpacketV3.LEN_OFFSET;
    private static final int STATUS = (int) TpacketV3.STATUS_OFFSET;
    private static final int MAC_AT = (int) TpacketV3.MAC_OFFSET;
    private static final int NET = (int) TpacketV3.NET_OFFSET;
    private static final int RXHASH = (int) TpacketV3.RXHASH_OFFSET;
    private static final int IFINDEX = (int) TpacketV3.IFINDEX_OFFSET;
    private static final int PROTOCOL = (int) TpacketV3.PROTOCOL_OFFSET;
    private static final int PKTTYPE = (int) TpacketV3.PKTTYPE_OFFSET;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    /** The buffer as allocated; batches hold slices of it, which keep the memory alive. */
    private MemorySegment owned;
    /** The same memory without a scope, for the stores of {@link #add}: {@link #owned} keeps it alive. */
    private MemorySegment buf;
    /**
     * The same memory as a buffer, for the header stores: fewer layers than a segment's var
     * handle, which matters before the JIT has compiled the loop.
     */
    private java.nio.ByteBuffer bb;
    private long capacity;
    private final int initialCapacity;
    /** Where the next header goes. */
    private long pos;
    /** The previous header, whose tp_next_offset the next record sets. */
    private long last;
    private int count;
    /** The most records one batch may take (a transfer's limit ending inside what would be a batch). */
    private int maxCount = Integer.MAX_VALUE;
    private long firstSec;
    private int firstNsec;
    private long lastSec;
    private int lastNsec;

    FileBlock(int capacity) {
        this.initialCapacity = capacity;
        reset();
    }

    private void allocate(long size) {
        owned = NativeBuffers.allocate(size, 16);
        buf = MemorySegment.ofAddress(owned.address()).reinterpret(size);
        bb = owned.asByteBuffer().order(java.nio.ByteOrder.nativeOrder());
        capacity = size;
    }

    void reset() {
        pos = TpacketV3.BLOCK_DESC_SIZE;
        last = -1;
        count = 0;
    }

    /** Caps the records of the next batches at {@code max} (at least 1); {@link Integer#MAX_VALUE} for none. */
    void maxCount(int max) {
        maxCount = max;
    }

    int count() {
        return count;
    }

    /** Bytes one record of {@code caplen} captured bytes takes. */
    static long recordSize(long caplen) {
        return KernelLayouts.align(MAC + caplen);
    }

    /**
     * Whether a record of {@code caplen} bytes fits; an empty block grows to take a record
     * larger than the whole buffer (the caller has checked it against the file's size). No
     * record fits once the block holds {@link #maxCount(int) its most}: the parser then stops
     * before it, so the next batch starts there.
     */
    boolean fits(int caplen) {
        if (count >= maxCount) {
            return false;
        }
        if (owned == null) {
            allocate(initialCapacity);                // at the first record: a file copied by transferFrom needs none
        }
        long need = recordSize(caplen);
        if (pos + need <= capacity) {
            return true;
        }
        if (count > 0) {
            return false;
        }
        allocate(Long.highestOneBit(pos + need) << 1);
        return true;
    }

    /**
     * Appends one record after {@link #fits} said yes.
     *
     * @param pktType an {@code sll_pkttype}, or {@link #PKTTYPE_UNKNOWN}
     * @param ifIndex the file's interface id (pcapng), 0 for classic pcap
     * @param protocol the EtherType in network order as the kernel stores it, 0 when not Ethernet
     */
    void add(MemorySegment file, long offset, int caplen, int wireLen, long sec, int nsec,
             int pktType, int ifIndex, short protocol) {
        java.nio.ByteBuffer b = bb;
        int h = (int) pos;
        b.putInt(h + NEXT, 0);
        b.putInt(h + SEC, (int) sec);
        b.putInt(h + NSEC, nsec);
        b.putInt(h + SNAPLEN, caplen);
        b.putInt(h + LEN, wireLen);
        b.putInt(h + STATUS, LinuxConstants.TP_STATUS_USER);
        b.putShort(h + MAC_AT, (short) MAC);
        b.putShort(h + NET, (short) 0);
        // hv1 (rxhash, vlan tci/tpid) and the sockaddr_ll: a file carries none of them.
        b.putLong(h + RXHASH, 0L);
        b.putInt(h + RXHASH + 8, 0);
        b.putInt(h + IFINDEX, ifIndex);
        b.putShort(h + PROTOCOL, protocol);
        b.put(h + PKTTYPE, (byte) pktType);
        MemorySegment.copy(file, offset, buf, h + MAC, caplen);
        if (last >= 0) {
            b.putInt((int) last + NEXT, (int) (h - last));
        } else {
            firstSec = sec;
            firstNsec = nsec;
        }
        lastSec = sec;
        lastNsec = nsec;
        last = h;
        pos = h + recordSize(caplen);
        count++;
    }

    /** Writes the block descriptor and hands out a batch over the records added since {@link #reset()}. */
    PacketBatch finish(long seqNum) {
        MemorySegment b = buf;
        b.set(INT, 0, 3);                                             // version: TPACKET_V3
        b.set(INT, TpacketV3.BLOCK_STATUS_OFFSET, LinuxConstants.TP_STATUS_USER);
        b.set(INT, TpacketV3.NUM_PKTS_OFFSET, count);
        b.set(INT, TpacketV3.FIRST_PKT_OFFSET, (int) TpacketV3.BLOCK_DESC_SIZE);
        b.set(INT, TpacketV3.BLK_LEN_OFFSET, (int) pos);
        b.set(LONG, TpacketV3.SEQ_NUM_OFFSET, seqNum);
        b.set(INT, TpacketV3.TS_FIRST_SEC_OFFSET, (int) firstSec);
        b.set(INT, TpacketV3.TS_FIRST_NSEC_OFFSET, firstNsec);
        b.set(INT, TpacketV3.TS_LAST_SEC_OFFSET, (int) lastSec);
        b.set(INT, TpacketV3.TS_LAST_NSEC_OFFSET, lastNsec);
        return PacketBatch.ofBlock(owned.asSlice(0, pos));
    }
}
