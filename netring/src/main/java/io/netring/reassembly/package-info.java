/**
 * Reassembly above the packet: IPv4 and IPv6 defragmentation ({@link io.netring.reassembly.IpDefragmenter}),
 * TCP byte streams ({@link io.netring.reassembly.TcpReassembler}, delivered to a
 * {@link io.netring.reassembly.StreamHandler}) and flow identifiers shared with other monitors
 * ({@link io.netring.reassembly.CommunityId}).
 *
 * <p>Every held byte is bounded (per datagram and in total) and every datagram given up and
 * every hole skipped is counted with its reason; docs/REASSEMBLY.md describes the bounds and where results differ
 * from tshark's.
 */
package io.netring.reassembly;
