package io.netring.app;

/**
 * An HTTP/1.x response's status line.
 *
 * @param statusCode {@code http.response.code}, 100 to 999
 */
public record HttpResponse(int statusCode) {}
