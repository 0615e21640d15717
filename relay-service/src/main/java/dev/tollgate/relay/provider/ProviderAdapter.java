package dev.tollgate.relay.provider;

import reactor.core.publisher.Mono;

/**
 * Talks to one family of upstream providers. The request arrives as an OpenAI chat request (the relay's
 * common form); an adapter maps it to its wire format and maps answers back. Wire types stay inside the
 * adapter's own package.
 */
public interface ProviderAdapter {

    /** True when this adapter serves channels of the given provider name. */
    boolean supports(String provider);

    /** A non-streaming chat call: {@link UpstreamResult.Answered} or {@link UpstreamResult.Refused}. */
    Mono<UpstreamResult> complete(UpstreamCall call);

    /**
     * A streaming chat call: {@link UpstreamResult.Streaming} once the upstream accepted it (its events follow,
     * and cancelling them closes the upstream connection) or {@link UpstreamResult.Refused}.
     */
    Mono<UpstreamResult> stream(UpstreamCall call);
}
