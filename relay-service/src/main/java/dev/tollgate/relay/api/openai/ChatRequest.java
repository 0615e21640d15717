package dev.tollgate.relay.api.openai;

import tools.jackson.databind.node.ObjectNode;

/**
 * A validated OpenAI chat request: the tree, the client's bytes, and the fields the relay acts on.
 *
 * @param maxTokens the output limit per choice ({@code max_completion_tokens}, else {@code max_tokens}), or null
 * @param choices   how many answers to generate ({@code n}, 1 when absent)
 */
public record ChatRequest(ObjectNode tree, byte[] raw, String model, boolean stream, boolean includeUsage,
        Long maxTokens, int choices) {
}
