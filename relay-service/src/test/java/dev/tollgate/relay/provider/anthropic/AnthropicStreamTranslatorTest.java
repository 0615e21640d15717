package dev.tollgate.relay.provider.anthropic;

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

class AnthropicStreamTranslatorTest {

    // ---- pass-through ----

    @Test
    void shouldPassEveryEventUnchangedWithItsNameWhenPassingThrough() {
        List<Golden.Sse> upstream = Golden.sse("stream-text.sse");

        List<StreamStep> steps = passThrough(upstream);

        assertThat(steps).extracting(StreamStep::data).containsExactlyElementsOf(upstream.stream().map(Golden.Sse::data).toList());
        assertThat(steps).extracting(StreamStep::event).containsExactlyElementsOf(upstream.stream().map(Golden.Sse::event).toList());
        assertThat(steps).extracting(StreamStep::event).contains("ping");
    }

    @Test
    void shouldReportCumulativeUsageAndDoneWhenStreamEndsNormally() {
        List<StreamStep> steps = passThrough(Golden.sse("stream-text.sse"));

        List<TokenUsage> usages = steps.stream().map(StreamStep::usage).filter(Objects::nonNull).toList();
        assertThat(usages).containsExactly(new TokenUsage(25, 2048, 0, 1, 0, 0, 0, 0),
                new TokenUsage(25, 2048, 0, 15, 0, 0, 0, 0));
        assertThat(steps).filteredOn(StreamStep::done).hasSize(1);
        assertThat(steps.get(steps.size() - 1).done()).isTrue();
        assertThat(text(steps)).isEqualTo("Hello there!");
    }

    @Test
    void shouldPreferInputClassesOfMessageDeltaWhenNewerApiRepeatsThem() {
        List<StreamStep> steps = passThrough(Golden.sse("stream-tool-use.sse"));

        TokenUsage last = lastUsage(steps);
        assertThat(last).isEqualTo(new TokenUsage(472, 0, 0, 89, 0, 0, 0, 0));
        assertThat(text(steps)).isEqualTo("Let me check the weather.get_weather{\"location\": \"San Francisco, CA\"}");
    }

    @Test
    void shouldCountThinkingAsTextAndKeepCacheWritesWhenThinkingStream() {
        List<StreamStep> steps = passThrough(Golden.sse("stream-thinking.sse"));

        assertThat(lastUsage(steps)).isEqualTo(new TokenUsage(36, 0, 100, 112, 0, 0, 0, 0));
        assertThat(text(steps)).startsWith("Let me solve this step by step:").endsWith("27 * 453 = 12,231")
                .doesNotContain("EqQBCgIYAhIM");
    }

    @Test
    void shouldNotMarkDoneWhenStreamIsCutShort() {
        List<StreamStep> steps = passThrough(Golden.sse("stream-cut.sse"));

        assertThat(steps).noneMatch(StreamStep::done);
        assertThat(lastUsage(steps)).isEqualTo(new TokenUsage(12, 0, 0, 1, 0, 0, 0, 0));
        assertThat(text(steps)).isEqualTo("Once upon a time");
    }

    @Test
    void shouldPassErrorEventThroughNotDoneWhenUpstreamBreaksOff() {
        List<Golden.Sse> upstream = Golden.sse("stream-error.sse");

        List<StreamStep> steps = passThrough(upstream);

        StreamStep last = steps.get(steps.size() - 1);
        assertThat(last.event()).isEqualTo("error");
        assertThat(last.data()).isEqualTo(upstream.get(upstream.size() - 1).data());
        assertThat(last.done()).isFalse();
    }

    @Test
    void shouldNameEventFromDataTypeWhenUpstreamSendsNoEventName() {
        StreamStep step = AnthropicStreamTranslator.start().toStreamStep(null, "{\"type\":\"message_stop\"}");

        assertThat(step.event()).isEqualTo("message_stop");
        assertThat(step.done()).isTrue();
    }

