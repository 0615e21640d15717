package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Recorded OpenAI streams (golden/openai-translate/translate/stream-*.sse) → internal events (*.events.json). */
class OpenAiChatStreamTranslatorTest {

    private static List<ChatEvent> translate(List<String> data) {
        OpenAiChatStreamTranslator translator = new OpenAiChatStreamTranslator();
        List<ChatEvent> events = new ArrayList<>();
        for (String d : data) {
            events.addAll(translator.next(d));
        }
        return events;
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "tools", "reasoning", "no-finish"})
    void shouldEmitEventsInOrderWhenRecordedStream(String name) {
        List<ChatEvent> events = translate(TranslateGolden.sseData("translate/stream-" + name + ".sse"));
        TranslateGolden.assertJson(TranslateGolden.eventsTree(events), "translate/stream-" + name + ".events.json");
    }

    @Test
    void shouldEmitNoEndedWhenStreamStopsBeforeDone() {
        List<String> data = TranslateGolden.sseData("translate/stream-text.sse");
        List<ChatEvent> events = translate(data.subList(0, 3));
        assertThat(events).noneMatch(ChatEvent.Ended.class::isInstance);
        assertThat(events).noneMatch(ChatEvent.Finished.class::isInstance);
    }

    @Test
    void shouldFinishWithToolUseWhenToolCallsEndWithoutFinishReason() {
        List<ChatEvent> events = translate(List.of(
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                        + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}",
                "[DONE]"));
        assertThat(events).containsExactly(
                new ChatEvent.Started("c", null),
                new ChatEvent.BlockStarted(0, new Part.ToolUse("call_1", "f", "", null)),
                new ChatEvent.ToolInputDelta(0, "{}"),
                new ChatEvent.BlockStopped(0),
                new ChatEvent.Finished(StopReason.TOOL_USE, null),
                new ChatEvent.Ended());
    }

    @Test
    void shouldStartNewToolBlockWhenServerNumbersEveryCallZero() {
        List<ChatEvent> events = translate(List.of(
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}",
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}}]}",
                "{\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"));
        assertThat(events).filteredOn(ChatEvent.BlockStarted.class::isInstance).containsExactly(
                new ChatEvent.BlockStarted(0, new Part.ToolUse("a", "f", "", null)),
                new ChatEvent.BlockStarted(1, new Part.ToolUse("b", "g", "", null)));
    }

    @Test
    void shouldDropLatePieceWhenDeltaForClosedToolCallArrives() {
        List<ChatEvent> events = translate(List.of(
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{\"}}]}}]}",
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}}]}",
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"}\"}}]}}]}"));
        assertThat(events).filteredOn(ChatEvent.ToolInputDelta.class::isInstance).containsExactly(
                new ChatEvent.ToolInputDelta(0, "{"), new ChatEvent.ToolInputDelta(1, "{}"));
    }

    @Test
    void shouldReportRefusalWhenStreamCarriesRefusalDeltas() {
        List<ChatEvent> events = translate(List.of(
                "{\"id\":\"r\",\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"\"}}]}",
                "{\"id\":\"r\",\"choices\":[{\"delta\":{\"refusal\":\"I can't.\"}}]}",
                "{\"id\":\"r\",\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}"));
        assertThat(events).contains(new ChatEvent.TextDelta(0, "I can't."),
                new ChatEvent.Finished(StopReason.REFUSAL, null));
    }

    @Test
    void shouldIgnoreEverythingWhenDataComesAfterDone() {
        OpenAiChatStreamTranslator translator = new OpenAiChatStreamTranslator();
        translator.next("{\"id\":\"x\",\"choices\":[{\"delta\":{\"content\":\"a\"}}]}");
        assertThat(translator.next("[DONE]")).last().isEqualTo(new ChatEvent.Ended());
        assertThat(translator.next("{\"id\":\"x\",\"choices\":[{\"delta\":{\"content\":\"b\"}}]}")).isEmpty();
        assertThat(translator.next("[DONE]")).isEmpty();
    }
}
