package dev.tollgate.relay.provider;

import dev.tollgate.relay.snapshot.Channel;
import tools.jackson.databind.node.ObjectNode;

/**
 * One chat call to make upstream.
 *
 * @param channel          where to send it (with its decrypted key)
 * @param request          the client's request as an OpenAI chat request tree (not to be modified)
 * @param rawBody          the client's bytes of that request, reused when nothing needs to change
 * @param askedModel       the model the client asked for (mapped to the upstream's name by the adapter)
 * @param clientWantsUsage the client asked for {@code stream_options.include_usage}
 */
public record UpstreamCall(Channel channel, ObjectNode request, byte[] rawBody, String askedModel,
        boolean clientWantsUsage) {
}
