package dev.tollgate.relay.provider.openai.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A chat completions request as the relay writes it when translating (a pass-through request is the client's
 * own tree). Every setting is null when not asked for, so only what the caller gave is sent.
 *
 * @param toolChoice          {@code "none"}, {@code "auto"}, {@code "required"} or a {@link NamedToolChoice}
 * @param maxTokens           {@code max_tokens}: the name every compatible server knows
 * @param maxCompletionTokens {@code max_completion_tokens}: OpenAI's name, the only one its reasoning models take
 *                            (at most one of the two is set, as the server's preset says)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletionRequest(
        String model,
        List<RequestMessage> messages,
        List<FunctionTool> tools,
        @JsonProperty("tool_choice") Object toolChoice,
        @JsonProperty("parallel_tool_calls") Boolean parallelToolCalls,
        @JsonProperty("max_tokens") Long maxTokens,
        @JsonProperty("max_completion_tokens") Long maxCompletionTokens,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        List<String> stop,
        Integer n,
        Long seed,
        @JsonProperty("response_format") ResponseFormat responseFormat,
        @JsonProperty("reasoning_effort") String reasoningEffort,
        @JsonProperty("frequency_penalty") Double frequencyPenalty,
        @JsonProperty("presence_penalty") Double presencePenalty,
        String user,
        Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions) {

    /**
     * One message.
     *
     * @param content a string, a list of {@link ContentPart}s, or null (an assistant turn of tool calls only)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RequestMessage(
            String role,
            Object content,
            @JsonProperty("tool_calls") List<ToolCall> toolCalls,
            @JsonProperty("tool_call_id") String toolCallId) {
    }

    /** {@code {"type":"text","text"}} or {@code {"type":"image_url","image_url":{"url"}}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContentPart(String type, String text, @JsonProperty("image_url") ImageUrl imageUrl) {

        public static ContentPart text(String text) {
            return new ContentPart("text", text, null);
        }

        public static ContentPart image(String url) {
            return new ContentPart("image_url", null, new ImageUrl(url));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ImageUrl(String url) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolCall(String id, String type, ChatChunk.Function function) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FunctionTool(String type, FunctionDefinition function) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FunctionDefinition(String name, String description, JsonNode parameters, Boolean strict) {
    }

    /** {@code {"type":"function","function":{"name"}}}: this tool must be called. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NamedToolChoice(String type, Name function) {

        public record Name(String name) {
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResponseFormat(String type, @JsonProperty("json_schema") JsonSchema jsonSchema) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JsonSchema(String name, JsonNode schema, Boolean strict) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StreamOptions(@JsonProperty("include_usage") boolean includeUsage) {
    }
}
