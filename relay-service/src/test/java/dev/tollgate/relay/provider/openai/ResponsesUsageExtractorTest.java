package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.UpstreamResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The usage of native Responses answers and streams, from recorded OpenAI samples. */
class ResponsesUsageExtractorTest {

    @Test
    void shouldReadCachedAndReasoningTokensIntoDisjointClassesWhenWholeAnswerReportsUsage() {
        byte[] body = Golden.bytes("responses-native.json");

        UpstreamResult.Answered answered = ResponsesUsageExtractor.toAnswered(200, "application/json", body);

        // input 1236 of which 1024 cached; output 335 of which 256 reasoning.
        assertThat(answered.usage()).isEqualTo(new TokenUsage(212, 1024, 0, 335, 256, 0, 0, 0));
        assertThat(answered.body()).isSameAs(body);
        assertThat(answered.text()).isEmpty();
    }

    @Test
    void shouldCarryTheOutputTextWhenAResponseHasNoUsageYet() {
        String queued = "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"queued\",\"usage\":null,"
                + "\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hi\"}]},"
                + "{\"type\":\"function_call\",\"name\":\"f\",\"arguments\":\"{}\"}]}";

        UpstreamResult.Answered answered = ResponsesUsageExtractor.toAnswered(200, null,
                queued.getBytes(StandardCharsets.UTF_8));

        assertThat(answered.usage()).isNull();
        assertThat(answered.text()).isEqualTo("Hif{}");
    }

    @Test
    void shouldCarryNoUsageWhenBodyIsNotJson() {
        UpstreamResult.Answered answered = ResponsesUsageExtractor.toAnswered(200, "text/plain", "hi".getBytes());

        assertThat(answered.usage()).isNull();
        assertThat(answered.text()).isEmpty();
    }

    @Test
    void shouldTakeUsageFromResponseCompletedAndPassEveryEventOnUnchanged() {
        List<String[]> events = sse("responses-native-stream.sse");

        List<StreamStep> steps = events.stream()
                .map(e -> ResponsesStreamTranslator.toStreamStep(e[0], e[1]))
                .toList();

        assertThat(steps).extracting(StreamStep::event).containsExactlyElementsOf(
                events.stream().map(e -> e[0]).toList());
        assertThat(steps).extracting(StreamStep::data).containsExactlyElementsOf(
                events.stream().map(e -> e[1]).toList());
        assertThat(steps.stream().map(StreamStep::text).collect(Collectors.joining())).isEqualTo("Hi there!");
        assertThat(steps.subList(0, steps.size() - 1)).allSatisfy(step -> {
            assertThat(step.usage()).isNull();
            assertThat(step.done()).isFalse();
        });
        StreamStep last = steps.get(steps.size() - 1);
        assertThat(last.done()).isTrue();
        assertThat(last.usage()).isEqualTo(TokenUsage.fromOpenAi(37, 0, 11, 0));
    }

    @Test
    void shouldTakeUsageFromResponseIncompleteAndCountReasoningAndArgumentDeltas() {
        List<StreamStep> steps = sse("responses-native-incomplete.sse").stream()
                .map(e -> ResponsesStreamTranslator.toStreamStep(e[0], e[1]))
                .toList();

        assertThat(steps.stream().map(StreamStep::text).collect(Collectors.joining())).isEqualTo("Thinking{\"city\":");
        StreamStep last = steps.get(steps.size() - 1);
        assertThat(last.done()).isTrue();
        assertThat(last.usage()).isEqualTo(new TokenUsage(400, 100, 0, 64, 60, 0, 0, 0));
    }

    @Test
    void shouldEndTheStreamWithUsageOnResponseFailed() {
        StreamStep step = ResponsesStreamTranslator.toStreamStep(null, "{\"type\":\"response.failed\","
                + "\"response\":{\"id\":\"resp_1\",\"status\":\"failed\",\"usage\":{\"input_tokens\":9,"
                + "\"output_tokens\":2}}}");

        assertThat(step.event()).as("named by its type when the upstream sent no event name")
                .isEqualTo("response.failed");
        assertThat(step.done()).isTrue();
        assertThat(step.usage()).isEqualTo(TokenUsage.fromOpenAi(9, 0, 2, 0));
    }

    @Test
    void shouldPassOnWhatIsNotJsonCountingNothing() {
        StreamStep step = ResponsesStreamTranslator.toStreamStep("x", "not json");

        assertThat(step.data()).isEqualTo("not json");
        assertThat(step.usage()).isNull();
        assertThat(step.hasText()).isFalse();
        assertThat(step.done()).isFalse();
    }

    /** Each SSE event's name and data, in order. */
    private static List<String[]> sse(String name) {
        List<String[]> events = new ArrayList<>();
        String event = null;
        for (String line : new String(Golden.bytes(name), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("event: ")) {
                event = line.substring("event: ".length());
            } else if (line.startsWith("data: ")) {
                events.add(new String[] {event, line.substring("data: ".length())});
                event = null;
            }
        }
        return events;
    }
}
