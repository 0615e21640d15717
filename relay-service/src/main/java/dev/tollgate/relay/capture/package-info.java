/**
 * Opt-in capture of request and response bodies, per key ({@code captureBodies}). A request of a capturing key gets
 * one {@link dev.tollgate.relay.capture.BodyCapture}, fed by the chat pipeline through its meter; everyone else's
 * request has none and pays nothing (no copy, no allocation). The bodies go on the request's usage event, each cut
 * to {@code tollgate.relay.capture.max-bytes}; a streamed answer is reassembled into the whole answer the client's
 * dialect would have sent without streaming.
 */
package dev.tollgate.relay.capture;
