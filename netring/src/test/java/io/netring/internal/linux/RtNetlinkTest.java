package io.netring.internal.linux;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

import static io.netring.internal.linux.LinuxConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * rtnetlink messages as bytes, no socket and no privilege: the requests XDP attachment sends and
 * the kernel's answers it reads. The expected bytes are written out by hand from
 * {@code linux/netlink.h} and {@code linux/if_link.h} (little-endian, as on x86_64 and aarch64).
 */
class RtNetlinkTest {
    private static final HexFormat HEX = HexFormat.of();

    @BeforeAll
    static void littleEndian() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the expected bytes are little-endian");
    }

    private static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static ByteBuffer bytes(String hex) {
        return ByteBuffer.wrap(HEX.parseHex(hex.replace(" ", ""))).order(ByteOrder.nativeOrder());
    }

    @Test
    void attachIsASetlinkWithTheNestedXdpAttribute() {
        byte[] request = RtNetlink.setXdpRequest(7, 3, 5, XDP_FLAGS_DRV_MODE | XDP_FLAGS_UPDATE_IF_NOEXIST, -1);
        assertEquals(""
                + "34000000" + "1300" + "0500" + "07000000" + "00000000"     // nlmsghdr: 52 bytes, RTM_SETLINK, REQUEST|ACK, seq 7
                + "00" + "00" + "0000" + "03000000" + "00000000" + "00000000" // ifinfomsg: AF_UNSPEC, ifindex 3
                + "1400" + "2b80"                                             // IFLA_XDP | NLA_F_NESTED, 20 bytes
                + "0800" + "0100" + "05000000"                                // IFLA_XDP_FD 5
                + "0800" + "0300" + "05000000", hex(request));                // IFLA_XDP_FLAGS DRV_MODE|UPDATE_IF_NOEXIST
    }

    @Test
    void detachNamesTheExpectedProgram() {
        byte[] request = RtNetlink.setXdpRequest(8, 3, -1, XDP_FLAGS_SKB_MODE | XDP_FLAGS_REPLACE, 9);
        assertEquals(""
                + "3c000000" + "1300" + "0500" + "08000000" + "00000000"
                + "00" + "00" + "0000" + "03000000" + "00000000" + "00000000"
                + "1c00" + "2b80"
                + "0800" + "0100" + "ffffffff"                                // IFLA_XDP_FD -1: none
                + "0800" + "0300" + "12000000"                                // SKB_MODE|REPLACE
                + "0800" + "0800" + "09000000", hex(request));                // IFLA_XDP_EXPECTED_FD 9
    }

    @Test
    void getlinkIsAHeaderAndTheInterface() {
        assertEquals("20000000" + "1200" + "0100" + "02000000" + "00000000"
                + "00" + "00" + "0000" + "0b000000" + "00000000" + "00000000", hex(RtNetlink.getLinkRequest(2, 11)));
    }

    @Test
    void aCappedAckCarriesTheErrnoAndTheKernelsText() {
        String text = HEX.formatHex("XDP program already attached".getBytes()) + "00";
        ByteBuffer ack = bytes("50000000" + "0200" + "0003" + "07000000" + "00000000"  // NLMSG_ERROR, CAPPED|ACK_TLVS
                + "f0ffffff"                                                            // -EBUSY
                + "34000000" + "1300" + "0500" + "07000000" + "00000000"              // the request's header only
                + "2100" + "0100" + text + "000000"                                    // NLMSGERR_ATTR_MSG, padded
                + "0800" + "0200" + "20000000");                                       // NLMSGERR_ATTR_OFFS, skipped
        assertEquals(new RtNetlink.Ack(Errno.EBUSY, "XDP program already attached"), RtNetlink.parseAck(ack));
    }

    @Test
    void anUncappedAckEchoesTheWholeRequestBeforeTheText() {
        byte[] request = RtNetlink.getLinkRequest(4, 99);
        String text = HEX.formatHex("no such device".getBytes()) + "00";
        ByteBuffer ack = bytes("48000000" + "0200" + "0002" + "04000000" + "00000000"  // ACK_TLVS, not capped
                + "edffffff"                                                            // -ENODEV
                + hex(request)
                + "1300" + "0100" + text + "00");
        assertEquals(new RtNetlink.Ack(Errno.ENODEV, "no such device"), RtNetlink.parseAck(ack));
    }

    @Test
    void aPlainAckIsSuccessWithoutText() {
        ByteBuffer ack = bytes("24000000" + "0200" + "0001" + "07000000" + "00000000" + "00000000"
                + "34000000" + "1300" + "0500" + "07000000" + "00000000");
        RtNetlink.Ack parsed = RtNetlink.parseAck(ack);
        assertEquals(new RtNetlink.Ack(0, ""), parsed);
        assertEquals(true, parsed.ok());
    }

    /** An RTM_NEWLINK reply: ifinfomsg, IFLA_IFNAME "vB", then IFLA_XDP with the given nested attributes. */
    private static ByteBuffer newlink(String xdpAttributes) {
        int xdpLength = 4 + xdpAttributes.length() / 2;
        int length = 16 + 16 + 8 + xdpLength;
        return bytes(String.format("%02x%02x0000", length & 0xff, length >> 8) + "1000" + "0000" + "01000000" + "00000000"
                + "00" + "00" + "0100" + "03000000" + "43100100" + "00000000"
                + "0700" + "0300" + "764200" + "00"                                   // IFLA_IFNAME "vB"
                + String.format("%02x%02x", xdpLength, 0) + "2b80" + xdpAttributes);
    }

    @Test
    void aNativeProgramIsReadFromTheLinkReply() {
        RtNetlink.XdpState s = RtNetlink.parseXdpState(newlink(
                "0500" + "0200" + "01000000"                                          // IFLA_XDP_ATTACHED DRV, padded
                + "0800" + "0500" + "2a000000"                                        // IFLA_XDP_DRV_PROG_ID 42
                + "0800" + "0400" + "2a000000"));                                     // IFLA_XDP_PROG_ID 42
        assertEquals(new RtNetlink.XdpState(XDP_ATTACHED_DRV, 42, 42, 0, 0), s);
        assertEquals(42, s.programIn(XDP_FLAGS_DRV_MODE));
        assertEquals(0, s.programIn(XDP_FLAGS_SKB_MODE));
    }

    @Test
    void programsInTwoModesAreEachFound() {
        RtNetlink.XdpState s = RtNetlink.parseXdpState(newlink(
                "0800" + "0600" + "2b000000"                                          // IFLA_XDP_SKB_PROG_ID 43
                + "0800" + "0500" + "2a000000"                                        // IFLA_XDP_DRV_PROG_ID 42
                + "0500" + "0200" + "04000000"));                                     // ATTACHED MULTI, no PROG_ID
        assertEquals(XDP_ATTACHED_MULTI, s.attached());
        assertEquals(0, s.programId());
        assertEquals(42, s.anyProgramId());
        assertEquals(43, s.programIn(XDP_FLAGS_SKB_MODE));
    }

    @Test
    void noProgramAndNoXdpAttributeAreBothNone() {
        assertEquals(RtNetlink.XdpState.NONE, RtNetlink.parseXdpState(newlink("0500" + "0200" + "00000000")));
        ByteBuffer noXdp = bytes("28000000" + "1000" + "0000" + "01000000" + "00000000"
                + "00" + "00" + "0100" + "03000000" + "43100100" + "00000000"
                + "0700" + "0300" + "764200" + "00");
        assertEquals(RtNetlink.XdpState.NONE, RtNetlink.parseXdpState(noXdp));
    }

    @Test
    void theNetdevFamilyIsAskedForByNameThenTheDeviceByIndex() {
        assertEquals("20000000" + "1000" + "0100" + "01000000" + "00000000"   // GENL_ID_CTRL, REQUEST, seq 1
                + "03" + "01" + "0000"                                        // CTRL_CMD_GETFAMILY, version 1
                + "0b00" + "0200" + HEX.formatHex("netdev".getBytes()) + "00" + "00",   // CTRL_ATTR_FAMILY_NAME
                hex(NetdevFamily.familyRequest(1)));
        assertEquals("1c000000" + "2200" + "0100" + "02000000" + "00000000"   // family 0x22
                + "01" + "01" + "0000"                                        // NETDEV_CMD_DEV_GET
                + "0800" + "0100" + "05000000", hex(NetdevFamily.devGetRequest(2, 0x22, 5)));
        ByteBuffer answer = bytes("2c000000" + "2200" + "0000" + "02000000" + "00000000" + "01010000"
                + "0800" + "0100" + "05000000"                                // NETDEV_A_DEV_IFINDEX 5
                + "0c00" + "0300" + "6b00000000000000"                        // XDP_FEATURES basic|redirect|xsk-zerocopy|rx-sg|ndo-xmit-sg
                + "0800" + "0400" + "01000000");                              // XDP_ZC_MAX_SEGS 1
        NetdevFamily.XdpFeatures f = NetdevFamily.parseDevice(answer);
        assertEquals(java.util.List.of("basic", "redirect", "xsk-zerocopy", "rx-sg", "ndo-xmit-sg"), f.names());
        assertEquals(1, f.zeroCopyMaxSegments());
    }

    @Test
    void aTruncatedAttributeEndsTheWalkWithoutThrowing() {
        RtNetlink.XdpState s = RtNetlink.parseXdpState(newlink("0500" + "0200" + "01000000" + "4000" + "0400" + "2a000000"));
        assertEquals(new RtNetlink.XdpState(XDP_ATTACHED_DRV, 0, 0, 0, 0), s);
    }
}
