package dev.tollgate.relay.api.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.metering.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicStreamWriterTest {

    /** Everything the writer sends for these events, as SSE text. */
    static String render(AnthropicStreamWriter writer, ChatEvent... events) {
        List<byte[]> frames = new ArrayList<>();
        for (ChatEvent event : events) {
            frames.addAll(writer.frames(event));
        }
        return Golden.text(frames);
    }

    static final ChatEvent[] TEXT = {
            new ChatEvent.Started("msg_01abc", "gpt-4o"),
            new ChatEvent.BlockStarted(0, Part.Text.of("")),
            new ChatEvent.TextDelta(0, "Hello"),
            new ChatEvent.TextDelta(0, " world"),
            new ChatEvent.BlockStopped(0),
            new ChatEvent.Finished(StopReason.END_TURN, null),
            new ChatEvent.UsageReported(new TokenUsage(10, 3, 2, 5, 0, 0, 0, 0)),
            new ChatEvent.Ended()};

    static final ChatEvent[] TOOL_USE = {
            new ChatEvent.Started("chatcmpl-1", "gpt-4o"),
            new ChatEvent.BlockStarted(0, Part.Text.of("")),
            new ChatEvent.TextDelta(0, "Let me check."),
            new ChatEvent.BlockStopped(0),
            new ChatEvent.BlockStarted(1, new Part.ToolUse("call_1", "get_weather", "", null)),
            new ChatEvent.ToolInputDelta(1, "{\"city\":"),
            new ChatEvent.ToolInputDelta(1, "\"Paris\"}"),
            new ChatEvent.BlockStopped(1),
            new ChatEvent.Finished(StopReason.TOOL_USE, null),
            new ChatEvent.UsageReported(TokenUsage.ofTokens(40, 10)),
            new ChatEvent.UsageReported(TokenUsage.ofTokens(48, 17)),
            new ChatEvent.Ended()};

    static final ChatEvent[] THINKING = {
            new ChatEvent.Started("msg_02", "claude-opus-4-1"),
            new ChatEvent.BlockStarted(0, new Part.Thinking("", null)),
            new ChatEvent.ThinkingDelta(0, "Six times"),
            new ChatEvent.ThinkingDelta(0, " seven."),
            new ChatEvent.SignatureDelta(0, "EqQBCgIYAhIM"),
            new ChatEvent.BlockStopped(0),
            new ChatEvent.BlockStarted(1, new Part.RedactedThinking("EmwKAhgBEgy3va3p")),
            new ChatEvent.BlockStopped(1),
            new ChatEvent.BlockStarted(2, Part.Text.of("")),
            new ChatEvent.TextDelta(2, "42"),
            new ChatEvent.BlockStopped(2),
            new ChatEvent.Finished(StopReason.MAX_TOKENS, null),
            new ChatEvent.UsageReported(new TokenUsage(20, 100, 0, 30, 12, 0, 0, 0)),
            new ChatEvent.Ended()};

    @Test
    void shouldSendAnthropicsEventSequenceWhenTheAnswerIsText() {
        String sse = render(new AnthropicStreamWriter("claude-sonnet-4-5", 12), TEXT);

        assertThat(Golden.events(sse)).isEqualTo(Golden.sse("stream-text.sse"));
    }

    @Test
    void shouldStreamToolInputAsJsonDeltasAndReportTheLastUsageWhenAToolIsCalled() {
        String sse = render(new AnthropicStreamWriter("claude-sonnet-4-5", 50), TOOL_USE);

        assertThat(Golden.events(sse)).isEqualTo(Golden.sse("stream-tool-use.sse"));
    }

    @Test
    void shouldStreamThinkingSignatureAndRedactedBlocksWhenTheModelReasons() {
        String sse = render(new AnthropicStreamWriter(null, 20), THINKING);

        assertThat(Golden.events(sse)).isEqualTo(Golden.sse("stream-thinking.sse"));
    }

    @Test
    void shouldStartMissingBlocksCloseOpenOnesAndRenumberWhenTheUpstreamIsLoose() {
        String sse = render(new AnthropicStreamWriter("claude-sonnet-4-5", 7),
                new ChatEvent.Started("msg_03", "gpt-4o"),
                new ChatEvent.TextDelta(0, "Hi"),
                new ChatEvent.BlockStarted(3, new Part.ToolUse("call_9", "get_time", "", null)),
                new ChatEvent.ToolInputDelta(3, "{}"),
                new ChatEvent.BlockStopped(0),
                new ChatEvent.UsageReported(TokenUsage.ofTokens(6, 4)),
                new ChatEvent.Ended());

        assertThat(Golden.events(sse)).isEqualTo(Golden.sse("stream-loose.sse"));
    }

    @Test
    void shouldWriteFramesWithEventAndDataLinesWhenRendering() {
        List<byte[]> frames = new AnthropicStreamWriter("m", 1).frames(new ChatEvent.Started("msg_1", "m"));

        assertThat(Golden.text(frames)).startsWith("event: message_start\ndata: {\"type\":\"message_start\"")
                .endsWith("event: ping\ndata: {\"type\":\"ping\"}\n\n");
    }

    @Test
    void shouldCloseTheOpenBlockThenSendAnErrorEventWhenCutShort() {
        AnthropicStreamWriter writer = new AnthropicStreamWriter("claude-sonnet-4-5", 9);
        List<byte[]> frames = new ArrayList<>();
        for (ChatEvent event : new ChatEvent[] {new ChatEvent.Started("msg_04", "x"),
                new ChatEvent.BlockStarted(0, Part.Text.of("")), new ChatEvent.TextDelta(0, "partial")}) {
            frames.addAll(writer.frames(event));
        }
        frames.addAll(writer.cutShort("The upstream model provider broke off the answer."));

        assertThat(Golden.events(Golden.text(frames))).isEqualTo(Golden.sse("stream-cut-short.sse"));
        assertThat(writer.frames(new ChatEvent.Ended())).isEmpty();
        assertThat(writer.cutShort("again")).isEmpty();
    }

    @Test
    void shouldSendOnlyTheErrorWhenCutShortBeforeAnything() {
        List<Golden.Event> events = Golden.events(Golden.text(new AnthropicStreamWriter("m", 1).cutShort("gone")));

        assertThat(events).extracting(Golden.Event::name).containsExactly("error");
        assertThat(events.get(0).data().at("/error/message").stringValue()).isEqualTo("gone");
    }

    @Test
    void shouldSayEndTurnAndCountLocallyWhenNeitherFinishedNorUsageCame() {
        String sse = render(new AnthropicStreamWriter("m", 15),
                new ChatEvent.Started("msg_5", "m"),
                new ChatEvent.BlockStarted(0, Part.Text.of("")),
                new ChatEvent.TextDelta(0, "The quick brown fox jumps over the lazy dog"),
                new ChatEvent.Ended());
        List<Golden.Event> events = Golden.events(sse);

        assertThat(events).extracting(Golden.Event::name).containsExactly("message_start", "ping",
                "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        Golden.Event delta = events.get(5);
        assertThat(delta.data().at("/delta/stop_reason").stringValue()).isEqualTo("end_turn");
        assertThat(delta.data().at("/usage/output_tokens").longValue())
                .isEqualTo(TokenCounter.count("The quick brown fox jumps over the lazy dog"));
        assertThat(delta.data().at("/usage/input_tokens").longValue()).isEqualTo(15);
    }

    @Test
    void shouldSendMessageStartFirstWithAGeneratedIdWhenStartedNeverCame() {
        List<Golden.Event> events = Golden.events(render(new AnthropicStreamWriter("m", 1),
                new ChatEvent.TextDelta(0, "x")));

        assertThat(events).extracting(Golden.Event::name)
                .containsExactly("message_start", "ping", "content_block_start", "content_block_delta");
        assertThat(events.get(0).data().at("/message/id").stringValue()).startsWith("msg_");
    }

    @Test
    void shouldStartAToolBlockWithAGeneratedIdWhenInputArrivesUnannounced() {
        List<Golden.Event> events = Golden.events(render(new AnthropicStreamWriter("m", 1),
                new ChatEvent.Started("msg_1", "m"), new ChatEvent.ToolInputDelta(0, "{\"a\":1}")));

        assertThat(events.get(2).name()).isEqualTo("content_block_start");
        assertThat(events.get(2).data().at("/content_block/type").stringValue()).isEqualTo("tool_use");
        assertThat(events.get(2).data().at("/content_block/id").stringValue()).startsWith("toolu_");
        assertThat(events.get(3).data().at("/delta/partial_json").stringValue()).isEqualTo("{\"a\":1}");
    }

    @Test
    void shouldSendStopReasonRefusalWhenTheUpstreamFilteredTheAnswer() {
        List<Golden.Event> events = Golden.events(render(new AnthropicStreamWriter("m", 1),
                new ChatEvent.Started("msg_1", "m"),
                new ChatEvent.Finished(StopReason.CONTENT_FILTERED, null),
                new ChatEvent.Ended()));

        assertThat(events.get(2).name()).isEqualTo("message_delta");
        assertThat(events.get(2).data().at("/delta/stop_reason").stringValue()).isEqualTo("refusal");
    }

    @Test
    void shouldSendNothingMoreWhenEventsArriveAfterTheEnd() {
        AnthropicStreamWriter writer = new AnthropicStreamWriter("m", 1);
        render(writer, TEXT);

        assertThat(writer.frames(new ChatEvent.TextDelta(0, "late"))).isEmpty();
        assertThat(writer.frames(new ChatEvent.Ended())).isEmpty();
    }
}
