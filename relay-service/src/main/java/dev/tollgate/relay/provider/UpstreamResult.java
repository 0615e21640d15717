package dev.tollgate.relay.provider;

import dev.tollgate.contracts.money.TokenUsage;
import reactor.core.publisher.Flux;

/** What an upstream call came to, before anything is written to the client. */
public sealed interface UpstreamResult {

    /**
     * A whole answer whose body passes to the client unchanged.
     *
     * @param usage what the upstream reported, or null when it reported nothing
     */
    record Answered(int status, String contentType, byte[] body, TokenUsage usage) implements UpstreamResult {
    }

    /** A stream the upstream accepted; its steps arrive as the upstream sends them. */
    record Streaming(Flux<StreamStep> steps) implements UpstreamResult {
    }

    /** The upstream answered with an error status; status and body pass through (same dialect). */
    record Refused(int status, String contentType, byte[] body) implements UpstreamResult {
    }
}
