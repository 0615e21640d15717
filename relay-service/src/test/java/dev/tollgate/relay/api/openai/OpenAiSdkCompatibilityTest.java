package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.provider.openai.TranslateGolden;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK, offline, reads what the writers produce (and validates its required fields). */
class OpenAiSdkCompatibilityTest {

    private static final JsonMapper SDK = ObjectMappers.jsonMapper();

    @Test
    void shouldBeReadBySdkWhenAnswerHasToolCallsAndUsage() throws Exception {
        ChatResponse response = TranslateGolden.chatResponse("write/response-tool-calls.chat.json");
        ChatCompletion completion = SDK.readValue(OpenAiResponseWriter.write(response, "claude-sonnet-4-5"),
                ChatCompletion.class).validate();

        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().content()).isEmpty();
        assertThat(choice.message().toolCalls().orElseThrow()).hasSize(2);
        assertThat(choice.message().toolCalls().orElseThrow().get(0).asFunction().function().arguments())
                .isEqualTo("{\"city\":\"Paris\"}");
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(140);
    }

    @Test
    void shouldBeReadBySdkWhenAnswerIsText() throws Exception {
        ChatResponse response = TranslateGolden.chatResponse("write/response-thinking.chat.json");
        ChatCompletion completion = SDK.readValue(OpenAiResponseWriter.write(response, "claude-sonnet-4-5"),
                ChatCompletion.class).validate();
        assertThat(completion.choices().get(0).message().content()).contains("42");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
    }

    @Test
    void shouldBeReadBySdkWhenStreamHasToolCallsAndUsageChunk() throws Exception {
        OpenAiStreamWriter writer = new OpenAiStreamWriter("claude-sonnet-4-5", true);
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        StringBuilder arguments = new StringBuilder();
        for (ChatEvent event : TranslateGolden.events("write/stream-anthropic.events.json")) {
            for (byte[] frame : writer.frames(event)) {
                String data = new String(frame, StandardCharsets.UTF_8).substring("data: ".length()).trim();
                if (!data.equals("[DONE]")) {
                    chunks.add(SDK.readValue(data, ChatCompletionChunk.class).validate());
                }
            }
        }
        for (ChatCompletionChunk chunk : chunks) {
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                choice.delta().toolCalls().ifPresent(calls -> calls.stream()
                        .filter(call -> call.index() == 0)
                        .forEach(call -> call.function().flatMap(f -> f.arguments()).ifPresent(arguments::append)));
            }
        }
        assertThat(arguments).hasToString("{\"city\":\"Paris\"}");
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(150);
        assertThat(chunks.get(chunks.size() - 2).choices().get(0).finishReason())
                .contains(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
    }
}
