package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Client bytes of a {@code POST /v1/responses} → {@link InboundRequest}, or a 400 naming the offending parameter, in
 * OpenAI's words. Pure. What needs state kept between requests is refused here, before routing: this gateway is
 * stateless and stores no responses, so a request must carry its whole conversation in {@code input}.
 */
public final class ResponsesRequestValidator {

    /** Fields that point at state on OpenAI's side (a stored response, conversation or prompt), which we never hold. */
    private static final String[] STATEFUL = {"previous_response_id", "conversation", "prompt"};

    private ResponsesRequestValidator() {
    }

    /** @throws Rejection INVALID_REQUEST */
    public static InboundRequest validate(byte[] body) {
        ObjectNode tree = ChatRequestValidator.parse(body);
        JsonNode model = ChatRequestValidator.model(tree);
        refuseStateful(tree);
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

    private static void refuseStateful(ObjectNode tree) {
        for (String field : STATEFUL) {
            JsonNode value = tree.get(field);
            if (value != null && !value.isNull()) {
                throw Rejection.invalid("'" + field + "' is not supported: this gateway is stateless and stores no "
                        + "responses, conversations or prompts. Send the whole conversation in 'input' instead.",
                        field);
            }
        }
        if (tree.path("background").booleanValue(false)) {
            throw Rejection.invalid("'background' is not supported: this gateway is stateless and stores no "
                    + "responses to poll. Use 'stream' for long answers.", "background");
        }
        JsonNode input = tree.path("input");
        for (int i = 0; i < input.size(); i++) {
            if ("item_reference".equals(input.get(i).path("type").asString(""))) {
                throw Rejection.invalid("Item references are not supported: this gateway is stateless and stores "
                        + "no items. Send the item itself in 'input'.", "input[" + i + "]");
            }
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
