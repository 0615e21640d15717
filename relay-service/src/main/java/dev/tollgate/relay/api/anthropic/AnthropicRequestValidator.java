package dev.tollgate.relay.api.anthropic;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import java.math.BigInteger;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Client bytes → {@link InboundRequest} for {@code POST /v1/messages}, or a 400 in Anthropic's words
 * ({@code path: problem}, the path dotted with indices, e.g. {@code messages.0.role}). Checks only what the relay
 * acts on or what would otherwise reach an upstream malformed; unknown top-level fields pass (new API fields must
 * keep working in pass-through). Pure.
 */
public final class AnthropicRequestValidator {

    /** Far above any model's output limit; a larger value is a mistake, not a plan (and would overflow estimates). */
    static final long MAX_OUTPUT_TOKENS = 10_000_000;
    /** Anthropic's smallest thinking budget. */
    static final long MIN_THINKING_BUDGET = 1_024;

    static final String UNPARSEABLE = "There was an issue with the formatting of your request: the body is not valid JSON.";

    private static final Set<String> ROLES = Set.of("user", "assistant");
    private static final Set<String> TOOL_CHOICES = Set.of("auto", "any", "tool", "none");
    // "adaptive" is newer than enabled/disabled; accepted so pass-through keeps working for current models.
    private static final Set<String> THINKING_TYPES = Set.of("enabled", "disabled", "adaptive");

    private AnthropicRequestValidator() {
    }

    /** @throws Rejection INVALID_REQUEST */
    public static InboundRequest validate(byte[] body) {
        JsonNode node;
        try {
            node = body.length == 0 ? null : Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw Rejection.invalid(UNPARSEABLE, null);
        }
        if (node == null || node.isMissingNode()) {
            throw Rejection.invalid(UNPARSEABLE, null);
        }
        if (!(node instanceof ObjectNode tree)) {
            throw Rejection.invalid("Input should be a valid dictionary", null);
        }
        String model = requiredString(tree, "model");
        long maxTokens = requiredMaxTokens(tree);
        messages(tree);
        system(tree.get("system"));
        boolean stream = optionalBoolean(tree, "stream");
        boundedNumber(tree, "temperature");
        boundedNumber(tree, "top_p");
        topK(tree.get("top_k"));
        stopSequences(tree.get("stop_sequences"));
        tools(tree.get("tools"));
        toolChoice(tree.get("tool_choice"));
        thinking(tree.get("thinking"), maxTokens);
        JsonNode metadata = tree.get("metadata");
        if (present(metadata) && !metadata.isObject()) {
            throw invalid("metadata", "Input should be a valid dictionary");
        }
        // Anthropic's streams always carry usage (message_start and message_delta).
        return new InboundRequest(tree, body, model, stream, true, maxTokens, 1);
    }

    private static String requiredString(ObjectNode tree, String field) {
        JsonNode value = tree.get(field);
        if (value == null) {
            throw invalid(field, "Field required");
        }
        if (!value.isString()) {
            throw invalid(field, "Input should be a valid string");
        }
        if (value.stringValue().isBlank()) {
            throw invalid(field, "String should have at least 1 character");
        }
        return value.stringValue();
    }

    private static long requiredMaxTokens(ObjectNode tree) {
        JsonNode value = tree.get("max_tokens");
        if (value == null) {
            throw invalid("max_tokens", "Field required");
        }
        return integerIn("max_tokens", value, 1, MAX_OUTPUT_TOKENS);
    }

    private static void messages(ObjectNode tree) {
        JsonNode messages = tree.get("messages");
        if (messages == null) {
            throw invalid("messages", "Field required");
        }
        if (!messages.isArray()) {
            throw invalid("messages", "Input should be a valid list");
        }
        for (int i = 0; i < messages.size(); i++) {
            message("messages." + i, messages.get(i));
        }
    }

    private static void message(String path, JsonNode message) {
        if (!message.isObject()) {
            throw invalid(path, "Input should be a valid dictionary");
        }
        JsonNode role = message.get("role");
        if (role == null) {
            throw invalid(path + ".role", "Field required");
        }
        if (!role.isString() || !ROLES.contains(role.stringValue())) {
            throw invalid(path + ".role", "Input should be 'user' or 'assistant'");
        }
        JsonNode content = message.get("content");
        if (content == null) {
            throw invalid(path + ".content", "Field required");
        }
        if (content.isString()) {
            return;
        }
        if (!content.isArray()) {
            throw invalid(path + ".content", "Input should be a valid string or a valid list");
        }
        blocks(path + ".content", content);
    }

    private static void blocks(String path, JsonNode blocks) {
        for (int j = 0; j < blocks.size(); j++) {
            JsonNode block = blocks.get(j);
            String at = path + "." + j;
            if (!block.isObject()) {
                throw invalid(at, "Input should be a valid dictionary");
            }
            JsonNode type = block.get("type");
            if (type == null) {
                throw invalid(at + ".type", "Field required");
            }
            if (!type.isString()) {
                throw invalid(at + ".type", "Input should be a valid string");
            }
        }
    }

    private static void system(JsonNode system) {
        if (!present(system) || system.isString()) {
            return;
        }
        if (!system.isArray()) {
            throw invalid("system", "Input should be a valid string or a valid list");
        }
        for (int i = 0; i < system.size(); i++) {
            JsonNode block = system.get(i);
            String at = "system." + i;
            if (!block.isObject()) {
                throw invalid(at, "Input should be a valid dictionary");
            }
            if (!"text".equals(block.path("type").stringValue(null))) {
                throw invalid(at + ".type", "Input should be 'text'");
            }
            if (!block.path("text").isString()) {
                throw invalid(at + ".text", block.has("text") ? "Input should be a valid string" : "Field required");
            }
        }
    }

