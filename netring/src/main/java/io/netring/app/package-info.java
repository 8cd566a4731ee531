/**
 * Application metadata read from reassembled TCP streams and UDP datagrams: HTTP/1.x requests
 * and responses, TLS hellos with their JA3, JA3S and JA4 fingerprints, and DNS messages, each
 * reported on the frame that completed it, with tshark 4.0's field meanings
 * ({@link io.netring.app.ApplicationAnalyzer}).
 *
 * <p>Protocols are recognised by content on any port. Every parser keeps bounded state and
 * never throws on bad bytes: it gives the direction up and counts it
 * ({@link io.netring.app.ApplicationCounters}); docs/REASSEMBLY.md lists the bounds.
 */
package io.netring.app;
