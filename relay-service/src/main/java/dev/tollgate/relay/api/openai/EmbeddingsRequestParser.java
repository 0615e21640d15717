package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.chat.Untranslatable;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A checked {@code /v1/embeddings} tree → the internal {@link EmbeddingRequest}, for a channel of another dialect
 * (Gemini). Token-id inputs have no text to send such an upstream and are refused as untranslatable. Pure.
 */
public final class EmbeddingsRequestParser {

    private EmbeddingsRequestParser() {
    }

    /** @throws Untranslatable for token-id inputs */
    public static EmbeddingRequest toEmbeddings(ObjectNode tree) {
        JsonNode input = tree.get("input");
        List<EmbeddingRequest.Input> inputs = new ArrayList<>();
        if (input.isString()) {
            inputs.add(EmbeddingRequest.Input.of(input.asString()));
        } else {
            for (JsonNode item : input) {
                if (!item.isString()) {
                    throw new Untranslatable("input",
                            "Token-id inputs cannot be sent to this model's provider: send the text instead.");
                }
                inputs.add(EmbeddingRequest.Input.of(item.asString()));
            }
        }
        JsonNode dimensions = tree.get("dimensions");
        return new EmbeddingRequest(inputs,
                dimensions == null || dimensions.isNull() ? null : dimensions.intValue());
    }
}
