/**
 * Protocol decoding: reading what a captured frame carries, in place, without copying it.
 *
 * <p>{@link io.netring.decode.FrameSummary} gives a one-line description of a frame. The
 * zero-copy protocol views, the one-pass layer finder and the tcpdump/tshark text formats
 * live here as well. A decoder never throws on short or garbage bytes: it decodes as far as
 * the bytes go.
 */
package io.netring.decode;
