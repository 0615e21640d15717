package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Client bytes of a {@code POST /v1/responses} → {@link InboundRequest}, or a 400 naming the offending parameter, in
 * OpenAI's words. Pure. Fields that refer to state kept upstream ({@code previous_response_id}, {@code conversation},
 * {@code prompt}, {@code background}, {@code item_reference} inputs) are only checked for their type here: a channel
 * that serves the Responses API itself takes them, and the translation refuses them for every other channel
 * ({@link ResponsesRequestParser}).
 */
public final class ResponsesRequestValidator {

    public static final String PREVIOUS_RESPONSE_ID = "previous_response_id";

    private ResponsesRequestValidator() {
    }

    /** @throws Rejection INVALID_REQUEST */
    public static InboundRequest validate(byte[] body) {
        ObjectNode tree = ChatRequestValidator.parse(body);
        JsonNode model = ChatRequestValidator.model(tree);
        optionalString(tree, PREVIOUS_RESPONSE_ID);
        optionalBoolean(tree, "background");
        optionalBoolean(tree, "store");
        JsonNode conversation = tree.get("conversation");
        if (conversation != null && !conversation.isNull() && !conversation.isString() && !conversation.isObject()) {
            throw ChatRequestValidator.invalidType("conversation", "a string or an object", conversation);
        }
        JsonNode input = tree.get("input");
        if (input == null || input.isNull()) {
            throw Rejection.invalid("Missing required parameter: 'input'.", "input");
        }
        if (!input.isString() && !input.isArray()) {
            throw ChatRequestValidator.invalidType("input", "a string or an array", input);
        }
        for (int i = 0; i < input.size(); i++) {
            if (!input.get(i).isObject()) {
                throw ChatRequestValidator.invalidType("input[" + i + "]", "an object", input.get(i));
            }
        }
        optionalString(tree, "instructions");
        optionalArray(tree, "tools");
        optionalObject(tree, "text");
        optionalObject(tree, "reasoning");
        boolean stream = ChatRequestValidator.optionalBoolean(tree, "stream");
        Long maxOutputTokens = ChatRequestValidator.boundedInteger(tree, "max_output_tokens",
                ChatRequestValidator.MAX_OUTPUT_TOKENS);
        // A stream always ends in response.completed with the usage, so the upstream is always asked for it.
        return new InboundRequest(tree, body, model.asString(), stream, true, maxOutputTokens, 1);
    }

    private static void optionalBoolean(ObjectNode tree, String field) {
        JsonNode value = tree.get(field);
        if (value != null && !value.isNull() && !value.isBoolean()) {
            throw ChatRequestValidator.invalidType(field, "a boolean", value);
        }
    }

    private static void optionalString(ObjectNode tree, String field) {
        JsonNode value = tree.get(field);
        if (value != null && !value.isNull() && !value.isString()) {
            throw ChatRequestValidator.invalidType(field, "a string", value);
        }
    }

    private static void optionalArray(ObjectNode tree, String field) {
        JsonNode value = tree.get(field);
        if (value != null && !value.isNull() && !value.isArray()) {
            throw ChatRequestValidator.invalidType(field, "an array", value);
        }
    }

    private static void optionalObject(ObjectNode tree, String field) {
        JsonNode value = tree.get(field);
        if (value != null && !value.isNull() && !value.isObject()) {
            throw ChatRequestValidator.invalidType(field, "an object", value);
        }
    }
}
