package dev.tollgate.relay.provider;

import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.snapshot.Channel;
import reactor.core.publisher.Mono;

/**
 * Talks to one family of upstream providers. A call comes in one of two forms (see {@link UpstreamCall}):
 * <ul>
 *   <li>pass-through, when the caller speaks this adapter's own {@link #dialect()}: the client's body goes up
 *       with only the model rewritten, and the answer comes back as {@link UpstreamResult.Answered} or
 *       {@link UpstreamResult.Streaming} in that same dialect;</li>
 *   <li>translated, when {@link UpstreamCall#chat()} is set: the adapter maps the internal request to its wire
 *       format and answers with {@link UpstreamResult.Completed} or {@link UpstreamResult.Translated}.</li>
 * </ul>
 * Either form may end in {@link UpstreamResult.Refused}, or fail with an {@link UpstreamFailure}. Wire types
 * stay inside the adapter's own package.
 */
public interface ProviderAdapter {

    /** True when this adapter serves channels of the given provider name. */
    boolean supports(String provider);

    /** The wire dialect this adapter's upstreams speak natively (a caller in it is passed through). */
    Dialect dialect();

    /**
     * True when this adapter's channel offers the endpoint: chat everywhere (translated when need be), and so
     * Responses (translated to chat where not native); the other operations only where the adapter says so
     * (embeddings are translated too; the rest pass through).
     */
    default boolean serves(Operation operation, Channel channel) {
        return operation == Operation.CHAT || operation == Operation.RESPONSES;
    }

    /**
     * True when a caller in {@code inbound} is passed through to this channel rather than translated: the adapter's
     * own dialect always; an adapter may speak more on some channels (OpenAI's Responses API where it is served).
     */
    default boolean passesThrough(Dialect inbound, Channel channel) {
        return dialect() == inbound;
    }

    /** A non-streaming chat call. */
    Mono<UpstreamResult> complete(UpstreamCall call);

    /**
     * A streaming chat call: a streaming result once the upstream accepted it (its events follow, and cancelling
     * them closes the upstream connection), or {@link UpstreamResult.Refused}.
     */
    Mono<UpstreamResult> stream(UpstreamCall call);
}
