package dev.tollgate.relay.provider;

import dev.tollgate.relay.snapshot.Channel;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;

/**
 * An adapter whose upstreams may serve OpenAI's Responses API themselves, and so keep the responses they made
 * ({@code store}, {@code previous_response_id}, {@code background}): the calls on one stored response go to the
 * channel that made it.
 */
public interface NativeResponses {

    /** True when the channel serves {@code /responses} itself (its default, or its config's {@code nativeResponses}). */
    boolean servesResponses(Channel channel);

    /**
     * One call on a stored response of this channel: {@code GET|DELETE …/responses/{id}}, {@code POST …/cancel},
     * {@code GET …/input_items}. Answers {@link UpstreamResult.Answered} (usage null: not billed) or
     * {@link UpstreamResult.Refused}; fails with an {@link UpstreamFailure} when the upstream cannot be reached.
     *
     * @param responseId the id as the upstream knows it
     * @param tail       what follows the id in the path ({@code ""}, {@code "/cancel"}, {@code "/input_items"})
     * @param query      the client's query string (without {@code ?}), or null
     */
    Mono<UpstreamResult> stored(Channel channel, HttpMethod method, String responseId, String tail, String query);
}