    @Test
    void shouldForwardUnreadableDataUnchangedWhenUpstreamSendsNonJson() {
        StreamStep step = AnthropicStreamTranslator.start().toStreamStep("weird", "not json");

        assertThat(step.data()).isEqualTo("not json");
        assertThat(step.event()).isEqualTo("weird");
        assertThat(step.usage()).isNull();
        assertThat(step.done()).isFalse();
    }

    // ---- translated ----

    @Test
    void shouldEmitEventsInOrderWhenTranslatingTextStream() {
        List<ChatEvent> events = translate(Golden.sse("stream-text.sse"));

        assertThat(events).containsExactly(
                new ChatEvent.Started("msg_01XFDUDYJgAACzvnptvVoYEL", "claude-sonnet-4-20250514"),
                new ChatEvent.UsageReported(new TokenUsage(25, 2048, 0, 1, 0, 0, 0, 0)),
                new ChatEvent.BlockStarted(0, Part.Text.of("")),
                new ChatEvent.TextDelta(0, "Hello"),
                new ChatEvent.TextDelta(0, " there!"),
                new ChatEvent.BlockStopped(0),
                new ChatEvent.Finished(StopReason.END_TURN, null),
                new ChatEvent.UsageReported(new TokenUsage(25, 2048, 0, 15, 0, 0, 0, 0)),
                new ChatEvent.Ended());
    }

    @Test
    void shouldEmitToolUseBlockAndInputDeltasWhenTranslatingToolStream() {
        List<ChatEvent> events = translate(Golden.sse("stream-tool-use.sse"));

        assertThat(events).containsExactly(
                new ChatEvent.Started("msg_014p7gG3wDgGV9EUtLvnow3U", "claude-sonnet-4-20250514"),
                new ChatEvent.UsageReported(new TokenUsage(472, 0, 0, 2, 0, 0, 0, 0)),
                new ChatEvent.BlockStarted(0, Part.Text.of("")),
                new ChatEvent.TextDelta(0, "Let me check the weather."),
                new ChatEvent.BlockStopped(0),
                new ChatEvent.BlockStarted(1, new Part.ToolUse("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", "", null)),
                new ChatEvent.ToolInputDelta(1, ""),
                new ChatEvent.ToolInputDelta(1, "{\"location\":"),
                new ChatEvent.ToolInputDelta(1, " \"San Francisco, CA\"}"),
                new ChatEvent.BlockStopped(1),
                new ChatEvent.Finished(StopReason.TOOL_USE, null),
                new ChatEvent.UsageReported(new TokenUsage(472, 0, 0, 89, 0, 0, 0, 0)),
                new ChatEvent.Ended());
    }

    @Test
    void shouldEmitThinkingAndSignatureDeltasWhenTranslatingThinkingStream() {
        List<ChatEvent> events = translate(Golden.sse("stream-thinking.sse"));

        assertThat(events).containsExactly(
                new ChatEvent.Started("msg_01ThinkStream", "claude-sonnet-4-20250514"),
                new ChatEvent.UsageReported(new TokenUsage(36, 0, 100, 4, 0, 0, 0, 0)),
                new ChatEvent.BlockStarted(0, new Part.Thinking("", null)),
                new ChatEvent.ThinkingDelta(0, "Let me solve this step by step:\n\n1. First break down 27 * 453"),
                new ChatEvent.ThinkingDelta(0, "\n2. 453 = 400 + 50 + 3"),
                new ChatEvent.SignatureDelta(0, "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"),
                new ChatEvent.BlockStopped(0),
                new ChatEvent.BlockStarted(1, Part.Text.of("")),
                new ChatEvent.TextDelta(1, "27 * 453 = 12,231"),
                new ChatEvent.BlockStopped(1),
                new ChatEvent.Finished(StopReason.END_TURN, null),
                new ChatEvent.UsageReported(new TokenUsage(36, 0, 100, 112, 0, 0, 0, 0)),
                new ChatEvent.Ended());
    }

