package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.snapshot.Channel;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.node.ObjectNode;

/** The adapter's boundary: what each way an upstream call can end becomes, against the simulator. */
class OpenAiAdapterTest {

    private static final Simulator SIM = Simulator.start(0);
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofMillis(300);
    private static final Duration VERIFY = Duration.ofSeconds(10);
    private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    // Only the timeout test gets the short limit: on a loaded machine a healthy answer can take longer than it.
    private final OpenAiAdapter impatient = adapterWithTimeout(UPSTREAM_TIMEOUT);
    private final OpenAiAdapter adapter = adapterWithTimeout(VERIFY);

    private static OpenAiAdapter adapterWithTimeout(Duration timeout) {
        return new OpenAiAdapter(WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create().responseTimeout(timeout)))
                .build());
    }

    @AfterAll
    static void closeSimulator() {
        SIM.close();
    }

    @BeforeEach
    void reset() {
        SIM.reset();
    }

    private static UpstreamCall call(String baseUrl) {
        Channel channel = new Channel(1, "sim", "openai", baseUrl, "sk-test", Map.of(), Set.of("gpt-4o-mini"), Map.of(),
                Set.of("default"), 0, 1, true, false, false, 1);
        byte[] raw = BODY.getBytes(StandardCharsets.UTF_8);
        return new UpstreamCall(channel, Dialect.OPENAI, (ObjectNode) Json.mapper().readTree(raw), raw, "gpt-4o-mini", false);
    }

    @Test
    void shouldFailTimedOutWhenUpstreamDoesNotAnswerWithinTimeout() {
        SIM.config(SimulatorConfig.defaults().withLatencyMs(3_000));

        StepVerifier.create(impatient.complete(call(SIM.baseUrl())))
                .expectError(UpstreamFailure.TimedOut.class)
                .verify(VERIFY);
        StepVerifier.create(impatient.stream(call(SIM.baseUrl())))
                .expectError(UpstreamFailure.TimedOut.class)
                .verify(VERIFY);
    }

    @Test
    void shouldFailUnreachableWhenNothingListensAtBaseUrl() {
        StepVerifier.create(adapter.complete(call("http://127.0.0.1:1/v1")))
                .expectError(UpstreamFailure.Unreachable.class)
                .verify(VERIFY);
        StepVerifier.create(adapter.stream(call("http://127.0.0.1:1/v1")))
                .expectError(UpstreamFailure.Unreachable.class)
                .verify(VERIFY);
    }

    @Test
    void shouldRefuseWithUpstreamStatusWhenUpstreamAnswersWithError() {
        SIM.config(SimulatorConfig.defaults().withFailStatus(429));

        StepVerifier.create(adapter.complete(call(SIM.baseUrl())))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Refused.class,
                        refused -> assertThat(refused.status()).isEqualTo(429)))
                .verifyComplete();
        StepVerifier.create(adapter.stream(call(SIM.baseUrl())))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Refused.class,
                        refused -> assertThat(refused.status()).isEqualTo(429)))
                .verifyComplete();
    }

    @Test
    void shouldAnswerWithReportedUsageWhenUpstreamSucceeds() {
        SIM.config(SimulatorConfig.defaults().withPromptTokens(12).withCompletionTokens(3));

        StepVerifier.create(adapter.complete(call(SIM.baseUrl())))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Answered.class,
                        answered -> {
                            assertThat(answered.usage().outputTokens()).isEqualTo(3);
                            assertThat(answered.text()).isEmpty();
                        }))
                .verifyComplete();
    }

    @Test
    void shouldRoundRetryAfterMsUpToSecondsWhenOnlyAzuresFinerHeaderCame() {
        HttpHeaders headers = new HttpHeaders();
        headers.set("retry-after-ms", "1500");
        assertThat(OpenAiAdapter.retryAfter(headers)).isEqualTo("2");

        headers.set("Retry-After", "7");
        assertThat(OpenAiAdapter.retryAfter(headers)).isEqualTo("7");
        assertThat(OpenAiAdapter.retryAfter(new HttpHeaders())).isNull();
    }
}
