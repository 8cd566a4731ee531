package io.netring.pcap;

import java.time.Duration;

/**
 * When a {@link RotatingPcapWriter} starts a new file, as tcpdump's {@code -C}, {@code -G} and
 * {@code -W} do.
 *
 * @param fileSizeBytes start a new file before a packet when the current one is larger than
 *                      this (tcpdump {@code -C}: MB of 1,000,000 bytes); 0 for no limit
 * @param interval start a new file before a packet when the current one is this old (tcpdump
 *                 {@code -G}; the name is then expanded with strftime conversions); null for none
 * @param fileCount with a size limit: reuse the names of a ring of this many files, numbered
 *                  from 0; with an interval only: stop after this many files (tcpdump
 *                  {@code -W}); 0 for unlimited
 */
public record PcapRotation(long fileSizeBytes, Duration interval, int fileCount) {
    /** One file, never rotated. */
    public static final PcapRotation NONE = new PcapRotation(0, null, 0);

    /**
     * Checks the values: throws {@link IllegalArgumentException} for a negative size or count, an
     * interval that is zero or negative, or a count with neither a size limit nor an interval.
     */
    public PcapRotation {
        if (fileSizeBytes < 0) {
            throw new IllegalArgumentException("fileSizeBytes=" + fileSizeBytes + ": must not be negative");
        }
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("interval=" + interval + ": must be positive");
        }
        if (fileCount < 0) {
            throw new IllegalArgumentException("fileCount=" + fileCount + ": must not be negative");
        }
        if (fileCount > 0 && fileSizeBytes == 0 && interval == null) {
            throw new IllegalArgumentException("fileCount=" + fileCount + ": needs a size limit or an interval");
        }
    }

    /**
     * tcpdump's options: {@code -C megabytes} (of 1,000,000 bytes), {@code -G seconds},
     * {@code -W count}; null for an option not given.
     */
    public static PcapRotation tcpdump(Long megabytes, Long seconds, Integer count) {
        return new PcapRotation(megabytes == null ? 0 : megabytes * 1_000_000L,
                seconds == null ? null : Duration.ofSeconds(seconds), count == null ? 0 : count);
    }

    /** True when files are ever rotated. */
    public boolean rotates() {
        return fileSizeBytes > 0 || interval != null;
    }
}
