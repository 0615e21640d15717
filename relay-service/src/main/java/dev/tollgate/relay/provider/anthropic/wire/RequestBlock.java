package dev.tollgate.relay.provider.anthropic.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** A content block of a request message (or of the system prompt, or inside a tool result), as written. */
public sealed interface RequestBlock {

    /** The block's {@code type} on the wire. */
    @JsonProperty("type")
    String type();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type", "text", "cache_control"})
    record Text(@JsonProperty("text") String text, @JsonProperty("cache_control") JsonNode cacheControl)
            implements RequestBlock {
        @Override
        public String type() {
            return "text";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type", "source", "cache_control"})
    record Image(@JsonProperty("source") ImageSource source, @JsonProperty("cache_control") JsonNode cacheControl)
            implements RequestBlock {
        @Override
        public String type() {
            return "image";
        }
    }

    /** {@code type} {@code base64} (with {@code media_type} and {@code data}) or {@code url}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ImageSource(@JsonProperty("type") String type, @JsonProperty("media_type") String mediaType,
            @JsonProperty("data") String data, @JsonProperty("url") String url) {

        public static ImageSource base64(String mediaType, String data) {
            return new ImageSource("base64", mediaType, data, null);
        }

        public static ImageSource url(String url) {
            return new ImageSource("url", null, null, url);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type", "id", "name", "input", "cache_control"})
    record ToolUse(@JsonProperty("id") String id, @JsonProperty("name") String name,
            @JsonProperty("input") JsonNode input, @JsonProperty("cache_control") JsonNode cacheControl)
            implements RequestBlock {
        @Override
        public String type() {
            return "tool_use";
        }
    }

    /** {@code content} holds only text and image blocks; {@code is_error} is written only when true. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type", "tool_use_id", "content", "is_error", "cache_control"})
    record ToolResult(@JsonProperty("tool_use_id") String toolUseId,
            @JsonProperty("content") List<RequestBlock> content, @JsonProperty("is_error") Boolean isError,
            @JsonProperty("cache_control") JsonNode cacheControl) implements RequestBlock {
        @Override
        public String type() {
            return "tool_result";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type", "thinking", "signature"})
    record Thinking(@JsonProperty("thinking") String thinking, @JsonProperty("signature") String signature)
            implements RequestBlock {
        @Override
        public String type() {
            return "thinking";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type", "data"})
    record RedactedThinking(@JsonProperty("data") String data) implements RequestBlock {
        @Override
        public String type() {
            return "redacted_thinking";
        }
    }
}
