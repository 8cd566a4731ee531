package io.netring.pcap;

/**
 * pcapng block types, option codes and fixed sizes (draft-ietf-opsawg-pcapng), shared by the
 * reader and the writer. Every block is {@code type(4) total_length(4) body total_length(4)};
 * options are {@code code(2) length(2) value} padded to 4 bytes, ended by code 0.
 *
 * <pre>
 *  SHB  0x0A0D0D0A  byte_order_magic(4) major(2) minor(2) section_length(8) options
 *  IDB  1           link_type(2) reserved(2) snaplen(4) options
 *  EPB  6           interface_id(4) ts_high(4) ts_low(4) captured_len(4) original_len(4) data options
 *  SPB  3           original_len(4) data
 *  ISB  5           interface_id(4) ts_high(4) ts_low(4) options
 *  OPB  2 (obsolete) interface_id(2) drops(2) ts_high(4) ts_low(4) captured_len(4) original_len(4) data options
 * </pre>
 */
final class PcapngBlocks {
    private PcapngBlocks() {}

    static final int SHB = 0x0A0D0D0A;
    static final int IDB = 1;
    static final int OPB = 2;
    static final int SPB = 3;
    static final int ISB = 5;
    static final int EPB = 6;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;

    /** type + two lengths. */
    static final int MIN_BLOCK = 12;
    static final int SHB_MIN = 28;
    static final int IDB_MIN = 20;
    static final int EPB_MIN = 32;
    static final int ISB_MIN = 24;
    static final int SPB_MIN = 16;
    static final int EPB_FIXED = 28;

    static final int OPT_ENDOFOPT = 0;
    static final int SHB_USERAPPL = 4;
    static final int IF_NAME = 2;
    static final int IF_TSRESOL = 9;
    static final int IF_TSOFFSET = 14;
    static final int EPB_FLAGS = 2;
    static final int ISB_IFRECV = 4;
    static final int ISB_IFDROP = 5;

    static final int DIRECTION_INBOUND = 1;
    static final int DIRECTION_OUTBOUND = 2;
    static final int RECEPTION_UNICAST = 1;
    static final int RECEPTION_MULTICAST = 2;
    static final int RECEPTION_BROADCAST = 3;
    static final int RECEPTION_PROMISCUOUS = 4;
}
