package dev.tollgate.relay.provider.openai.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * OpenAI's {@code usage} object; {@code prompt_tokens} includes the cached tokens. Compatible servers add their
 * own: DeepSeek reports its cache as {@code prompt_cache_hit_tokens} (+ {@code prompt_cache_miss_tokens} =
 * {@code prompt_tokens}); xAI counts reasoning beside {@code completion_tokens} rather than in it, which only
 * {@code total_tokens} tells; OpenRouter adds a {@code cost} (its price, not ours: not read).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatUsage(
        @JsonProperty("prompt_tokens") Long promptTokens,
        @JsonProperty("completion_tokens") Long completionTokens,
        @JsonProperty("prompt_tokens_details") PromptDetails promptTokensDetails,
        @JsonProperty("completion_tokens_details") CompletionDetails completionTokensDetails,
        @JsonProperty("total_tokens") Long totalTokens,
        @JsonProperty("prompt_cache_hit_tokens") Long promptCacheHitTokens) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PromptDetails(@JsonProperty("cached_tokens") Long cachedTokens) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CompletionDetails(@JsonProperty("reasoning_tokens") Long reasoningTokens) {
    }
}
