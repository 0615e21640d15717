package dev.tollgate.relay.api.gemini;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.EmbeddingResponse;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An embeddings answer in Gemini's shape: {@code {"embedding":{"values":[…]}}} for {@code embedContent},
 * {@code {"embeddings":[{"values":[…]}, …]}} for {@code batchEmbedContents} (Gemini reports no usage). Pure.
 */
public final class GeminiEmbeddingsResponseWriter {

    private GeminiEmbeddingsResponseWriter() {
    }

    public static byte[] write(EmbeddingResponse response, boolean batch) {
        ObjectNode answer = Json.mapper().createObjectNode();
        if (batch) {
            ArrayNode embeddings = answer.putArray("embeddings");
            response.vectors().forEach(vector -> values(embeddings.addObject(), vector));
        } else {
            values(answer.putObject("embedding"), response.vectors().isEmpty() ? new float[0]
                    : response.vectors().get(0));
        }
        return Json.mapper().writeValueAsBytes(answer);
    }

    private static void values(ObjectNode embedding, float[] vector) {
        ArrayNode values = embedding.putArray("values");
        for (float value : vector) {
            values.add(value);
        }
    }
}
