package dev.tollgate.relay.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.Simulator;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Without TOLLGATE_OTLP_ENDPOINT there is no tracer, no exporter and no trace context on the usage record. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class RelayTracingOffIT {

    private static final Simulator SIM = Simulator.start(0);
    private static final String KEY = CustomerKeys.generate();
    private static RelayFixture fixture;

    @Autowired
    WebTestClient client;

    @Autowired
    ApplicationContext context;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-tracing-off-it");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        long user = fixture.insertUser("untraced", 10_000_000);
        fixture.insertKey(user, KEY);
        fixture.insertChannel("simulator", "openai", SIM.baseUrl(), "sk-upstream-untraced",
                List.of("gpt-4o-mini"), Map.of(), null);
        fixture.insertPrice("gpt-4o-mini", 150_000, 600_000);
    }

    @AfterAll
    static void tearDown() {
        SIM.close();
        fixture.close();
    }

    @Test
    void shouldNeitherTraceNorExportWhenNoCollectorIsConfigured() {
        // A busy shared machine can take longer than the client's default 5 s to answer the first request.
        WebTestClient client = this.client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> client.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk());
        assertThat(context.getBean(RelayTracing.class).enabled()).isFalse();
        assertThat(context.getBeansOfType(Tracer.class).values()).allMatch(t -> t == Tracer.NOOP);
        assertThat(context.getBeansOfType(SpanExporter.class)).isEmpty();

        String requestId = client.post().uri("/v1/chat/completions")
                .contentType(MediaType.APPLICATION_JSON)
                .header("Authorization", "Bearer " + KEY)
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .bodyValue("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi.\"}]}")
                .exchange()
                .expectStatus().isOk()
                .returnResult(String.class)
                .getResponseHeaders()
                .getFirst("x-request-id");

        ConsumerRecord<String, byte[]> record = fixture.awaitUsageRecord(e -> requestId.equals(e.requestId()));
        assertThat(record.headers().lastHeader("traceparent")).isNull();
    }
}
