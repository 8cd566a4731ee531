package io.netring.app;

/**
 * What a TLS ServerHello chose.
 *
 * @param version         {@code tls.handshake.version}: the legacy version field (0x0303 for TLS 1.3 too)
 * @param cipherSuite     {@code tls.handshake.ciphersuite}
 * @param ja3sFull        {@code tls.handshake.ja3s_full}: version,cipher,extensions, GREASE left out
 * @param ja3sHash        {@code tls.handshake.ja3s}: the MD5 of {@code ja3sFull}, lower-case hex
 * @param selectedVersion the supported_versions extension's value (0x0304 for TLS 1.3), or -1 without it
 * @param alpn            the ALPN protocol chosen in the ServerHello (TLS 1.2 and older; TLS 1.3 sends it encrypted), or null
 */
public record TlsServerHello(int version, int cipherSuite, String ja3sFull, String ja3sHash, int selectedVersion,
        String alpn) {}
