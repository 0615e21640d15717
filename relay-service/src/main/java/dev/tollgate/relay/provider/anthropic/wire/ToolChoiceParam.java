package dev.tollgate.relay.provider.anthropic.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code type} {@code auto}, {@code any}, {@code tool} (with {@code name}) or {@code none};
 * {@code disable_parallel_tool_use} is written only when set (and never with {@code none}, which takes no options).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ToolChoiceParam(
        @JsonProperty("type") String type,
        @JsonProperty("name") String name,
        @JsonProperty("disable_parallel_tool_use") Boolean disableParallelToolUse) {
}
