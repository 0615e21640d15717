package dev.tollgate.relay.provider.openai.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The part of a {@code chat.completion} the relay reads: its usage and generated text (for metering a
 * pass-through answer), and its first choice (for translating one).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatCompletion(String id, String model, List<Choice> choices, ChatUsage usage) {

    /** {@code text} is a legacy completion's (which has no message). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Choice(Integer index, Message message, @JsonProperty("finish_reason") String finishReason,
            String text) {
    }

    /**
     * An answer message. {@code content} is a string or an array of content parts, hence a tree;
     * {@code function_call} is the pre-tools form some compatible servers still send.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Message(
            JsonNode content,
            String refusal,
            @JsonProperty("reasoning_content") String reasoningContent,
            String reasoning,
            @JsonProperty("tool_calls") List<ChatChunk.ToolCall> toolCalls,
            @JsonProperty("function_call") ChatChunk.Function functionCall) {
    }
}
