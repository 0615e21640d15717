package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/embeddings} bytes → {@link InboundRequest} (never a stream, no output tokens to reserve), or a
 * 400 naming the offending parameter, in OpenAI's words. Pure.
 */
public final class EmbeddingsRequestValidator {

    /** Above every embedding model's width; a larger value is a mistake. */
    static final long MAX_DIMENSIONS = 65_536;

    private EmbeddingsRequestValidator() {
    }

    /** @throws Rejection INVALID_REQUEST */
    public static InboundRequest validate(byte[] body) {
        ObjectNode tree = ChatRequestValidator.parse(body);
        JsonNode model = ChatRequestValidator.model(tree);
        TextInputs.check(tree.get("input"), "input");
        JsonNode format = tree.get("encoding_format");
        if (format != null && !format.isNull()) {
            String value = format.isString() ? format.asString() : null;
            if (!"float".equals(value) && !"base64".equals(value)) {
                throw Rejection.invalid("Invalid value for 'encoding_format': expected 'float' or 'base64'.",
                        "encoding_format");
            }
        }
        ChatRequestValidator.boundedInteger(tree, "dimensions", MAX_DIMENSIONS);
        return new InboundRequest(tree, body, model.asString(), false, false, 0L, 1);
    }
}
