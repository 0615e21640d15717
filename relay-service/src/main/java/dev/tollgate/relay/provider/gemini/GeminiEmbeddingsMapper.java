package dev.tollgate.relay.provider.gemini;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.chat.EmbeddingResponse;
import dev.tollgate.relay.provider.gemini.wire.BatchEmbedContentsResponse;
import dev.tollgate.relay.provider.gemini.wire.Content;
import dev.tollgate.relay.provider.gemini.wire.EmbedContentRequest;
import dev.tollgate.relay.provider.gemini.wire.GeminiPart;
import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * The internal {@link EmbeddingRequest} as Gemini's {@code batchEmbedContents} body (one request per input, each
 * naming {@code models/<upstream model>}), and its answer back in the internal model. Gemini reports no usage: the
 * answer's usage is null, and the relay bills its own count of the input, marked estimated. Pure.
 */
public final class GeminiEmbeddingsMapper {

    private GeminiEmbeddingsMapper() {
    }

    public static byte[] createRequest(EmbeddingRequest request, String upstreamModel) {
        String model = upstreamModel.startsWith("models/") ? upstreamModel : "models/" + upstreamModel;
        List<EmbedContentRequest> requests = request.inputs().stream()
                .map(input -> new EmbedContentRequest(model,
                        new Content(null, List.of(GeminiPart.text(input.text()))), input.taskType(), input.title(),
                        request.dimensions()))
                .toList();
        return Json.mapper().writeValueAsBytes(new EmbedContentRequest.Batch(requests));
    }

    /** @throws IllegalArgumentException when the body is no batch of embeddings */
    public static EmbeddingResponse toEmbeddingResponse(byte[] body) {
        BatchEmbedContentsResponse answer;
        try {
            answer = Json.mapper().readValue(body, BatchEmbedContentsResponse.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a batchEmbedContents answer", e);
        }
        if (answer == null || answer.embeddings() == null) {
            throw new IllegalArgumentException("a batchEmbedContents answer without embeddings");
        }
        List<float[]> vectors = answer.embeddings().stream()
                .map(embedding -> embedding == null || embedding.values() == null ? new float[0] : embedding.values())
                .toList();
        return new EmbeddingResponse(vectors, null);
    }
}
