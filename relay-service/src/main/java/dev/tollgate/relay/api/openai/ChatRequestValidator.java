package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.Rejection;
import java.math.BigInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Client bytes → {@link InboundRequest}, or a 400 naming the offending parameter, in OpenAI's words. Pure. */
public final class ChatRequestValidator {

    /** Far above any model's output limit; a larger value is a mistake, not a plan (and would overflow estimates). */
    static final long MAX_OUTPUT_TOKENS = 10_000_000;
    /** OpenAI's own limit on {@code n}. */
    static final long MAX_CHOICES = 128;

    static final String UNPARSEABLE = "We could not parse the JSON body of your request. (HINT: This likely means "
            + "you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was "
            + "sent was not valid JSON.)";

    private ChatRequestValidator() {
    }

    /** @throws Rejection INVALID_REQUEST */
    public static InboundRequest validate(byte[] body) {
        ObjectNode tree = parse(body);
        JsonNode model = model(tree);
        JsonNode messages = tree.get("messages");
        if (messages == null || messages.isNull()) {
            throw Rejection.invalid("Missing required parameter: 'messages'.", "messages");
        }
        if (!messages.isArray()) {
            throw invalidType("messages", "an array", messages);
        }
        boolean stream = optionalBoolean(tree, "stream");
        Long maxTokens = boundedInteger(tree, "max_tokens", MAX_OUTPUT_TOKENS);
        Long maxCompletionTokens = boundedInteger(tree, "max_completion_tokens", MAX_OUTPUT_TOKENS);
        Long choices = boundedInteger(tree, "n", MAX_CHOICES);
        boolean includeUsage = includeUsage(tree);
        return new InboundRequest(tree, body, model.asString(), stream, includeUsage,
                maxCompletionTokens != null ? maxCompletionTokens : maxTokens, choices == null ? 1 : choices.intValue());
    }

    /** {@code stream_options.include_usage}; the options must be an object when present. */
    static boolean includeUsage(ObjectNode tree) {
        JsonNode options = tree.get("stream_options");
        if (options != null && !options.isNull() && !options.isObject()) {
            throw invalidType("stream_options", "an object", options);
        }
        return options != null && options.path("include_usage").booleanValue(false);
    }

    /** The body as a JSON object, or OpenAI's "could not parse" 400. */
    static ObjectNode parse(byte[] body) {
        JsonNode node;
        try {
            node = body.length == 0 ? null : Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw Rejection.invalid(UNPARSEABLE, null);
        }
        if (!(node instanceof ObjectNode tree)) {
            throw Rejection.invalid(UNPARSEABLE, null);
        }
        return tree;
    }

    /** The required {@code model}: a non-blank string. */
    static JsonNode model(ObjectNode tree) {
        JsonNode model = tree.get("model");
        if (model == null || model.isNull()) {
            throw Rejection.invalid("you must provide a model parameter", "model");
        }
        if (!model.isString() || model.asString().isBlank()) {
            throw invalidType("model", "a string", model);
        }
        return model;
    }

    static boolean optionalBoolean(ObjectNode tree, String field) {
        JsonNode value = tree.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw invalidType(field, "a boolean", value);
        }
        return value.booleanValue();
    }

    /** An optional integer in 1..max, in OpenAI's words when it is not. */
    static Long boundedInteger(ObjectNode tree, String field, long max) {
        JsonNode value = tree.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw invalidType(field, "an integer", value);
        }
        // Compared as written, so a value beyond a long is "too large", not "not an integer".
        BigInteger n = value.bigIntegerValue();
        if (n.signum() < 1) {
            throw Rejection.invalid("Invalid '" + field + "': integer below minimum value. Expected a value >= 1, "
                    + "but got " + n + " instead.", field);
        }
        if (n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw Rejection.invalid("Invalid '" + field + "': integer above maximum value. Expected a value <= " + max
                    + ", but got " + n + " instead.", field);
        }
        return n.longValue();
    }

    static Rejection invalidType(String field, String expected, JsonNode got) {
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
