package dev.tollgate.relay.provider.openai.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A {@code chat.completion.chunk} of a stream, as far as the relay reads it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatChunk(String id, List<Choice> choices, ChatUsage usage) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Choice(Integer index, Delta delta) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Delta(
            String content,
            @JsonProperty("reasoning_content") String reasoningContent,
            String refusal,
            @JsonProperty("tool_calls") List<ToolCall> toolCalls) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ToolCall(Function function) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Function(String name, String arguments) {
    }
}
