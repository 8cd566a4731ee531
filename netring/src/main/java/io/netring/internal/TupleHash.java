package io.netring.internal;

/**
 * The hash of a connection key held as five longs (two 128-bit endpoints, then ports and
 * metadata), shared by the flow table and the TCP reassembler's connection table so both spread
 * keys the same way over their open-addressing slots.
 */
public final class TupleHash {
    private TupleHash() {}

    /** Mixes the key's five words; any bit of any word moves the result. */
    public static int hash(long aHi, long aLo, long bHi, long bLo, long portsMeta) {
        long x = aHi * 0x9E3779B97F4A7C15L;
        x = (x ^ aLo) * 0xC2B2AE3D27D4EB4FL;
        x = (x ^ bHi) * 0x9E3779B97F4A7C15L;
        x = (x ^ bLo) * 0xC2B2AE3D27D4EB4FL;
        x = (x ^ portsMeta) * 0x9E3779B97F4A7C15L;
        return (int) (x ^ (x >>> 29) ^ (x >>> 41));
    }
}
