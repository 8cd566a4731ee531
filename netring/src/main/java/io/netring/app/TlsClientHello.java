package io.netring.app;

import java.util.List;

/**
 * What a TLS ClientHello says about the client: where it goes and its fingerprints.
 *
 * @param serverName        {@code tls.handshake.extensions_server_name}: the first host name of the SNI extension, or null
 * @param alpn              {@code tls.handshake.extensions_alpn_str}: the ALPN protocols in order (empty without the extension)
 * @param supportedVersions {@code tls.handshake.extensions.supported_version}: every value of the extension in order, GREASE included (empty without it)
 * @param ja3Full           {@code tls.handshake.ja3_full}: version,ciphers,extensions,groups,point formats, GREASE left out
 * @param ja3Hash           {@code tls.handshake.ja3}: the MD5 of {@code ja3Full}, lower-case hex
 * @param ja4               the JA4 fingerprint (FoxIO), e.g. {@code t13d1516h2_8daaf6152771_e5627efa2ab1}
 */
public record TlsClientHello(String serverName, List<String> alpn, List<Integer> supportedVersions, String ja3Full,
        String ja3Hash, String ja4) {
    /** Copies the lists, so the record stays unchanged. */
    public TlsClientHello {
        alpn = List.copyOf(alpn);
        supportedVersions = List.copyOf(supportedVersions);
    }
}
