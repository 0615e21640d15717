package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.EmbeddingResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A translated embeddings answer as OpenAI's {@code list} of {@code embedding}s, the vectors as floats or — when
 * the client asked {@code encoding_format: base64} — as OpenAI's base64 of little-endian float32s. Pure.
 */
public final class EmbeddingsResponseWriter {

    private EmbeddingsResponseWriter() {
    }

    /**
     * @param model        the model the client asked for
     * @param base64       the client asked {@code encoding_format: base64}
     * @param promptTokens the local count of the input, reported when the upstream reported no usage
     */
    public static byte[] write(EmbeddingResponse response, String model, boolean base64, long promptTokens) {
        ObjectNode answer = Json.mapper().createObjectNode();
        answer.put("object", "list");
        ArrayNode data = answer.putArray("data");
        for (int i = 0; i < response.vectors().size(); i++) {
            float[] vector = response.vectors().get(i);
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            if (base64) {
                item.put("embedding", toBase64(vector));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float value : vector) {
                    values.add(value);
                }
            }
        }
        answer.put("model", model);
        TokenUsage usage = response.usage();
        long prompt = usage == null ? promptTokens : usage.inputTokens() + usage.cacheReadTokens();
        answer.putObject("usage").put("prompt_tokens", prompt).put("total_tokens", prompt);
        return Json.mapper().writeValueAsBytes(answer);
    }

    static String toBase64(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            buffer.putFloat(value);
        }
        return Base64.getEncoder().encodeToString(buffer.array());
    }
}
