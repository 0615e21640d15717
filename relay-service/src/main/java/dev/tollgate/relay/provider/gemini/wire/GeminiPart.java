package dev.tollgate.relay.provider.gemini.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * A part of a turn, as read and written: one flat record (Gemini's {@code Part} is a oneof), so a kind this relay
 * does not know ({@code executableCode}, …) still reads and can be skipped. A thought is a text part with
 * {@code thought: true}; {@code thoughtSignature} may ride on any part.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GeminiPart(
        @JsonProperty("text") String text,
        @JsonProperty("thought") Boolean thought,
        @JsonProperty("thoughtSignature") String thoughtSignature,
        @JsonProperty("inlineData") Blob inlineData,
        @JsonProperty("fileData") FileData fileData,
        @JsonProperty("functionCall") FunctionCall functionCall,
        @JsonProperty("functionResponse") FunctionResponse functionResponse) {

    public static GeminiPart text(String text) {
        return new GeminiPart(text, null, null, null, null, null, null);
    }

    public boolean isThought() {
        return Boolean.TRUE.equals(thought);
    }

    /** Inline bytes, base64. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Blob(@JsonProperty("mimeType") String mimeType, @JsonProperty("data") String data) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FileData(@JsonProperty("mimeType") String mimeType, @JsonProperty("fileUri") String fileUri) {
    }

    /** {@code id} is set by newer APIs only; {@code args} is an object. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FunctionCall(@JsonProperty("id") String id, @JsonProperty("name") String name,
            @JsonProperty("args") JsonNode args) {
    }

    /** {@code response} is an object; Gemini's convention is {@code {"output": …}} or {@code {"error": …}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FunctionResponse(@JsonProperty("id") String id, @JsonProperty("name") String name,
            @JsonProperty("response") JsonNode response) {
    }
}