    private static boolean optionalBoolean(ObjectNode tree, String field) {
        JsonNode value = tree.get(field);
        if (!present(value)) {
            return false;
        }
        if (!value.isBoolean()) {
            throw invalid(field, "Input should be a valid boolean");
        }
        return value.booleanValue();
    }

    /** {@code temperature} and {@code top_p}: a number in 0..1. */
    private static void boundedNumber(ObjectNode tree, String field) {
        JsonNode value = tree.get(field);
        if (!present(value)) {
            return;
        }
        if (!value.isNumber()) {
            throw invalid(field, "Input should be a valid number");
        }
        double n = value.doubleValue();
        if (n < 0) {
            throw invalid(field, "Input should be greater than or equal to 0");
        }
        if (n > 1) {
            throw invalid(field, "Input should be less than or equal to 1");
        }
    }

    private static void topK(JsonNode value) {
        if (present(value)) {
            integerIn("top_k", value, 0, Long.MAX_VALUE);
        }
    }

    private static void stopSequences(JsonNode value) {
        if (!present(value)) {
            return;
        }
        if (!value.isArray()) {
            throw invalid("stop_sequences", "Input should be a valid list");
        }
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isString()) {
                throw invalid("stop_sequences." + i, "Input should be a valid string");
            }
        }
    }

    private static void tools(JsonNode tools) {
        if (!present(tools)) {
            return;
        }
        if (!tools.isArray()) {
            throw invalid("tools", "Input should be a valid list");
        }
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String at = "tools." + i;
            if (!tool.isObject()) {
                throw invalid(at, "Input should be a valid dictionary");
            }
            JsonNode name = tool.get("name");
            if (name == null) {
                throw invalid(at + ".name", "Field required");
            }
            if (!name.isString()) {
                throw invalid(at + ".name", "Input should be a valid string");
            }
        }
    }

    private static void toolChoice(JsonNode choice) {
        if (!present(choice)) {
            return;
        }
        if (!choice.isObject()) {
            throw invalid("tool_choice", "Input should be a valid dictionary");
        }
        JsonNode type = choice.get("type");
        if (type == null) {
            throw invalid("tool_choice", "Unable to extract tag using discriminator 'type'");
        }
        if (!type.isString() || !TOOL_CHOICES.contains(type.stringValue())) {
            throw invalid("tool_choice", "Input tag '" + describeTag(type) + "' found using 'type' does not match any "
                    + "of the expected tags: 'auto', 'any', 'tool', 'none'");
        }
        if ("tool".equals(type.stringValue())) {
            JsonNode name = choice.get("name");
            if (name == null) {
                throw invalid("tool_choice.tool.name", "Field required");
            }
            if (!name.isString()) {
                throw invalid("tool_choice.tool.name", "Input should be a valid string");
            }
        }
        JsonNode disableParallel = choice.get("disable_parallel_tool_use");
        if (present(disableParallel) && !disableParallel.isBoolean()) {
            throw invalid("tool_choice." + type.stringValue() + ".disable_parallel_tool_use",
                    "Input should be a valid boolean");
        }
    }

    private static void thinking(JsonNode thinking, long maxTokens) {
        if (!present(thinking)) {
            return;
        }
        if (!thinking.isObject()) {
            throw invalid("thinking", "Input should be a valid dictionary");
        }
        JsonNode type = thinking.get("type");
        if (type == null) {
            throw invalid("thinking", "Unable to extract tag using discriminator 'type'");
        }
        if (!type.isString() || !THINKING_TYPES.contains(type.stringValue())) {
            throw invalid("thinking", "Input tag '" + describeTag(type) + "' found using 'type' does not match any of "
                    + "the expected tags: 'enabled', 'disabled', 'adaptive'");
        }
        if (!"enabled".equals(type.stringValue())) {
            return;
        }
        JsonNode budget = thinking.get("budget_tokens");
        if (budget == null) {
            throw invalid("thinking.enabled.budget_tokens", "Field required");
        }
        long tokens = integerIn("thinking.enabled.budget_tokens", budget, MIN_THINKING_BUDGET, Long.MAX_VALUE);
        if (tokens >= maxTokens) {
            // Anthropic's own wording for this rule (it names no path prefix).
            throw Rejection.invalid("`max_tokens` must be greater than `thinking.budget_tokens`.", "max_tokens");
        }
    }

    /** An integer in min..max, in Anthropic's words when it is not; compared as written (no overflow). */
    private static long integerIn(String path, JsonNode value, long min, long max) {
        if (!value.isIntegralNumber()) {
            throw invalid(path, "Input should be a valid integer");
        }
        BigInteger n = value.bigIntegerValue();
        if (n.compareTo(BigInteger.valueOf(min)) < 0) {
            throw invalid(path, "Input should be greater than or equal to " + min);
        }
        if (n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw invalid(path, "Input should be less than or equal to " + max);
        }
        return n.longValue();
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull();
    }

    private static String describeTag(JsonNode type) {
        return type.isString() ? type.stringValue() : type.toString();
    }

    private static Rejection invalid(String path, String problem) {
        return Rejection.invalid(path + ": " + problem, path);
    }
}
