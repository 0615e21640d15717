package dev.tollgate.relay.provider.openai.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A {@code chat.completion.chunk} of a stream, as far as the relay reads it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatChunk(String id, String model, List<Choice> choices, ChatUsage usage) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Choice(Integer index, Delta delta, @JsonProperty("finish_reason") String finishReason) {
    }

    /**
     * What a chunk adds. {@code reasoning_content} is DeepSeek's and vLLM's visible reasoning; {@code reasoning} is
     * the same under the name OpenRouter and newer vLLM use.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Delta(
            String content,
            @JsonProperty("reasoning_content") String reasoningContent,
            String reasoning,
            String refusal,
            @JsonProperty("tool_calls") List<ToolCall> toolCalls) {
    }

    /** A tool call, whole (in an answer) or in pieces (in a stream, keyed by {@code index}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ToolCall(Integer index, String id, String type, Function function) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Function(String name, String arguments) {
    }
}
