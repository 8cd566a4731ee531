/**
 * Saved traffic: reading and writing pcap and pcapng files.
 *
 * <p>This package is the home of {@code PcapReader} (a {@link io.netring.PacketSource} over a
 * file, pcap or pcapng detected), {@code PcapWriter} (with rotation) and {@code PcapFormat}.
 */
package io.netring.pcap;
