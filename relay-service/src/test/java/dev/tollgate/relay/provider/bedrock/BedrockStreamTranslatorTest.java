package dev.tollgate.relay.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;

/** Recorded ConverseStream events (golden/bedrock/stream-*.jsonl, as SDK objects) → internal stream events. */
class BedrockStreamTranslatorTest {

    private static final String ID = "msg_bdrk_1";
    private static final String MODEL = "us.anthropic.claude-sonnet-4-20250514-v1:0";

    @Test
    void shouldEmitStartedTextBlockFinishedUsageEndedWhenStreamIsText() {
        assertThat(translate(ConverseJson.events("stream-text.jsonl"))).containsExactly(
                new ChatEvent.Started(ID, MODEL),
                new ChatEvent.BlockStarted(0, Part.Text.of("")),
                new ChatEvent.TextDelta(0, "Hello"),
                new ChatEvent.TextDelta(0, " there."),
                new ChatEvent.BlockStopped(0),
                new ChatEvent.Finished(StopReason.END_TURN, null),
                new ChatEvent.UsageReported(TokenUsage.ofTokens(12, 3)),
                new ChatEvent.Ended());
    }

    @Test
    void shouldEmitThinkingTextAndToolBlocksWhenStreamCallsTool() {
        assertThat(translate(ConverseJson.events("stream-tool.jsonl"))).containsExactly(
                new ChatEvent.Started(ID, MODEL),
                new ChatEvent.BlockStarted(0, new Part.Thinking("", null)),
                new ChatEvent.ThinkingDelta(0, "Need the weather."),
                new ChatEvent.SignatureDelta(0, "sig-xyz"),
                new ChatEvent.BlockStopped(0),
                new ChatEvent.BlockStarted(1, Part.Text.of("")),
                new ChatEvent.TextDelta(1, "Checking."),
                new ChatEvent.BlockStopped(1),
                new ChatEvent.BlockStarted(2, new Part.ToolUse("tooluse_abc", "get_weather", "", null)),
                new ChatEvent.ToolInputDelta(2, "{\"city\":"),
                new ChatEvent.ToolInputDelta(2, "\"Paris\"}"),
                new ChatEvent.BlockStopped(2),
                new ChatEvent.Finished(StopReason.TOOL_USE, null),
                new ChatEvent.UsageReported(new TokenUsage(20, 100, 0, 15, 0, 0, 0, 0)),
                new ChatEvent.Ended());
    }

    @Test
    void shouldStartRedactedThinkingBlockWhenDeltaCarriesRedactedContent() {
        List<ConverseStreamOutput> events = List.of(
                ConverseStreamOutput.messageStartBuilder().role("assistant").build(),
                ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(0)
                        .delta(d -> d.reasoningContent(r -> r.redactedContent(SdkBytes.fromUtf8String("redacted"))))
                        .build(),
                ConverseStreamOutput.contentBlockStopBuilder().contentBlockIndex(0).build(),
                ConverseStreamOutput.messageStopBuilder().stopReason("end_turn").build());

        assertThat(translate(events)).containsExactly(
                new ChatEvent.Started(ID, MODEL),
                new ChatEvent.BlockStarted(0, new Part.RedactedThinking("cmVkYWN0ZWQ=")),
                new ChatEvent.BlockStopped(0),
                new ChatEvent.Finished(StopReason.END_TURN, null),
                // No metadata, but the message finished: a normal end.
                new ChatEvent.Ended());
    }

    @Test
    void shouldNotEndWhenStreamCompletesBeforeMessageStop() {
        List<ChatEvent> events = translate(ConverseJson.events("stream-text.jsonl").subList(0, 3));

        assertThat(events).doesNotContain(new ChatEvent.Ended());
        assertThat(events).last().isEqualTo(new ChatEvent.TextDelta(0, " there."));
    }

    @Test
    void shouldCloseOpenBlockWhenNextBlockBeginsWithoutStop() {
        List<ConverseStreamOutput> events = List.of(
                ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(0).delta(d -> d.text("a")).build(),
                ConverseStreamOutput.contentBlockStartBuilder().contentBlockIndex(1)
                        .start(s -> s.toolUse(t -> t.toolUseId("t1").name("f"))).build(),
                ConverseStreamOutput.messageStopBuilder().stopReason("tool_use").build());

        assertThat(translate(events)).containsExactly(
                new ChatEvent.Started(ID, MODEL),
                new ChatEvent.BlockStarted(0, Part.Text.of("")),
                new ChatEvent.TextDelta(0, "a"),
                new ChatEvent.BlockStopped(0),
                new ChatEvent.BlockStarted(1, new Part.ToolUse("t1", "f", "", null)),
                new ChatEvent.BlockStopped(1),
                new ChatEvent.Finished(StopReason.TOOL_USE, null),
                new ChatEvent.Ended());
    }

    private static List<ChatEvent> translate(List<ConverseStreamOutput> events) {
        BedrockStreamTranslator translator = new BedrockStreamTranslator(ID, MODEL);
        List<ChatEvent> out = new ArrayList<>();
        for (ConverseStreamOutput event : events) {
            out.addAll(translator.translate(event));
        }
        out.addAll(translator.complete());
        return out;
    }
}
