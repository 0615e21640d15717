package dev.tollgate.admin.logs;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * One request of the request log with its captured bodies: the list item's fields, then {@code request} and
 * {@code response}, null when its key did not capture them ({@code response} also when the client got no answer
 * from the upstream).
 */
public record LogDetailView(@JsonUnwrapped LogView log, RequestBody request, ResponseBody response) {

    /** The request body as the client sent it, cut to the relay's cap ({@code truncated}). */
    public record RequestBody(String body, boolean truncated) {
    }

    /**
     * The answer as the client got it, cut to the relay's cap ({@code truncated}); {@code streamed}: it was a stream,
     * kept reassembled as the whole answer the client's dialect sends without streaming.
     */
    public record ResponseBody(String body, boolean truncated, boolean streamed) {
    }
}
