package io.netring.testing;

import java.util.ArrayList;
import java.util.List;

import static io.netring.testing.FrameBuilder.*;

/**
 * Ethernet frames of one TCP connection, written the way a test wants them on the wire: the
 * handshake, data at any offset of either direction (so segments can be reordered, repeated or
 * made to overlap), FIN and RST. Offsets count from each direction's first byte (ISN + 1), so a
 * test reads like the stream it builds. IPv4 or IPv6, optionally VLAN-tagged; checksums are set; short frames are not padded (as captured on the host that sends them).
 */
public final class TcpConversation {
    private static final int ACK = 0x10, PSH = 0x08, SYN = 0x02, FIN = 0x01, RST = 0x04;

    private final byte[] clientAddress, serverAddress;
    private final int clientPort, serverPort;
    private final int vlan;
    private final long clientIsn, serverIsn;
    private final List<byte[]> frames = new ArrayList<>();
    private long clientEnd, serverEnd;

    private TcpConversation(byte[] clientAddress, int clientPort, byte[] serverAddress, int serverPort, int vlan,
                            long clientIsn, long serverIsn) {
        this.clientAddress = clientAddress;
        this.serverAddress = serverAddress;
        this.clientPort = clientPort;
        this.serverPort = serverPort;
        this.vlan = vlan;
        this.clientIsn = clientIsn;
        this.serverIsn = serverIsn;
    }

    /** A connection between two IPv4 or two IPv6 addresses (4 or 16 bytes), untagged unless {@code vlan} is not 0. */
    public static TcpConversation between(byte[] client, int clientPort, byte[] server, int serverPort, int vlan,
                                          long clientIsn, long serverIsn) {
        if (client.length != server.length) {
            throw new IllegalArgumentException("client and server addresses differ in family");
        }
        return new TcpConversation(client, clientPort, server, serverPort, vlan, clientIsn, serverIsn);
    }

    /** SYN, SYN-ACK, ACK. */
    public TcpConversation handshake() {
        frames.add(frame(true, clientIsn, 0, SYN, new byte[0]));
        frames.add(frame(false, serverIsn, clientIsn + 1, SYN | ACK, new byte[0]));
        frames.add(frame(true, clientIsn + 1, serverIsn + 1, ACK, new byte[0]));
        return this;
    }

    /** A data segment of the client ({@code fromClient}) or the server at stream offset {@code offset}. */
    public TcpConversation data(boolean fromClient, long offset, byte[] payload) {
        if (fromClient) {
            clientEnd = Math.max(clientEnd, offset + payload.length);
        } else {
            serverEnd = Math.max(serverEnd, offset + payload.length);
        }
        frames.add(frame(fromClient, seq(fromClient, offset), ack(fromClient), ACK | PSH, payload));
        return this;
    }

    /** A FIN of one side, after the highest byte it sent so far. */
    public TcpConversation fin(boolean fromClient) {
        frames.add(frame(fromClient, seq(fromClient, fromClient ? clientEnd : serverEnd), ack(fromClient), FIN | ACK, new byte[0]));
        return this;
    }

    /** FIN from the client, FIN from the server, and the client's last ACK. */
    public TcpConversation close() {
        fin(true).fin(false);
        frames.add(frame(true, seq(true, clientEnd) + 1, serverIsn + serverEnd + 2, ACK, new byte[0]));
        return this;
    }

    /** A RST of one side. */
    public TcpConversation reset(boolean fromClient) {
        frames.add(frame(fromClient, seq(fromClient, fromClient ? clientEnd : serverEnd), 0, RST, new byte[0]));
        return this;
    }

    /** The frames so far, in the order written. */
    public List<byte[]> frames() {
        return frames;
    }

    private long seq(boolean fromClient, long offset) {
        return ((fromClient ? clientIsn : serverIsn) + 1 + offset) & 0xFFFF_FFFFL;
    }

    private long ack(boolean fromClient) {
        return ((fromClient ? serverIsn + serverEnd : clientIsn + clientEnd) + 1) & 0xFFFF_FFFFL;
    }

    private byte[] frame(boolean fromClient, long seq, long ack, int flags, byte[] payload) {
        byte[] src = fromClient ? clientAddress : serverAddress;
        byte[] dst = fromClient ? serverAddress : clientAddress;
        int sp = fromClient ? clientPort : serverPort, dp = fromClient ? serverPort : clientPort;
        byte[] segment = tcp(sp, dp, seq & 0xFFFF_FFFFL, ack & 0xFFFF_FFFFL, flags, 65535, new byte[0], payload);
        boolean v6 = src.length == 16;
        byte[] ip = v6 ? ipv6(src, dst, 6, 64, segment) : ipv4(src, dst, 6, 64, 1, 0x4000, new byte[0], segment);
        int l2 = vlan != 0 ? 18 : 14;
        byte[] frame = vlan != 0
                ? ethernet(0x020000000002L, 0x020000000001L, 0x8100, concat(vlanTag(0, vlan, v6 ? 0x86DD : 0x0800), ip))
                : ethernet(0x020000000002L, 0x020000000001L, v6 ? 0x86DD : 0x0800, ip);
        fixTransportChecksum(frame, l2, l2 + (v6 ? 40 : 20), 6);
        return frame;
    }
}
