package dev.tollgate.relay.provider.anthropic.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Extended thinking: {@code {"type":"enabled","budget_tokens":N}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ThinkingParam(@JsonProperty("type") String type, @JsonProperty("budget_tokens") Long budgetTokens) {

    public static ThinkingParam enabled(long budgetTokens) {
        return new ThinkingParam("enabled", budgetTokens);
    }
}
