package dev.tollgate.relay.provider.gemini.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A whole answer, or one chunk of a stream (each chunk is a whole {@code GenerateContentResponse} carrying the
 * parts generated since the last, the finish reason on the last, and the usage known so far).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GenerateContentResponse(
        @JsonProperty("candidates") List<Candidate> candidates,
        @JsonProperty("promptFeedback") PromptFeedback promptFeedback,
        @JsonProperty("usageMetadata") UsageMetadata usageMetadata,
        @JsonProperty("modelVersion") String modelVersion,
        @JsonProperty("responseId") String responseId,
        @JsonProperty("error") ErrorBody.Detail error) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Candidate(@JsonProperty("content") Content content,
            @JsonProperty("finishReason") String finishReason, @JsonProperty("index") Integer index) {
    }

    /** Set when the prompt itself was blocked: then there are no candidates. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PromptFeedback(@JsonProperty("blockReason") String blockReason) {
    }

    /**
     * Gemini's counts: {@code promptTokenCount} includes {@code cachedContentTokenCount};
     * {@code candidatesTokenCount} leaves out {@code thoughtsTokenCount}; {@code toolUsePromptTokenCount} (server
     * tools' prompts) is apart from both.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UsageMetadata(
            @JsonProperty("promptTokenCount") Long promptTokenCount,
            @JsonProperty("candidatesTokenCount") Long candidatesTokenCount,
            @JsonProperty("totalTokenCount") Long totalTokenCount,
            @JsonProperty("cachedContentTokenCount") Long cachedContentTokenCount,
            @JsonProperty("thoughtsTokenCount") Long thoughtsTokenCount,
            @JsonProperty("toolUsePromptTokenCount") Long toolUsePromptTokenCount) {
    }
}
