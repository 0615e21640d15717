package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.provider.openai.TranslateGolden;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Internal stream events (golden *.events.json) → OpenAI SSE text (golden *.sse). */
class OpenAiStreamWriterTest {

    private static final long CREATED = 1_747_000_000L;

    private static byte[] render(OpenAiStreamWriter writer, List<ChatEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ChatEvent event : events) {
            writer.frames(event).forEach(out::writeBytes);
        }
        return out.toByteArray();
    }

    /** Same frames in the same order, each data JSON compared as a tree, and the SSE framing itself exact. */
    private static void assertSse(byte[] actual, String golden) {
        List<String> actualData = TranslateGolden.sseData(actual);
        List<String> expectedData = TranslateGolden.sseData(golden);
        assertThat(actualData).hasSameSizeAs(expectedData);
        for (int i = 0; i < expectedData.size(); i++) {
            if (expectedData.get(i).equals(OpenAiStreamWriter.DONE)) {
                assertThat(actualData.get(i)).isEqualTo(OpenAiStreamWriter.DONE);
            } else {
                assertThat(Json.mapper().readTree(actualData.get(i))).as("frame %d", i)
                        .isEqualTo(Json.mapper().readTree(expectedData.get(i)));
            }
        }
        String text = new String(actual, StandardCharsets.UTF_8);
        assertThat(text.split("\n\n")).allMatch(frame -> frame.startsWith("data: ") && !frame.contains("\n"));
        assertThat(text).endsWith("data: [DONE]\n\n");
    }

    @Test
    void shouldWriteReasoningTextAndTwoToolCallsThenUsageChunkWhenClientAskedForUsage() {
        OpenAiStreamWriter writer = new OpenAiStreamWriter("claude-sonnet-4-5", true, CREATED);
        byte[] sse = render(writer, TranslateGolden.events("write/stream-anthropic.events.json"));
        assertSse(sse, "write/stream-anthropic.usage.sse");
    }

    @Test
    void shouldEndWithDoneOnlyWhenClientDidNotAskForUsage() {
        OpenAiStreamWriter writer = new OpenAiStreamWriter("claude-sonnet-4-5", false, CREATED);
        byte[] sse = render(writer, TranslateGolden.events("write/stream-anthropic.events.json"));
        assertSse(sse, "write/stream-anthropic.sse");
    }

    @Test
    void shouldRoundTripRecordedOpenAiTextStreamWhenTranslatedBack() {
        List<ChatEvent> events = TranslateGolden.events("translate/stream-text.events.json");
        assertSse(render(new OpenAiStreamWriter("claude-sonnet-4-5", true, CREATED), events),
                "write/stream-text.usage.sse");
        assertSse(render(new OpenAiStreamWriter("claude-sonnet-4-5", false, CREATED), events),
                "write/stream-text.sse");
    }

    @Test
    void shouldKeepOneIdAndCreatedAcrossChunksWhenStartedHasNoId() {
        OpenAiStreamWriter writer = new OpenAiStreamWriter("m", false);
        List<ChatEvent> events = List.of(new ChatEvent.Started(null, null), new ChatEvent.TextDelta(0, "a"),
                new ChatEvent.Finished(null, null), new ChatEvent.Ended());
        List<JsonNode> chunks = TranslateGolden.sseData(render(writer, events)).stream()
                .filter(data -> !data.equals(OpenAiStreamWriter.DONE))
                .map(data -> Json.mapper().readTree(data))
                .toList();
        assertThat(chunks).hasSize(3);
        assertThat(chunks).extracting(chunk -> chunk.path("id").asString()).containsOnly(chunks.get(0).path("id").asString());
        assertThat(chunks.get(0).path("id").asString()).startsWith("chatcmpl-");
        assertThat(chunks).extracting(chunk -> chunk.path("created").longValue()).containsOnly(chunks.get(0).path("created").longValue());
        assertThat(chunks.get(2).path("choices").get(0).path("finish_reason").asString()).isEqualTo("stop");
    }

    @Test
    void shouldSendNothingWhenStreamIsCutShort() {
        assertThat(new OpenAiStreamWriter("m", true).cutShort("upstream broke off")).isEmpty();
    }

    @Test
    void shouldEndWithDoneAloneWhenUsageWantedButNeverReported() {
        OpenAiStreamWriter writer = new OpenAiStreamWriter("m", true, CREATED);
        writer.frames(new ChatEvent.Started("id-1", "m"));
        List<byte[]> frames = writer.frames(new ChatEvent.Ended());
        assertThat(frames).hasSize(1);
        assertThat(new String(frames.get(0), StandardCharsets.UTF_8)).isEqualTo("data: [DONE]\n\n");
    }
}
