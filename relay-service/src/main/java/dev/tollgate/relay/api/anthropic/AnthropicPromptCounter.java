package dev.tollgate.relay.api.anthropic;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.metering.TokenCounter;
import tools.jackson.databind.JsonNode;

/**
 * Counts a Messages API request's input tokens locally, for admission and {@code count_tokens}: the system prompt,
 * every message's text, tool calls and results and thinking, a fixed amount per image or document, and the tool
 * definitions with the tool-use preamble Anthropic adds. Errs high where it cannot be exact; never throws on odd
 * shapes (a tree the validator has not seen counts as what it holds).
 */
public final class AnthropicPromptCounter {

    // Role and turn markers around each message; Anthropic does not publish them, a few tokens is the usual size.
    private static final long PER_MESSAGE = 4;
    // Anthropic's image cost is about (width × height) / 750 tokens; a ~1.15 MP image (its resize limit) is ~1,600.
    static final long IMAGE_TOKENS = 1_600;
    // A non-text document (PDF) has unknown pages; counted as about one page of text plus its page image.
    static final long DOCUMENT_TOKENS = 3_000;
    // The system prompt Anthropic adds when tools are given (346 tokens for auto/none on current models).
    static final long TOOL_USE_PREAMBLE = 346;
    private static final long PER_TOOL = 8;

    private AnthropicPromptCounter() {
    }

    public static long count(JsonNode request) {
        if (request == null || !request.isObject()) {
            return 0;
        }
        long tokens = content(request.path("system"));
        for (JsonNode message : request.path("messages")) {
            tokens += PER_MESSAGE + content(message.path("content"));
        }
        JsonNode tools = request.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            tokens += TOOL_USE_PREAMBLE;
            for (JsonNode tool : tools) {
                tokens += PER_TOOL + tool(tool);
            }
        }
        return tokens;
    }

    /** A string, or an array of content blocks. */
    private static long content(JsonNode content) {
        if (content.isString()) {
            return TokenCounter.count(content.stringValue());
        }
        long tokens = 0;
        if (content.isArray()) {
            for (JsonNode block : content) {
                tokens += block(block);
            }
        }
        return tokens;
    }

    private static long block(JsonNode block) {
        if (!block.isObject()) {
            return block.isString() ? TokenCounter.count(block.stringValue()) : 0;
        }
        String type = block.path("type").stringValue("");
        switch (type) {
            case "text":
                return text(block.get("text"));
            case "image":
                return IMAGE_TOKENS;
            case "document":
                return document(block);
            case "tool_use":
            case "server_tool_use":
                return text(block.get("name")) + asJson(block.get("input"));
            case "tool_result":
                return content(block.path("content"));
            case "thinking":
                return text(block.get("thinking"));
            case "redacted_thinking":
                return text(block.get("data"));
            default:
                // Search results, server tool results and the rest: their JSON, more than the model sees.
                return asJson(block);
        }
    }

    private static long document(JsonNode block) {
        JsonNode source = block.path("source");
        String type = source.path("type").stringValue("");
        if ("text".equals(type)) {
            return text(source.get("data"));
        }
        if ("content".equals(type)) {
            return content(source.path("content"));
        }
        return DOCUMENT_TOKENS;
    }

    private static long tool(JsonNode tool) {
        if (!tool.isObject()) {
            return 0;
        }
        JsonNode type = tool.get("type");
        if (type != null && type.isString() && !"custom".equals(type.stringValue())) {
            // A server tool: its definition is Anthropic's own; its JSON stands in for it.
            return asJson(tool);
        }
        return text(tool.get("name")) + text(tool.get("description")) + asJson(tool.get("input_schema"));
    }

    private static long text(JsonNode value) {
        return value != null && value.isString() ? TokenCounter.count(value.stringValue()) : 0;
    }

    /** Structured input and schemas as their JSON text: more than the upstream's own rendering, never less by much. */
    private static long asJson(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull() || node.isContainer() && node.isEmpty()) {
            return 0;
        }
        return TokenCounter.count(Json.mapper().writeValueAsString(node));
    }
}
