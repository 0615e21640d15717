package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.Rejection;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Client bytes → {@link ChatRequest}, or a 400 naming the offending parameter, in OpenAI's words. Pure. */
public final class ChatRequestValidator {

    static final String UNPARSEABLE = "We could not parse the JSON body of your request. (HINT: This likely means "
            + "you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was "
            + "sent was not valid JSON.)";

    private ChatRequestValidator() {
    }

    /** @throws Rejection INVALID_REQUEST */
    public static ChatRequest validate(byte[] body) {
        JsonNode node;
        try {
            node = body.length == 0 ? null : Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw Rejection.invalid(UNPARSEABLE, null);
        }
        if (!(node instanceof ObjectNode tree)) {
            throw Rejection.invalid(UNPARSEABLE, null);
        }
        JsonNode model = tree.get("model");
        if (model == null || model.isNull()) {
            throw Rejection.invalid("you must provide a model parameter", "model");
        }
        if (!model.isString() || model.asString().isBlank()) {
            throw invalidType("model", "a string", model);
        }
        JsonNode messages = tree.get("messages");
        if (messages == null || messages.isNull()) {
            throw Rejection.invalid("Missing required parameter: 'messages'.", "messages");
        }
        if (!messages.isArray()) {
            throw invalidType("messages", "an array", messages);
        }
        boolean stream = optionalBoolean(tree, "stream");
        Long maxTokens = positiveInteger(tree, "max_tokens");
        Long maxCompletionTokens = positiveInteger(tree, "max_completion_tokens");
        JsonNode options = tree.get("stream_options");
        if (options != null && !options.isNull() && !options.isObject()) {
            throw invalidType("stream_options", "an object", options);
        }
        boolean includeUsage = options != null && options.path("include_usage").booleanValue(false);
        return new ChatRequest(tree, body, model.asString(), stream, includeUsage,
                maxCompletionTokens != null ? maxCompletionTokens : maxTokens);
    }

    private static boolean optionalBoolean(ObjectNode tree, String field) {
        JsonNode value = tree.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw invalidType(field, "a boolean", value);
        }
        return value.booleanValue();
    }

    private static Long positiveInteger(ObjectNode tree, String field) {
        JsonNode value = tree.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw invalidType(field, "an integer", value);
        }
        long n = value.longValue();
        if (n < 1) {
            throw Rejection.invalid("Invalid '" + field + "': integer below minimum value. Expected a value >= 1, "
                    + "but got " + n + " instead.", field);
        }
        return n;
    }

    private static Rejection invalidType(String field, String expected, JsonNode got) {
        return Rejection.invalid("Invalid type for '" + field + "': expected " + expected + ", but got "
                + describe(got) + " instead.", field);
    }

    private static String describe(JsonNode node) {
        if (node.isString()) {
            return "a string";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isIntegralNumber()) {
            return "an integer";
        }
        if (node.isNumber()) {
            return "a decimal";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        return "null";
    }
}