    @Test
    void shouldEmitNeitherFinishedNorEndedWhenStreamIsCutShort() {
        List<ChatEvent> events = translate(Golden.sse("stream-cut.sse"));

        assertThat(events).containsExactly(
                new ChatEvent.Started("msg_01CutShort", "claude-sonnet-4-20250514"),
                new ChatEvent.UsageReported(new TokenUsage(12, 0, 0, 1, 0, 0, 0, 0)),
                new ChatEvent.BlockStarted(0, Part.Text.of("")),
                new ChatEvent.TextDelta(0, "Once upon"),
                new ChatEvent.TextDelta(0, " a time"));
    }

    @Test
    void shouldThrowUnreachableWhenUpstreamSendsErrorEvent() {
        AnthropicStreamTranslator translator = AnthropicStreamTranslator.start();
        List<Golden.Sse> upstream = Golden.sse("stream-error.sse");
        for (Golden.Sse sse : upstream.subList(0, upstream.size() - 1)) {
            translator.toChatEvents(sse.event(), sse.data());
        }
        Golden.Sse error = upstream.get(upstream.size() - 1);

        assertThatThrownBy(() -> translator.toChatEvents(error.event(), error.data()))
                .isInstanceOf(UpstreamFailure.Unreachable.class)
                .hasMessageContaining("overloaded_error");
    }

    @Test
    void shouldSkipUnknownBlocksAndRenumberWhenUpstreamSendsServerToolBlock() {
        AnthropicStreamTranslator translator = AnthropicStreamTranslator.start();
        List<ChatEvent> events = new ArrayList<>();
        events.addAll(translator.toChatEvents("content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}}"));
        events.addAll(translator.toChatEvents("content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}"));
        events.addAll(translator.toChatEvents("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        events.addAll(translator.toChatEvents("content_block_start",
                "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        events.addAll(translator.toChatEvents("content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"found\"}}"));
        events.addAll(translator.toChatEvents("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"));

        assertThat(events).containsExactly(new ChatEvent.BlockStarted(0, Part.Text.of("")),
                new ChatEvent.TextDelta(0, "found"), new ChatEvent.BlockStopped(0));
    }

    @Test
    void shouldEmitNothingWhenPingOrUnknownEventArrives() {
        AnthropicStreamTranslator translator = AnthropicStreamTranslator.start();

        assertThat(translator.toChatEvents("ping", "{\"type\": \"ping\"}")).isEmpty();
        assertThat(translator.toChatEvents("future_event", "{\"type\":\"future_event\",\"x\":1}")).isEmpty();
        assertThat(translator.toChatEvents(null, "not json")).isEmpty();
    }

    // ---- helpers ----

    private static List<StreamStep> passThrough(List<Golden.Sse> upstream) {
        AnthropicStreamTranslator translator = AnthropicStreamTranslator.start();
        return upstream.stream().map(sse -> translator.toStreamStep(sse.event(), sse.data())).toList();
    }

    private static List<ChatEvent> translate(List<Golden.Sse> upstream) {
        AnthropicStreamTranslator translator = AnthropicStreamTranslator.start();
        List<ChatEvent> events = new ArrayList<>();
        for (Golden.Sse sse : upstream) {
            events.addAll(translator.toChatEvents(sse.event(), sse.data()));
        }
        return events;
    }

    private static String text(List<StreamStep> steps) {
        StringBuilder text = new StringBuilder();
        steps.forEach(step -> text.append(step.text()));
        return text.toString();
    }

    private static TokenUsage lastUsage(List<StreamStep> steps) {
        TokenUsage last = null;
        for (StreamStep step : steps) {
            if (step.usage() != null) {
                last = step.usage();
            }
        }
        return last;
    }
}
