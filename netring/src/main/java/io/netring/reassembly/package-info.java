/**
 * Reassembly above the packet: IPv4 and IPv6 defragmentation ({@link io.netring.reassembly.IpDefragmenter})
 * and flow identifiers shared with other monitors ({@link io.netring.reassembly.CommunityId}).
 *
 * <p>Every held byte is bounded (per datagram and in total) and every datagram given up is
 * counted with its reason; docs/REASSEMBLY.md describes the bounds and where results differ
 * from tshark's.
 */
package io.netring.reassembly;
