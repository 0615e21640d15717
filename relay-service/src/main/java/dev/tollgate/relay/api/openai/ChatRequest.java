package dev.tollgate.relay.api.openai;

import tools.jackson.databind.node.ObjectNode;

/** A validated OpenAI chat request: the tree, the client's bytes, and the fields the relay acts on. */
public record ChatRequest(ObjectNode tree, byte[] raw, String model, boolean stream, boolean includeUsage,
        Long maxTokens) {
}
