package dev.tollgate.relay.provider.anthropic.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A Messages API request as the relay writes it for a translated call ({@code POST /v1/messages}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MessagesRequest(
        @JsonProperty("model") String model,
        @JsonProperty("max_tokens") long maxTokens,
        @JsonProperty("system") List<RequestBlock.Text> system,
        @JsonProperty("messages") List<InputMessage> messages,
        @JsonProperty("tools") List<ToolDefinition> tools,
        @JsonProperty("tool_choice") ToolChoiceParam toolChoice,
        @JsonProperty("temperature") Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("top_k") Integer topK,
        @JsonProperty("stop_sequences") List<String> stopSequences,
        @JsonProperty("metadata") Metadata metadata,
        @JsonProperty("thinking") ThinkingParam thinking,
        @JsonProperty("stream") Boolean stream) {
}
