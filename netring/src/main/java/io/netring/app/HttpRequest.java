package io.netring.app;

/**
 * An HTTP/1.x request line and the headers monitors ask for. A header the request did not carry
 * is null. Texts are the bytes as sent (ISO-8859-1), surrounding blanks trimmed.
 *
 * @param method    {@code http.request.method}, e.g. GET
 * @param host      {@code http.host}, the Host header, or null
 * @param uri       {@code http.request.uri}, the request target as sent
 * @param userAgent {@code http.user_agent}, or null
 */
public record HttpRequest(String method, String host, String uri, String userAgent) {}
