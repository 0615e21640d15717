package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Translated streams → the Responses API's named events (golden/openai-responses/stream/*.sse). */
class ResponsesStreamWriterTest {

    private static final JsonNode REQUEST = Json.mapper().readTree("{\"model\":\"gpt-4o-mini\",\"input\":\"hi\","
            + "\"stream\":true}");

    private static ResponsesStreamWriter writer() {
        return new ResponsesStreamWriter(REQUEST, "gpt-4o-mini", ResponsesResponseWriterTest.HEX,
                ResponsesResponseWriterTest.CREATED);
    }

    private static List<byte[]> render(ResponsesStreamWriter writer, ChatEvent... events) {
        List<byte[]> frames = new ArrayList<>();
        for (ChatEvent event : events) {
            frames.addAll(writer.frames(event));
        }
        return frames;
    }

    static final ChatEvent[] TEXT = {
            new ChatEvent.Started("chatcmpl-1", "gpt-4o-mini"),
            new ChatEvent.BlockStarted(0, Part.Text.of("")),
            new ChatEvent.TextDelta(0, "Hello"),
            new ChatEvent.TextDelta(0, " world"),
            new ChatEvent.BlockStopped(0),
            new ChatEvent.Finished(StopReason.END_TURN, null),
            new ChatEvent.UsageReported(new TokenUsage(10, 2, 0, 5, 0, 0, 0, 0)),
            new ChatEvent.Ended()};

    static final ChatEvent[] THINKING_TOOL = {
            new ChatEvent.Started("msg_01", "claude-sonnet-4-5"),
            new ChatEvent.BlockStarted(0, new Part.Thinking("", null)),
            new ChatEvent.ThinkingDelta(0, "Weather: "),
            new ChatEvent.ThinkingDelta(0, "call the tool."),
            new ChatEvent.SignatureDelta(0, "sig"),
            new ChatEvent.BlockStopped(0),
            new ChatEvent.BlockStarted(1, new Part.ToolUse("toolu_01", "get_weather", "", null)),
            new ChatEvent.ToolInputDelta(1, "{\"city\":"),
            new ChatEvent.ToolInputDelta(1, "\"Paris\"}"),
            new ChatEvent.BlockStopped(1),
            new ChatEvent.Finished(StopReason.TOOL_USE, null),
            new ChatEvent.UsageReported(new TokenUsage(40, 0, 0, 20, 6, 0, 0, 0)),
            new ChatEvent.Ended()};

    @Test
    void shouldSendTheResponsesEventSequenceWhenTheAnswerIsText() {
        ResponsesGolden.assertEvents(render(writer(), TEXT), "stream/text.sse");
    }

    @Test
    void shouldStreamReasoningSummaryAndFunctionCallArgumentsWhenAToolIsCalled() {
        ResponsesGolden.assertEvents(render(writer(), THINKING_TOOL), "stream/thinking-tool.sse");
    }

    @Test
    void shouldNumberEveryEventInOrderAndNameItByItsType() {
        List<ResponsesGolden.Event> events = ResponsesGolden.events(text(render(writer(), THINKING_TOOL)));

        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).data().path("sequence_number").asLong()).isEqualTo(i);
            assertThat(events.get(i).name()).isEqualTo(events.get(i).data().path("type").asString());
        }
    }

    @Test
    void shouldEndWithResponseIncompleteWhenTheTokenLimitCutTheStream() {
        List<byte[]> frames = render(writer(), new ChatEvent.Started("x", "m"),
                new ChatEvent.BlockStarted(0, Part.Text.of("")), new ChatEvent.TextDelta(0, "Once"),
                new ChatEvent.Finished(StopReason.MAX_TOKENS, null), new ChatEvent.Ended());

        List<ResponsesGolden.Event> events = ResponsesGolden.events(text(frames));
        ResponsesGolden.Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("response.incomplete");
        assertThat(last.data().path("response").path("incomplete_details").path("reason").asString())
                .isEqualTo("max_output_tokens");
        assertThat(events).as("the open text block is closed before the end")
                .anyMatch(e -> "response.output_text.done".equals(e.name())
                        && "Once".equals(e.data().path("text").asString()));
    }

    @Test
    void shouldSendResponseFailedWithWhatArrivedWhenTheUpstreamBreaksOff() {
        ResponsesStreamWriter writer = writer();
        List<byte[]> frames = render(writer, new ChatEvent.Started("x", "m"),
                new ChatEvent.BlockStarted(0, Part.Text.of("")), new ChatEvent.TextDelta(0, "Hel"));
        frames.addAll(writer.cutShort("The upstream provider ended the stream early."));

        ResponsesGolden.assertEvents(frames, "stream/cut.sse");
    }

    private static String text(List<byte[]> frames) {
        StringBuilder text = new StringBuilder();
        for (byte[] frame : frames) {
            text.append(new String(frame, StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
