package dev.tollgate.contracts.events;

/**
 * What a relay kept of a request whose key captures bodies (an opt-in per key): the request body as the client
 * sent it, and the answer as the client got it. A streamed answer is kept reassembled, as the whole answer the
 * client's dialect would have sent without streaming (text, reasoning and tool calls; no SSE frames), and says
 * so by {@code streamed}. Each body is cut to the relay's cap ({@code tollgate.relay.capture.max-bytes}).
 *
 * @param request  the request body; never null
 * @param response the answer body, or null when the client got none from the upstream (refused before it, or
 *                 an error the relay wrote)
 * @param streamed the answer was a stream, reassembled
 */
public record Capture(CapturedText request, CapturedText response, boolean streamed) {
}
