package dev.tollgate.relay.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.Capture;
import dev.tollgate.contracts.events.CapturedText;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.api.anthropic.AnthropicResponseWriter;
import dev.tollgate.relay.api.gemini.GeminiResponseWriter;
import dev.tollgate.relay.api.openai.OpenAiResponseWriter;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.anthropic.AnthropicStreamTranslator;
import dev.tollgate.relay.provider.gemini.GeminiStreamTranslator;
import dev.tollgate.relay.provider.openai.OpenAiStreamTranslator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The capture of one request, fed as the pipeline feeds it, and cut as the usage event gets it. */
class BodyCaptureTest {

    private static final int CAP = 16_384;
    private static final Function<ChatResponse, byte[]> OPENAI = answer -> OpenAiResponseWriter.write(answer, "gpt-4o");
    private static final Function<ChatResponse, byte[]> ANTHROPIC =
            answer -> AnthropicResponseWriter.write(answer, "claude-sonnet-4");
    private static final Function<ChatResponse, byte[]> GEMINI =
            answer -> GeminiResponseWriter.write(answer, "gemini-2.5-flash");

    private static BodyCapture start(Dialect dialect, int cap) {
        return new BodyCaptures(cap, PassThroughReaders.all()).start(dialect);
    }

    @Test
    void shouldKeepTheRequestAndTheWholeAnswerAsTheyCameWhenTheAnswerIsPlain() {
        BodyCapture capture = start(Dialect.OPENAI, CAP);
        byte[] request = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Grüße\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] answer = "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"content\":\"Hallo\"}}]}"
                .getBytes(StandardCharsets.UTF_8);

        capture.request(request);
        capture.response(answer);
        Capture captured = capture.freeze().toCapture();

