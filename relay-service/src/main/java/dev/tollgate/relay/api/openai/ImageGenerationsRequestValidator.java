package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/images/generations} bytes → {@link InboundRequest} ({@code n} images, no token output to
 * reserve), or a 400 in OpenAI's words. The model is optional, as at OpenAI ({@value #DEFAULT_MODEL}); streamed
 * partial images are not relayed. Pure.
 */
public final class ImageGenerationsRequestValidator {

    /** OpenAI's default image model. */
    static final String DEFAULT_MODEL = "dall-e-2";
    /** OpenAI's limit on {@code n}. */
    static final long MAX_IMAGES = 10;

    private ImageGenerationsRequestValidator() {
    }

    /** @throws Rejection INVALID_REQUEST */
    public static InboundRequest validate(byte[] body) {
        ObjectNode tree = ChatRequestValidator.parse(body);
        String model = tree.hasNonNull("model") ? ChatRequestValidator.model(tree).asString() : DEFAULT_MODEL;
        JsonNode prompt = tree.get("prompt");
        if (prompt == null || prompt.isNull()) {
            throw Rejection.invalid("Missing required parameter: 'prompt'.", "prompt");
        }
        if (!prompt.isString() || prompt.asString().isBlank()) {
            throw Rejection.invalid("Invalid 'prompt': expected a non-empty string.", "prompt");
        }
        if (ChatRequestValidator.optionalBoolean(tree, "stream")) {
            throw Rejection.invalid("Streamed image generation is not supported here: leave 'stream' unset.",
                    "stream");
        }
        Long images = ChatRequestValidator.boundedInteger(tree, "n", MAX_IMAGES);
        return new InboundRequest(tree, body, model, false, false, 0L, images == null ? 1 : images.intValue());
    }
}
