package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The official OpenAI Java SDK, offline, reads and validates what the Responses writers produce. */
class ResponsesSdkCompatibilityTest {

    private static final JsonMapper SDK = ObjectMappers.jsonMapper();
    private static final JsonNode REQUEST = Json.mapper().readTree("{\"model\":\"m\",\"input\":\"hi\","
            + "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"},"
            + "\"strict\":false}],\"tool_choice\":{\"type\":\"function\",\"name\":\"get_weather\"}}");

    @Test
    void shouldBeReadAndValidatedBySdkWhenAnswerHasReasoningTextAndAToolCall() throws Exception {
        ChatResponse answer = new ChatResponse("msg_1", "claude", List.of(new Part.Thinking("hmm", "sig"),
                Part.Text.of("Checking."), new Part.ToolUse("toolu_1", "get_weather", "{\"city\":\"Paris\"}", null)),
                StopReason.TOOL_USE, null, new TokenUsage(40, 10, 0, 20, 5, 0, 0, 0));

        Response response = SDK.readValue(ResponsesResponseWriter.write(answer, REQUEST, "m"), Response.class)
                .validate();

        assertThat(response.id()).startsWith("resp_");
        assertThat(response.status()).contains(ResponseStatus.COMPLETED);
        assertThat(response.output()).hasSize(3);
        assertThat(response.output().get(0).reasoning().orElseThrow().summary().get(0).text()).isEqualTo("hmm");
        assertThat(response.output().get(1).message().orElseThrow().content().get(0).outputText().orElseThrow()
                .text()).isEqualTo("Checking.");
        assertThat(response.output().get(2).functionCall().orElseThrow().callId()).isEqualTo("toolu_1");
        assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(50);
        assertThat(response.usage().orElseThrow().inputTokensDetails().cachedTokens()).isEqualTo(10);
        assertThat(response.usage().orElseThrow().outputTokensDetails().reasoningTokens()).isEqualTo(5);
        assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(70);
    }

    @Test
    void shouldBeReadAndValidatedBySdkEventByEventWhenStreamed() throws Exception {
        ResponsesStreamWriter writer = new ResponsesStreamWriter(REQUEST, "m");
        List<ResponseStreamEvent> events = new ArrayList<>();
        List<ChatEvent> chat = new ArrayList<>(List.of(ResponsesStreamWriterTest.THINKING_TOOL));
        chat.addAll(1, List.of(new ChatEvent.BlockStarted(9, Part.Text.of("")), new ChatEvent.TextDelta(9, "On it."),
                new ChatEvent.BlockStopped(9)));
        for (ChatEvent event : chat) {
            for (byte[] frame : writer.frames(event)) {
                events.add(SDK.readValue(data(frame), ResponseStreamEvent.class).validate());
            }
        }

        StringBuilder text = new StringBuilder();
        StringBuilder arguments = new StringBuilder();
        events.forEach(e -> e.outputTextDelta().ifPresent(d -> text.append(d.delta())));
        events.forEach(e -> e.functionCallArgumentsDelta().ifPresent(d -> arguments.append(d.delta())));
        assertThat(events.get(0).isCreated()).isTrue();
        assertThat(text).hasToString("On it.");
        assertThat(arguments).hasToString("{\"city\":\"Paris\"}");
        Response done = events.get(events.size() - 1).completed().orElseThrow().response();
        assertThat(done.output()).hasSize(3);
        assertThat(done.usage().orElseThrow().outputTokens()).isEqualTo(20);
    }

    private static String data(byte[] frame) {
        for (String line : new String(frame, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("data: ")) {
                return line.substring("data: ".length());
            }
        }
        throw new IllegalArgumentException("no data line");
    }
}
