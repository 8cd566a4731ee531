package io.netring.filter;

/**
 * Where the link-type field and the network header are, as far as the expression has been
 * read: libpcap moves them for every {@code vlan}, {@code mpls} and {@code pppoes} keyword, and
 * the move applies to everything written after it, whatever the and/or structure.
 */
final class LinkState {
    /** Offset of the EtherType (or, after pppoes, the PPP protocol field). */
    int linkType = 12;
    /** Offset of the link-layer payload: the network header. */
    int network = 14;
    /** MPLS labels seen so far. */
    int mplsDepth;
    /** After pppoes, network protocols are PPP protocol numbers. */
    boolean pppoes;
}
