package dev.tollgate.relay.api.gemini;

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

/** A translated answer → a {@code GenerateContentResponse}, as Gemini writes it (one candidate). Pure. */
public final class GeminiResponseWriter {

    private GeminiResponseWriter() {
    }

    /** @param model the model to show the client (the one it asked for), or null for the upstream's */
    public static byte[] write(ChatResponse response, String model) {
        ObjectNode body = Json.mapper().createObjectNode();
        ObjectNode candidate = body.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        ArrayNode parts = content.putArray("parts");
        for (Part part : response.content()) {
            ObjectNode written = part(part);
            if (written != null) {
                parts.add(written);
            }
        }
        content.put("role", "model");
        candidate.put("finishReason", finishReason(response.stopReason()));
        candidate.put("index", 0);
        body.set("usageMetadata", usage(response.usage() == null ? TokenUsage.NONE : response.usage()));
        body.put("modelVersion", model != null ? model : response.model());
        body.put("responseId", responseId(response.id()));
        return Json.mapper().writeValueAsBytes(body);
    }

    /** The upstream's id as it is, or a fresh one when it gave none. */
    static String responseId(String id) {
        return id == null || id.isBlank() ? Ids.uuidV7().toString().replace("-", "") : id;
    }

    /** One answer part, or null for one Gemini has no place for (another provider's redacted reasoning). */
    static ObjectNode part(Part part) {
        ObjectNode written = Json.mapper().createObjectNode();
        if (part instanceof Part.Text text) {
            written.put("text", text.text());
        } else if (part instanceof Part.Thinking thinking) {
            written.put("text", thinking.text());
            written.put("thought", true);
            if (thinking.signature() != null && !thinking.signature().isEmpty()) {
                written.put("thoughtSignature", thinking.signature());
            }
        } else if (part instanceof Part.ToolUse use) {
            written.set("functionCall", functionCall(use.id(), use.name(), use.argumentsJson()));
            if (use.signature() != null) {
                written.put("thoughtSignature", use.signature());
            }
        } else {
            return null;
        }
        return written;
    }

    /** The call with its id (Gemini's newer answers carry one; a client may send it back with the response). */
    static ObjectNode functionCall(String id, String name, String argumentsJson) {
        ObjectNode call = Json.mapper().createObjectNode();
        if (id != null && !id.isBlank()) {
            call.put("id", id);
        }
        call.put("name", name);
        call.set("args", args(argumentsJson));
        return call;
    }

    /** A call's arguments as an object; {@code {}} when empty or not a JSON object. */
    static JsonNode args(String argumentsJson) {
        if (argumentsJson != null && !argumentsJson.isBlank()) {
            try {
                JsonNode parsed = Json.mapper().readTree(argumentsJson);
                if (parsed != null && parsed.isObject()) {
                    return parsed;
                }
            } catch (JacksonException e) {
                // A model that wrote broken arguments: the client still gets a well-formed call.
            }
        }
        return Json.mapper().createObjectNode();
    }

    static String finishReason(StopReason reason) {
        if (reason == null) {
            return "STOP";
        }
        return switch (reason) {
            case MAX_TOKENS -> "MAX_TOKENS";
            case CONTENT_FILTERED, REFUSAL -> "SAFETY";
            default -> "STOP";
        };
    }

    /**
     * Gemini's counts from the disjoint classes: the prompt count includes cache reads and writes (and says how many
     * were cached), the candidates count leaves out the thoughts.
     */
    static ObjectNode usage(TokenUsage usage) {
        long prompt = usage.inputTokens() + usage.cacheReadTokens() + usage.cacheWriteTokens();
        long thoughts = Math.min(usage.reasoningTokens(), usage.outputTokens());
        ObjectNode metadata = Json.mapper().createObjectNode();
        metadata.put("promptTokenCount", prompt);
        metadata.put("candidatesTokenCount", usage.outputTokens() - thoughts);
        metadata.put("totalTokenCount", prompt + usage.outputTokens());
        if (usage.cacheReadTokens() > 0) {
            metadata.put("cachedContentTokenCount", usage.cacheReadTokens());
        }
        if (thoughts > 0) {
            metadata.put("thoughtsTokenCount", thoughts);
        }
        return metadata;
    }
}
