package io.netring.app;

import java.util.List;

/**
 * A DNS message's questions and the addresses and aliases its records give, in tshark's text
 * forms. Records of every section count (answer, authority, additional), in order, as tshark
 * shows them.
 *
 * @param id         {@code dns.id}
 * @param isResponse the QR bit
 * @param queryNames {@code dns.qry.name}: each question's name (dotted, no final dot; {@code <Root>} for the root)
 * @param a          {@code dns.a}: each A record's address, dotted
 * @param aaaa       {@code dns.aaaa}: each AAAA record's address, RFC 5952 text
 * @param cname      {@code dns.cname}: each CNAME record's target
 */
public record DnsMessage(int id, boolean isResponse, List<String> queryNames, List<String> a, List<String> aaaa,
        List<String> cname) {
    /** Copies the lists, so the record stays unchanged. */
    public DnsMessage {
        queryNames = List.copyOf(queryNames);
        a = List.copyOf(a);
        aaaa = List.copyOf(aaaa);
        cname = List.copyOf(cname);
    }
}
