package dev.tollgate.relay.provider.openai.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A {@code chat.completion.chunk} of a stream, as far as the relay reads it. Groq reports a stream's usage in
 * {@code x_groq.usage} on its last chunk rather than in {@code usage}; Azure's first chunk may carry only
 * {@code prompt_filter_results}, with no choices (not read).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatChunk(String id, String model, List<Choice> choices, ChatUsage usage,
        @JsonProperty("x_groq") XGroq xGroq) {

    /** The usage this chunk reports, wherever its server put it; null when none. */
    public ChatUsage reportedUsage() {
        return usage != null ? usage : xGroq == null ? null : xGroq.usage();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record XGroq(ChatUsage usage) {
    }

    /** {@code text} is a legacy completions chunk's (which has no delta). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Choice(Integer index, Delta delta, @JsonProperty("finish_reason") String finishReason,
            String text) {
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
