package dev.tollgate.relay.provider.anthropic.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Anthropic's {@code usage}: {@code input_tokens} excludes cache reads and writes. In a stream,
 * {@code message_start} carries all four and {@code message_delta} the cumulative {@code output_tokens} (newer API
 * versions repeat the input classes there too); absent fields are null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Usage(
        @JsonProperty("input_tokens") Long inputTokens,
        @JsonProperty("output_tokens") Long outputTokens,
        @JsonProperty("cache_creation_input_tokens") Long cacheCreationInputTokens,
        @JsonProperty("cache_read_input_tokens") Long cacheReadInputTokens) {
}