        assertThat(captured.request()).isEqualTo(new CapturedText(new String(request, StandardCharsets.UTF_8), false));
        assertThat(captured.response()).isEqualTo(new CapturedText(new String(answer, StandardCharsets.UTF_8), false));
        assertThat(captured.streamed()).isFalse();
    }

    @Test
    void shouldSayThereWasNoAnswerWhenTheClientGotNoneFromTheUpstream() {
        BodyCapture capture = start(Dialect.OPENAI, CAP);
        capture.request("{not json".getBytes(StandardCharsets.UTF_8));

        Capture captured = capture.freeze().toCapture();

        assertThat(captured.request().text()).isEqualTo("{not json");
        assertThat(captured.response()).isNull();
    }

    @Test
    void shouldCutEachBodyToTheCapOnACharacterBoundaryAndSaySo() {
        BodyCapture capture = start(Dialect.OPENAI, 10);
        capture.request("{\"a\":\"€€\"}".getBytes(StandardCharsets.UTF_8)); // 12 bytes; the cap falls inside the 2nd €
        capture.response("short".getBytes(StandardCharsets.UTF_8));

        Capture captured = capture.freeze().toCapture();

        assertThat(captured.request()).isEqualTo(new CapturedText("{\"a\":\"€", true));
        assertThat(captured.response()).isEqualTo(new CapturedText("short", false));
    }

    @Test
    void shouldReassembleAnOpenAiPassThroughStreamIntoTheWholeAnswerWithItsToolCalls() {
        BodyCapture capture = start(Dialect.OPENAI, CAP);
        capture.streaming(OPENAI);

        for (Sse event : sse("/golden/openai-translate/translate/stream-tools.sse")) {
            // As the OpenAI adapter makes them for a client that did not ask for usage: the usage chunk is not sent.
            capture.observe(OpenAiStreamTranslator.toStreamStep(event.data(), false));
        }
        Capture captured = capture.freeze().toCapture();

        assertThat(captured.streamed()).isTrue();
        assertThat(captured.response().truncated()).isFalse();
        JsonNode answer = Json.mapper().readTree(captured.response().text());
        assertThat(answer.path("object").asString()).isEqualTo("chat.completion");
        assertThat(answer.path("id").asString()).isEqualTo("chatcmpl-T1");
        JsonNode choice = answer.path("choices").get(0);
        assertThat(choice.path("finish_reason").asString()).isEqualTo("tool_calls");
        JsonNode calls = choice.path("message").path("tool_calls");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).path("id").asString()).isEqualTo("call_paris");
        assertThat(calls.get(0).path("function").path("name").asString()).isEqualTo("get_weather");
        assertThat(calls.get(0).path("function").path("arguments").asString()).isEqualTo("{\"city\": \"Paris\"}");
        assertThat(calls.get(1).path("function").path("arguments").asString()).isEqualTo("{\"city\": \"Rome\"}");
        assertThat(answer.has("usage")).as("the client did not get the usage chunk").isFalse();
        assertThat(captured.response().text()).doesNotContain("data:", "[DONE]");
    }

    @Test
    void shouldReassembleAnAnthropicPassThroughStreamIntoAMessageWithTextAndToolUse() {
        BodyCapture capture = start(Dialect.ANTHROPIC, CAP);
        capture.streaming(ANTHROPIC);
        AnthropicStreamTranslator upstream = AnthropicStreamTranslator.start();

        for (Sse event : sse("/golden/anthropic-upstream/stream-tool-use.sse")) {
            capture.observe(upstream.toStreamStep(event.event(), event.data()));
        }
        JsonNode message = Json.mapper().readTree(capture.freeze().toCapture().response().text());

        assertThat(message.path("type").asString()).isEqualTo("message");
        assertThat(message.path("id").asString()).isEqualTo("msg_014p7gG3wDgGV9EUtLvnow3U");
        assertThat(message.path("content").get(0).path("text").asString()).isEqualTo("Let me check the weather.");
        JsonNode toolUse = message.path("content").get(1);
        assertThat(toolUse.path("type").asString()).isEqualTo("tool_use");
        assertThat(toolUse.path("id").asString()).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
        assertThat(toolUse.path("input").path("location").asString()).isEqualTo("San Francisco, CA");
        assertThat(message.path("stop_reason").asString()).isEqualTo("tool_use");
        assertThat(message.path("usage").path("output_tokens").asLong()).isEqualTo(89);
    }

    @Test
    void shouldReassembleATranslatedStreamInTheClientsDialect() {
        BodyCapture capture = start(Dialect.ANTHROPIC, CAP);
        capture.streaming(ANTHROPIC);

        List.of(new ChatEvent.Started("chatcmpl-9", "gpt-4o"),
                new ChatEvent.BlockStarted(0, new Part.Thinking("", null)),
                new ChatEvent.ThinkingDelta(0, "Think "),
                new ChatEvent.ThinkingDelta(0, "first."),
                new ChatEvent.BlockStopped(0),
                new ChatEvent.BlockStarted(1, Part.Text.of("")),
                new ChatEvent.TextDelta(1, "Bonjour "),
                new ChatEvent.TextDelta(1, "😀"),
                new ChatEvent.BlockStopped(1),
                new ChatEvent.Finished(StopReason.MAX_TOKENS, null),
                new ChatEvent.UsageReported(TokenUsage.ofTokens(12, 7)),
                new ChatEvent.Ended()).forEach(capture::observe);
        JsonNode message = Json.mapper().readTree(capture.freeze().toCapture().response().text());

        assertThat(message.path("model").asString()).isEqualTo("claude-sonnet-4");
        assertThat(message.path("content").get(0).path("thinking").asString()).isEqualTo("Think first.");
        assertThat(message.path("content").get(1).path("text").asString()).isEqualTo("Bonjour 😀");
        assertThat(message.path("stop_reason").asString()).isEqualTo("max_tokens");
        assertThat(message.path("usage").path("input_tokens").asLong()).isEqualTo(12);
    }

    @Test
    void shouldKeepNoMoreThanTheCapOfALongStreamAndSayItWasCut() {
        int cap = 1_000;
        BodyCapture capture = start(Dialect.OPENAI, cap);
        capture.streaming(OPENAI);
        capture.observe(new ChatEvent.BlockStarted(0, Part.Text.of("")));
        String word = "ünïcödé ";
        for (int i = 0; i < 10_000; i++) {
            capture.observe(new ChatEvent.TextDelta(0, word));
        }
        CapturedBodies frozen = capture.freeze();

        String kept = ((Part.Text) frozen.assembled().content().get(0)).text();
        assertThat(kept.length()).as("assembled no more than the cap's worth").isLessThanOrEqualTo(cap);
        assertThat(frozen.assemblyCut()).isTrue();
        CapturedText response = frozen.toCapture().response();
        assertThat(response.truncated()).isTrue();
        assertThat(response.text().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(cap);
        assertThat(response.text()).startsWith("{").doesNotContain("\uFFFD");
    }

    @Test
    void shouldFlagTheAnswerAsCutWhenTheStreamFitButItsWrittenAnswerDoesNot() {
        BodyCapture capture = start(Dialect.OPENAI, 100);
        capture.streaming(OPENAI);
        capture.observe(new ChatEvent.TextDelta(0, "x".repeat(90))); // a delta before its block: starts one

        Capture captured = capture.freeze().toCapture();

        assertThat(captured.response().truncated()).isTrue();
        assertThat(captured.response().text()).startsWith("{\"id\":\"chatcmpl-").hasSizeLessThanOrEqualTo(100);
    }

    @Test
    void shouldReassembleAGeminiPassThroughStreamIntoOneResponseWithTextAndFunctionCall() {
        BodyCapture capture = start(Dialect.GEMINI, CAP);
        capture.streaming(GEMINI);
        GeminiStreamTranslator upstream = new GeminiStreamTranslator("gemini-2.5-flash");

        for (Sse event : sse("/golden/gemini-upstream/stream-tool.sse")) {
            capture.observe(upstream.toStreamStep(event.data()));
        }
        JsonNode response = Json.mapper().readTree(capture.freeze().toCapture().response().text());

        JsonNode parts = response.path("candidates").get(0).path("content").path("parts");
        assertThat(parts.get(0).path("text").asString()).isEqualTo("Let me check.");
        assertThat(parts.get(1).path("functionCall").path("name").asString()).isEqualTo("get_weather");
        assertThat(parts.get(1).path("functionCall").path("args").path("city").asString()).isEqualTo("Paris");
    }

    @Test
    void shouldKeepTheStreamedTextWhenTheDialectHasNoReaderOfItsOwn() {
        BodyCapture capture = new BodyCaptures(CAP, java.util.Map.of()).start(Dialect.GEMINI);
        capture.streaming(OPENAI);

        capture.observe(new StreamStep("{\"candidates\":[]}", null, "Hello ", false));
        capture.observe(new StreamStep("{\"candidates\":[]}", null, "world", false));
        capture.observe(new StreamStep(null, null, "not sent", false));

        JsonNode answer = Json.mapper().readTree(capture.freeze().toCapture().response().text());
        assertThat(answer.path("choices").get(0).path("message").path("content").asString()).isEqualTo("Hello world");
    }

    // --- helpers

    record Sse(String event, String data) {
    }

    /** The events of an SSE golden file (event name and the data line). */
    private static List<Sse> sse(String resource) {
        String text;
        try (InputStream in = BodyCaptureTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            // Gemini frames its events with CRLF, as Google's servers do.
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<Sse> events = new ArrayList<>();
        for (String block : text.split("\n\n")) {
            String event = null;
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            if (data != null) {
                events.add(new Sse(event, data));
            }
        }
        return events;
    }
}
