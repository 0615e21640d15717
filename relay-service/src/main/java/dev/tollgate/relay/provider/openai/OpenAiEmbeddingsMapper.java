package dev.tollgate.relay.provider.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.chat.EmbeddingResponse;
import dev.tollgate.relay.provider.openai.wire.EmbeddingsRequest;
import dev.tollgate.relay.provider.openai.wire.EmbeddingsResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * The internal {@link EmbeddingRequest} as an OpenAI {@code /embeddings} body (floats asked, Gemini's task hints
 * dropped: OpenAI has no place for them), and OpenAI's answer back in the internal model. Pure.
 */
public final class OpenAiEmbeddingsMapper {

    private OpenAiEmbeddingsMapper() {
    }

    public static byte[] createRequest(EmbeddingRequest request, String model) {
        return Json.mapper().writeValueAsBytes(new EmbeddingsRequest(model, request.texts(), request.dimensions(),
                "float"));
    }

    /** @throws IllegalArgumentException when the body is no embeddings list */
    public static EmbeddingResponse toEmbeddingResponse(byte[] body) {
        EmbeddingsResponse answer;
        try {
            answer = Json.mapper().readValue(body, EmbeddingsResponse.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not an embeddings answer", e);
        }
        if (answer == null || answer.data() == null) {
            throw new IllegalArgumentException("an embeddings answer without data");
        }
        List<EmbeddingsResponse.Item> items = new ArrayList<>(answer.data());
        // Servers answer in input order; the index says so where one does not.
        items.sort(Comparator.comparing(item -> item.index() == null ? 0 : item.index()));
        List<float[]> vectors = items.stream()
                .map(item -> item.embedding() == null ? new float[0] : item.embedding())
                .toList();
        return new EmbeddingResponse(vectors, OpenAiUsageExtractor.fromUsage(answer.usage()));
    }
}
