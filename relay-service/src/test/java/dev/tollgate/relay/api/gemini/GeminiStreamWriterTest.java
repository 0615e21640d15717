package dev.tollgate.relay.api.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class GeminiStreamWriterTest {

    @Test
    void shouldWriteTheRecordedChunksWithTheCallWholeAndUsageLastWhenTranslatingAStream() {
        List<ChatEvent> events = List.of(
                new ChatEvent.Started("msg_01ABC", "claude-sonnet-4-5"),
                new ChatEvent.UsageReported(new TokenUsage(90, 20, 10, 1, 0, 0, 0, 0)),
                new ChatEvent.BlockStarted(0, new Part.Thinking("", null)),
                new ChatEvent.ThinkingDelta(0, "Need the weather."),
                new ChatEvent.SignatureDelta(0, "EqQB"),
                new ChatEvent.BlockStopped(0),
                new ChatEvent.BlockStarted(1, Part.Text.of("")),
                new ChatEvent.TextDelta(1, "Let me"),
                new ChatEvent.TextDelta(1, " check."),
                new ChatEvent.BlockStopped(1),
                new ChatEvent.BlockStarted(2, new Part.ToolUse("toolu_01", "get_weather", "", null)),
                new ChatEvent.ToolInputDelta(2, "{\"city\":"),
                new ChatEvent.ToolInputDelta(2, "\"Paris\"}"),
                new ChatEvent.BlockStopped(2),
                new ChatEvent.Finished(StopReason.TOOL_USE, null),
                new ChatEvent.UsageReported(new TokenUsage(90, 20, 10, 40, 12, 0, 0, 0)),
                new ChatEvent.Ended());

        String written = write(new GeminiStreamWriter("to-anthropic", 100), events);

        assertThat(Golden.events(written))
                .isEqualTo(Golden.events(new String(Golden.bytes("stream-tool.sse"), StandardCharsets.UTF_8)));
    }

    @Test
    void shouldCountTheTextForUsageWhenTheUpstreamReportedNone() {
        String written = write(new GeminiStreamWriter("m", 50), List.of(
                new ChatEvent.Started(null, null),
                new ChatEvent.BlockStarted(0, Part.Text.of("hello there")),
                new ChatEvent.BlockStopped(0),
                new ChatEvent.Ended()));

        List<JsonNode> chunks = Golden.events(written);
        assertThat(chunks.get(0).path("candidates").get(0).path("content").path("parts").get(0).path("text").asString())
                .isEqualTo("hello there");
        JsonNode usage = chunks.get(chunks.size() - 1).path("usageMetadata");
        assertThat(usage.path("promptTokenCount").asLong()).isEqualTo(50);
        assertThat(usage.path("candidatesTokenCount").asLong()).isEqualTo(2);
    }

    @Test
    void shouldEndWithAGoogleErrorObjectWhenTheUpstreamBreaksOff() {
        GeminiStreamWriter writer = new GeminiStreamWriter("m", 5);
        writer.frames(new ChatEvent.Started("r", "m"));

        List<JsonNode> chunks = Golden.events(Golden.text(writer.cutShort("The upstream provider ended the stream early.")));

        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0).path("error").path("status").asString()).isEqualTo("INTERNAL");
        assertThat(writer.frames(new ChatEvent.Ended())).isEmpty();
    }

    private static String write(GeminiStreamWriter writer, List<ChatEvent> events) {
        List<byte[]> frames = new ArrayList<>();
        for (ChatEvent event : events) {
            frames.addAll(writer.frames(event));
        }
        return Golden.text(frames);
    }
}
