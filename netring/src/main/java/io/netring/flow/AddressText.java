package io.netring.flow;

/** IP addresses held as two longs: text through the decoder's formatter (dotted quad, RFC 5952), bytes in network order. */
final class AddressText {
    private AddressText() {}

    static String format(int ipVersion, long hi, long lo) {
        return ipVersion == 4 ? io.netring.decode.AddressText.ipv4((int) lo) : io.netring.decode.AddressText.ipv6(hi, lo);
    }

    /** The address as bytes in network order (4 or 16). */
    static byte[] bytes(int ipVersion, long hi, long lo) {
        byte[] b = new byte[ipVersion == 4 ? 4 : 16];
        if (ipVersion == 4) {
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) (lo >>> (24 - 8 * i));
            }
        } else {
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (hi >>> (56 - 8 * i));
                b[8 + i] = (byte) (lo >>> (56 - 8 * i));
            }
        }
        return b;
    }
}
