package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.provider.StreamStep;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class OpenAiStreamTranslatorTest {

    @Test
    void shouldDropUsageOnlyChunkWhenClientDidNotAskForUsage() {
        List<String> upstream = Golden.sseData("stream-include-usage.sse");
        List<StreamStep> steps = upstream.stream().map(d -> OpenAiStreamTranslator.toStreamStep(d, false)).toList();

        List<String> forwarded = steps.stream().map(StreamStep::data).filter(Objects::nonNull).toList();
        assertThat(forwarded).hasSize(upstream.size() - 1);
        assertThat(forwarded).noneMatch(d -> d.contains("\"prompt_tokens\""));
        assertThat(forwarded.get(forwarded.size() - 1)).isEqualTo("[DONE]");
        assertThat(steps.get(steps.size() - 1).done()).isTrue();
    }

    @Test
    void shouldReadUsageFromUsageChunkWhetherOrNotItIsForwarded() {
        for (boolean wantsUsage : new boolean[] {true, false}) {
            TokenUsage usage = Golden.sseData("stream-include-usage.sse").stream()
                    .map(d -> OpenAiStreamTranslator.toStreamStep(d, wantsUsage))
                    .map(StreamStep::usage)
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElseThrow();
            assertThat(usage).isEqualTo(TokenUsage.fromOpenAi(19, 0, 3, 0));
        }
    }

    @Test
    void shouldPassEveryEventUnchangedWhenClientAskedForUsage() {
        List<String> upstream = Golden.sseData("stream-include-usage.sse");
        List<String> forwarded = upstream.stream()
                .map(d -> OpenAiStreamTranslator.toStreamStep(d, true).data())
                .toList();
        assertThat(forwarded).containsExactlyElementsOf(upstream);
    }

    @Test
    void shouldCollectGeneratedTextWhenStreamHasNoUsage() {
        List<StreamStep> steps = Golden.sseData("stream-no-usage.sse").stream()
                .map(d -> OpenAiStreamTranslator.toStreamStep(d, false))
                .toList();
        StringBuilder text = new StringBuilder();
        steps.forEach(s -> text.append(s.text()));
        assertThat(text.toString()).isEqualTo("Hi!");
        assertThat(steps).allMatch(s -> s.usage() == null);
        assertThat(steps).allMatch(s -> s.data() != null);
    }

    @Test
    void shouldCountReasoningAndToolArgumentsAsGeneratedTextWhenPresent() {
        String chunk = "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"think \",\"tool_calls\":"
                + "[{\"index\":0,\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]}}]}";
        assertThat(OpenAiStreamTranslator.toStreamStep(chunk, false).text()).isEqualTo("think f{\"a\":1}");
    }

    @Test
    void shouldForwardUnparseableDataUnchangedWhenUpstreamSendsNonJson() {
        StreamStep step = OpenAiStreamTranslator.toStreamStep("not json", false);
        assertThat(step.data()).isEqualTo("not json");
        assertThat(step.usage()).isNull();
    }

    @Test
    void shouldSplitCachedTokensOutOfPromptWhenReadingCompletionUsage() {
        TokenUsage usage = OpenAiUsageExtractor.fromResponse(Golden.bytes("chat-completion.json"));
        assertThat(usage.inputTokens()).isEqualTo(226);
        assertThat(usage.cacheReadTokens()).isEqualTo(1024);
        assertThat(usage.outputTokens()).isEqualTo(9);
    }

    @Test
    void shouldReportNoUsageWhenCompletionHasNone() {
        assertThat(OpenAiUsageExtractor.fromResponse("{\"id\":\"x\",\"choices\":[]}".getBytes())).isNull();
        assertThat(OpenAiUsageExtractor.fromResponse("garbage".getBytes())).isNull();
    }
}
