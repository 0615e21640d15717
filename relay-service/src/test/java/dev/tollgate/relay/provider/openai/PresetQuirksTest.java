package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.api.anthropic.AnthropicResponseWriter;
import dev.tollgate.relay.api.anthropic.AnthropicStreamWriter;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.provider.StreamStep;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The presets' quirks on the way back, from recorded answers (golden/openai-presets): what each server reports
 * reaches the internal model, the Anthropic writer and the meter as its own report says.
 */
class PresetQuirksTest {

    private static List<ChatEvent> translate(String golden) {
        OpenAiChatStreamTranslator translator = new OpenAiChatStreamTranslator();
        List<ChatEvent> events = new ArrayList<>();
        for (String data : PresetGolden.sseData(golden)) {
            events.addAll(translator.next(data));
        }
        return events;
    }

    private static List<StreamStep> passThrough(String golden) {
        return PresetGolden.sseData(golden).stream()
                .map(data -> OpenAiStreamTranslator.toStreamStep(data, false))
                .toList();
    }

    private static TokenUsage reported(List<ChatEvent> events) {
        return events.stream()
                .filter(ChatEvent.UsageReported.class::isInstance)
                .map(event -> ((ChatEvent.UsageReported) event).usage())
                .reduce((first, last) -> last)
                .orElse(null);
    }

    @Test
    void shouldGiveAnAnthropicClientAThinkingBlockWhenDeepSeekAnswersWhole() {
        ChatResponse response = OpenAiResponseMapper.toChatResponse(PresetGolden.bytes("deepseek-completion.json"));

        byte[] message = AnthropicResponseWriter.write(response, "deepseek-reasoner");

        PresetGolden.assertJson(Json.mapper().readTree(message), "deepseek-completion.anthropic.json");
        // DeepSeek's cache hits are cache reads; reasoning is inside its completion tokens.
        assertThat(response.usage()).isEqualTo(new TokenUsage(5, 10, 0, 30, 20, 0, 0, 0));
    }

    @Test
    void shouldGiveAnAnthropicClientAThinkingBlockWhenDeepSeekStreams() {
        List<ChatEvent> events = translate("deepseek-stream.sse");
        AnthropicStreamWriter writer = new AnthropicStreamWriter("deepseek-reasoner", 12);
        List<byte[]> frames = new ArrayList<>();
        events.forEach(event -> frames.addAll(writer.frames(event)));

        PresetGolden.assertJson(PresetGolden.sseTree(PresetGolden.utf8(frames)),
                "deepseek-stream.anthropic.json");
        assertThat(reported(events)).isEqualTo(new TokenUsage(5, 10, 0, 30, 20, 0, 0, 0));
    }

    @Test
    void shouldPassDeepSeeksReasoningThroughUnchangedWhenOpenAiClientStreams() {
        List<String> data = PresetGolden.sseData("deepseek-stream.sse");
        List<StreamStep> steps = passThrough("deepseek-stream.sse");

        assertThat(steps).extracting(StreamStep::data).containsExactlyElementsOf(data);
        assertThat(steps.stream().map(StreamStep::text).reduce("", String::concat))
                .isEqualTo("Compare decimals.9.11 is smaller.");
    }

    @Test
    void shouldBillGroqsXGroqUsageExactlyWhenTheStreamReportsNoOtherUsage() {
        TokenUsage groq = TokenUsage.fromOpenAi(42, 0, 3, 0);

        assertThat(reported(translate("groq-stream.sse"))).isEqualTo(groq);
        List<StreamStep> steps = passThrough("groq-stream.sse");
        assertThat(steps).filteredOn(step -> step.usage() != null).singleElement()
                .satisfies(step -> {
                    assertThat(step.usage()).isEqualTo(groq);
                    assertThat(step.data()).as("the finishing chunk still reaches the client").contains("\"stop\"");
                });
    }

    @Test
    void shouldCountXaisReasoningAsOutputWhenItIsReportedBesideCompletionTokens() {
        ChatResponse response = OpenAiResponseMapper.toChatResponse(PresetGolden.bytes("xai-completion.json"));

        // total 401 = 14 prompt + 1 completion + 386 reasoning: the output billed is 387.
        assertThat(response.usage()).isEqualTo(new TokenUsage(8, 6, 0, 387, 386, 0, 0, 0));
        assertThat(OpenAiUsageExtractor.fromResponse(PresetGolden.bytes("xai-completion.json")).outputTokens())
                .isEqualTo(387);
    }

    @Test
    void shouldReadOpenRoutersReasoningAndUsageWhenItStreams() {
        List<ChatEvent> events = translate("openrouter-stream.sse");

        PresetGolden.assertJson(TranslateGolden.eventsTree(events), "openrouter-stream.events.json");
        assertThat(passThrough("openrouter-stream.sse").stream().map(StreamStep::text).reduce("", String::concat))
                .isEqualTo("Thinking.Done.");
    }

    @Test
    void shouldReportNoUsageSoTheRelayCountsWhenTheServerSendsNone() {
        List<ChatEvent> events = translate("no-usage-stream.sse");

        assertThat(reported(events)).isNull();
        assertThat(events).contains(new ChatEvent.Finished(StopReason.END_TURN, null), new ChatEvent.Ended());
        assertThat(passThrough("no-usage-stream.sse")).allMatch(step -> step.usage() == null);
    }

    @Test
    void shouldSkipAzuresFilterChunkAndStopAsFilteredWhenAzureStreams() {
        List<ChatEvent> events = translate("azure-stream.sse");

        PresetGolden.assertJson(TranslateGolden.eventsTree(events), "azure-stream.events.json");
    }
}
