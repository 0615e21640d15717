package dev.tollgate.relay.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.routing.Failover;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.Simulator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * With tracing on, one request is one trace: the server span, a child span per upstream attempt, and the usage
 * event's Kafka record carrying the server span's W3C context to the ledger. The spans are kept in memory (the
 * real SDK and Boot's wiring, only the exporter swapped) instead of sent to a collector.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // What TOLLGATE_OTLP_ENDPOINT turns on, without an endpoint: the spans go to the exporter below.
        "tollgate.tracing.enabled=true"})
@AutoConfigureWebTestClient
@Import(RelayTracingIT.Spans.class)
class RelayTracingIT {

    private static final Simulator SIM = Simulator.start(0);
    private static final String KEY = CustomerKeys.generate();
    private static final AttributeKey<String> CHANNEL = AttributeKey.stringKey("tollgate.channel.id");
    private static final AttributeKey<String> ATTEMPT = AttributeKey.stringKey("tollgate.attempt");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("tollgate.outcome");
    private static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
    private static RelayFixture fixture;
    private static long channelId;
    private static long unreachableId;
    private static long fallbackId;

    /** Not a bean: Boot's batch processor would export to every SpanExporter bean as well. */
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

    @TestConfiguration(proxyBeanMethods = false)
    static class Spans {

        /** Exported as each span ends: no batch delay to wait out. */
        @Bean
        SpanProcessor inMemorySpanProcessor() {
            return SimpleSpanProcessor.create(SPANS);
        }
    }

    @Autowired
    WebTestClient client;

    @Autowired
    RelayTracing relayTracing;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-tracing-it");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        long user = fixture.insertUser("traced", 10_000_000);
        fixture.insertKey(user, KEY);
        channelId = fixture.insertChannel("simulator", "openai", SIM.baseUrl(), "sk-upstream-tracing",
                List.of("gpt-4o-mini"), Map.of(), null);
        fixture.insertPrice("gpt-4o-mini", 150_000, 600_000);
        // Nothing listens on port 1: the first choice for failover-model always fails over to the simulator.
        unreachableId = fixture.insertChannel("unreachable", "openai", "http://127.0.0.1:1/v1",
                "sk-upstream-tracing", List.of("failover-model"), Map.of(), null, 10, 1);
        fallbackId = fixture.insertChannel("fallback", "openai", SIM.baseUrl(), "sk-upstream-tracing",
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
        // A busy shared machine can take longer than the client's default 5 s to answer the first request.
        client = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> client.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk());
    }

    @Test
    void shouldJoinServerSpanUpstreamSpanAndUsageRecordInOneTraceWhenTracingIsOn() {
        assertThat(relayTracing.enabled()).isTrue();
        String requestId = chat("gpt-4o-mini");

        Traceparent carried = traceparentOfUsage(requestId);
        assertThat(carried.sampled()).as("flags of %s", carried).isTrue();
        List<SpanData> trace = awaitTrace(carried.traceId(), 2);

        SpanData server = only(trace, s -> s.getKind() == SpanKind.SERVER);
        assertThat(server.getSpanId()).as("the usage record names the request's server span")
                .isEqualTo(carried.spanId());
        SpanData upstream = only(trace, s -> s.getName().equals("upstream openai"));
        assertThat(upstream.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(upstream.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(upstream.getAttributes().get(CHANNEL)).isEqualTo(Long.toString(channelId));
        assertThat(upstream.getAttributes().get(MODEL)).isEqualTo("gpt-4o-mini");
        assertThat(upstream.getAttributes().get(ATTEMPT)).isEqualTo("1");
        assertThat(upstream.getAttributes().get(OUTCOME)).isEqualTo("succeeded");
    }

    @Test
    void shouldTraceEachFailoverAttemptAndLogTheTraceIdWhenAChannelFails() {
        Logger failover = (Logger) LoggerFactory.getLogger(Failover.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        failover.addAppender(lines);
        try {
            String requestId = chat("failover-model");

            Traceparent carried = traceparentOfUsage(requestId);
            List<SpanData> attempts = awaitTrace(carried.traceId(), 3).stream()
                    .filter(s -> s.getName().startsWith("upstream "))
                    .sorted(Comparator.comparing(s -> s.getAttributes().get(ATTEMPT)))
                    .toList();
            assertThat(attempts).extracting(s -> s.getAttributes().get(ATTEMPT)).containsExactly("1", "2");
            assertThat(attempts).extracting(s -> s.getAttributes().get(CHANNEL))
                    .containsExactly(Long.toString(unreachableId), Long.toString(fallbackId));
            assertThat(attempts).extracting(s -> s.getAttributes().get(OUTCOME))
                    .containsExactly("unreachable", "succeeded");
            assertThat(attempts).allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(carried.spanId()));
            assertThat(attempts.get(0).getStatus().getStatusCode())
                    .isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lines.list)
                    .anySatisfy(line -> {
                        assertThat(line.getFormattedMessage()).contains("trying the next channel");
                        assertThat(line.getMDCPropertyMap()).containsEntry("requestId", requestId)
                                .containsEntry("traceId", carried.traceId())
                                .containsEntry("spanId", carried.spanId());
                    }));
        } finally {
            failover.detachAppender(lines);
        }
    }

    /** The parts of a W3C traceparent header: {@code 00-<trace id>-<span id>-<flags>}. */
    record Traceparent(String traceId, String spanId, boolean sampled) {

        static Traceparent parse(String header) {
            String[] parts = header.split("-");
            assertThat(parts).hasSize(4);
            assertThat(parts[0]).isEqualTo("00");
            // Bit 0 is "sampled"; OpenTelemetry also sets bit 1 ("random trace id", W3C level 2): 01 or 03.
            return new Traceparent(parts[1], parts[2], (Integer.parseInt(parts[3], 16) & 1) == 1);
        }
    }

    private Traceparent traceparentOfUsage(String requestId) {
        ConsumerRecord<String, byte[]> record = fixture.awaitUsageRecord(e -> requestId.equals(e.requestId()));
        Header header = record.headers().lastHeader("traceparent");
        assertThat(header).as("the usage record's traceparent header").isNotNull();
        return Traceparent.parse(new String(header.value(), StandardCharsets.US_ASCII));
    }

    private List<SpanData> awaitTrace(String traceId, int atLeast) {
        await().atMost(Duration.ofSeconds(15)).until(() -> inTrace(traceId).size() >= atLeast);
        return inTrace(traceId);
    }

    private List<SpanData> inTrace(String traceId) {
        return SPANS.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    private static SpanData only(List<SpanData> trace, java.util.function.Predicate<SpanData> match) {
        List<SpanData> found = trace.stream().filter(match).toList();
        assertThat(found).as("spans in the trace: %s", trace).hasSize(1);
        return found.get(0);
    }

    private String chat(String model) {
        String requestId = client.post().uri("/v1/chat/completions")
                .contentType(MediaType.APPLICATION_JSON)
                .header("Authorization", "Bearer " + KEY)
                .bodyValue("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Trace me.\"}]"
                        + ",\"max_tokens\":20}")
                .exchange()
                .expectStatus().isOk()
                .returnResult(String.class)
                .getResponseHeaders()
                .getFirst("x-request-id");
        assertThat(requestId).isNotBlank();
        return requestId;
    }
}
