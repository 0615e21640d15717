package dev.tollgate.relay.provider.anthropic.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * A content block of an answer (or of a stream's {@code content_block_start}), as read: one flat record, so a
 * block type this relay does not know ({@code server_tool_use}, …) still reads and can be skipped by its
 * {@code type}. Set fields by type: text {@code text}; tool_use {@code id, name, input}; thinking
 * {@code thinking, signature}; redacted_thinking {@code data}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContentBlock(
        @JsonProperty("type") String type,
        @JsonProperty("text") String text,
        @JsonProperty("id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("input") JsonNode input,
        @JsonProperty("thinking") String thinking,
        @JsonProperty("signature") String signature,
        @JsonProperty("data") String data) {
}
