package dev.tollgate.relay.chat;

import dev.tollgate.contracts.money.TokenUsage;
import java.util.List;

/**
 * An embeddings answer in the internal model: one vector per input, in the request's order.
 *
 * @param usage what the upstream reported, or null when it reports nothing (Gemini): the relay's own count of the
 *              input is then billed, marked estimated
 */
public record EmbeddingResponse(List<float[]> vectors, TokenUsage usage) {

    public EmbeddingResponse {
        vectors = List.copyOf(vectors);
    }
}
