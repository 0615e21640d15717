package dev.tollgate.relay.chat;

import tools.jackson.databind.JsonNode;
import java.util.List;

/**
 * One content block of a message, system prompt or answer. {@code cacheControl} is Anthropic's prompt-caching
 * marker as the client sent it (e.g. {@code {"type":"ephemeral","ttl":"1h"}}), null when absent; targets that
 * cache on their own drop it (a cost hint, not meaning).
 */
public sealed interface Part {

    record Text(String text, JsonNode cacheControl) implements Part {
        public Text {
            text = text == null ? "" : text;
        }

        public static Text of(String text) {
            return new Text(text, null);
        }
    }

    /**
     * An image, either inline ({@code mediaType} + base64 {@code data}) or by {@code url}; exactly one of
     * {@code data} and {@code url} is set.
     */
    record Image(String mediaType, String data, String url, JsonNode cacheControl) implements Part {
        public boolean inline() {
            return data != null;
        }
    }

    /**
     * A tool call by the assistant. {@code argumentsJson} is the arguments as JSON text (an object); in a stream's
     * {@link ChatEvent.BlockStarted} it is empty and arrives by {@link ChatEvent.ToolInputDelta}s. {@code signature}
     * is the upstream's signature of the call (Gemini's {@code thoughtSignature}), to be sent back with it on the
     * next turn; null when there is none. Dialects without such a field carry it inside the id ({@link ToolCallIds}).
     */
    record ToolUse(String id, String name, String argumentsJson, JsonNode cacheControl, String signature)
            implements Part {
        public ToolUse {
            argumentsJson = argumentsJson == null ? "" : argumentsJson;
            signature = signature == null || signature.isEmpty() ? null : signature;
        }

        public ToolUse(String id, String name, String argumentsJson, JsonNode cacheControl) {
            this(id, name, argumentsJson, cacheControl, null);
        }

        /** The id as a client of a dialect without a signature field sees it: the signature encoded in it. */
        public String clientId() {
            return ToolCallIds.encode(id, signature);
        }
    }

    /** The result of a tool call, sent back by the user; {@code content} holds only Text and Image parts. */
    record ToolResult(String toolUseId, List<Part> content, boolean isError, JsonNode cacheControl) implements Part {
        public ToolResult {
            content = content == null ? List.of() : List.copyOf(content);
        }
    }

    /** Visible reasoning ({@code thinking} in Anthropic, {@code reasoning_content} in OpenAI-compatible servers). */
    record Thinking(String text, String signature) implements Part {
        public Thinking {
            text = text == null ? "" : text;
        }
    }

    /** Encrypted reasoning a provider hands back for the next turn (Anthropic {@code redacted_thinking}). */
    record RedactedThinking(String data) implements Part {
    }
}
