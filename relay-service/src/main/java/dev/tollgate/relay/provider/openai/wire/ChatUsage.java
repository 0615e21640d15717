package dev.tollgate.relay.provider.openai.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** OpenAI's {@code usage} object; {@code prompt_tokens} includes the cached tokens. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatUsage(
        @JsonProperty("prompt_tokens") Long promptTokens,
        @JsonProperty("completion_tokens") Long completionTokens,
        @JsonProperty("prompt_tokens_details") PromptDetails promptTokensDetails,
        @JsonProperty("completion_tokens_details") CompletionDetails completionTokensDetails) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PromptDetails(@JsonProperty("cached_tokens") Long cachedTokens) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CompletionDetails(@JsonProperty("reasoning_tokens") Long reasoningTokens) {
    }
}
