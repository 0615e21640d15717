package dev.tollgate.relay.api.anthropic;

import dev.tollgate.contracts.Ids;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A translated answer → a Messages API {@code message} object, as Anthropic writes it. Pure. */
public final class AnthropicResponseWriter {

    private AnthropicResponseWriter() {
    }

    /** @param model the model to show the client (the one it asked for), or null for the upstream's */
    public static byte[] write(ChatResponse response, String model) {
        ObjectNode message = Json.mapper().createObjectNode();
        message.put("id", messageId(response.id()));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model != null ? model : response.model());
        ArrayNode content = message.putArray("content");
        for (Part part : response.content()) {
            ObjectNode block = block(part);
            if (block != null) {
                content.add(block);
            }
        }
        message.put("stop_reason", stopReason(response.stopReason()));
        message.put("stop_sequence", response.stopSequence());
        usage(message.putObject("usage"), response.usage() == null ? TokenUsage.NONE : response.usage());
        return Json.mapper().writeValueAsBytes(message);
    }

    /** The upstream's id as it is, or a fresh {@code msg_} id when it gave none. */
    static String messageId(String id) {
        return id == null || id.isBlank() ? "msg_" + Ids.uuidV7().toString().replace("-", "") : id;
    }

    static String toolUseId(String id) {
        return id == null || id.isBlank() ? "toolu_" + Ids.uuidV7().toString().replace("-", "") : id;
    }

    /** One answer block, or null for a part that has no place in an answer. */
    private static ObjectNode block(Part part) {
        ObjectNode block = Json.mapper().createObjectNode();
        if (part instanceof Part.Text text) {
            block.put("type", "text");
            block.put("text", text.text());
        } else if (part instanceof Part.ToolUse toolUse) {
            block.put("type", "tool_use");
            block.put("id", toolUseId(toolUse.clientId()));
            block.put("name", toolUse.name());
            block.set("input", input(toolUse.argumentsJson()));
        } else if (part instanceof Part.Thinking thinking) {
            block.put("type", "thinking");
            block.put("thinking", thinking.text());
            // The SDKs require a signature; a translated upstream has none to give.
            block.put("signature", thinking.signature() == null ? "" : thinking.signature());
        } else if (part instanceof Part.RedactedThinking redacted) {
            block.put("type", "redacted_thinking");
            block.put("data", redacted.data());
        } else {
            return null;
        }
        return block;
    }

    /** A tool call's arguments as the {@code input} object; {@code {}} when empty or not a JSON object. */
    static JsonNode input(String argumentsJson) {
        if (argumentsJson != null && !argumentsJson.isBlank()) {
            try {
                JsonNode parsed = Json.mapper().readTree(argumentsJson);
                if (parsed != null && parsed.isObject()) {
                    return parsed;
                }
            } catch (JacksonException e) {
                // A model that wrote broken arguments: the client still gets a well-formed tool_use block.
            }
        }
        return Json.mapper().createObjectNode();
    }

    static String stopReason(StopReason reason) {
        if (reason == null) {
            return "end_turn";
        }
        switch (reason) {
            case MAX_TOKENS:
                return "max_tokens";
            case STOP_SEQUENCE:
                return "stop_sequence";
            case TOOL_USE:
                return "tool_use";
            case CONTENT_FILTERED:
            case REFUSAL:
                return "refusal";
            case PAUSE_TURN:
                return "pause_turn";
            default:
                return "end_turn";
        }
    }

    /** Anthropic's usage fields; its {@code input_tokens} excludes cache reads and writes, as ours does. */
    static void usage(ObjectNode target, TokenUsage usage) {
        target.put("input_tokens", usage.inputTokens());
        target.put("cache_creation_input_tokens", usage.cacheWriteTokens());
        target.put("cache_read_input_tokens", usage.cacheReadTokens());
        target.put("output_tokens", usage.outputTokens());
    }
}
