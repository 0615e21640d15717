package dev.tollgate.relay.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.events.Attempt;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Failover through the running relay against two simulators: the next channel after a 5xx, a timeout or a 429
 * (and not after the client's own 400, nor once a stream has begun), priorities and weights, a breaker that stops
 * sending to a failing channel, and a cooldown that honours Retry-After. One usage event per request lists every
 * attempt and charges the one that answered.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tollgate.relay.routing.breaker.minimum-calls=5",
        "tollgate.relay.routing.breaker.sliding-window=10",
        "tollgate.relay.routing.breaker.wait-in-open=60s"})
@AutoConfigureWebTestClient
class FailoverIT {

    private static final Simulator SIM_A = Simulator.start(0);
    private static final Simulator SIM_B = Simulator.start(0);
    private static RelayFixture fixture;
    private static final String KEY = CustomerKeys.generate();
    private static long keyId;
    private static final Map<String, Long> CHANNELS = new java.util.HashMap<>();

    @Autowired
    WebTestClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-failover");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        long user = fixture.insertUser("failover", 1_000_000_000L);
        keyId = fixture.insertKey(user, KEY);
        // Each scenario has its own model and channels, so one scenario's breaker cannot touch another's.
        for (String scenario : List.of("fo-5xx", "fo-400", "fo-stream", "fo-timeout", "fo-breaker", "fo-cool",
                "fo-overhead")) {
            Map<String, Object> primaryConfig = scenario.equals("fo-timeout") ? Map.of("timeoutSeconds", 1) : null;
            String primaryProvider = scenario.equals("fo-cool") ? "anthropic" : "openai";
            String primaryUrl = scenario.equals("fo-cool") ? SIM_A.anthropicBaseUrl() : SIM_A.baseUrl();
            CHANNELS.put(scenario + "-a", fixture.insertChannel(scenario + "-a", primaryProvider, primaryUrl, "sk-a",
                    List.of(scenario), Map.of(), primaryConfig, 10, 1));
            CHANNELS.put(scenario + "-b", fixture.insertChannel(scenario + "-b", "openai", SIM_B.baseUrl(), "sk-b",
                    List.of(scenario), Map.of(), null, 0, 1));
            fixture.insertPrice(scenario, 1_000_000, 2_000_000);
        }
        fixture.insertChannel("fo-direct-b", "openai", SIM_B.baseUrl(), "sk-b", List.of("fo-direct"), Map.of(),
                null, 0, 1);
        fixture.insertPrice("fo-direct", 1_000_000, 2_000_000);
        fixture.insertChannel("fo-weights-a", "openai", SIM_A.baseUrl(), "sk-a", List.of("fo-weights"), Map.of(),
                null, 0, 1);
        fixture.insertChannel("fo-weights-b", "openai", SIM_B.baseUrl(), "sk-b", List.of("fo-weights"), Map.of(),
                null, 0, 3);
        fixture.insertPrice("fo-weights", 1_000_000, 2_000_000);
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
        SIM_A.close();
        SIM_B.close();
    }

    @BeforeEach
    void ready() {
        SIM_A.reset();
        SIM_B.reset();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> client.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk());
    }

    private EntityExchangeResult<byte[]> chat(String model, boolean stream) {
        return client.post().uri("/v1/chat/completions")
                .header("Authorization", "Bearer " + KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"max_tokens\":20,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .exchange()
                .expectBody().returnResult();
    }

    private static UsageEvent usageOf(EntityExchangeResult<byte[]> result) {
        String requestId = result.getResponseHeaders().getFirst("x-request-id");
        return fixture.awaitUsage(e -> e.requestId().equals(requestId));
    }

    @Test
    void shouldAnswerFromNextChannelAndChargeOnceWhenFirstAnswers5xx() {
        SIM_A.config(SimulatorConfig.defaults().withFailure(503, 0));

        EntityExchangeResult<byte[]> result = chat("fo-5xx", false);

        assertThat(result.getStatus().value()).isEqualTo(200);
        UsageEvent event = usageOf(result);
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.channelId()).isEqualTo(CHANNELS.get("fo-5xx-b"));
        assertThat(event.attempts()).extracting(Attempt::channelId)
                .containsExactly(CHANNELS.get("fo-5xx-a"), CHANNELS.get("fo-5xx-b"));
        assertThat(event.attempts()).extracting(Attempt::outcome).containsExactly("server_error", "succeeded");
        assertThat(event.outputTokens()).isPositive();
        assertThat(fixture.awaitUsage(e -> e.requestId().equals(event.requestId()), 1)).hasSize(1);
    }

    @Test
    void shouldNotRetryWhenUpstreamSaysTheRequestIsAtFault() {
        SIM_A.config(SimulatorConfig.defaults().withFailure(400, 0));

        EntityExchangeResult<byte[]> result = chat("fo-400", false);

        assertThat(result.getStatus().value()).isEqualTo(400);
        assertThat(SIM_B.stats().requests()).isZero();
        assertThat(usageOf(result).attempts()).hasSize(1);
    }

    @Test
    void shouldNotRetryOnceAStreamHasBegun() {
        SIM_A.config(SimulatorConfig.defaults().withChunks(5).withCutAfterChunks(1));

        EntityExchangeResult<byte[]> result = chat("fo-stream", true);

        assertThat(result.getStatus().value()).isEqualTo(200);
        assertThat(new String(result.getResponseBody())).contains("tok0").doesNotContain("tok4");
        assertThat(SIM_B.stats().requests()).isZero();
        assertThat(usageOf(result).status()).isEqualTo(UsageStatus.UPSTREAM_ERROR);
    }

    @Test
    void shouldMoveOnWhenChannelsOwnTimeoutPasses() {
        SIM_A.config(SimulatorConfig.defaults().withLatencyMs(3_000));
        long start = System.nanoTime();

        EntityExchangeResult<byte[]> result = chat("fo-timeout", false);

        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(result.getStatus().value()).isEqualTo(200);
        assertThat(ms).isLessThan(2_900);
        assertThat(usageOf(result).attempts()).extracting(Attempt::outcome).containsExactly("timed_out", "succeeded");
    }

    @Test
    void shouldStopSendingToFailingChannelWhenItsBreakerOpens() {
        SIM_A.config(SimulatorConfig.defaults().withFailure(503, 0));

        for (int i = 0; i < 20; i++) {
            assertThat(chat("fo-breaker", false).getStatus().value()).isEqualTo(200);
        }

        // The breaker opens after its minimum calls at a 100% failure rate; the rest go straight to B.
        assertThat(SIM_A.stats().requests()).isBetween(5L, 6L);
        assertThat(SIM_B.stats().requests()).isEqualTo(20);
    }

    @Test
    void shouldCoolChannelDownForRetryAfterWhenItRateLimits() {
        SIM_A.config(SimulatorConfig.defaults().withFailure(429, 1));

        assertThat(chat("fo-cool", false).getStatus().value()).isEqualTo(200);
        assertThat(chat("fo-cool", false).getStatus().value()).isEqualTo(200);

        // The 429 said retry-after: 1 — the second request did not knock on A's door.
        assertThat(SIM_A.stats().requests()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(chat("fo-cool", false).getStatus().value()).isEqualTo(200);
            assertThat(SIM_A.stats().requests()).isEqualTo(2);
        });
    }

    @Test
    void shouldSpreadRequestsByWeightWithinATier() {
        int n = 400;
        for (int i = 0; i < n; i++) {
            assertThat(chat("fo-weights", false).getStatus().value()).isEqualTo(200);
        }

        double shareB = SIM_B.stats().requests() / (double) n;
        // Weights 1:3 → 75% to B; 400 draws give a standard deviation of about 2.2 points.
        assertThat(shareB).isBetween(0.68, 0.82);
        assertThat(SIM_A.stats().requests() + SIM_B.stats().requests()).isEqualTo(n);
    }

    /**
     * Prints what a failover costs over a direct answer (for the note); asserts only that it is small. A
     * 429 without Retry-After neither opens the breaker nor cools down, so every request fails over.
     */
    @Test
    void shouldAddLittleLatencyWhenFailingOverFromAChannelThatRefusesAtOnce() {
        SIM_A.config(SimulatorConfig.defaults().withFailure(429, 0));
        int n = 60;
        for (int i = 0; i < 10; i++) {
            chat("fo-direct", false);
            chat("fo-overhead", false);
        }
        long direct = 0;
        long failedOver = 0;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            assertThat(chat("fo-direct", false).getStatus().value()).isEqualTo(200);
            long t1 = System.nanoTime();
            assertThat(chat("fo-overhead", false).getStatus().value()).isEqualTo(200);
            long t2 = System.nanoTime();
            direct += t1 - t0;
            failedOver += t2 - t1;
        }
        assertThat(SIM_A.stats().requests()).isGreaterThanOrEqualTo(n);
        double directMs = direct / 1e6 / n;
        double failedOverMs = failedOver / 1e6 / n;
        System.out.printf("[failover] mean latency over %d requests: direct %.2f ms, after one refused attempt %.2f ms,"
                + " overhead %.2f ms%n", n, directMs, failedOverMs, failedOverMs - directMs);
        assertThat(failedOverMs - directMs).isLessThan(50);
    }
}
