package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/moderations} bytes → {@link InboundRequest}, or a 400 in OpenAI's words. The model is optional,
 * as at OpenAI: absent, the request is routed (and priced) as {@value #DEFAULT_MODEL}. Pure.
 */
public final class ModerationsRequestValidator {

    /** OpenAI's default moderation model. */
    static final String DEFAULT_MODEL = "omni-moderation-latest";

    private ModerationsRequestValidator() {
    }

    /** @throws Rejection INVALID_REQUEST */
    public static InboundRequest validate(byte[] body) {
        ObjectNode tree = ChatRequestValidator.parse(body);
        String model = tree.hasNonNull("model") ? ChatRequestValidator.model(tree).asString() : DEFAULT_MODEL;
        JsonNode input = tree.get("input");
        if (input != null && input.isArray() && !input.isEmpty() && input.get(0).isObject()) {
            checkParts(input);
        } else {
            TextInputs.check(input, "input");
            if (input.isArray() && !input.get(0).isString()) {
                throw Rejection.invalid("Invalid 'input': expected a string, an array of strings or an array of "
                        + "text and image_url parts.", "input");
            }
        }
        return new InboundRequest(tree, body, model, false, false, 0L, 1);
    }

    /** The multimodal form: text and image_url parts. */
    private static void checkParts(JsonNode parts) {
        for (int i = 0; i < parts.size(); i++) {
            String type = parts.get(i).path("type").asString("");
            if (!type.equals("text") && !type.equals("image_url")) {
                throw Rejection.invalid("Invalid 'input[" + i + "].type': expected 'text' or 'image_url'.",
                        "input[" + i + "].type");
            }
        }
    }

    /** The text to moderate, counted locally (a rate-limit estimate: moderations are billed per request). */
    static long count(ObjectNode tree) {
        JsonNode input = tree.path("input");
        if (input.isArray() && !input.isEmpty() && input.get(0).isObject()) {
            long tokens = 0;
            for (JsonNode part : input) {
                tokens += TextInputs.count(part.get("text"));
            }
            return tokens;
        }
        return TextInputs.count(input);
    }
}
