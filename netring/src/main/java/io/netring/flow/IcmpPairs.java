package io.netring.flow;

/** ICMP request/reply pairs, so a reply is filed under its request's type and both make one flow. */
final class IcmpPairs {
    private IcmpPairs() {}

    /** The request type of a reply type (echo, timestamp, information, address mask; ICMPv6 echo), else the type itself. */
    static int requestType(int protocol, int type) {
        if (protocol == 1) {
            return switch (type) {
                case 0 -> 8;
                case 14 -> 13;
                case 16 -> 15;
                case 18 -> 17;
                default -> type;
            };
        }
        return type == 129 ? 128 : type;
    }
}
