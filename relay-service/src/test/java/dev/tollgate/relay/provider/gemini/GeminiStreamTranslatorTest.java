package dev.tollgate.relay.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.UpstreamFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class GeminiStreamTranslatorTest {

    @Test
    void shouldTranslateThoughtsAndTextIntoBlocksWithUsageLastWhenStreamEnds() {
        List<ChatEvent> events = translate("stream-text.sse");

        TokenUsage promptOnly = new TokenUsage(10, 0, 0, 0, 0, 0, 0, 0);
        assertThat(events).containsExactly(
                new ChatEvent.Started("r1", "gemini-2.5-flash"),
                new ChatEvent.BlockStarted(0, new Part.Thinking("", null)),
                new ChatEvent.ThinkingDelta(0, "**Planning the reply**"),
                new ChatEvent.UsageReported(promptOnly),
                new ChatEvent.BlockStopped(0),
                new ChatEvent.BlockStarted(1, Part.Text.of("")),
                new ChatEvent.TextDelta(1, "Once upon"),
                new ChatEvent.UsageReported(promptOnly),
                new ChatEvent.TextDelta(1, " a time."),
                new ChatEvent.UsageReported(promptOnly),
                new ChatEvent.BlockStopped(1),
                new ChatEvent.Finished(StopReason.END_TURN, null),
                new ChatEvent.UsageReported(new TokenUsage(10, 0, 0, 37, 33, 0, 0, 0)),
                new ChatEvent.Ended());
    }

    @Test
    void shouldSendAFunctionCallAsOneBlockAndStopForToolUseWhenTheAnswerCallsOne() {
        List<ChatEvent> events = translate("stream-tool.sse");

        assertThat(events).containsSubsequence(
                new ChatEvent.TextDelta(0, "Let me check."),
                new ChatEvent.BlockStopped(0),
                new ChatEvent.BlockStarted(1, new Part.ToolUse("call_r2_0", "get_weather", "", null)),
                new ChatEvent.ToolInputDelta(1, "{\"city\":\"Paris\"}"),
                new ChatEvent.BlockStopped(1),
                new ChatEvent.Finished(StopReason.TOOL_USE, null),
                new ChatEvent.Ended());
    }

    @Test
    void shouldStartTheToolUseSignedWhenTheStreamedFunctionCallCarriesAThoughtSignature() {
        GeminiStreamTranslator translator = new GeminiStreamTranslator("m");

        List<ChatEvent> events = translator.toChatEvents("{\"candidates\":[{\"content\":{\"role\":\"model\","
                + "\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{}},\"thoughtSignature\":\"c2ln+/=\"}]},"
                + "\"finishReason\":\"STOP\"}],\"responseId\":\"r3\"}");

        assertThat(events).contains(
                new ChatEvent.BlockStarted(0, new Part.ToolUse("call_r3_0", "get_weather", "", null, "c2ln+/=")));
    }

    @Test
    void shouldFailAsACutWhenTheStreamEndsBeforeAnyChunkFinishes() {
        GeminiStreamTranslator translator = new GeminiStreamTranslator("m");
        for (String data : Golden.sse("stream-cut.sse")) {
            translator.toChatEvents(data);
        }

        assertThatThrownBy(translator::complete).isInstanceOf(UpstreamFailure.Unreachable.class);
    }

    @Test
    void shouldFailWhenTheStreamCarriesAnError() {
        GeminiStreamTranslator translator = new GeminiStreamTranslator("m");

        assertThatThrownBy(() -> translator.toChatEvents(
                "{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}"))
                .isInstanceOf(UpstreamFailure.Unreachable.class)
                .hasMessageContaining("UNAVAILABLE");
    }

    @Test
    void shouldPassEveryChunkUnchangedWithUsageAndDoneOnTheLastWhenPassingThrough() {
        List<String> upstream = Golden.sse("stream-text.sse");
        GeminiStreamTranslator translator = new GeminiStreamTranslator("m");

        List<StreamStep> steps = upstream.stream().map(translator::toStreamStep).toList();

        assertThat(steps).extracting(StreamStep::data).containsExactlyElementsOf(upstream);
        assertThat(steps).extracting(StreamStep::done).containsExactly(false, false, false, true);
        List<TokenUsage> usages = steps.stream().map(StreamStep::usage).filter(Objects::nonNull).toList();
        assertThat(usages.get(usages.size() - 1)).isEqualTo(new TokenUsage(10, 0, 0, 37, 33, 0, 0, 0));
        assertThat(String.join("", steps.stream().map(StreamStep::text).toList()))
                .isEqualTo("**Planning the reply**Once upon a time.");
    }

    @Test
    void shouldNotMarkDoneWhenAPassThroughStreamIsCut() {
        GeminiStreamTranslator translator = new GeminiStreamTranslator("m");

        List<StreamStep> steps = Golden.sse("stream-cut.sse").stream().map(translator::toStreamStep).toList();

        assertThat(steps).noneMatch(StreamStep::done);
    }

    private static List<ChatEvent> translate(String name) {
        GeminiStreamTranslator translator = new GeminiStreamTranslator("m");
        List<ChatEvent> events = new ArrayList<>();
        for (String data : Golden.sse(name)) {
            events.addAll(translator.toChatEvents(data));
        }
        events.addAll(translator.complete());
        return events;
    }
}
