package io.netring.reassembly;

import io.netring.decode.AddressText;

/**
 * One TCP connection as a {@link TcpReassembler} follows it: its endpoints (the client sent the
 * SYN, or the first packet seen), its VLAN, an id in order of opening, and one attachment for the
 * consumer's per-stream state, so a handler needs no map lookup per call. Owned by the
 * reassembler: do not keep it after {@link StreamHandler#closed}.
 */
public final class TcpStream {
    // the key, endpoints in canonical order (A is the smaller address and port): see ConnectionTable
    final long aHi, aLo, bHi, bLo, portsMeta;
    /** True when the client is endpoint B of the key. */
    final boolean clientIsB;
    final long id;
    final StreamDirection client = new StreamDirection();
    final StreamDirection server = new StreamDirection();
    long lastSeenNanos;
    // links of the reassembler's idle order and of its list of streams holding out-of-order bytes
    TcpStream older, newer, olderHolder, newerHolder;
    boolean holding;
    int slot;
    private Object attachment;

    TcpStream(long id, long aHi, long aLo, long bHi, long bLo, long portsMeta, boolean clientIsB) {
        this.id = id;
        this.aHi = aHi;
        this.aLo = aLo;
        this.bHi = bHi;
        this.bLo = bLo;
        this.portsMeta = portsMeta;
        this.clientIsB = clientIsB;
    }

    /** 0, 1, 2 … in order of opening. */
    public long id() { return id; }

    /** 4 or 6. */
    public int ipVersion() { return ConnectionTable.ipVersion(portsMeta); }

    /** The innermost VLAN id of the stream's packets, 0 untagged. */
    public int vlanId() { return ConnectionTable.vlanId(portsMeta); }

    /** The client's address in network order (4 or 16 bytes; a new array). */
    public byte[] clientAddress() { return clientIsB ? bytes(bHi, bLo) : bytes(aHi, aLo); }

    /** The server's address in network order (4 or 16 bytes; a new array). */
    public byte[] serverAddress() { return clientIsB ? bytes(aHi, aLo) : bytes(bHi, bLo); }

    /** The client's port. */
    public int clientPort() { return clientIsB ? ConnectionTable.portB(portsMeta) : ConnectionTable.portA(portsMeta); }

    /** The server's port. */
    public int serverPort() { return clientIsB ? ConnectionTable.portA(portsMeta) : ConnectionTable.portB(portsMeta); }

    /** The client's address as text (dotted quad, or IPv6 as RFC 5952). */
    public String clientAddressText() { return clientIsB ? text(bHi, bLo) : text(aHi, aLo); }

    /** The server's address as text (dotted quad, or IPv6 as RFC 5952). */
    public String serverAddressText() { return clientIsB ? text(aHi, aLo) : text(bHi, bLo); }

    /** The address of the endpoint that sends {@code side}. */
    public byte[] address(StreamSide side) { return side == StreamSide.CLIENT ? clientAddress() : serverAddress(); }

    /** The port of the endpoint that sends {@code side}. */
    public int port(StreamSide side) { return side == StreamSide.CLIENT ? clientPort() : serverPort(); }

    /** Bytes of {@code side} delivered or skipped as gaps so far: the stream offset of its next byte. */
    public long offset(StreamSide side) { return direction(side).delivered; }

    /** The consumer's state for this stream, or null. */
    public Object attachment() { return attachment; }

    /** Keeps {@code attachment} with this stream until it closes. */
    public void attach(Object attachment) { this.attachment = attachment; }

    StreamDirection direction(StreamSide side) { return side == StreamSide.CLIENT ? client : server; }

    long heldBytes() { return client.heldBytes + server.heldBytes; }

    private byte[] bytes(long hi, long lo) {
        byte[] b = new byte[ipVersion() == 4 ? 4 : 16];
        for (int i = 0; i < b.length; i++) {
            long word = b.length == 4 ? lo << 32 : (i < 8 ? hi : lo);
            b[i] = (byte) (word >>> (56 - 8 * (i % 8)));
        }
        return b;
    }

    private String text(long hi, long lo) {
        return ipVersion() == 4 ? AddressText.ipv4((int) lo) : AddressText.ipv6(hi, lo);
    }

    @Override
    public String toString() {
        String c = clientAddressText(), s = serverAddressText();
        boolean v6 = ipVersion() == 6;
        return "TcpStream[" + id + " " + (v6 ? "[" + c + "]" : c) + ":" + clientPort() + " -> "
                + (v6 ? "[" + s + "]" : s) + ":" + serverPort() + (vlanId() != 0 ? " vlan " + vlanId() : "") + "]";
    }
}
