package dev.tollgate.relay.matrix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Part;
import com.google.genai.types.Schema;
import com.google.genai.types.Tool;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A customer with Google's {@code com.google.genai:google-genai} (AI Studio mode: the key in
 * {@code x-goog-api-key}, the relay as the base URL, streams as {@code alt=sse}).
 */
final class GeminiCustomer implements Customer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Client client;

    GeminiCustomer(String relayBaseUrl, String key) {
        this.client = Client.builder()
                .apiKey(key)
                .httpOptions(HttpOptions.builder()
                        .baseUrl(relayBaseUrl)
                        .apiVersion("v1beta")
                        .retryOptions(HttpRetryOptions.builder().attempts(1).build())
                        .build())
                .build();
    }

    @Override
    public Answer text(String model, boolean stream) {
        return call(model, List.of(user(Part.fromText("Say hello to the relay."))), config(false), stream);
    }

    @Override
    public Answer image(String model, boolean stream) {
        return call(model, List.of(user(Part.fromText("What is in this image?"),
                Part.fromBytes(Base64.getDecoder().decode(PNG), "image/png"))), config(false), stream);
    }

    @Override
    public Answer toolCall(String model, boolean stream) {
        return call(model, List.of(user(Part.fromText("What is the weather in Paris?"))), config(true), stream);
    }

    @Override
    public Answer toolResult(String model, boolean stream, Answer.ToolCall call) {
        List<Content> contents = List.of(
                user(Part.fromText("What is the weather in Paris?")),
                Content.builder().role("model").parts(Part.fromFunctionCall(call.name(), readObject(call.argumentsJson())))
                        .build(),
                user(Part.fromFunctionResponse(call.name(), Map.of("output", TOOL_RESULT))));
        return call(model, contents, config(true), stream);
    }

    private static Content user(Part... parts) {
        return Content.builder().role("user").parts(parts).build();
    }

    private static GenerateContentConfig config(boolean withTool) {
        GenerateContentConfig.Builder config = GenerateContentConfig.builder().maxOutputTokens(200);
        if (withTool) {
            config.tools(Tool.builder()
                    .functionDeclarations(FunctionDeclaration.builder()
                            .name(TOOL)
                            .description("The weather in a city")
                            .parameters(Schema.builder()
                                    .type("OBJECT")
                                    .properties(Map.of("city", Schema.builder().type("STRING").build()))
                                    .required("city")
                                    .build())
                            .build())
                    .build());
        }
        return config.build();
    }

    private Answer call(String model, List<Content> contents, GenerateContentConfig config, boolean stream) {
        if (!stream) {
            return toAnswer(List.of(client.models.generateContent(model, contents, config)));
        }
        List<GenerateContentResponse> chunks = new ArrayList<>();
        try (ResponseStream<GenerateContentResponse> responses = client.models.generateContentStream(model, contents,
                config)) {
            responses.forEach(chunks::add);
        }
        return toAnswer(chunks);
    }

    /** The chunks of a stream (or the one answer) read as the SDK's users do: texts and calls joined, usage last. */
    private static Answer toAnswer(List<GenerateContentResponse> chunks) {
        StringBuilder text = new StringBuilder();
        List<Answer.ToolCall> calls = new ArrayList<>();
        String stop = "";
        GenerateContentResponseUsageMetadata usage = null;
        for (GenerateContentResponse chunk : chunks) {
            String piece = chunk.text();
            if (piece != null) {
                text.append(piece);
            }
            List<FunctionCall> functionCalls = chunk.functionCalls();
            if (functionCalls != null) {
                for (FunctionCall call : functionCalls) {
                    calls.add(new Answer.ToolCall(call.id().orElse(null), call.name().orElse(""),
                            json(call.args().orElse(Map.of()))));
                }
            }
            if (chunk.finishReason() != null && !chunk.finishReason().toString().isEmpty()) {
                stop = chunk.finishReason().toString();
            }
            if (chunk.usageMetadata().isPresent()) {
                usage = chunk.usageMetadata().get();
            }
        }
        long prompt = usage == null ? -1 : usage.promptTokenCount().orElse(0);
        long output = usage == null ? -1 : usage.candidatesTokenCount().orElse(0) + usage.thoughtsTokenCount().orElse(0);
        return new Answer(text.toString(), calls, stop, prompt, output);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readObject(String json) {
        try {
            return JSON.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
