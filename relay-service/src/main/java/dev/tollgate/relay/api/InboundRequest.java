package dev.tollgate.relay.api;

import tools.jackson.databind.node.ObjectNode;

/**
 * A validated inbound chat request in the client's dialect: the tree, the client's bytes, and the fields the
 * relay acts on (whatever the dialect).
 *
 * @param maxTokens the output limit per choice ({@code max_completion_tokens}, else {@code max_tokens}), or null
 * @param includeUsage the client asked for usage in its stream (OpenAI {@code stream_options.include_usage})
 * @param choices   how many answers to generate ({@code n}, 1 when absent)
 */
public record InboundRequest(ObjectNode tree, byte[] raw, String model, boolean stream, boolean includeUsage,
        Long maxTokens, int choices) {
}
