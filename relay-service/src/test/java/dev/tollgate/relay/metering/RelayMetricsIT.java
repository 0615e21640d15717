package dev.tollgate.relay.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.secrets.CustomerKeys;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tollgate.relay.routing.Failover;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.testsupport.PrometheusScrape;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Traffic through the relay shows in /actuator/prometheus, under bounded labels. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class RelayMetricsIT {

    private static final Simulator SIM = Simulator.start(0);
    private static final String KEY = CustomerKeys.generate();
    private static RelayFixture fixture;
    private static long channelId;

    @Autowired
    WebTestClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-metrics-it");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        long user = fixture.insertUser("metered", 10_000_000);
        fixture.insertKey(user, KEY);
        channelId = fixture.insertChannel("simulator", "openai", SIM.baseUrl(), "sk-upstream-metrics",
                List.of("gpt-4o-mini"), Map.of(), null);
        fixture.insertPrice("gpt-4o-mini", 150_000, 600_000);
        // Nothing listens on port 1: the first choice for failover-model always fails over to the simulator.
        fixture.insertChannel("unreachable", "openai", "http://127.0.0.1:1/v1", "sk-upstream-metrics",
                List.of("failover-model"), Map.of(), null, 10, 1);
        fixture.insertChannel("fallback", "openai", SIM.baseUrl(), "sk-upstream-metrics",
                List.of("failover-model"), Map.of(), null, 0, 1);
        fixture.insertPrice("failover-model", 150_000, 600_000);
    }

    @AfterAll
    static void tearDown() {
        SIM.close();
        fixture.close();
    }

    @BeforeEach
    void ready() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> client.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk());
    }

    @Test
    void shouldCountRequestsTokensAndSpendPerChannelAndModelWhenTrafficFlows() {
        for (int i = 0; i < 3; i++) {
            chat(body("gpt-4o-mini", false)).expectStatus().isOk();
        }
        for (int i = 0; i < 2; i++) {
            chat(body("gpt-4o-mini", true)).expectStatus().isOk().returnResult(String.class).getResponseBody()
                    .blockLast(Duration.ofSeconds(30));
        }
        // A made-up model is refused and must not become a label of its own.
        chat(body("made-up-model-7f3a", false)).expectStatus().isNotFound();

        List<UsageEvent> served = fixture.awaitUsage(e -> e.status() == UsageStatus.SUCCESS, 5);
        fixture.awaitUsage(e -> e.status() == UsageStatus.REJECTED, 1);
        long tokensIn = served.stream().mapToLong(e -> e.inputTokens() + e.cacheReadTokens() + e.cacheWriteTokens())
                .sum();
        long tokensOut = served.stream().mapToLong(UsageEvent::outputTokens).sum();
        Map<String, String> series = Map.of("channel", Long.toString(channelId), "model", "gpt-4o-mini");

        PrometheusScrape scrape = scrape();
        assertThat(scrape.sum("tollgate_relay_requests_total", with(series, "outcome", "success", "status", "2xx")))
                .isEqualTo(5.0);
        assertThat(scrape.sum("tollgate_relay_requests_total",
                Map.of("channel", "none", "model", "other", "outcome", "rejected", "status", "4xx"))).isEqualTo(1.0);
        assertThat(scrape.samples("tollgate_relay_requests_total", Map.of("model", "made-up-model-7f3a"))).isEmpty();
        assertThat(scrape.sum("tollgate_relay_request_latency_seconds_count", series)).isEqualTo(5.0);
        assertThat(scrape.samples("tollgate_relay_request_latency_seconds_bucket", series)).hasSizeGreaterThan(10);
        assertThat(scrape.sum("tollgate_relay_ttft_seconds_count", series)).isGreaterThanOrEqualTo(2.0);
        assertThat(scrape.sum("tollgate_relay_tokens_total", with(series, "direction", "in")))
                .isEqualTo((double) tokensIn).isPositive();
        assertThat(scrape.sum("tollgate_relay_tokens_total", with(series, "direction", "out")))
                .isEqualTo((double) tokensOut).isPositive();
        assertThat(scrape.sum("tollgate_relay_spend_micros_total", series)).isPositive();
        assertThat(scrape.sum("tollgate_relay_requests_inflight", Map.of())).isZero();
        assertThat(scrape.sum("tollgate_relay_streams_open", Map.of())).isZero();
        assertThat(scrape.sum("tollgate_relay_snapshot_loaded", Map.of())).isEqualTo(1.0);
        assertThat(scrape.sum("tollgate_relay_snapshot_age_seconds", Map.of())).isBetween(0.0, 60.0);
        assertThat(scrape.names()).contains("tollgate_relay_spool_events", "tollgate_relay_spool_bytes",
                "tollgate_relay_spool_oldest_age_seconds");
        // Measured once, above: the framework's own observation skips the API paths while tracing is off.
        assertThat(scrape.samples("http_server_requests_seconds_count", Map.of("uri", "/v1/chat/completions")))
                .isEmpty();
    }

    @Test
    void shouldTagFailoverWarningsWithTheRequestIdWhenAChannelFails() {
        Logger failover = (Logger) LoggerFactory.getLogger(Failover.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        failover.addAppender(lines);
        try {
            String requestId = chat(body("failover-model", false))
                    .expectStatus().isOk()
                    .returnResult(String.class)
                    .getResponseHeaders()
                    .getFirst("x-request-id");
            assertThat(requestId).isNotBlank();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lines.list)
                    .anySatisfy(line -> {
                        assertThat(line.getFormattedMessage()).contains("trying the next channel");
                        assertThat(line.getMDCPropertyMap()).containsEntry("requestId", requestId)
                                .containsEntry("model", "failover-model")
                                .containsKeys("keyId", "channelId");
                    }));
            assertThat(org.slf4j.MDC.get("requestId")).isNull();
        } finally {
            failover.detachAppender(lines);
        }
    }

    @Test
    void shouldAnswerWithARequestIdWhenTheAnswerIsAnError() {
        client.post().uri("/v1/chat/completions")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body("gpt-4o-mini", false))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().exists("x-request-id");
        client.get().uri("/v1/models")
                .header("anthropic-version", "2023-06-01")
                .header("x-api-key", KEY)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().exists("x-request-id")
                .expectHeader().exists("request-id");
        client.get().uri("/v1beta/models/no-such-thing:nothing")
                .exchange()
                .expectHeader().exists("x-request-id");
    }

    @Test
    void shouldSayInReadinessWhetherUsageIsPublishedWhenKafkaIsUp() {
        client.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.components.snapshot.details.loaded").isEqualTo(true)
                .jsonPath("$.components.usage.status").isEqualTo("UP")
                .jsonPath("$.components.usage.details.state").isEqualTo("publishing");
        client.get().uri("/actuator/health/liveness")
                .exchange()
                .expectStatus().isOk();
    }

    private PrometheusScrape scrape() {
        String text = client.get().uri("/actuator/prometheus")
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return PrometheusScrape.parse(text);
    }

    private WebTestClient.ResponseSpec chat(String body) {
        return client.post().uri("/v1/chat/completions")
                .contentType(MediaType.APPLICATION_JSON)
                .header("Authorization", "Bearer " + KEY)
                .bodyValue(body)
                .exchange();
    }

    private static String body(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Count me.\"}]"
                + ",\"max_tokens\":50" + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "")
                + "}";
    }

    private static Map<String, String> with(Map<String, String> base, String... more) {
        Map<String, String> all = new java.util.HashMap<>(base);
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return all;
    }
}
