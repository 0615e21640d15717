package dev.tollgate.relay.matrix;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlockParam;
import com.anthropic.models.messages.Usage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A customer with {@code com.anthropic:anthropic-java} (as Claude Code and Anthropic SDK users are). */
final class AnthropicCustomer implements Customer {

    private final AnthropicClient client;

    AnthropicCustomer(String relayBaseUrl, String key) {
        this.client = AnthropicOkHttpClient.builder()
                .baseUrl(relayBaseUrl)
                .apiKey(key)
                .maxRetries(0)
                .build();
    }

    @Override
    public Answer text(String model, boolean stream) {
        return call(base(model).addUserMessage("Say hello to the relay."), stream);
    }

    @Override
    public Answer image(String model, boolean stream) {
        return call(base(model).addUserMessageOfContentBlockParams(List.of(
                ContentBlockParam.ofText(TextBlockParam.builder().text("What is in this image?").build()),
                ContentBlockParam.ofImage(Base64ImageSource.builder()
                        .mediaType(Base64ImageSource.MediaType.IMAGE_PNG)
                        .data(PNG)
                        .build()))), stream);
    }

    @Override
    public Answer toolCall(String model, boolean stream) {
        return call(withTool(base(model)).addUserMessage("What is the weather in Paris?"), stream);
    }

    @Override
    public Answer toolResult(String model, boolean stream, Answer.ToolCall call) {
        ToolUseBlockParam.Input.Builder input = ToolUseBlockParam.Input.builder();
        readObject(call.argumentsJson()).forEach(input::putAdditionalProperty);
        MessageCreateParams.Builder params = withTool(base(model))
                .addUserMessage("What is the weather in Paris?")
                .addAssistantMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolUse(ToolUseBlockParam.builder()
                        .id(call.id())
                        .name(call.name())
                        .input(input.build())
                        .build())))
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                        .toolUseId(call.id())
                        .content(TOOL_RESULT)
                        .build())));
        return call(params, stream);
    }

    private static MessageCreateParams.Builder base(String model) {
        return MessageCreateParams.builder()
                .model(model)
                .maxTokens(200);
    }

    private static MessageCreateParams.Builder withTool(MessageCreateParams.Builder params) {
        return params.addTool(Tool.builder()
                .name(TOOL)
                .description("The weather in a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                                .build())
                        .required(List.of("city"))
                        .build())
                .build());
    }

    private Answer call(MessageCreateParams.Builder params, boolean stream) {
        if (!stream) {
            return toAnswer(client.messages().create(params.build()));
        }
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> events = client.messages().createStreaming(params.build())) {
            events.stream().forEach(accumulator::accumulate);
        }
        return toAnswer(accumulator.message());
    }

    private static Answer toAnswer(Message message) {
        StringBuilder text = new StringBuilder();
        List<Answer.ToolCall> calls = new ArrayList<>();
        for (ContentBlock block : message.content()) {
            block.text().ifPresent(t -> text.append(t.text()));
            block.toolUse().ifPresent(t -> calls.add(new Answer.ToolCall(t.id(), t.name(), json(t._input()))));
        }
        Usage usage = message.usage();
        long prompt = usage.inputTokens() + usage.cacheReadInputTokens().orElse(0L)
                + usage.cacheCreationInputTokens().orElse(0L);
        String stop = message.stopReason().map(r -> r.asString()).orElse("");
        return new Answer(text.toString(), calls, stop, prompt, usage.outputTokens());
    }

    private static String json(JsonValue value) {
        try {
            return ObjectMappers.jsonMapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, JsonValue> readObject(String json) {
        try {
            JsonNode node = ObjectMappers.jsonMapper().readTree(json);
            Map<String, JsonValue> fields = new java.util.LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey(), JsonValue.fromJsonNode(field.getValue()));
            }
            return fields;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
