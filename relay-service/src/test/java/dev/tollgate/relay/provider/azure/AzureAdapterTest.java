package dev.tollgate.relay.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.chat.Message;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.snapshot.Channel;
import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The Azure adapter against the simulator's Azure paths: both surfaces, both call forms, Azure's refusals. */
class AzureAdapterTest {

    private static final Simulator SIM = Simulator.start(0);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PASS_THROUGH = "{\"model\":\"gpt-4o-mini\",\"max_completion_tokens\":20,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final AzureAdapter adapter = new AzureAdapter(WebClient.builder()
            .clientConnector(new ReactorClientHttpConnector(HttpClient.create().responseTimeout(WAIT)))
            .build());

    @AfterAll
    static void close() {
        SIM.close();
    }

    @BeforeEach
    void reset() {
        SIM.reset();
        SIM.config(SimulatorConfig.defaults().withChunks(2).withPromptTokens(12).withCompletionTokens(2)
                .withCachedTokens(4));
    }

    private static Channel channel(Map<String, Object> config) {
        return new Channel(3, "azure", "azure", SIM.azureBaseUrl(), "azure-secret", config, Set.of("gpt-4o-mini"),
                Map.of(), Set.of("default"), 0, 1, true, false, false, 1);
    }

    private static Map<String, Object> dated(String version) {
        return Map.of("apiVersion", version, "deployments", Map.of("gpt-4o-mini", "mini-prod"));
    }

    private static UpstreamCall passThrough(Map<String, Object> config) {
        byte[] raw = PASS_THROUGH.getBytes();
        return new UpstreamCall(channel(config), Dialect.OPENAI, (ObjectNode) Json.mapper().readTree(raw), raw,
                "gpt-4o-mini", false);
    }

    private static UpstreamCall translated(Map<String, Object> config) {
        ChatRequest chat = new ChatRequest("gpt-4o-mini", null,
                List.of(new Message(Message.Role.USER, List.of(Part.Text.of("hi")))), null, null, 20L, null, null,
                null, null, true, 1, null, null, null, null, null, null);
        byte[] raw = "{}".getBytes();
        return new UpstreamCall(channel(config), Dialect.ANTHROPIC, (ObjectNode) Json.mapper().readTree(raw), raw,
                "gpt-4o-mini", false, chat);
    }

    @Test
    void shouldPassTheStreamThroughFromTheDeploymentWithApiKeyWhenOpenAiClientCalls() {
        UpstreamResult result = adapter.stream(passThrough(dated("2024-10-21"))).block(WAIT);

        List<StreamStep> steps = ((UpstreamResult.Streaming) result).steps().collectList().block(WAIT);
        String text = steps.stream().map(StreamStep::text).reduce("", String::concat);
        assertThat(text).isEqualTo("tok0 tok1 ");
        assertThat(steps.get(0).data()).contains("prompt_filter_results");
        assertThat(steps).filteredOn(step -> step.usage() != null).singleElement()
                .satisfies(step -> {
                    assertThat(step.usage()).isEqualTo(TokenUsage.fromOpenAi(12, 4, 2, 0));
                    assertThat(step.data()).as("usage the client did not ask for stays here").isNull();
                });
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/openai/deployments/mini-prod/chat/completions");
        assertThat(sent.query()).isEqualTo("api-version=2024-10-21");
        assertThat(sent.header("api-key")).isEqualTo("(present)");
        assertThat(sent.authorization()).isFalse();
        assertThat(sent.body().at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(sent.body().path("max_completion_tokens").asInt()).isEqualTo(20);
    }

    @Test
    void shouldTranslateTheStreamSkippingTheFilterChunkWhenAnthropicClientCalls() {
        UpstreamResult result = adapter.stream(translated(dated("2024-10-21"))).block(WAIT);

        List<ChatEvent> events = ((UpstreamResult.Translated) result).events().collectList().block(WAIT);
        assertThat(events.get(0)).isInstanceOfSatisfying(ChatEvent.Started.class,
                started -> assertThat(started.id()).startsWith("chatcmpl-"));
        assertThat(events).contains(new ChatEvent.Finished(StopReason.END_TURN, null),
                new ChatEvent.UsageReported(TokenUsage.fromOpenAi(12, 4, 2, 0)), new ChatEvent.Ended());
        assertThat(SIM.lastRequest().body().path("max_completion_tokens").asInt()).isEqualTo(20);
    }

    @Test
    void shouldSendNoStreamOptionsAndMaxTokensWhenApiVersionIsOld() {
        // The simulator, like Azure, refuses stream_options before 2024-09-01: an answer proves none was sent.
        UpstreamResult result = adapter.stream(translated(dated("2024-06-01"))).block(WAIT);

        List<ChatEvent> events = ((UpstreamResult.Translated) result).events().collectList().block(WAIT);
        assertThat(events).noneMatch(ChatEvent.UsageReported.class::isInstance).contains(new ChatEvent.Ended());
        JsonNode sent = SIM.lastRequest().body();
        assertThat(sent.has("stream_options")).isFalse();
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(20);
        assertThat(sent.has("max_completion_tokens")).isFalse();

        UpstreamResult passed = adapter.stream(passThrough(dated("2024-06-01"))).block(WAIT);
        assertThat(passed).isInstanceOf(UpstreamResult.Streaming.class);
        assertThat(SIM.lastRequest().body().path("max_tokens").asInt()).isEqualTo(20);
        assertThat(SIM.lastRequest().body().has("stream_options")).isFalse();
    }

    @Test
    void shouldNameTheDeploymentInTheBodyWhenChannelUsesV1() {
        UpstreamResult result = adapter.complete(passThrough(Map.of("apiVersion", "v1",
                "deployments", Map.of("gpt-4o-mini", "mini-v1")))).block(WAIT);

        assertThat(((UpstreamResult.Answered) result).usage()).isEqualTo(TokenUsage.fromOpenAi(12, 4, 2, 0));
        assertThat(SIM.lastRequest().path()).isEqualTo("/openai/v1/chat/completions");
        assertThat(SIM.lastRequest().body().path("model").asString()).isEqualTo("mini-v1");
    }

    @Test
    void shouldMarkTheRefusalAsTheChannelsFaultWhenTheDeploymentIsMissing() {
        Map<String, Object> config = Map.of("headers", Map.of("x-sim-fail", "404"));

        for (UpstreamResult result : List.of(adapter.complete(passThrough(config)).block(WAIT),
                adapter.stream(translated(config)).block(WAIT))) {
            assertThat(result).isInstanceOfSatisfying(UpstreamResult.Refused.class, refused -> {
                assertThat(refused.status()).isEqualTo(404);
                assertThat(refused.channelFault()).isTrue();
                assertThat(refused.message()).startsWith("The API deployment for this resource does not exist");
            });
        }
    }

    @Test
    void shouldCarryRetryAfterWhenAzureRateLimits() {
        SIM.config(SIM.config().withFailure(429, 0));

        UpstreamResult result = adapter.stream(passThrough(Map.of())).block(WAIT);

        assertThat(result).isInstanceOfSatisfying(UpstreamResult.Refused.class, refused -> {
            assertThat(refused.retryAfter()).isEqualTo("1");
            assertThat(refused.channelFault()).isFalse();
        });
    }

    @Test
    void shouldStopWithContentFilteredWhenAzureFiltersTheCompletion() {
        SIM.config(SIM.config().withContentFilter("completion"));

        UpstreamResult plain = adapter.complete(translated(Map.of())).block(WAIT);
        assertThat(((UpstreamResult.Completed) plain).response().stopReason()).isEqualTo(StopReason.CONTENT_FILTERED);

        UpstreamResult streamed = adapter.stream(translated(Map.of())).block(WAIT);
        assertThat(((UpstreamResult.Translated) streamed).events().collectList().block(WAIT))
                .contains(new ChatEvent.Finished(StopReason.CONTENT_FILTERED, null));
    }
}
