package dev.tollgate.simulator.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.RateLimitException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official Anthropic SDK against the simulator: it parses the answers and the event stream. */
class AnthropicSdkTest {

    private static final Simulator SIM = Simulator.start(0);
    private static final AnthropicClient CLIENT = AnthropicOkHttpClient.builder()
            .baseUrl(SIM.anthropicBaseUrl())
            .apiKey("sk-ant-sim")
            .maxRetries(0)
            .build();
    private static final Tool WEATHER = Tool.builder()
            .name("get_weather")
            .inputSchema(Tool.InputSchema.builder()
                    .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                    .required(List.of("city"))
                    .build())
            .build();

    @AfterAll
    static void close() {
        CLIENT.close();
        SIM.close();
    }

    @BeforeEach
    void reset() {
        SIM.reset();
    }

    @Test
    void shouldParseAToolUseAnswerWithCacheUsage() {
        SIM.config(SimulatorConfig.defaults().withPromptTokens(100).withCachedTokens(60).withCacheWriteTokens(30));

        Message message = CLIENT.messages().create(MessageCreateParams.builder()
                .model("claude-sonnet-4-5")
                .maxTokens(256)
                .addUserMessage("Weather in Paris?")
                .addTool(WEATHER)
                .build());

        assertThat(message.stopReason()).hasValue(StopReason.TOOL_USE);
        assertThat(message.content()).singleElement().satisfies(block -> {
            assertThat(block.isToolUse()).isTrue();
            assertThat(block.asToolUse().name()).isEqualTo("get_weather");
            assertThat(block.asToolUse()._input().toString()).contains("sim");
        });
        assertThat(message.usage().inputTokens()).isEqualTo(10);
        assertThat(message.usage().cacheReadInputTokens()).hasValue(60L);
        assertThat(message.usage().cacheCreationInputTokens()).hasValue(30L);
        assertThat(SIM.lastRequest().header("anthropic-version")).isNotBlank();
    }

    @Test
    void shouldAccumulateAStreamWithThinkingIntoTheSameMessage() {
        SIM.config(SimulatorConfig.defaults().withChunks(3));
        MessageAccumulator accumulator = MessageAccumulator.create();

        try (StreamResponse<RawMessageStreamEvent> stream = CLIENT.messages().createStreaming(MessageCreateParams.builder()
                .model("claude-sonnet-4-5")
                .maxTokens(2048)
                .enabledThinking(1024)
                .addUserMessage("Say three words.")
                .build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        Message message = accumulator.message();
        List<ContentBlock> content = message.content();
        assertThat(content).hasSize(2);
        assertThat(content.get(0).asThinking().thinking()).isEqualTo("sim thinking");
        assertThat(content.get(0).asThinking().signature()).isEqualTo("sim-signature");
        assertThat(content.get(1).asText().text()).isEqualTo("tok0 tok1 tok2 ");
        assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(message.usage().outputTokens()).isEqualTo(3);
    }

    @Test
    void shouldCountTokensAndSurfaceRateLimits() {
        long tokens = CLIENT.messages().countTokens(MessageCountTokensParams.builder()
                .model("claude-sonnet-4-5")
                .addUserMessage("12345678")
                .build()).inputTokens();
        SIM.config(SimulatorConfig.defaults().withFailure(429, 1));

        assertThat(tokens).isEqualTo(2);
        assertThatThrownBy(() -> CLIENT.messages().create(MessageCreateParams.builder()
                .model("claude-sonnet-4-5").maxTokens(10).addUserMessage("hi").build()))
                .isInstanceOf(RateLimitException.class)
                .hasMessageContaining("simulated failure");
    }
}
