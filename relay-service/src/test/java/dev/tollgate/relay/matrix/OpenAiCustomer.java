package dev.tollgate.relay.matrix;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import java.util.List;
import java.util.Map;

/** A customer with {@code com.openai:openai-java}. */
final class OpenAiCustomer implements Customer {

    private final OpenAIClient client;

    OpenAiCustomer(String relayBaseUrl, String key) {
        this.client = OpenAIOkHttpClient.builder()
                .baseUrl(relayBaseUrl + "/v1")
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
        return call(base(model).addUserMessageOfArrayOfContentParts(List.of(
                ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder()
                        .text("What is in this image?")
                        .build()),
                ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                        .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                .url("data:image/png;base64," + PNG)
                                .build())
                        .build()))), stream);
    }

    @Override
    public Answer toolCall(String model, boolean stream) {
        return call(withTool(base(model)).addUserMessage("What is the weather in Paris?"), stream);
    }

    @Override
    public Answer toolResult(String model, boolean stream, Answer.ToolCall call) {
        ChatCompletionCreateParams.Builder params = withTool(base(model))
                .addUserMessage("What is the weather in Paris?")
                .addMessage(ChatCompletionAssistantMessageParam.builder()
                        .addToolCall(ChatCompletionMessageFunctionToolCall.builder()
                                .id(call.id())
                                .function(ChatCompletionMessageFunctionToolCall.Function.builder()
                                        .name(call.name())
                                        .arguments(call.argumentsJson())
                                        .build())
                                .build())
                        .build())
                .addMessage(ChatCompletionToolMessageParam.builder()
                        .toolCallId(call.id())
                        .content(TOOL_RESULT)
                        .build());
        return call(params, stream);
    }

    private static ChatCompletionCreateParams.Builder base(String model) {
        return ChatCompletionCreateParams.builder()
                .model(model)
                .maxCompletionTokens(200);
    }

    private static ChatCompletionCreateParams.Builder withTool(ChatCompletionCreateParams.Builder params) {
        return params.addTool(ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder()
                        .name(TOOL)
                        .description("The weather in a city")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties",
                                        JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                                .build())
                        .build())
                .build());
    }

    private Answer call(ChatCompletionCreateParams.Builder params, boolean stream) {
        if (!stream) {
            return toAnswer(client.chat().completions().create(params.build()));
        }
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        try (StreamResponse<ChatCompletionChunk> chunks = client.chat().completions().createStreaming(params.build())) {
            chunks.stream().forEach(accumulator::accumulate);
        }
        return toAnswer(accumulator.chatCompletion());
    }

    private static Answer toAnswer(ChatCompletion completion) {
        ChatCompletion.Choice choice = completion.choices().get(0);
        ChatCompletionMessage message = choice.message();
        List<Answer.ToolCall> calls = message.toolCalls().orElse(List.of()).stream()
                .map(call -> call.asFunction())
                .map(call -> new Answer.ToolCall(call.id(), call.function().name(), call.function().arguments()))
                .toList();
        long prompt = completion.usage().map(u -> u.promptTokens()).orElse(-1L);
        long output = completion.usage().map(u -> u.completionTokens()).orElse(-1L);
        return new Answer(message.content().orElse(""), calls, choice.finishReason().asString(), prompt, output);
    }
}
