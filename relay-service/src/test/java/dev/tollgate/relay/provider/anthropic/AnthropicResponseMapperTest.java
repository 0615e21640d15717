package dev.tollgate.relay.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.provider.UpstreamResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

class AnthropicResponseMapperTest {

    @Test
    void shouldReadTextStopSequenceAndUsageWhenAnswerIsText() {
        ChatResponse response = AnthropicResponseMapper.toChatResponse(Golden.bytes("response-text.json"));

        assertThat(response.id()).isEqualTo("msg_013Zva2CMHLNnXjNJJKqJ2EF");
        assertThat(response.model()).isEqualTo("claude-sonnet-4-20250514");
        assertThat(response.content()).containsExactly(Part.Text.of("Hi! My name is Claude."));
        assertThat(response.stopReason()).isEqualTo(StopReason.STOP_SEQUENCE);
        assertThat(response.stopSequence()).isEqualTo("\n\nHuman:");
        assertThat(response.usage()).isEqualTo(new TokenUsage(2095, 0, 0, 503, 0, 0, 0, 0));
    }

    @Test
    void shouldReadToolCallWithInputAsJsonTextWhenAnswerUsesTool() {
        ChatResponse response = AnthropicResponseMapper.toChatResponse(Golden.bytes("response-tool-use.json"));

        assertThat(response.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(response.content()).hasSize(2);
        assertThat(response.content().get(0)).isEqualTo(Part.Text.of("I'll check the current weather in San Francisco for you."));
        assertThat(response.content().get(1)).isInstanceOfSatisfying(Part.ToolUse.class, use -> {
            assertThat(use.id()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
            assertThat(use.name()).isEqualTo("get_weather");
            assertThat(Json.mapper().readTree(use.argumentsJson()))
                    .isEqualTo(Json.mapper().readTree("{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}"));
        });
    }

    @Test
    void shouldReadThinkingWithSignatureAndRedactedThinkingWhenAnswerReasoned() {
        ChatResponse response = AnthropicResponseMapper.toChatResponse(Golden.bytes("response-thinking.json"));

        assertThat(response.content()).containsExactly(
                new Part.Thinking("To approach this, let's think about what we know about prime numbers...",
                        "WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL"),
                new Part.RedactedThinking("EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"),
                Part.Text.of("Yes, there are infinitely many prime numbers."));
        assertThat(response.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(response.usage().reasoningTokens()).isZero();
        assertThat(response.usage().outputTokens()).isEqualTo(4000);
    }

    @Test
    void shouldKeepCacheReadsAndWritesApartFromInputWhenAnswerUsedCache() {
        TokenUsage usage = AnthropicResponseMapper.toChatResponse(Golden.bytes("response-cache-usage.json")).usage();

        assertThat(usage).isEqualTo(new TokenUsage(21, 1024, 188086, 393, 0, 0, 0, 0));
        assertThat(AnthropicResponseMapper.usageOf(Golden.bytes("response-cache-usage.json"))).isEqualTo(usage);
    }

    @Test
    void shouldAnswerWithUsageAndNoTextWhenPassThroughAnswerReportsUsage() {
        byte[] body = Golden.bytes("response-text.json");

        UpstreamResult.Answered answered = AnthropicResponseMapper.toAnswered(200, "application/json", body);

        assertThat(answered.body()).isSameAs(body);
        assertThat(answered.usage().inputTokens()).isEqualTo(2095);
        assertThat(answered.text()).isEmpty();
    }

    @Test
    void shouldAnswerWithGeneratedTextWhenUpstreamReportsNoUsage() {
        byte[] body = Golden.bytes("response-no-usage.json");

        UpstreamResult.Answered answered = AnthropicResponseMapper.toAnswered(200, "application/json", body);

        assertThat(answered.usage()).isNull();
        assertThat(answered.text()).isEqualTo("Hellolookup{\"q\":\"x\"}");
        assertThat(AnthropicResponseMapper.toChatResponse(body).usage()).isNull();
    }

    @Test
    void shouldReadNoUsageWhenBodyIsNotJson() {
        byte[] body = "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8);

        assertThat(AnthropicResponseMapper.usageOf(body)).isNull();
        assertThat(AnthropicResponseMapper.generatedText(body)).isEmpty();
        assertThatThrownBy(() -> AnthropicResponseMapper.toChatResponse(body)).isInstanceOf(JacksonException.class);
    }

    @Test
    void shouldMapEveryAnthropicStopReasonWhenReading() {
        assertThat(AnthropicResponseMapper.toStopReason("end_turn")).isEqualTo(StopReason.END_TURN);
        assertThat(AnthropicResponseMapper.toStopReason("max_tokens")).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(AnthropicResponseMapper.toStopReason("model_context_window_exceeded")).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(AnthropicResponseMapper.toStopReason("stop_sequence")).isEqualTo(StopReason.STOP_SEQUENCE);
        assertThat(AnthropicResponseMapper.toStopReason("tool_use")).isEqualTo(StopReason.TOOL_USE);
        assertThat(AnthropicResponseMapper.toStopReason("refusal")).isEqualTo(StopReason.REFUSAL);
        assertThat(AnthropicResponseMapper.toStopReason("pause_turn")).isEqualTo(StopReason.PAUSE_TURN);
    }
}
