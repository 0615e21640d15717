package dev.tollgate.relay.provider;

import dev.tollgate.contracts.money.TokenUsage;
import reactor.core.publisher.Flux;

/** What an upstream call came to, before anything is written to the client. */
public sealed interface UpstreamResult {

    /**
     * A whole answer whose body passes to the client unchanged.
     *
     * @param usage what the upstream reported, or null when it reported nothing
     * @param text  the generated text of the answer when it reported no usage (to count locally), else empty
     */
    record Answered(int status, String contentType, byte[] body, TokenUsage usage, String text)
            implements UpstreamResult {
    }

    /** A stream the upstream accepted; its steps arrive as the upstream sends them. */
    record Streaming(Flux<StreamStep> steps) implements UpstreamResult {
    }

    /**
     * The upstream answered with an error status. The inbound dialect decides what of it reaches the client.
     *
     * @param retryAfter the upstream's {@code retry-after} header, or null
     */
    record Refused(int status, String contentType, byte[] body, String retryAfter) implements UpstreamResult {
    }
}
